"""The dispatch CLI: file and handle an appeal as users of the app database, statistics, projects, export."""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher

from tests.dispatch.conftest import ENT_A


@pytest.fixture()
def users(yacang_home):
    from yacang.appdb.base import app_db_url, get_engine, session_scope
    from yacang.appdb.migrate import upgrade
    from yacang.auth import passwords, service

    saved = passwords._HASHER
    passwords._HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    upgrade(app_db_url())
    from tests.dispatch.webapp import register_enterprises
    from yacang.warehouse import Warehouse

    wh = Warehouse.open()
    register_enterprises(wh)  # the registry decides the enterprises' names and regions
    wh.close()
    with session_scope(get_engine()) as s:
        service.add_user(s, "hz", "pw-123456", "officer", region="330100")
        service.add_user(s, "nb", "pw-123456", "officer", region="330200")
        service.add_user(s, "ent_a", "pw-123456", "enterprise", region=ENT_A[2], uscc=ENT_A[0])
    yield
    passwords._HASHER = saved


def run(*args: str):
    from typer.testing import CliRunner

    from yacang.cli import app

    return CliRunner().invoke(app, list(args))


def test_appeal_flow_on_the_command_line(users, tmp_path):
    r = run("appeals", "file", "--uscc", ENT_A[0], "--type", "用能",
            "--text", "限电影响交付", "--user", "ent_a")
    assert r.exit_code == 0, r.output
    code = re.search(r"SQ\d{13}", r.output).group(0)
    assert run("appeals", "assign", code, "--dept", "发改委", "--user", "nb").exit_code == 1  # 宁波 cannot
    for args in (("assign", code, "--dept", "发改委"), ("respond", code), ("plan", code, "--note", "调整时段"),
                 ("resolve", code, "--note", "已调整")):
        r = run("appeals", *args, "--user", "hz")
        assert r.exit_code == 0, r.output
    r = run("appeals", "close", code, "--callback", "已回访", "--user", "hz")
    assert r.exit_code == 1 and "企业尚未评价满意度" in r.output
    assert run("appeals", "rate", code, "--score", "5", "--user", "ent_a").exit_code == 0
    assert run("appeals", "close", code, "--callback", "已回访", "--user", "hz").exit_code == 0
    r = run("appeals", "show", code, "--user", "ent_a")
    assert r.exit_code == 0 and "回访结案" in r.output and "已结案" in r.output
    r = run("appeals", "stats", "--user", "hz")
    assert r.exit_code == 0 and re.search(r"合计\s*│\s*1\s*│\s*1\s*│\s*100\.0", r.output), r.output
    assert code not in run("appeals", "list", "--user", "nb").output  # out of 宁波's scope


def test_projects_and_whitelist_commands(users, tmp_path, shared_data):
    r = run("projects", "add", "--code", "P1", "--name", "芯片项目", "--region", "330106", "--industry", "39",
            "--investment", "100", "--start", "2022-01-01", "--finish", "2023-01-01", "--user", "hz")
    assert r.exit_code == 0, r.output
    assert run("projects", "progress", "P1", "--period", "2022-06", "--invest", "10", "--user", "hz").exit_code == 0
    r = run("projects", "status", "--period", "2022-06")
    assert r.exit_code == 0 and "红" in r.output and "39.3" in r.output
    r = run("projects", "add", "--code", "P2", "--name", "工业软件平台", "--region", "330106", "--industry", "65",
            "--investment", "20", "--start", "2022-01-01", "--finish", "2023-01-01", "--user", "hz")
    assert r.exit_code == 0, r.output
    from typer.testing import CliRunner

    from yacang.cli import app

    listed = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["projects", "list"]).output
    assert "软件和信息技术服务业（65）" in listed and "计算机、通信和其他电子设备制造业（39）" in listed, listed
    assert "│ 330106 " in listed  # no county list imported: the code alone
    from yacang.catalog.imports import import_regions

    import_regions(shared_data / "admin_divisions_gbt2260/codes_by_year_2010_2024.csv", 2024)
    listed = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["projects", "list"]).output
    assert "西湖区（330106）" in listed, listed  # GB/T 2260: 330106 杭州市西湖区
    assert "西湖区（330106）" in CliRunner(env={"COLUMNS": "200"}).invoke(app, ["projects", "late", "--on", "2023-12-31"]).output
    r = CliRunner().invoke(app, ["projects", "late", "--on", "2023-02-30"])
    assert r.exit_code == 1 and "--on 的值“2023-02-30”不是有效日期" in r.output
    r = run("whitelist", "apply", "--category", "重点外贸企业", "--uscc", ENT_A[0], "--reason", "出口占比高", "--from", "2022-01-01", "--to", "2022-12-31", "--user", "hz")
    assert r.exit_code == 0, r.output
    out = tmp_path / "wl.xlsx"
    r = run("whitelist", "export", "-o", str(out), "--user", "nb")
    assert r.exit_code == 0 and "已导出 0 条" in r.output  # 宁波 sees none of 杭州's entries
    r = run("whitelist", "apply", "--category", "nope", "--uscc", ENT_A[0], "--reason", "x", "--from", "2022-01-01", "--to", "2022-12-31")
    assert r.exit_code == 1 and "没有白名单类别" in r.output


def test_keyent_add_takes_name_and_region_from_the_records(users):
    # ENT_A is in the registry (330106, 杭州甲电子有限公司): the command's name and region do not count
    r = run("keyent", "add", "--uscc", ENT_A[0], "--name", "假冒名称", "--region", "330108", "--frequency", "周",
            "--user", "hz")
    assert r.exit_code == 0, r.output
    assert f"已列入重点企业：{ENT_A[1]}（周报）" in r.output
    from typer.testing import CliRunner

    from yacang.cli import app

    listed = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["keyent", "list", "--user", "hz"]).output
    assert "假冒名称" not in listed and ENT_A[1] in listed and "330106" in listed
    # 宁波 cannot put 杭州's enterprise on its list
    r = run("keyent", "add", "--uscc", ENT_A[0], "--frequency", "周", "--user", "nb")
    assert r.exit_code == 1 and "错误" in r.output
