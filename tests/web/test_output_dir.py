"""The server's bulletin files follow ``[yacang] output_dir`` of its yacang.toml, read on each request: an
edited configuration is seen without a restart (the start-up directory applies when the file sets none)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.conftest import bearer


def _generate(client, token: str) -> str:
    r = client.post("/api/bulletins", json={"period": "2022-03", "region": "440000", "formats": ["html"]},
                    headers=bearer(token))
    assert r.status_code == 200, r.text
    return r.json()["files"][0]


@pytest.mark.slow
def test_a_changed_output_dir_is_used_without_a_restart(fresh_client, fresh_tokens, yacang_home):
    token = fresh_tokens["gd_officer"]
    config = Path.cwd() / "yacang.toml"  # the server's working directory (the fixture's)
    before = Path.cwd() / "yacang-output" / "web-bulletins" / "440000" / "2022-03"
    _generate(fresh_client, token)
    assert any(before.iterdir())  # no yacang.toml: the start-up directory
    config.write_text('[yacang]\noutput_dir = "通报文件"\n', "utf-8")  # relative to the file's folder
    url = _generate(fresh_client, token)
    after = Path.cwd() / "通报文件" / "web-bulletins" / "440000" / "2022-03"
    assert after.is_dir() and {p.name for p in after.iterdir()} == {Path(url).name}
    listed = fresh_client.get("/api/bulletins", headers=bearer(token)).json()
    assert [f["url"] for f in listed] == [url]  # the list reads the configured directory
    got = fresh_client.get(url, headers=bearer(token))
    assert got.status_code == 200 and "广东省" in got.content.decode("utf-8")
    elsewhere = yacang_home.parent / "elsewhere"
    config.write_text(f'[yacang]\noutput_dir = "{elsewhere}"\n', "utf-8")  # an absolute path
    assert fresh_client.get("/api/bulletins", headers=bearer(token)).json() == []
    _generate(fresh_client, token)
    assert any((elsewhere / "web-bulletins" / "440000" / "2022-03").iterdir())


def test_a_broken_configuration_is_a_clear_error(fresh_client, fresh_tokens, yacang_home):
    (Path.cwd() / "yacang.toml").write_text("[yacang\noutput_dir = 1\n", "utf-8")
    r = fresh_client.get("/api/bulletins", headers=bearer(fresh_tokens["gd_officer"]))
    assert r.status_code == 500 and "yacang.toml" in r.json()["detail"] and "TOML" in r.json()["detail"]
