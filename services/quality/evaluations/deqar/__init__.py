"""DEQAR's submission formats, read into edunode's submissions and written back from stored
evaluations (pure: no database, no HTTP): `csv_rows.py` (a CSV row ↔ a submission object),
`objects.py` (a submission object → edunode's submission), `export.py` (a stored evaluation →
a submission object).

DEQAR (the Database of External Quality Assurance Results, run by EQAR) takes reports as CSV
(one report a row, repeating parts in indexed columns: `institution[1].deqar_id`,
`file[1].report_language[1]`, `activities[1].id`) or as JSON submission objects (its Submission
API: `report_files`, `institutions`, `programmes`, ...). Both are documented at
https://docs.deqar.eu (Report Data Elements; Report Submission). What is read here:

- `agency` is an acronym or a DEQAR agency id (digits; an agency records its `deqar_id`), or
  in edunode's own format an agency id; `contributing_agencies` likewise.
- `activity` / `activity[n]` / `activities[n].id` / `activities[n].local_identifier` /
  `activity_local_identifier` name the agency's *activity* (DEQAR: by name, DEQAR activity id or
  the agency's local identifier), not its type: the quality service resolves it against the
  activities the agency declares. edunode's `activity_type` column stays as it was.
- `status` and `decision` by name or by DEQAR's numeric id (status 1-2, decision 1-4).
- Report languages in ISO 639-1 (`en`) or ISO 639-2, terminological or bibliographic (`eng`,
  `fre`, `ger`), any case: stored as ISO 639-1.
- Dates in the row's `date_format` (strptime syntax; DEQAR's `%-d`/`%-m` read as `%d`/`%m`).
- Institutions by `deqar_id`, `eter_id`, or `identifier` (+ `resource`), flat as DEQAR's v2
  templates write them or indexed (`institution[1].identifier[1]`) as its older ones do; when
  several are given, DEQAR's order decides (DEQARINST id, then ETER id, then the others).
- Programmes: `qf_ehea_level` (name or 0-3) becomes the level `QF-EHEA:<cycle>`; an
  `nqf_level` written `FRAMEWORK:LEVEL` is kept as the level; `workload_ects`, `field_study`
  (ISCED-F code or ESCO URI) and `degree_outcome` (1/2, yes/no, full degree/no full degree).
- A cell holding only `-` is empty, as in DEQAR.

What DEQAR holds and edunode does not (`report_id`, `other_comment`, links, platforms, file
display names and contents, institution names and locations, programme alternative names,
countries and learning outcomes, an `nqf_level` in free text) is read and left out.
"""
