"""The file by which a running ``yacang serve`` announces itself to CLI commands of the same home.

The file carries the job token, so it is trusted only when it is a regular file owned by this user and
readable by nobody else; anything else is refused (fail closed: the command neither sends the token nor
runs beside a server that may hold the warehouse). A file whose process is gone (or a zombie: killed, not yet
reaped), or whose process id now belongs to another program (the server crashed and the id was reused), is
stale and removed.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from dataclasses import asdict, dataclass
from pathlib import Path

SERVER_FILE = "server.json"


class ServiceError(RuntimeError):
    """The server could not be used: not reachable, refused the job, or not to be trusted (Chinese message)."""


class ServerFileError(ServiceError):
    """A server file that cannot be trusted or read (Chinese message)."""


@dataclass(frozen=True)
class ServerInfo:
    host: str
    port: int
    pid: int
    token: str  # the job token: lets local CLI commands submit jobs; readable only by the home's owner
    started: str | None = None  # the process's start time (``/proc``), to tell a reused process id

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "", "::") else self.host
        return f"http://{host}:{self.port}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def process_start(pid: int) -> str | None:
    """The start time of process ``pid`` in clock ticks since boot (Linux ``/proc``), or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    fields = text.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else None  # field 22 of stat; the first two precede ")"


def write_server_file(home: Path, info: ServerInfo) -> Path:
    """Write the file with mode 0600, created so (never readable by others even for a moment) and only if
    there is none: of two servers started together on one home, the second gets :class:`FileExistsError`."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / SERVER_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(info), fh)
    os.chmod(path, 0o600)
    return path


def read_server_file(home: Path) -> ServerInfo | None:
    """The live server of this home, or None (no file, or a stale one, which is removed).

    Raises :class:`ServerFileError` for a file that is not this user's own, is readable or writable by
    others, or cannot be read."""
    path = home / SERVER_FILE
    try:
        st = path.lstat()
    except FileNotFoundError:
        return None
    _check_trusted(path, st)
    info = _parse(path)
    if not _alive(info.pid) or (info.started is not None and process_start(info.pid) not in (None, info.started)):
        path.unlink(missing_ok=True)
        return None
    return info


def _check_trusted(path: Path, st: os.stat_result) -> None:
    advice = "请确认没有其他用户改动该数据目录，停止 yacang serve，删除该文件后重新启动服务。"
    if not stat.S_ISREG(st.st_mode):
        raise ServerFileError(f"{path} 不是普通文件（可能是链接），出于安全考虑不予使用。{advice}")
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise ServerFileError(f"{path} 属于另一个用户（uid {st.st_uid}），不是本用户的服务写入的，"
                              f"出于安全考虑不予使用。{advice}")
    if st.st_mode & 0o077:
        raise ServerFileError(f"{path} 的权限为 {stat.S_IMODE(st.st_mode):04o}，其他用户可读写其中的作业令牌，"
                              f"出于安全考虑不予使用（应为 0600）。{advice}")


def _parse(path: Path) -> ServerInfo:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        started = data.get("started")
        return ServerInfo(host=str(data["host"]), port=int(data["port"]), pid=int(data["pid"]),
                          token=str(data["token"]), started=None if started is None else str(started))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ServerFileError(f"无法读取服务文件 {path}（{exc}）。若 yacang serve 已停止，请删除该文件后重试；"
                              "若服务仍在运行，请重启服务。") from None


def remove_server_file(home: Path, pid: int | None = None) -> None:
    """Remove the file if it is ours (``pid``) or whoever wrote it; a file of another process, or one that
    cannot be read, is left alone."""
    path = home / SERVER_FILE
    if not path.exists():
        return
    if pid is not None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if int(data.get("pid", -1)) != pid:
                return
        except (OSError, ValueError, TypeError, AttributeError):
            return
    path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False  # 0 and negative ids name process groups, not a server
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's
        return True
    return _state(pid) != "Z"  # a zombie (killed, not yet reaped by its parent) serves nothing


def _state(pid: int) -> str | None:
    """The process's state letter from ``/proc`` (R, S, Z …), or None where there is no ``/proc``."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    fields = text.rsplit(")", 1)[-1].split()
    return fields[0] if fields else None
