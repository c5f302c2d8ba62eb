"""The one test harness: a free port, the web app served by uvicorn in a thread, Debian's chromium
through Playwright (offline: every request off the loopback server fails), and a throwaway PostgreSQL.

A missing chromium or PostgreSQL fails the test (CI installs both): a skipped check is no check.
PostgreSQL: ``initdb`` refuses to run as root, so under root (as in CI) the server runs as the ``postgres``
system user (created by Debian's postgresql package) through ``runuser``; the cluster lives in a temp dir,
listens on 127.0.0.1 at a free port with trust authentication, and is removed afterwards.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(app) -> Iterator[str]:
    """Serve an ASGI app on 127.0.0.1 in a thread; yields its base URL."""
    import uvicorn

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 60
    while not srv.started:
        if time.monotonic() > deadline or not t.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        t.join(timeout=10)


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's chromium, headless, through Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium not installed (apt-get install chromium; scripts/setup.sh does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def offline_context(browser, base_url: str, **options):
    """A browser context for ``base_url`` in which any request leaving that server fails (政务内网)."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    options.setdefault("locale", "zh-CN")
    ctx = browser.new_context(base_url=base_url, **options)
    ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base_url) else route.abort())
    return ctx


def require_postgres() -> Path:
    bins = bindir()
    if bins is None:
        pytest.fail("PostgreSQL binaries not installed (apt-get install postgresql; scripts/setup.sh does it)")
    return bins


def bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    preferred = [p for p in found if "/15/" in p] or found
    return Path(preferred[-1]).parent if preferred else None


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


def signed_in(browser, base_url: str, username: str, password: str, **options):
    """A new offline context and page, signed in through the login form; returns (context, page)."""
    ctx = offline_context(browser, base_url, **options)
    page = ctx.new_page()
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation(wait_until="load", timeout=60000):
        page.click("button[type=submit]")
    return ctx, page
