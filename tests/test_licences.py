"""What a node runs is under a permissive licence, or is named in docs/licences.md.

Each runtime dependency's licence is read from its own installed metadata (its SPDX
`License-Expression`, else a `License` field that is one, else its trove classifiers, several of
which mean a choice), never from a list kept here.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from packaging.utils import NormalizedName, canonicalize_name

from tests.test_lock import RUNTIME_LOCK, read_lock

DOC = Path(__file__).resolve().parent.parent / "docs" / "licences.md"
DOC_SECTION = "## Runtime dependencies whose licence is not permissive"

# Permissive: no copyleft at all (the Open Source Initiative's "permissive" family).
PERMISSIVE = frozenset(
    {"MIT", "MIT-0", "BSD-2-CLAUSE", "BSD-3-CLAUSE", "APACHE-2.0", "ISC", "PSF-2.0", "0BSD"}
)
_CLASSIFIER_SPDX = {
    "MIT License": "MIT",
    "BSD License": "BSD-3-Clause",
    "Apache Software License": "Apache-2.0",
    "ISC License (ISCL)": "ISC",
    "Python Software Foundation License": "PSF-2.0",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
}
_TOKEN = re.compile(r"\(|\)|[A-Za-z0-9.+-]+")


class NotSpdx(ValueError):
    pass


def permissive(expression: str) -> bool:
    """Does an SPDX licence expression leave a choice, or a combination, of permissive terms?"""
    tokens = _TOKEN.findall(expression)
    if "".join(tokens) != re.sub(r"\s+", "", expression):
        raise NotSpdx(expression)
    position = 0

    def any_of() -> bool:  # a OR b: one permissive alternative is enough
        nonlocal position
        result = all_of()
        while position < len(tokens) and tokens[position].upper() == "OR":
            position += 1
            result = all_of() or result
        return result

    def all_of() -> bool:  # a AND b: every part must be permissive
        nonlocal position
        result = one()
        while position < len(tokens) and tokens[position].upper() == "AND":
            position += 1
            result = one() and result
        return result

    def one() -> bool:
        nonlocal position
        if position >= len(tokens):
            raise NotSpdx(expression)
        token = tokens[position]
        position += 1
        if token == "(":
            result = any_of()
            if position >= len(tokens) or tokens[position] != ")":
                raise NotSpdx(expression)
            position += 1
            return result
        if token.upper() in {"AND", "OR", "WITH", ")"}:
            raise NotSpdx(expression)
        if position < len(tokens) and tokens[position].upper() == "WITH":
            position += 2  # an exception only ever grants more
        return token.upper() in PERMISSIVE

    result = any_of()
    if position != len(tokens):
        raise NotSpdx(expression)
    return result


def licence_of(name: str) -> tuple[str, bool]:
    """The licence a distribution declares, and whether it is permissive."""
    meta = metadata.metadata(name)
    for field in ("License-Expression", "License"):
        values = meta.get_all(field) or []
        value = str(values[0]).strip() if values else ""
        if value and "\n" not in value:
            try:
                return value, permissive(value)
            except NotSpdx:
                pass
    classifiers = [
        c.split("::")[-1].strip() for c in meta.get_all("Classifier") or [] if c.startswith("Lic")
    ]
    spdx = [_CLASSIFIER_SPDX.get(c, c) for c in classifiers]
    if not spdx:
        return "unknown", False
    expression = " OR ".join(spdx)
    return expression, all(s in _CLASSIFIER_SPDX.values() for s in spdx) and permissive(expression)


def documented() -> set[NormalizedName]:
    text = DOC.read_text(encoding="utf-8")
    assert DOC_SECTION in text
    section = text.split(DOC_SECTION, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return {canonicalize_name(row.split("|")[1].strip()) for row in rows[2:]}  # past the header


def test_spdx_expressions_are_read_as_choices_and_combinations() -> None:
    assert permissive("MIT")
    assert permissive("Apache-2.0 OR BSD-3-Clause")
    assert permissive("MIT AND PSF-2.0")
    assert permissive("MIT OR GPL-2.0-or-later")  # the MIT choice is taken
    assert not permissive("GPL-2.0-or-later")
    assert not permissive("MPL-2.0 AND (Apache-2.0 OR MIT)")
    assert not permissive("LGPL-2.1-only WITH LLVM-exception")


def test_every_runtime_dependency_is_permissive_or_documented() -> None:
    lock = read_lock(RUNTIME_LOCK)
    installed = {name: pin for name, pin in lock.pins.items() if pin.on_linux()}
    not_permissive: dict[NormalizedName, str] = {}
    for name in installed:
        licence, ok = licence_of(name)
        if not ok:
            not_permissive[name] = licence
    listed = documented()
    missing = {n: lic for n, lic in not_permissive.items() if n not in listed}
    assert not missing, f"not permissive, not in {DOC.name}: {missing}"
    stale = listed - not_permissive.keys()
    assert not stale, f"{DOC.name} names what is no longer a non-permissive runtime dependency"


def test_no_runtime_dependency_is_under_the_gpl() -> None:
    lock = read_lock(RUNTIME_LOCK)
    for name, pin in lock.pins.items():
        if pin.on_linux():
            licence, _ = licence_of(name)
            assert "GPL" not in licence.upper(), f"{name}: {licence}"
