"""EMREX ELMO XML: a transcript of records read from and written to the ELMO format, checked
against the ELMO schema vendored in `elmo_schema/` (release 1.5, MIT; its imports are answered
from that directory, never the network).

Reading is hardened: at most `ELMO_MAX_BYTES`, no DTD (a DOCTYPE is refused: ELMO has none, and
entities are how XXE and "billion laughs" attack a parser), entities never expanded, nothing
fetched. Anything else that is not a valid ELMO document is a 422 naming the line and what is
wrong there. What is read: the learner, the first report's issuer, and every course of every
report (a learning opportunity that is not a degree programme, module or class), with its
result: status (none means passed, as ELMO says), grade, credits, term, field and language.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from typing import Any

from lxml import etree
from pydantic import ValidationError

from contracts.mobility import (
    ResultStatus,
    Transcript,
    TranscriptComponent,
    TranscriptCredit,
    TranscriptIdentifier,
    TranscriptIssuer,
    TranscriptLearner,
)
from rules.isced_f import is_isced_f
from shared.errors import FieldError, ProblemError, Unprocessable

ELMO_NS = "https://github.com/emrex-eu/elmo-schemas/tree/v1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ELMO_MAX_BYTES = 4 * 1024 * 1024  # an ELMO file with its PDF attachments
NOT_COMPONENTS = frozenset({"Degree Programme", "Module", "Class"})
SCHEMA_ERRORS_SHOWN = 5

# Where the ELMO schema imports its parts from, and the vendored file that answers instead.
_IMPORTS = {
    "http://www.w3.org/2001/03/xml.xsd": "xml.xsd",
    "https://raw.githubusercontent.com/emrex-eu/elmo-schemas/v1/references/"
    "xmldsig-core-schema.xsd": "xmldsig-core-schema.xsd",
    "https://raw.githubusercontent.com/emrex-eu/elmo-schemas/v1/references/"
    "EUROPASS_ISOCountries_V1.1.xsd": "EUROPASS_ISOCountries.xsd",
    "https://raw.githubusercontent.com/erasmus-without-paper/ewp-specs-types-address/"
    "stable-v1/schema.xsd": "ewp-address.xsd",
}


class ContentTooLarge(ProblemError):
    status, slug = 413, "content-too-large"


class _VendoredImports(etree.Resolver):  # type: ignore[misc]  # lxml ships no types
    """Answers the schema's imports from `elmo_schema/`; anything else is not loaded."""

    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:
        name = _IMPORTS.get(system_url)
        if name is None:
            return self.resolve_empty(context)
        return self.resolve_string(_schema_file(name), context, base_url=system_url)


def _schema_file(name: str) -> bytes:
    return (resources.files("services.mobility") / "elmo_schema" / name).read_bytes()


@cache
def elmo_schema() -> etree.XMLSchema:
    """The ELMO schema, built once per process from the vendored files."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(_VendoredImports())
    document = etree.fromstring(_schema_file("schema.xsd"), parser, base_url="elmo/schema.xsd")
    return etree.XMLSchema(document)


def _hardened_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
    )


def parse_elmo(data: bytes) -> etree._Element:
    """The root of a valid ELMO document, or a 413/422 problem saying what is wrong."""
    if len(data) > ELMO_MAX_BYTES:
        raise ContentTooLarge(
            f"an ELMO document of {len(data)} bytes: at most {ELMO_MAX_BYTES} are accepted"
        )
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise Unprocessable("a DTD or entity declaration is not accepted: ELMO documents have none")
    try:
        tree = etree.ElementTree(etree.fromstring(data, _hardened_parser()))
    except etree.XMLSyntaxError as error:
        raise Unprocessable(f"not well-formed XML: {error}") from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise Unprocessable("a DTD is not accepted: ELMO documents have none")
    schema = elmo_schema()
    if not schema.validate(tree):
        errors = [
            FieldError(path=f"body.line.{entry.line}", message=entry.message, type="schema")
            for entry in list(schema.error_log)[:SCHEMA_ERRORS_SHOWN]
        ]
        raise Unprocessable("not a valid ELMO document (EMREX ELMO schema 1.5)", errors=errors)
    return tree.getroot()


# -- reading ---------------------------------------------------------------------------------


def _q(name: str) -> str:
    return f"{{{ELMO_NS}}}{name}"


def _text(element: etree._Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    text = " ".join(element.text.split())
    return text or None


def _title(parent: etree._Element) -> str:
    """The English title if there is one, else the first."""
    titles = parent.findall(_q("title"))
    english = [t for t in titles if t.get(XML_LANG, "").lower().startswith("en")]
    return _text((english or titles)[0]) or ""


def _date(element: etree._Element | None) -> date | None:
    text = _text(element)
    return date.fromisoformat(text[:10]) if text else None  # xs:date may carry a time zone


def _datetime(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _component(los: etree._Element) -> TranscriptComponent:
    loi = los.find(f"{_q('specifies')}/{_q('learningOpportunityInstance')}")
    assert loi is not None  # the schema requires it
    local = next(
        (_text(i) for i in los.findall(_q("identifier")) if i.get("type") == "local"), None
    )
    isced = _text(los.find(_q("iscedCode")))
    term = loi.find(_q("academicTerm"))
    language = _text(loi.find(_q("languageOfInstruction")))
    credits = [
        TranscriptCredit(scheme=_text(c.find(_q("scheme"))) or "", value=float(value))
        for c in loi.findall(_q("credit"))
        if (value := _text(c.find(_q("value")))) is not None
    ]
    return TranscriptComponent(
        code=local,
        title=_title(los) or local or "untitled",
        isced_f=isced if isced and is_isced_f(isced) else None,
        status=ResultStatus(_text(loi.find(_q("status"))) or ResultStatus.PASSED.value),
        grade=_text(loi.find(_q("resultLabel"))),
        credits=credits,
        term=_title(term) if term is not None else None,
        start=_date(term.find(_q("start")) if term is not None else loi.find(_q("start"))),
        end=_date(term.find(_q("end")) if term is not None else loi.find(_q("date"))),
        language=language if language and len(language) == 2 and language.islower() else None,
    )


def _courses(parent: etree._Element) -> list[etree._Element]:
    """Every learning opportunity below `parent` that is a course (or has no type)."""
    found = []
    for los in parent.findall(_q("learningOpportunitySpecification")):
        if _text(los.find(_q("type"))) not in NOT_COMPONENTS:
            found.append(los)
        for part in los.findall(_q("hasPart")):
            found.extend(_courses(part))
    return found


def read_transcript(root: etree._Element) -> Transcript:
    """The transcript a valid ELMO document carries (422 if it says more than edunode keeps:
    more than 200 courses, credits outside 0-240)."""
    learner = root.find(_q("learner"))
    reports = root.findall(_q("report"))
    assert learner is not None and reports  # the schema requires them
    issuer = reports[0].find(_q("issuer"))
    assert issuer is not None
    try:
        return Transcript(
            learner=TranscriptLearner(
                given_names=_text(learner.find(_q("givenNames"))) or "",
                family_name=_text(learner.find(_q("familyName"))) or "",
                birth_date=_date(learner.find(_q("bday"))),
                citizenship=_text(learner.find(_q("citizenship"))),
            ),
            issuer=TranscriptIssuer(
                name=_title(issuer),
                country=_text(issuer.find(_q("country"))),
                identifiers=[
                    TranscriptIdentifier(type=i.get("type", ""), value=_text(i) or "")
                    for i in issuer.findall(_q("identifier"))
                ][:10],
                url=_text(issuer.find(_q("url"))) or "",
            ),
            issued_at=_datetime(_text(reports[0].find(_q("issueDate"))) or ""),
            components=[_component(los) for report in reports for los in _courses(report)],
        )
    except ValidationError as error:
        raise Unprocessable(
            "the ELMO document is valid but says what a transcript here cannot hold",
            errors=[
                FieldError(path=".".join(str(p) for p in e["loc"]), message=e["msg"])
                for e in error.errors()[:SCHEMA_ERRORS_SHOWN]
            ],
        ) from None


def import_elmo(data: bytes) -> Transcript:
    return read_transcript(parse_elmo(data))


# -- writing ---------------------------------------------------------------------------------


def _sub(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> Any:
    element = etree.SubElement(parent, _q(name), attrs)
    if text is not None:
        element.text = text
    return element


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else repr(value)


def export_elmo(transcript: Transcript, *, generated_at: datetime) -> bytes:
    """The transcript as an ELMO document, valid against the schema (checked before it is
    returned: an export that is not valid is this code's fault, and fails loudly)."""
    root = etree.Element(_q("elmo"), nsmap={None: ELMO_NS})
    _sub(root, "generatedDate", generated_at.isoformat())
    learner = _sub(root, "learner")
    if transcript.learner.citizenship:
        _sub(learner, "citizenship", transcript.learner.citizenship)
    _sub(learner, "givenNames", transcript.learner.given_names)
    _sub(learner, "familyName", transcript.learner.family_name)
    if transcript.learner.birth_date:
        _sub(learner, "bday", transcript.learner.birth_date.isoformat())
    report = _sub(root, "report")
    issuer = _sub(report, "issuer")
    if transcript.issuer.country:
        _sub(issuer, "country", transcript.issuer.country)
    for identifier in transcript.issuer.identifiers:
        _sub(issuer, "identifier", identifier.value, type=identifier.type)
    _sub(issuer, "title", transcript.issuer.name)
    _sub(issuer, "url", transcript.issuer.url)
    for component in transcript.components:
        los = _sub(report, "learningOpportunitySpecification")
        if component.code:
            _sub(los, "identifier", component.code, type="local")
        _sub(los, "title", component.title)
        _sub(los, "type", "Course")
        if component.isced_f:
            _sub(los, "iscedCode", component.isced_f)
        loi = _sub(_sub(los, "specifies"), "learningOpportunityInstance")
        if component.start:
            _sub(loi, "start", component.start.isoformat())
        if component.end:
            _sub(loi, "date", component.end.isoformat())
        if component.term and component.start and component.end:
            term = _sub(loi, "academicTerm")
            _sub(term, "title", component.term)
            _sub(term, "start", component.start.isoformat())
            _sub(term, "end", component.end.isoformat())
        _sub(loi, "status", component.status.value)
        if component.grade:
            _sub(loi, "resultLabel", component.grade)
        for credit in component.credits:
            element = _sub(loi, "credit")
            _sub(element, "scheme", credit.scheme)
            _sub(element, "value", _number(credit.value))
        if component.language:
            _sub(loi, "languageOfInstruction", component.language)
    _sub(report, "issueDate", transcript.issued_at.isoformat())
    document = etree.ElementTree(root)
    elmo_schema().assertValid(document)
    return bytes(etree.tostring(document, xml_declaration=True, encoding="UTF-8"))
