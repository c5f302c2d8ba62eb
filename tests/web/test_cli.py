"""`yacang users add|list|disable|token` and `yacang serve --help`."""

from __future__ import annotations

from typer.testing import CliRunner


def run(*args: str, input: str | None = None):
    from yacang.cli import app

    return CliRunner().invoke(app, list(args), input=input)


def test_users_add_list_disable(yacang_home):
    r = run("users", "add", "gd", "--role", "officer", "--region", "440000", "--name", "广东省工信厅",
            "--password-stdin", input="long-enough-1\n")
    assert r.exit_code == 0, r.output
    assert "已新增用户 gd" in r.output
    r = run("users", "add", "bad", "--role", "officer", "--region", "44000", "--password-stdin", input="long-enough-1\n")
    assert r.exit_code != 0 and "6位数字" in r.output
    r = run("users", "add", "weak", "--role", "analyst", "--region", "440000", "--password-stdin", input="short\n")
    assert r.exit_code != 0 and "至少需要8个字符" in r.output
    token = run("users", "token", "gd").output.strip()
    assert token.startswith("yct_")
    listed = run("users", "tokens", "gd").output
    assert "有效" in listed and token not in listed  # the secret itself is never shown again
    assert run("users", "revoke-token", "1").exit_code == 0 and "已撤销" in run("users", "tokens").output
    listing = run("users", "list").output
    assert "广东省工信厅" in listing and "地区运行监测人员" in listing and "启用" in listing
    assert run("users", "disable", "gd").exit_code == 0
    assert "停用" in run("users", "list").output
    assert run("users", "disable", "nobody").exit_code != 0


def test_users_add_prompts_for_password_twice(yacang_home):
    r = run("users", "add", "a1", "--role", "admin", input="long-enough-1\nlong-enough-1\n")
    assert r.exit_code == 0 and "已新增用户 a1" in r.output


def test_serve_help_names_host_and_port():
    r = run("serve", "--help")
    assert r.exit_code == 0 and "--host" in r.output and "--port" in r.output


def test_password_is_not_a_command_line_option_and_new_users_are_read_only(yacang_home):
    r = run("users", "add", "x1", "--password", "long-enough-1")
    assert r.exit_code != 0  # no --password: it would show in ps and the shell history
    r = run("users", "add", "x1", "--password-stdin", input="long-enough-1\n")
    assert r.exit_code != 0 and "--region" in r.output  # a regional role needs its region: never the nation by default
    r = run("users", "add", "x1", "--region", "广东", "--password-stdin", input="long-enough-1\n")
    assert r.exit_code == 0 and "分析" in r.output and "440000" in r.output  # least privilege; region by name
    db = yacang_home / "app.sqlite"
    assert db.stat().st_mode & 0o777 == 0o600
