"""A throwaway local PostgreSQL server from Debian's binaries, for tests.

``initdb`` refuses to run as root, so under root (as in CI) the server runs as the ``postgres`` system
user (created by Debian's postgresql package) through ``runuser``. The cluster lives in a temp dir,
listens on 127.0.0.1 at a free port with trust authentication, and is removed afterwards.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    preferred = [p for p in found if "/15/" in p] or found
    return Path(preferred[-1]).parent if preferred else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_server(dbname: str = "yacang_test") -> Iterator[str]:
    """Start a server, create ``dbname``, yield its SQLAlchemy URL (psycopg 3), stop and clean up."""
    bins = bindir()
    if bins is None:
        raise RuntimeError("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)")
    tmp = Path(tempfile.mkdtemp(prefix="yacang-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data, log, port = tmp / "data", tmp / "server.log", free_port()
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    subprocess.run([*prefix, str(bins / "initdb"), "-D", str(data), "-U", "yacang", "--auth=trust", "-E", "UTF8",
                    "--no-sync"], check=True, capture_output=True, env=env)
    opts = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    subprocess.run([*prefix, str(bins / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(log), "-w", "start"],
                   check=True, capture_output=True, env=env)
    try:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=port, user="yacang", dbname="postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{dbname}"')
        yield f"postgresql+psycopg://yacang@127.0.0.1:{port}/{dbname}"
    finally:
        subprocess.run([*prefix, str(bins / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, env=env)
        shutil.rmtree(tmp, ignore_errors=True)
