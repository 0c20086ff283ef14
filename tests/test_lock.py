"""The lock files agree with pyproject.toml, and every install goes through them.

`make lock` writes `requirements.lock` (every dependency, the development tools too: what `make`
installs) and `requirements-runtime.lock` (the runtime ones: what the image installs). A change
to pyproject.toml that was not followed by `make lock` fails here.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
FULL_LOCK = ROOT / "requirements.lock"
RUNTIME_LOCK = ROOT / "requirements-runtime.lock"

_PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)(?:\s*;\s*(?P<marker>[^\\]+?))?\s*\\?$"
)
_HASH = re.compile(r"^\s+--hash=sha256:[0-9a-f]{64}\b")
# uv's annotation of why a package is locked: `# via NAME` or `# via` then `#   NAME` lines.
_VIA = re.compile(r"^\s+#\s+(?:via\s+)?(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*$")

# The platform the lock is made for and the image runs on (`make lock`: Python 3.11 and up).
LINUX_CPYTHON_311 = {
    "python_version": "3.11",
    "python_full_version": "3.11.0",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "os_name": "posix",
    "platform_python_implementation": "CPython",
    "implementation_name": "cpython",
    "platform_machine": "x86_64",
}


@dataclass
class Pin:
    version: str
    marker: Marker | None = None
    hashes: int = 0
    # The locked packages that require it (`-c` constraint files are not packages).
    via: set[NormalizedName] = field(default_factory=set)

    def on_linux(self) -> bool:
        """Installed on the platform the image runs on (Linux, CPython 3.11)."""
        return self.marker is None or self.marker.evaluate(LINUX_CPYTHON_311)


@dataclass
class Lock:
    pins: dict[NormalizedName, Pin] = field(default_factory=dict)


def read_lock(path: Path) -> Lock:
    lock = Lock()
    current: Pin | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        pin = _PIN.match(line)
        if pin:
            marker = Marker(pin["marker"]) if pin["marker"] else None
            current = Pin(pin["version"], marker)
            lock.pins[canonicalize_name(pin["name"])] = current
        elif current is not None and _HASH.match(line):
            current.hashes += 1
        elif current is not None and (via := _VIA.match(line)) and via["name"] != "via":
            current.via.add(canonicalize_name(via["name"]))
    return lock


def project() -> dict[str, list[Requirement]]:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        meta = tomllib.load(fh)["project"]
    return {
        "runtime": [Requirement(r) for r in meta["dependencies"]],
        "dev": [Requirement(r) for r in meta["optional-dependencies"]["dev"]],
    }


def assert_pinned(lock: Lock, requirements: list[Requirement], lock_name: str) -> None:
    for req in requirements:
        name = canonicalize_name(req.name)
        assert name in lock.pins, f"{req} is not in {lock_name}: run `make lock`"
        version = lock.pins[name].version
        assert req.specifier.contains(version, prereleases=True), (
            f"{lock_name} pins {req.name}=={version}, outside {req.specifier}: run `make lock`"
        )


def test_every_dependency_in_pyproject_is_pinned_in_the_lock() -> None:
    deps = project()
    assert_pinned(read_lock(FULL_LOCK), deps["runtime"] + deps["dev"], FULL_LOCK.name)


def test_the_runtime_lock_pins_the_runtime_dependencies_at_the_tested_versions() -> None:
    deps = project()
    full, runtime = read_lock(FULL_LOCK), read_lock(RUNTIME_LOCK)
    assert_pinned(runtime, deps["runtime"], RUNTIME_LOCK.name)
    for name, pin in runtime.pins.items():
        assert name in full.pins, f"{name} is in {RUNTIME_LOCK.name} only: run `make lock`"
        assert pin.version == full.pins[name].version, (
            f"{name}: {pin.version} in the image, {full.pins[name].version} in the tests"
        )
    runtime_names = {canonicalize_name(r.name) for r in deps["runtime"]}
    dev_only = {canonicalize_name(r.name) for r in deps["dev"]} - runtime_names
    # A library both a development tool and a runtime dependency need (`packaging`, required
    # by opentelemetry-instrumentation) belongs in the image; one only the tools need does not.
    in_image = {name for name in dev_only & runtime.pins.keys() if not runtime.pins[name].via}
    assert not in_image, f"a development tool is in the image's lock: {sorted(in_image)}"


def test_every_pin_carries_its_hashes() -> None:
    # pip installs a lock with hashes in hash-checking mode: one pin without them fails it all.
    for path in (FULL_LOCK, RUNTIME_LOCK):
        lock = read_lock(path)
        assert lock.pins
        assert not [name for name, pin in lock.pins.items() if not pin.hashes], path.name


def test_the_extras_asked_for_are_locked_and_installed() -> None:
    """`uvicorn[standard]` and `sqlalchemy[asyncio]` bring packages of their own: each is
    pinned too (read from the installed distribution, which `make` installs from the lock)."""
    full = read_lock(FULL_LOCK)
    deps = project()
    asked = [r for r in deps["runtime"] + deps["dev"] if r.extras]
    assert asked
    for req in asked:
        name = canonicalize_name(req.name)
        assert metadata.version(req.name) == full.pins[name].version, "run `make install`"
        for line in metadata.requires(req.name) or []:
            dependency = Requirement(line)
            if dependency.marker is None:
                continue  # a plain dependency: the resolver's, checked by `pip check`
            plain = dependency.marker.evaluate({**LINUX_CPYTHON_311, "extra": ""})
            wanted = any(
                dependency.marker.evaluate({**LINUX_CPYTHON_311, "extra": extra})
                for extra in req.extras
            )
            if wanted and not plain:
                assert canonicalize_name(dependency.name) in full.pins, (
                    f"{dependency.name}, of {req.name}[{','.join(sorted(req.extras))}], "
                    "is not in the lock: run `make lock`"
                )


def test_the_image_installs_only_what_the_runtime_lock_pins() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    installs = [line for line in dockerfile.splitlines() if "pip install" in line]
    assert installs
    for line in installs:
        assert "--require-hashes -r requirements-runtime.lock" in line or "--no-deps" in line, line


def test_make_installs_from_the_lock() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [
        line for line in makefile.splitlines() if re.search(r"\binstall\b.*\s(-r|-e)\s", line)
    ]
    assert installs
    for line in installs:
        # The SDK's generator has a lock of its own (`make sdk`, its own venv).
        locked = re.search(r"--require-hashes -r requirements(-sdk)?\.lock", line)
        assert locked or "--no-deps" in line, line
