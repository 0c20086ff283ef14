"""Mutation testing of the domain rule modules (issue 15): would the tests see a rule break?

    .venv/bin/python tools/mutation.py                      # every module of MODULE_TESTS
    .venv/bin/python tools/mutation.py rules/qa_status.py   # one module, its mapped tests
    .venv/bin/python tools/mutation.py services/x/rule.py --tests tests/x/test_rule.py
    .venv/bin/python tools/mutation.py --list rules/qa_status.py   # the mutants, no test run

Each mutant is one small change to one module, made by cosmic-ray's operators (comparison,
binary, unary and boolean operators, numbers, True/False, break/continue, exceptions,
decorators, `for` loops) and by two of our own for the rule tables cosmic-ray leaves alone:
`edunode/DropMember` removes one element of a set or one entry of a dict display, and
`edunode/SwapMember` replaces an `Enum.MEMBER` element of a set (or value of a dict) by another
member the module names. For each mutant the module's tests run (`pytest -x`, in a subprocess);
a mutant is *killed* when they fail or time out, *survived* when they pass.

Score = killed / (mutants - named equivalents). Equivalent mutants (the program means the same
thing) are listed by name, each with its reason, in `tools/mutation_equivalents.toml`; a listed
mutant that no longer exists is reported as stale. Type annotations and the `*` / `/` markers of
a signature are never mutated: annotations are not evaluated (`from __future__ import
annotations`) and callers pass those arguments by name.

The run works on a copy of the tree in a temporary directory, so the worktree is never
modified, and uses one process (the machine is shared). The exit status is 1 when a module
scores below `--threshold` (90 % by default). Not part of `make test`: it takes minutes.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cosmic_ray.plugins
import parso
import parso.python.tree
import parso.tree
from cosmic_ray.ast import ast_nodes, get_ast_from_path
from cosmic_ray.mutating import MutationVisitor
from cosmic_ray.operators.operator import Example, Operator

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "tools" / "mutation_equivalents.toml"

# module → the tests that state its rules. Pure tests run without the suite's conftest (no
# nats-server, no database) and without pytest plugins: about half a second per mutant.
MODULE_TESTS: dict[str, list[str]] = {
    "services/institutions/directory/cache.py": ["tests/institutions/test_read_cache.py"],
    "rules/qa_status.py": [
        "tests/quality/test_status_resolution.py",
        "tests/quality/test_qa_status_rule.py",
    ],
    "services/recognition/cases/states.py": [
        "tests/recognition/test_case_states_rules.py",
    ],
    "services/quality/evaluations/validation.py": [
        "tests/quality/test_validation_rules.py",
        "tests/quality/test_evaluation_validation_rules.py",
    ],
    # the assessment, by aspect (issue 15 item 8), each with its pure tests
    "services/recognition/assessment/identity.py": [
        "tests/recognition/test_assessment_identity.py",
    ],
    "services/recognition/assessment/quality.py": [
        "tests/recognition/test_assessment_quality.py",
    ],
    "services/recognition/assessment/level.py": [
        "tests/recognition/test_assessment_level.py",
    ],
    "services/recognition/assessment/workload.py": [
        "tests/recognition/test_assessment_workload.py",
        "tests/recognition/test_assessment_recommendation.py",  # its thresholds decide there
    ],
    "services/recognition/assessment/profile.py": [
        "tests/recognition/test_assessment_precedents_profile.py",
    ],
    "services/recognition/assessment/precedents.py": [
        "tests/recognition/test_assessment_precedents_profile.py",
    ],
    "services/recognition/assessment/agreements.py": [
        "tests/recognition/test_assessment_agreements.py",
    ],
    "services/recognition/assessment/legal_basis.py": [
        "tests/recognition/test_assessment_legal_basis.py",
    ],
    "services/recognition/assessment/recommendation.py": [
        "tests/recognition/test_assessment_recommendation.py",
    ],
    "services/recognition/assessment/facts.py": [
        "tests/recognition/test_assessment_facts.py",
        "tests/recognition/test_assessment_identity.py",
        "tests/recognition/test_assessment_quality.py",
        "tests/recognition/test_assessment_level.py",
        "tests/recognition/test_assessment_workload.py",
        "tests/recognition/test_assessment_agreements.py",
        "tests/recognition/test_assessment_precedents_profile.py",
        "tests/recognition/test_assessment_recommendation.py",
    ],
    # the pure rules the assessment cites (the scenarios' first tests need no node)
    "rules/legal_basis.py": [
        "tests/rules/test_legal_basis_rule.py",
    ],
    "rules/conventions.py": [
        "tests/rules/test_conventions_rule.py",
    ],
    "rules/reference_records.py": [
        "tests/rules/test_reference_records_rule.py",
    ],
    "rules/credit_transfer.py": [
        "tests/rules/test_credit_transfer_rule.py",
    ],
}

# -- our operators for rule tables ------------------------------------------------------------


def _display_items(node: parso.tree.NodeOrLeaf) -> tuple[str, list[list[Any]]] | None:
    """('set' | 'dict', elements) of a `{...}` display without comprehension, else None.

    Each element is the list of its nodes: `[value]` in a set, `[key, ':', value]` in a dict.
    """
    if node.type != "atom" or not isinstance(node, parso.tree.BaseNode):
        return None
    children = node.children
    if len(children) != 3 or children[0].type != "operator" or children[0].value != "{":
        return None
    inner = children[1]
    parts = inner.children if inner.type == "dictorsetmaker" else [inner]
    if any(
        p.type in ("comp_for", "sync_comp_for") or getattr(p, "value", "") == "**" for p in parts
    ):
        return None
    items: list[list[Any]] = [[]]
    for part in parts:
        if part.type == "operator" and part.value == ",":
            items.append([])
        else:
            items[-1].append(part)
    items = [item for item in items if item]
    kind = "dict" if any(getattr(p, "value", "") == ":" for item in items for p in item) else "set"
    return kind, items


def _member(node: Any) -> tuple[str, str] | None:
    """('Base', 'MEMBER') of an `Base.MEMBER` expression (a class's attribute), else None."""
    if node.type != "atom_expr" or len(node.children) != 2:
        return None
    base, trailer = node.children
    if base.type != "name" or not base.value[:1].isupper():
        return None
    if trailer.type != "trailer" or trailer.children[0].value != ".":
        return None
    return base.value, trailer.children[1].value


def _members_named(root: Any, base: str) -> list[str]:
    """Every `base.X` the module names, sorted."""
    return sorted({m[1] for n in ast_nodes(root) if (m := _member(n)) and m[0] == base})


def _replaced(node: Any, text: str) -> parso.tree.Leaf:
    """A leaf standing for `node` whose code is `text` (keeps the node's leading whitespace)."""
    return parso.python.tree.Name(text, node.start_pos, prefix=node.get_first_leaf().prefix)


class DropMember(Operator):  # type: ignore[misc]
    """Remove one element of a set display or one entry of a dict display."""

    def mutation_positions(self, node: Any) -> Iterator[tuple[Any, Any]]:
        display = _display_items(node)
        if display is not None:
            for _ in display[1]:
                yield (node.start_pos, node.end_pos)

    def mutate(self, node: Any, index: int) -> Any:
        display = _display_items(node)
        assert display is not None
        kind, items = display
        if len(items) == 1:
            return _replaced(node, "{}" if kind == "dict" else "set()")
        inner = node.children[1]
        dropped = {id(part) for part in items[index]}
        kept: list[Any] = []
        skip_comma = False
        for part in inner.children:
            if id(part) in dropped:
                skip_comma = True
                continue
            if skip_comma and part.type == "operator" and part.value == ",":
                skip_comma = False
                continue
            kept.append(part)
        if (
            kept
            and kept[-1].type == "operator"
            and kept[-1].value == ","
            and index == len(items) - 1
        ):
            kept.pop()  # the last entry went: drop the comma before it instead
        inner.children = kept
        return node

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (
            Example("x = {A.B, A.C}", "x = { A.C}"),
            Example("x = {A.B}", "x = set()"),
            Example("x = {1: 2, 3: 4}", "x = {1: 2}", occurrence=1),
        )


class SwapMember(Operator):  # type: ignore[misc]
    """Replace an `Enum.MEMBER` element of a set, or value of a dict, by another member."""

    def _swaps(self, node: Any) -> list[tuple[Any, str]]:
        display = _display_items(node)
        if display is None:
            return []
        kind, items = display
        swaps: list[tuple[Any, str]] = []
        present = {m for item in items if (m := _member(item[-1]))}
        named: dict[str, list[str]] = {}
        for item in items:
            member = _member(item[-1])
            if member is None:
                continue
            base, name = member
            if base not in named:
                named[base] = _members_named(node.get_root_node(), base)
            for other in named[base]:
                if other == name or (kind == "set" and (base, other) in present):
                    continue
                swaps.append((item[-1].children[1].children[1], other))
        return swaps

    def mutation_positions(self, node: Any) -> Iterator[tuple[Any, Any]]:
        for _ in self._swaps(node):
            yield (node.start_pos, node.end_pos)

    def mutate(self, node: Any, index: int) -> Any:
        leaf, other = self._swaps(node)[index]
        leaf.value = other
        return node

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("x = {A.B}\ny = A.C", "x = {A.C}\ny = A.C"),)


class _Provider:
    _operators: dict[str, type[Operator]] = {"DropMember": DropMember, "SwapMember": SwapMember}

    def __iter__(self) -> Iterator[str]:
        return iter(self._operators)

    def __getitem__(self, name: str) -> type[Operator]:
        return self._operators[name]


cosmic_ray.plugins.OPERATOR_PROVIDERS["edunode"] = _Provider()


# -- mutants ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutant:
    module: str  # relative to the root
    operator: str
    occurrence: int
    line: int
    before: str
    after: str

    def key(self) -> tuple[str, str, str]:
        return (self.module, self.before, self.after)

    def describe(self) -> str:
        return f"{self.module}:{self.line} [{self.operator}] {self.before}  ->  {self.after}"


def _operators() -> Iterator[tuple[str, Operator]]:
    for name in cosmic_ray.plugins.operator_names():
        operator_class = cosmic_ray.plugins.get_operator(name)
        if operator_class.arguments():  # VariableReplacer/Inserter need a named variable
            continue
        yield name, operator_class()


def _in_signature(node: Any) -> bool:
    """Whether `node` is a type annotation or a parameter marker (`*`, `/`) of a signature."""
    marker = node.type == "operator" and node.value in ("*", "/", "**")
    if marker and node.parent is not None and node.parent.type in ("parameters", "param"):
        return True
    child, parent = node, node.parent
    while parent is not None:
        if parent.type == "tfpdef" and parent.children[-1] is child:
            return True
        if parent.type == "annassign" and parent.children[1] is child:
            return True
        if parent.type == "funcdef":
            values = [getattr(c, "value", "") for c in parent.children]
            if "->" in values and parent.children[values.index("->") + 1] is child:
                return True
        child, parent = parent, parent.parent
    return False


def _change(original: str, mutated: str) -> tuple[int, str, str]:
    """(first changed line, old text, new text) of a mutation, whitespace-normalised."""
    a, b = original.splitlines(), mutated.splitlines()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            before = " ".join(line.strip() for line in a[i1:i2])
            after = " ".join(line.strip() for line in b[j1:j2])
            return i1 + 1, " ".join(before.split()), " ".join(after.split())
    return 0, "", ""


def mutants(root: Path, module: str) -> list[Mutant]:
    path = root / module
    source = path.read_text(encoding="utf-8")
    tree = get_ast_from_path(path)
    found: list[Mutant] = []
    for name, operator in _operators():
        occurrence = 0
        for node in ast_nodes(tree):
            for _ in operator.mutation_positions(node):
                if not _in_signature(node):
                    mutated = MutationVisitor.mutate_code(source, operator, occurrence)
                    if mutated is not None and mutated != source:
                        line, before, after = _change(source, mutated)
                        found.append(Mutant(module, name, occurrence, line, before, after))
                occurrence += 1
    return found


# -- running ------------------------------------------------------------------------------------


def _copy_tree(destination: Path) -> Path:
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "*.egg-info"
    )
    shutil.copytree(ROOT, destination, ignore=ignore, dirs_exist_ok=True)
    return destination


def _pytest(root: Path, tests: Sequence[str], timeout: float) -> tuple[bool, str]:
    """(passed, output) of the tests on the tree at `root`; a timeout counts as a failure."""
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONDONTWRITEBYTECODE="1")
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-x",
        "-q",
        "--noconftest",
        "-p",
        "no:cacheprovider",
        "-W",
        "ignore::pytest.PytestConfigWarning",
        *tests,
    ]
    try:
        done = subprocess.run(
            command, cwd=root, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return False, "timeout"
    return done.returncode == 0, done.stdout + done.stderr


@dataclass
class Equivalent:
    module: str
    before: str
    after: str
    reason: str
    used: bool = False


def load_equivalents(path: Path = EQUIVALENTS) -> dict[tuple[str, str, str], Equivalent]:
    if not path.exists():
        return {}
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("equivalent", [])
    table: dict[tuple[str, str, str], Equivalent] = {}
    for entry in entries:
        equivalent = Equivalent(entry["module"], entry["before"], entry["after"], entry["reason"])
        table[(equivalent.module, equivalent.before, equivalent.after)] = equivalent
    return table


@dataclass
class Score:
    module: str
    killed: int = 0
    survived: int = 0
    equivalent: int = 0

    @property
    def percent(self) -> float:
        counted = self.killed + self.survived
        return 100.0 * self.killed / counted if counted else 100.0


def run_module(
    root: Path,
    module: str,
    tests: Sequence[str],
    equivalents: dict[tuple[str, str, str], Equivalent],
) -> Score:
    score = Score(module)
    started = time.monotonic()
    passed, output = _pytest(root, tests, timeout=600)
    if not passed:
        raise SystemExit(f"{module}: the tests fail without any mutation:\n{output}")
    timeout = max(30.0, 10 * (time.monotonic() - started))
    found = mutants(root, module)
    print(f"{module}: {len(found)} mutants, tests: {' '.join(tests)}", flush=True)
    survivors: list[Mutant] = []
    for number, mutant in enumerate(found, 1):
        equivalent = equivalents.get(mutant.key())
        if equivalent is not None:
            equivalent.used = True
            score.equivalent += 1
            continue
        path = root / module
        original = path.read_text(encoding="utf-8")
        operator = cosmic_ray.plugins.get_operator(mutant.operator)()
        try:
            path.write_text(
                MutationVisitor.mutate_code(original, operator, mutant.occurrence), encoding="utf-8"
            )
            passed, _ = _pytest(root, tests, timeout)
        finally:
            path.write_text(original, encoding="utf-8")
        if passed:
            score.survived += 1
            survivors.append(mutant)
            print(f"  [{number}/{len(found)}] SURVIVED {mutant.describe()}", flush=True)
        else:
            score.killed += 1
        if number % 25 == 0:
            print(f"  [{number}/{len(found)}] {time.monotonic() - started:.0f} s", flush=True)
    print(
        f"{module}: killed {score.killed}, survived {score.survived}, "
        f"equivalent (excluded) {score.equivalent}, score {score.percent:.1f} %",
        flush=True,
    )
    return score


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("modules", nargs="*", help="paths relative to the repository root")
    parser.add_argument(
        "--tests", help='pytest arguments, e.g. "tests/x/test_y.py -k rule" (default: MODULE_TESTS)'
    )
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--threshold", type=float, default=90.0)
    args = parser.parse_args(argv)
    modules = args.modules or list(MODULE_TESTS)
    if args.list:
        for module in modules:
            for mutant in mutants(ROOT, module):
                print(mutant.describe())
        return 0
    # A SIGTERM unwinds like Ctrl-C: the mutated copy is removed, the worktree was never touched.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    equivalents = load_equivalents()
    scores: list[Score] = []
    with tempfile.TemporaryDirectory(prefix="edunode-mutation-") as scratch:
        root = _copy_tree(Path(scratch) / "tree")
        for module in modules:
            tests = shlex.split(args.tests) if args.tests else MODULE_TESTS.get(module)
            if not tests:
                parser.error(f"no tests mapped to {module}: give --tests")
            scores.append(run_module(root, module, tests, equivalents))
    for equivalent in equivalents.values():
        if equivalent.module in modules and not equivalent.used:
            print(f"stale equivalent (no such mutant): {equivalent.module}: {equivalent.before}")
    print("\nmodule                                           killed survived equiv  score")
    for score in scores:
        print(
            f"{score.module:<48} {score.killed:>6} {score.survived:>8} {score.equivalent:>5} "
            f"{score.percent:>5.1f} %"
        )
    return 0 if all(score.percent >= args.threshold for score in scores) else 1


if __name__ == "__main__":
    sys.exit(main())
