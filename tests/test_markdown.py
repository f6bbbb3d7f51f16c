"""One Markdown converter serves every note of a build: each text comes out as a
fresh converter would write it."""

from __future__ import annotations

import re
import subprocess
import sys

from facttrack.formatting import Markdown, markdown
from helpers import ROOT

NOTES = [
    "A *note* with a [link](https://example.org) and `code`.",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "Text with a table after it:\n\n| x |\n|---|\n| y |\n\nand a paragraph.",
    "<script>alert(1)</script> and **bold**",
    "",
    "1. one\n2. two\n\n> quoted",
]


def test_a_reused_converter_writes_what_a_fresh_one_writes():
    texts = NOTES + re.findall(
        r"note: >-\n((?:      .*\n)+)", (ROOT / "data/claims.yaml").read_text()
    )
    assert len(texts) > len(NOTES)
    converter = Markdown()
    for text in texts + list(reversed(texts)):
        assert converter(text) == markdown(text)


def test_the_markdown_package_is_imported_only_for_a_note():
    script = (
        "import sys\n"
        "from facttrack.formatting import Markdown\n"
        "convert = Markdown()\n"
        "assert convert(None) == convert('') == ''\n"
        "print('markdown' in sys.modules)\n"
        "convert('*a note*')\n"
        "print('markdown' in sys.modules)\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    assert shown == ["False", "True"]
