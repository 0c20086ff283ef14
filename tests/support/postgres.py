"""A throwaway PostgreSQL cluster for tests: initdb into a temporary directory, run, remove.

The server binaries come from the machine (`initdb` on PATH, or `/usr/lib/postgresql/*/bin`),
else from the `pgserver` package (a dev dependency that bundles them), so a fresh CI machine needs
nothing installed by hand. When nothing can be found or started, `start()` raises: tests that
need PostgreSQL fail loudly instead of being skipped.

PostgreSQL refuses to run as root. When the tests run as root (containers, CI), `initdb` and
`postgres` are run as an unprivileged user (`nobody` by default) that is given the temporary
directory; clients (psql, asyncpg) still run as root, over TCP or the socket in that directory.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import pwd
import re
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

from edunode.natsserver import find_free_port

__all__ = [
    "PostgresCluster",
    "PostgresClusterError",
    "find_postgres_bin_dir",
]

_REQUIRED_BINARIES = ("initdb", "postgres", "psql")
_DATABASE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


class PostgresClusterError(RuntimeError):
    """The throwaway cluster could not be found, initialised, started or used."""


def _has_binaries(bin_dir: Path) -> bool:
    return all(os.access(bin_dir / name, os.X_OK) for name in _REQUIRED_BINARIES)


def _version_key(bin_dir: Path) -> tuple[int, str]:
    version = bin_dir.parent.name
    return (int(version) if version.isdigit() else -1, version)


def _pgserver_bin_dir() -> Path | None:
    # Located without importing pgserver: its import creates lock files and registers atexit hooks.
    spec = importlib.util.find_spec("pgserver")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "pginstall" / "bin"


def find_postgres_bin_dir() -> Path:
    """Return a directory holding `initdb`, `postgres` and `psql`.

    Looked for in order: the directory `initdb` on PATH really lives in, the newest
    `/usr/lib/postgresql/<version>/bin`, and the binaries bundled with the `pgserver` package.
    """
    candidates: list[Path] = []
    on_path = shutil.which("initdb")
    if on_path is not None:
        candidates.append(Path(on_path).resolve().parent)
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True)
    bundled = _pgserver_bin_dir()
    if bundled is not None:
        candidates.append(bundled)
    for candidate in candidates:
        if _has_binaries(candidate):
            return candidate
    tried = ", ".join(str(c) for c in candidates) or "nothing"
    raise PostgresClusterError(
        f"no PostgreSQL server binaries ({', '.join(_REQUIRED_BINARIES)}) found; tried {tried}. "
        "Install PostgreSQL, or the dev extras (`pip install -e '.[dev]'`, which bring pgserver)."
    )


def _reachable_by(path: Path, uid: int, gid: int) -> bool:
    """Whether `uid` can traverse every directory from / down to `path`."""
    for directory in [path, *path.parents]:
        info = directory.stat()
        if info.st_uid == uid:
            allowed = info.st_mode & stat.S_IXUSR
        elif info.st_gid == gid:
            allowed = info.st_mode & stat.S_IXGRP
        else:
            allowed = info.st_mode & stat.S_IXOTH
        if not allowed:
            return False
    return True


class PostgresCluster:
    """A PostgreSQL server in its own temporary directory, for one test session or module.

    `start()` runs initdb (trust authentication, UTF8, superuser `postgres`) and starts the
    server on 127.0.0.1 at a free port, with its unix socket inside the temporary directory and
    durability switched off (fsync=off) for speed. `stop()` stops it and deletes the directory.
    """

    def __init__(
        self,
        *,
        bin_dir: Path | None = None,
        base_dir: Path | None = None,
        run_as: str = "nobody",
        superuser: str = "postgres",
        settings: Mapping[str, str] | None = None,
        start_timeout: float = 30.0,
        stop_timeout: float = 10.0,
    ) -> None:
        """Describe the cluster; nothing runs until `start()`.

        `bin_dir` overrides binary discovery, `base_dir` where the temporary directory goes,
        `run_as` the user the server runs as when the caller is root, and `settings` adds
        `postgres -c name=value` options.
        """
        self.host = "127.0.0.1"
        self.superuser = superuser
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self._bin_dir = bin_dir
        self._base_dir = base_dir
        self._run_as = run_as
        self._settings = dict(settings or {})
        self._root: Path | None = None
        self._port: int | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    # -- where it is -------------------------------------------------------------------------

    @property
    def bin_dir(self) -> Path:
        """The directory the server binaries are taken from."""
        if self._bin_dir is None:
            self._bin_dir = find_postgres_bin_dir()
        elif not _has_binaries(self._bin_dir):
            raise PostgresClusterError(
                f"bin_dir {self._bin_dir} lacks one of {', '.join(_REQUIRED_BINARIES)}"
            )
        return self._bin_dir

    @property
    def root(self) -> Path:
        """The temporary directory holding data, socket and log."""
        if self._root is None:
            raise PostgresClusterError("the cluster has not been started")
        return self._root

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "sockets"

    @property
    def log_path(self) -> Path:
        return self.root / "postgres.log"

    @property
    def port(self) -> int:
        if self._port is None:
            raise PostgresClusterError("the cluster has not been started")
        return self._port

    @property
    def pid(self) -> int | None:
        """The postmaster's process id while running, else None."""
        return self._process.pid if self.is_running() and self._process else None

    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def url_for(self, dbname: str) -> str:
        """The SQLAlchemy URL of database `dbname`, for `create_async_engine`."""
        return f"postgresql+asyncpg://{self.superuser}@{self.host}:{self.port}/{dbname}"

    # -- life cycle --------------------------------------------------------------------------

    def start(self) -> None:
        """Initialise a new cluster in a temporary directory and start it.

        Raises `PostgresClusterError` with the tool's output or the server log on any failure.
        """
        if self.is_running():
            raise PostgresClusterError(f"already running (pid {self.pid})")
        bin_dir = self.bin_dir
        self._root = Path(tempfile.mkdtemp(prefix="edunode-pg-", dir=self._base_dir))
        atexit.register(self.stop)
        try:
            self.socket_dir.mkdir()
            credentials = self._server_credentials()
            self._initdb(bin_dir, credentials)
            self._port = find_free_port(self.host)
            self._launch(bin_dir, credentials)
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the server (fast shutdown, escalating) and delete the temporary directory."""
        process = self._process
        if process is not None and process.poll() is None:
            # SIGINT is PostgreSQL's "fast" shutdown; SIGQUIT its "immediate" one.
            for sig, wait in ((signal.SIGINT, self.stop_timeout), (signal.SIGQUIT, 5.0)):
                process.send_signal(sig)
                try:
                    process.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
            else:
                process.kill()
                process.wait()
        self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = None
        self._port = None
        atexit.unregister(self.stop)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- databases ---------------------------------------------------------------------------

    def create_database(self, name: str) -> str:
        """Create database `name` and return its `postgresql+asyncpg://` URL."""
        self._psql(f'CREATE DATABASE "{_checked_name(name)}"')
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        """Drop database `name` if it exists, disconnecting anyone still connected."""
        self._psql(f'DROP DATABASE IF EXISTS "{_checked_name(name)}" WITH (FORCE)')

    # -- internals ---------------------------------------------------------------------------

    def _server_credentials(self) -> dict[str, Any]:
        """Popen arguments that drop root for initdb and postgres, which refuse to run as root."""
        if os.geteuid() != 0:
            return {}
        try:
            user = pwd.getpwnam(self._run_as)
        except KeyError:
            raise PostgresClusterError(
                f"running as root, and PostgreSQL refuses root; the user {self._run_as!r} it "
                "would run as does not exist (pass run_as=<an unprivileged user>)"
            ) from None
        uid, gid = user.pw_uid, user.pw_gid
        for path in (self.root, self.socket_dir):
            os.chown(path, uid, gid)
        for path in (self.root, self.bin_dir):
            if not _reachable_by(path, uid, gid):
                raise PostgresClusterError(
                    f"running as root, so PostgreSQL runs as {self._run_as!r}, who cannot reach "
                    f"{path}; pass base_dir=/tmp (or bin_dir=) to a place it can reach"
                )
        return {"user": uid, "group": gid, "extra_groups": []}

    def _initdb(self, bin_dir: Path, credentials: Mapping[str, Any]) -> None:
        command = [
            str(bin_dir / "initdb"),
            "--pgdata",
            str(self.data_dir),
            "--username",
            self.superuser,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        ]
        result = subprocess.run(
            command,
            cwd=self.root,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=self.start_timeout,
            check=False,
            **credentials,
        )
        if result.returncode != 0:
            raise PostgresClusterError(
                f"initdb failed with code {result.returncode}: {' '.join(command)}\n"
                f"{result.stdout}\n{result.stderr}"
            )

    def _launch(self, bin_dir: Path, credentials: Mapping[str, Any]) -> None:
        settings = {
            "listen_addresses": self.host,
            "port": str(self.port),
            "unix_socket_directories": str(self.socket_dir),
            # A test cluster is thrown away: durability only costs time.
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            **self._settings,
        }
        command = [str(bin_dir / "postgres"), "-D", str(self.data_dir)]
        for name, value in settings.items():
            command += ["-c", f"{name}={value}"]
        self._log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            command,
            cwd=self.root,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            **credentials,
        )

    def _wait_until_ready(self) -> None:
        # The postmaster writes "ready" as the 8th line of postmaster.pid once it accepts
        # connections.
        pid_file = self.data_dir / "postmaster.pid"
        deadline = time.monotonic() + self.start_timeout
        while True:
            assert self._process is not None
            code = self._process.poll()
            if code is not None:
                raise PostgresClusterError(
                    f"postgres exited with code {code} during start\n{self._log_tail()}"
                )
            try:
                lines = pid_file.read_text().splitlines()
            except FileNotFoundError:
                lines = []
            if len(lines) >= 8 and lines[7].strip() == "ready":
                return
            if time.monotonic() > deadline:
                raise PostgresClusterError(
                    f"postgres not ready after {self.start_timeout}s\n{self._log_tail()}"
                )
            time.sleep(0.02)

    def _psql(self, sql: str) -> None:
        command = [
            str(self.bin_dir / "psql"),
            "--no-psqlrc",
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            f"--host={self.socket_dir}",
            f"--port={self.port}",
            f"--username={self.superuser}",
            "--dbname=postgres",
            f"--command={sql}",
        ]
        result = subprocess.run(
            command, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise PostgresClusterError(f"{sql!r} failed: {result.stderr.strip()}")

    def _log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return f"(no log at {self.log_path})"
        tail = "\n".join(text.splitlines()[-lines:])
        return f"--- last lines of {self.log_path} ---\n{tail}"


def _checked_name(name: str) -> str:
    if not _DATABASE_NAME.fullmatch(name):
        raise ValueError(f"database name {name!r} must match {_DATABASE_NAME.pattern}")
    return name
