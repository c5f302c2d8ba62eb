"""Command-line usage errors (unknown option or command, a value of the wrong type) in Chinese.

Typer/Click word them in English ("No such option: --nope"); officials read the CLI's messages in
Chinese. :func:`install` replaces Typer's printer of these errors with one that words the common cases
in Chinese (an unknown case keeps Click's text, prefixed) and keeps Click's exit code (2).
"""

from __future__ import annotations

import re

_VALUE_REASONS: tuple[tuple[str, str], ...] = (
    (r"'(.*)' is not a valid integer(?: range)?\.?", "“{0}”不是整数"),
    (r"'(.*)' is not a valid float(?: range)?\.?", "“{0}”不是数值"),
    (r"'(.*)' is not a valid boolean\.?", "“{0}”应为 true 或 false"),
    (r"'(.*)' is not one of (.*)\.", "“{0}”不是可选值，应为 {1} 之一"),
    (r"'(.*)' is not (.*)\.", "“{0}”不是可选值，应为 {1}"),
    (r"Input should be a valid integer.*", "不是整数"),
    (r"Input should be a valid number.*", "不是数值"),
    (r"Input should be a valid boolean.*", "应为 true 或 false"),
    (r"Input should be a valid date.*", "不是有效日期（应为 2022-04-01 这样的日期）"),
    (r"Input should be greater than or equal to (.*)", "不能小于 {0}"),
    (r"Input should be less than or equal to (.*)", "不能大于 {0}"),
    (r"Input should be greater than (.*)", "须大于 {0}"),
    (r"Input should be less than (.*)", "须小于 {0}"),
    (r"(.*) is not in the range (.*)\.", "{0} 不在范围 {1} 内"),
    (r"(?:File|Directory|Path) '(.*)' does not exist\.", "“{0}”不存在"),
    (r"(?:File|Directory|Path) '(.*)' is a directory\.", "“{0}”是文件夹，应为文件"),
    (r"(?:File|Directory|Path) '(.*)' is a file\.", "“{0}”是文件，应为文件夹"),
)


def _value_reason(message: str) -> str:
    for pattern, words in _VALUE_REASONS:
        m = re.fullmatch(pattern, message.strip())
        if m:
            return words.format(*m.groups())
    return message


def _hint(exc: Exception) -> str:
    """The option or argument a parameter error is about (``--draws``, ``FILES...``)."""
    hint = getattr(exc, "param_hint", None)
    if hint is None and getattr(exc, "param", None) is not None:
        hint = exc.param.get_error_hint()  # type: ignore[attr-defined]
    if isinstance(hint, list | tuple):
        hint = " / ".join(str(h) for h in hint)
    return str(hint or "").strip("'\"")


def chinese_message(exc: Exception) -> str:
    """The Chinese words of a Click usage error (Click's own text for a case not listed)."""
    kind = type(exc).__name__
    message = str(getattr(exc, "message", "") or exc)
    if kind == "NoSuchOption":
        found = sorted(getattr(exc, "possibilities", None) or [])
        return f"没有选项 {exc.option_name}" + (f"（是否想用 {'、'.join(found)}？）" if found else "")  # type: ignore[attr-defined]
    if m := re.fullmatch(r"No such command '(.*?)'\.(?: Did you mean '(.*)'\?)?", message):
        return f"没有命令 {m.group(1)}" + (f"（是否想用 {m.group(2)}？）" if m.group(2) else "")
    if kind == "MissingParameter":
        hint = _hint(exc)
        return f"缺少必填的{'选项 ' + hint if hint.startswith('-') else '参数 ' + hint.upper()}"
    if kind == "BadParameter":
        return f"{_hint(exc)} 的值无效：{_value_reason(message)}".strip()
    if m := re.fullmatch(r"Option '(.*)' requires an argument\.", message):
        return f"选项 {m.group(1)} 后面需要一个值"
    if m := re.fullmatch(r"Got unexpected extra argument\(s\) \((.*)\)", message):
        return f"多余的参数：{m.group(1)}"
    return f"命令行用法有误：{message}"


def print_usage_error(exc: Exception) -> None:
    """Typer's error printer, in Chinese: the reason, then where the help is."""
    from rich.markup import escape

    from yacang.cli.common import err_console

    if type(exc).__name__ == "NoArgsIsHelpError":  # help was printed: nothing to add
        return
    ctx = getattr(exc, "ctx", None)
    where = f"（用 {ctx.command_path} --help 查看用法）" if ctx is not None else ""
    err_console.print(f"[bold red]错误[/]：{escape(chinese_message(exc) + where)}", highlight=False, markup=True)


def install() -> None:
    """Make Typer print usage errors with :func:`print_usage_error` (the exit code stays Click's, 2)."""
    from typer import rich_utils

    rich_utils.rich_format_error = print_usage_error
