"""The documentation tells the truth: its commands exist and the walk-through's output is real."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from facttrack.cli import parser
from helpers import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks(path: Path) -> list[tuple[str, str]]:
    """(language, text) of every fenced code block, in order."""
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(path.read_text())]


def shown_commands(path: Path) -> list[str]:
    """Every facttrack command line shown in a code block (after '$ ' or at line start)."""
    commands = []
    for _, text in blocks(path):
        for line in text.splitlines():
            line = line.removeprefix("$ ")
            if line.startswith("facttrack "):
                commands.append(line.split("  #")[0].strip())
    return commands


def test_the_docs_show_every_command():
    shown = {shlex.split(c)[1] for path in DOCS for c in shown_commands(path)}
    subcommands = parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert shown == set(subcommands)


@pytest.mark.parametrize(
    "command",
    sorted({c for path in DOCS for c in shown_commands(path)}),
)
def test_every_command_in_the_docs_exists(command):
    parser().parse_args(
        shlex.split(command)[1:]
    )  # exits (fails the test) on an unknown command or option


def run(command: str, cwd: Path) -> str:
    words = shlex.split(command)
    if words[0] == "facttrack":
        words = [sys.executable, "-m", "facttrack", *words[1:]]
    result = subprocess.run(words, cwd=cwd, capture_output=True, text=True, check=False)
    return result.stdout, result.stderr  # type: ignore[return-value]


def test_the_editing_walk_through_gives_the_output_it_shows(tmp_path):
    """Replay docs/editing.md: write the files it shows, run its commands, compare."""
    (tmp_path / "data").symlink_to(ROOT / "data")
    replayed = 0
    for language, text in blocks(ROOT / "docs" / "editing.md"):
        first, _, rest = text.partition("\n")
        whole_file = re.fullmatch(r"# (practice/\S+)", first)
        one_line = re.fullmatch(r"# (practice/\S+), line (\d+)", first)
        if language == "yaml" and whole_file:
            (tmp_path / whole_file.group(1)).write_text(text)
        elif language == "yaml" and one_line:
            path = tmp_path / one_line.group(1)
            lines = path.read_text().splitlines(keepends=True)
            lines[int(one_line.group(2)) - 1] = rest
            path.write_text("".join(lines))
        elif language == "console":
            for command, expected in re.findall(r"^\$ (.*)\n((?:(?!\$ ).*\n)*)", text, re.M):
                if command.startswith("facttrack serve"):
                    continue  # runs until stopped: tests/test_serve.py covers it
                stdout, stderr = run(command, tmp_path)
                assert expected in (stdout + stderr, stderr + stdout), command
                replayed += 1
    assert replayed >= 6
