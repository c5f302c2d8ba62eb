"""The file by which a running ``yacang serve`` announces itself to CLI commands of the same home."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

SERVER_FILE = "server.json"


@dataclass(frozen=True)
class ServerInfo:
    host: str
    port: int
    pid: int
    token: str  # the job token: lets local CLI commands submit jobs; readable only by the home's owner

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "", "::") else self.host
        return f"http://{host}:{self.port}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def write_server_file(home: Path, info: ServerInfo) -> Path:
    """Write the file with mode 0600 (created so, never world-readable even for a moment)."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / SERVER_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(info), fh)
    os.chmod(path, 0o600)
    return path


def read_server_file(home: Path) -> ServerInfo | None:
    """The live server of this home, or None (no file, or its process is gone: the stale file is removed)."""
    path = home / SERVER_FILE
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    info = ServerInfo(host=str(data["host"]), port=int(data["port"]), pid=int(data["pid"]), token=str(data["token"]))
    if not _alive(info.pid):
        path.unlink(missing_ok=True)
        return None
    return info


def remove_server_file(home: Path, pid: int | None = None) -> None:
    """Remove the file if it is ours (``pid``) or whoever wrote it."""
    path = home / SERVER_FILE
    if not path.exists():
        return
    if pid is not None:
        data = json.loads(path.read_text(encoding="utf-8"))
        if int(data.get("pid", -1)) != pid:
            return
    path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's
        return True
    return True
