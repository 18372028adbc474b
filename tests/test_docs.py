"""README documents every command and every option of the `tdkt` command line, and the files as they are."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from archive.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cli.commands)


def test_readme_quick_start_is_the_two_commands() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make demo" in quick_start and "make test" in quick_start


@pytest.mark.parametrize("name", COMMANDS)
def test_readme_mentions_every_command(name: str) -> None:
    assert f"tdkt {name}" in README


@pytest.mark.parametrize(
    ("name", "option"),
    [
        (name, opt)
        for name in COMMANDS
        for param in cli.commands[name].params
        if isinstance(param, click.Option) and not param.hidden
        for opt in param.opts
        if opt.startswith("--") and opt != "--help"
    ],
)
def test_readme_mentions_every_option(name: str, option: str) -> None:
    assert option in README, f"tdkt {name} {option} is not in README.md"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name: str) -> None:
    assert cli.commands[name].help


def test_readme_project_layout_names_only_files_that_exist() -> None:
    layout = README.split("## Project layout", 1)[1].split("```")[1]
    folders: list[tuple[int, str]] = []
    named = 0
    for line in layout.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if indent >= 20:  # a description carried over from the line above
            continue
        first = line.strip().split("  ")[0]
        while folders and folders[-1][0] >= indent:
            folders.pop()
        parent = ROOT.joinpath(*(name for _, name in folders))
        for name in re.split(r",\s*", first):
            if not re.fullmatch(r"[\w.]+/?", name) or name.startswith("`"):
                continue
            assert (parent / name.rstrip("/")).exists(), (
                f"README's layout names {parent / name}, which is missing"
            )
            named += 1
        if first.endswith("/"):
            folders.append((indent, first.rstrip("/")))
    assert named > 20
