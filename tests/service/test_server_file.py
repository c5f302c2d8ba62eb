"""The server file: trusted only when it is this user's own and private; a stale one (its process gone or
its process id reused after a crash) is removed; two servers cannot both announce themselves."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from yacang.service.server_file import ServerFileError, ServerInfo, read_server_file, write_server_file

CLI = [sys.executable, "-c", "from yacang.cli import main; main()"]


def _own_start_time() -> str:
    """This process's start time in clock ticks since boot: field 22 of /proc/self/stat."""
    stat = Path(f"/proc/{os.getpid()}/stat").read_text()
    return stat[stat.rindex(")") + 2:].split(" ")[19]


def _write(home: Path, data: dict, mode: int = 0o600) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "server.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    path.chmod(mode)
    return path


def test_a_server_file_others_can_read_is_refused_and_kept(tmp_path):
    path = _write(tmp_path, {"host": "127.0.0.1", "port": 8000, "pid": os.getpid(), "token": "t"}, 0o644)
    with pytest.raises(ServerFileError, match="0644"):
        read_server_file(tmp_path)
    assert path.exists()


def test_a_server_file_of_another_user_is_refused(tmp_path):
    if os.getuid() != 0:
        pytest.skip("changing a file's owner needs root (CI runs as root)")
    path = _write(tmp_path, {"host": "127.0.0.1", "port": 8000, "pid": os.getpid(), "token": "t"})
    os.chown(path, 65534, 65534)
    with pytest.raises(ServerFileError, match="uid 65534"):
        read_server_file(tmp_path)


def test_a_corrupt_server_file_is_a_chinese_error(tmp_path):
    (tmp_path / "server.json").write_text("{bad", encoding="utf-8")
    (tmp_path / "server.json").chmod(0o600)
    with pytest.raises(ServerFileError, match="无法读取服务文件"):
        read_server_file(tmp_path)


def test_a_reused_process_id_makes_the_file_stale(tmp_path):
    # this test's process is alive, but it is not the process that wrote the file (start time differs)
    write_server_file(tmp_path, ServerInfo("127.0.0.1", 8000, os.getpid(), "t", started="1"))
    assert read_server_file(tmp_path) is None
    assert not (tmp_path / "server.json").exists()
    # the same process id with its own start time is the live server
    write_server_file(tmp_path, ServerInfo("127.0.0.1", 8000, os.getpid(), "t", started=_own_start_time()))
    assert read_server_file(tmp_path) == ServerInfo("127.0.0.1", 8000, os.getpid(), "t", started=_own_start_time())


def test_a_second_server_cannot_overwrite_the_first_ones_file(tmp_path):
    write_server_file(tmp_path, ServerInfo("127.0.0.1", 8000, os.getpid(), "first"))
    with pytest.raises(FileExistsError):
        write_server_file(tmp_path, ServerInfo("127.0.0.1", 8001, os.getpid(), "second"))
    assert json.loads((tmp_path / "server.json").read_text())["token"] == "first"


def test_a_cli_command_after_a_crash_runs_here_at_once(tmp_path):
    """server.json left by a crashed server whose process id now belongs to another process (here pid 1):
    the command runs in its own process, without waiting for a server that is not there."""
    home = tmp_path / "home"
    _write(home, {"host": "127.0.0.1", "port": 9, "pid": 1, "token": "t", "started": "-1"})
    env = {**os.environ, "YACANG_HOME": str(home)}
    r = subprocess.run([*CLI, "series", "list"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert "由服务执行" not in r.stderr and "无法连接" not in r.stderr
    assert not (home / "server.json").exists()


def test_serve_refuses_an_untrusted_server_file_without_a_traceback(tmp_path):
    home = tmp_path / "home"
    _write(home, {"host": "127.0.0.1", "port": 9, "pid": os.getpid(), "token": "t"}, 0o666)
    env = {**os.environ, "YACANG_HOME": str(home)}
    r = subprocess.run([*CLI, "serve", "--port", "9"], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 1
    assert "0666" in r.stderr and "Traceback" not in r.stderr


def test_serve_on_a_port_in_use_says_so_and_announces_nothing(tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "YACANG_HOME": str(home)}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = subprocess.run([*CLI, "serve", "--port", str(port)], cwd=tmp_path, env=env, capture_output=True,
                           text=True, timeout=120)
    assert r.returncode == 1
    assert f"无法在 127.0.0.1:{port} 上启动服务：端口 {port} 已被其他程序占用。" in r.stderr and "Traceback" not in r.stderr
    assert not (home / "server.json").exists()


def test_serve_while_one_runs_says_commands_go_to_it_and_how_to_restart(tmp_path):
    home = tmp_path / "home"
    me = os.getpid()  # alive, and its start time matches: the file is a running server's
    path = _write(home, {"host": "127.0.0.1", "port": 8000, "pid": me, "token": "t", "started": _own_start_time()})
    env = {**os.environ, "YACANG_HOME": str(home)}
    r = subprocess.run([*CLI, "serve", "--port", "0"], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"已有 yacang 服务在运行：http://127.0.0.1:8000（进程 {me}）" in r.stderr
    assert "自动交给该服务执行" in r.stderr and f"kill {me}" in r.stderr
    assert path.exists()  # the running server's file is left alone


def test_a_killed_server_not_yet_reaped_makes_the_file_stale(tmp_path):
    """A server killed with SIGKILL whose parent has not reaped it (a zombie: os.kill still finds it, its
    start time still matches) serves nothing: the file is stale, not a server to send jobs to."""
    import signal
    import time

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        started = (Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[-1].split()[19])
        write_server_file(tmp_path, ServerInfo("127.0.0.1", 9, child.pid, "t", started=started))
        assert read_server_file(tmp_path) is not None  # alive: the server
        os.kill(child.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] != "Z":
            assert time.monotonic() < deadline, "the killed child did not become a zombie"
            time.sleep(0.05)
        assert read_server_file(tmp_path) is None  # not reaped (no wait() yet), yet gone
        assert not (tmp_path / "server.json").exists()
    finally:
        child.kill()
        child.wait()


def _line(pipe, timeout: float) -> str:
    """The next line of a child's pipe, or "" when none comes within ``timeout`` seconds."""
    import select

    ready, _, _ = select.select([pipe], [], [], timeout)
    return pipe.readline() if ready else ""


def test_serve_waits_while_another_process_holds_the_warehouse(tmp_path):
    """A server started while a CLI command (a long yacang run) holds the warehouse would fail its jobs on
    the lock ("作业因内部错误中止"): it waits with the CLI's message, then starts once the file is free."""
    import signal

    home = tmp_path / "home"
    home.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(120)", str(home / "warehouse.duckdb")],
                              stdout=subprocess.PIPE, text=True)
    server = None
    try:
        assert _line(holder.stdout, 60).strip() == "held"
        env = {**os.environ, "YACANG_HOME": str(home)}
        server = subprocess.Popen([*CLI, "serve", "--port", "0"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        said = _line(server.stderr, 60)
        assert "数据仓库正被另一个进程使用" in said and f"进程 {holder.pid}" in said, said
        assert not (home / "server.json").exists()  # not announced while it cannot use the warehouse
        holder.kill()
        holder.wait()
        assert "压舱 yacang 服务：http://127.0.0.1:" in _line(server.stdout, 60)
        assert (home / "server.json").exists()
    finally:
        holder.kill()
        holder.wait()
        if server is not None:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)


@pytest.mark.parametrize(("host", "said"), [
    ("192.0.2.1", "192.0.2.1 不是本机的地址。请用 --host 指定本机的地址"),  # TEST-NET-1: never this machine's
    ("no-such-host.invalid", "无法解析地址 no-such-host.invalid"),
])
def test_serve_on_an_address_not_of_this_machine_says_so(tmp_path, host, said):
    env = {**os.environ, "YACANG_HOME": str(tmp_path / "home")}
    r = subprocess.run([*CLI, "serve", "--host", host, "--port", "8000"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"无法在 {host}:8000 上启动服务：{said}" in r.stderr, r.stderr
    assert "端口可能已被其他程序占用" not in r.stderr
