"""Docs checked by tests: every ``yacang …`` command the README shows exists, and the set-up commands are there."""

import re
import shlex

from typer.testing import CliRunner

from tests.conftest import REPO
from yacang.cli import app

README = (REPO / "README.md").read_text("utf-8")


def _readme_commands() -> list[list[str]]:
    blocks = re.findall(r"```bash\n(.*?)```", README, flags=re.S)
    cmds = []
    for block in blocks:
        for line in block.splitlines():
            line = line.split("#")[0].strip()
            for part in line.split("&&"):
                words = shlex.split(part.strip())
                if words[:1] == ["yacang"]:
                    cmds.append(words[1:])
    return cmds


def _command_path(words: list[str]) -> list[str]:
    """The leading sub-command words (stop at the first option or argument-looking word)."""
    path = []
    for w in words:
        if w.startswith("-") or "/" in w or "." in w or w[:1].isdigit():
            break
        path.append(w)
    return path[:2]


def test_readme_gives_the_two_commands() -> None:
    assert "bash scripts/setup.sh && yacang run" in README
    assert "bash scripts/setup.sh && python -m pytest" in README
    ci = (REPO / ".ci/run").read_text("utf-8")
    assert "bash scripts/setup.sh" in ci and "python -m pytest" in ci


def test_every_readme_command_exists() -> None:
    runner = CliRunner()
    cmds = _readme_commands()
    assert len(cmds) >= 5
    for words in cmds:
        path = _command_path(words)
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, f"README shows `yacang {' '.join(words)}` but `{' '.join(path)}` fails: {result.output}"


def test_readme_file_paths_exist_from_the_repository_folder_it_names() -> None:
    """The examples' file paths are relative to the repository's folder, and the README says so."""
    import glob

    assert "relative to the repository's folder" in README
    paths = set(re.findall(r"(?<![\w/.])((?:\.\./shared|tests/fixtures)/[^\s`]+)", README))
    assert len(paths) >= 8
    for path in sorted(paths):
        assert glob.glob(str(REPO / path)), f"README shows {path}, which is not there from {REPO}"


def test_every_readme_command_parses_with_the_options_it_shows() -> None:
    """Beyond existing: each command as written has its required options and no stray words (a command
    shown without a required option fails for whoever copies it)."""
    import typer.main
    from typer.exceptions import TyperException

    root = typer.main.get_command(app)
    wrong = []
    for words in _readme_commands():
        cmd, i = root, 0
        while i < len(words) and words[i] in getattr(cmd, "commands", {}):
            cmd, i = cmd.commands[words[i]], i + 1
        args = [w for w in words[i:] if w != "&"]  # `yacang serve … &`: the shell's, not an argument
        try:
            cmd.make_context(" ".join(words[:i]), args)
        except TyperException as exc:
            wrong.append(f"yacang {' '.join(words)}: {exc}")
    assert not wrong, wrong


def test_readme_says_which_home_the_later_blocks_need() -> None:
    """After `export YACANG_HOME=$HOME/yacang-real` the README's enterprise-level commands found no reports:
    it says to go back to the demo's home for them, before showing them."""
    said = README.index("unset YACANG_HOME")
    assert README.index("export YACANG_HOME=$HOME/yacang-real") < said < README.index("yacang microdata review")


def test_readme_warns_that_the_default_home_is_the_current_folders() -> None:
    """A command run from another folder with the default home silently made a new warehouse there instead of
    going to the server: the README says to set YACANG_HOME in every terminal."""
    assert "the default `./.yacang` is the current folder's: set `YACANG_HOME` in\nevery terminal" in README
