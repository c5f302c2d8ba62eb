"""Command-line usage errors in Chinese (:mod:`yacang.cli.usage_errors`), exit code 2 as Click's."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from yacang.cli import app


@pytest.mark.parametrize(("argv", "said"), [
    (["lights", "--nope"], "错误：没有选项 --nope"),
    (["lightz"], "错误：没有命令 lightz（是否想用 lights？）"),
    (["evaluate", "run", "--draws", "-1"], "错误：--draws 的值无效：不能小于 0"),
    (["evaluate", "run", "--draws", "abc"], "错误：--draws 的值无效：不是整数"),
    (["chains", "shock"], "错误：缺少必填的选项 --start"),
    (["ingest"], "错误：缺少必填的参数 FILES"),
    (["lights", "a", "b"], "错误：多余的参数：a b"),
    (["analysis", "nowcast", "--period"], "错误：选项 --period 后面需要一个值"),
])
def test_usage_errors_are_chinese(yacang_home, argv: list[str], said: str) -> None:
    r = CliRunner().invoke(app, argv)
    assert r.exit_code == 2, r.output
    assert said in r.output and "Error" not in r.output and "Invalid value" not in r.output, r.output


def test_an_unlisted_case_keeps_clicks_words() -> None:
    from yacang.cli.usage_errors import chinese_message

    assert chinese_message(ValueError("Something new")) == "命令行用法有误：Something new"
