"""EMREX ELMO: the published sample reads as the transcript it describes; an export is valid
against the ELMO schema and reads back the same; hostile or malformed XML (XXE, billion laughs,
oversized, not ELMO) is a clear 4xx, never parsed into anything."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree

from contracts.mobility import ResultStatus, Transcript
from services.mobility.elmo import (
    ELMO_MAX_BYTES,
    ContentTooLarge,
    _hardened_parser,
    elmo_schema,
    export_elmo,
    import_elmo,
)
from shared.errors import Unprocessable

SAMPLES = Path(__file__).parent / "elmo_samples"
EXAMPLE = (SAMPLES / "example.xml").read_bytes()  # emrex-eu/elmo-schemas example.xml


def test_the_published_sample_is_valid_and_reads_as_its_transcript() -> None:
    transcript = import_elmo(EXAMPLE)
    assert transcript.learner.given_names == "Wojciech Łukasz"
    assert transcript.learner.family_name == "Rygielski"
    assert transcript.learner.birth_date == date(1983, 4, 12)
    assert transcript.learner.citizenship == "PL"
    assert transcript.issuer.name == "University of Warsaw"  # the English title
    assert transcript.issuer.country == "PL" and transcript.issuer.url == "http://www.uw.edu.pl"
    assert [(i.type, i.value) for i in transcript.issuer.identifiers] == [
        ("pic", "999572294"),
        ("erasmus", "PL WARSZAW01"),
        ("schac", "uw.edu.pl"),
    ]
    assert transcript.issued_at == datetime(2015, 10, 31, 7, tzinfo=timezone(timedelta(hours=2)))
    # two courses: Compiler construction (its classes are not components) and an untyped one
    compilers, html = transcript.components
    assert compilers.code == "1000-217bMRJ" and compilers.title == "Compiler construction"
    assert compilers.isced_f == "0612" and compilers.language == "pl"
    assert compilers.status is ResultStatus.PASSED  # no status: passed, as ELMO says
    assert compilers.grade == "45.1"
    assert [(c.scheme, c.value) for c in compilers.credits] == [("ects", 6.0)]
    assert compilers.term == "Winter Semester of 2014"
    assert (compilers.start, compilers.end) == (date(2014, 10, 1), date(2015, 2, 15))
    assert html.title == "The importance of <br> in HTML"  # CDATA and escapes read as text
    assert html.grade == "C" and html.credits == [] and html.code is None


def test_an_export_is_valid_elmo_and_reads_back_the_same() -> None:
    transcript = import_elmo(EXAMPLE)
    exported = export_elmo(transcript, generated_at=datetime(2027, 2, 1, 9, tzinfo=UTC))
    document = etree.fromstring(exported, _hardened_parser())
    assert elmo_schema().validate(etree.ElementTree(document)), elmo_schema().error_log
    assert import_elmo(exported) == transcript


def test_a_failed_and_an_ungraded_component_survive_the_round_trip() -> None:
    transcript = Transcript.model_validate(
        {
            "learner": {"given_names": "Mei", "family_name": "Lin"},
            "issuer": {
                "name": "Universiti Malaya",
                "country": "MY",
                "identifiers": [{"type": "schac", "value": "um.edu.my"}],
                "url": "https://www.um.edu.my/",
            },
            "issued_at": "2027-02-01T09:00:00+08:00",
            "components": [
                {"code": "WIA2001", "title": "Databases", "status": "failed", "grade": "1.00",
                 "credits": [{"scheme": "MY", "value": 4}], "isced_f": "0612"},
                {"title": "Malay language", "credits": [{"scheme": "ects", "value": 2.5}]},
            ],
        }
    )  # fmt: skip
    exported = export_elmo(transcript, generated_at=datetime(2027, 2, 1, tzinfo=UTC))
    assert import_elmo(exported) == transcript


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE elmo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<elmo xmlns="https://github.com/emrex-eu/elmo-schemas/tree/v1"><generatedDate>&xxe;</generatedDate></elmo>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>"""


@pytest.mark.parametrize("document", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_a_dtd_or_entity_is_refused_before_anything_is_read(document: bytes) -> None:
    started = time.monotonic()
    with pytest.raises(Unprocessable, match="DTD or entity declaration is not accepted"):
        import_elmo(document)
    assert time.monotonic() - started < 5  # refused, not expanded


@pytest.mark.parametrize("document", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_the_parser_itself_neither_expands_nor_fetches_entities(document: bytes) -> None:
    # defence in depth: were the declaration check gone, the parser would still not help
    try:
        root = etree.fromstring(document, _hardened_parser())
    except etree.XMLSyntaxError as error:  # libxml2 refuses the amplification outright
        assert "amplification" in str(error)
        return
    text = "".join(root.itertext())
    assert "root:" not in text and len(text) < 100


def test_an_oversized_document_is_413() -> None:
    with pytest.raises(ContentTooLarge, match="at most"):
        import_elmo(b" " * (ELMO_MAX_BYTES + 1))


@pytest.mark.parametrize(
    ("document", "says"),
    [
        (b"<elmo", "not well-formed XML"),
        (b"\xff\xfe<", "not well-formed XML"),
        (b"<transcript/>", "not a valid ELMO document"),
        (
            EXAMPLE.replace(b"<givenNames>Wojciech \xc5\x81ukasz</givenNames>", b""),
            "not a valid ELMO document",
        ),
        (EXAMPLE.replace(b"<value>6</value>", b"<value>six</value>"), "not a valid ELMO"),
        (EXAMPLE.replace(b"<value>6</value>", b"<value>600</value>"), "cannot hold"),
    ],
    ids=["truncated", "garbage", "not-elmo", "no-given-names", "credits-not-number", "too-many"],
)
def test_what_is_not_a_valid_elmo_transcript_is_422(document: bytes, says: str) -> None:
    with pytest.raises(Unprocessable, match=says) as raised:
        import_elmo(document)
    if "valid ELMO" in says:
        assert raised.value.errors and raised.value.errors[0].path.startswith("body.line.")
