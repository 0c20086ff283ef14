"""Checking, before a node starts anything, that every TCP port it will listen on is free, and
naming who holds one that is not (Linux: from /proc)."""

from __future__ import annotations

import contextlib
import errno
import os
import socket
from collections.abc import Mapping
from pathlib import Path

_TCP_LISTEN = "0A"  # the state column of /proc/net/tcp for a listening socket


class PortUnavailable(RuntimeError):
    """One or more of the ports a node needs are taken, or not ones it may listen on."""


def port_holders(port: int) -> list[str]:
    """The processes listening on TCP `port`, as `pid 123 (name)`, found through /proc: the
    socket's inode in /proc/net/tcp{,6}, then the process with a descriptor on it. Empty when
    not determinable (another user's process, or no /proc)."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if local_port == port and fields[3] == _TCP_LISTEN:
                    inodes.add(fields[9])
    if not inodes:
        return []
    targets = {f"socket:[{inode}]" for inode in inodes}
    holders: list[str] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            descriptors = os.listdir(entry / "fd")
        except OSError:  # gone, or not ours to read
            continue
        for descriptor in descriptors:
            try:
                link = os.readlink(entry / "fd" / descriptor)
            except OSError:
                continue
            if link in targets:
                try:
                    name = (entry / "comm").read_text().strip()
                except OSError:
                    name = "?"
                holders.append(f"pid {entry.name} ({name})")
                break
    return holders


def bind_error(host: str, port: int) -> OSError | None:
    """Why a server could not listen on `host:port` now, or None if it could (bound as uvicorn
    and nats-server bind, with SO_REUSEADDR: a port left in TIME_WAIT counts as free)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            return error
    return None


def check_ports(host: str, needed: Mapping[int, str]) -> None:
    """Raise `PortUnavailable` naming each port of `needed` (port → who needs it) that is taken on
    `host`, and the process holding it where that can be found."""
    problems = []
    for port, user in sorted(needed.items()):
        error = bind_error(host, port)
        if error is None:
            continue
        if error.errno != errno.EADDRINUSE:  # not permitted, or not an address of this host
            problems.append(f"port {port} ({user}) cannot be listened on at {host}: {error}")
            continue
        holders = port_holders(port)
        held_by = f"held by {', '.join(holders)}" if holders else "held by another process"
        problems.append(f"port {port} ({user}) is already in use on {host}, {held_by}")
    if problems:
        raise PortUnavailable("cannot start: " + "; ".join(problems))
