"""One Markdown converter serves every note of a build: each text comes out as a
fresh converter would write it; the next build reuses what it wrote."""

from __future__ import annotations

import re
import subprocess
import sys

from bench.generate import corpus, write_project

from facttrack import cache, formatting
from facttrack.build import build
from facttrack.checking import Options
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


def printed_by(*lines: str) -> list[str]:
    """What a fresh Python prints running the lines after importing sys and Markdown."""
    script = "\n".join(["import sys", "from facttrack.formatting import Markdown", *lines])
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout.split()


def test_the_markdown_package_is_imported_only_for_a_note():
    assert printed_by(
        "convert = Markdown()",
        "assert convert(None) == convert('') == ''",
        "print('markdown' in sys.modules)",
        "convert('*a note*')",
        "print('markdown' in sys.modules)",
    ) == ["False", "True"]


def test_known_texts_are_not_converted_again():
    assert printed_by(
        "convert = Markdown({'*a note*': '<p><em>a note</em></p>'})",
        "assert convert.prepare(['*a note*', '']) == 0",
        "print(convert('*a note*'), 'markdown' in sys.modules)",
        "assert convert.prepare(['*a note*', 'another']) == 1",
        "print('markdown' in sys.modules)",
    ) == ["<p><em>a", "note</em></p>", "False", "True"]


def test_a_rebuild_converts_only_the_texts_it_has_not_seen(tmp_path, monkeypatch):
    """The build keeps the HTML of every Markdown text beside its page cache: a rebuild
    after an edit elsewhere makes no converter; an edited text is converted, and its
    page shows it as a clean build does."""
    data = write_project(corpus(60, seed=3), tmp_path / "data")
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, search=False)).ok
    claims = data / "claims.yaml"
    claims.write_text(claims.read_text().replace('as_of: "20', 'as_of: "19', 1))
    made = []
    real = formatting._converter
    monkeypatch.setattr(formatting, "_converter", lambda: made.append(1) or real())
    assert build(Options(data=data, out=out, search=False)).ok
    assert made == []
    text = claims.read_text()
    start = text.index("    description: ", text.index("  - id: figure-"))
    claims.write_text(
        text[:start]
        + "    description: A *new* description.\n"
        + text[text.index("\n", start) + 1 :]
    )
    assert build(Options(data=data, out=out, search=False)).ok
    assert made == [1]
    clean = tmp_path / "clean"
    assert build(Options(data=data, out=clean, search=False, cache=False)).ok
    pages = sorted(p.relative_to(out) for p in out.rglob("*.html"))
    assert pages == sorted(p.relative_to(clean) for p in clean.rglob("*.html"))
    assert all((out / page).read_bytes() == (clean / page).read_bytes() for page in pages)
    assert "<em>new</em>" in "".join((out / page).read_text() for page in pages)


def test_html_kept_by_other_versions_of_the_libraries_is_not_used(tmp_path, monkeypatch):
    store = tmp_path / "notes.pickle"
    cache.save_notes(store, {"*a*": "<p><em>a</em></p>"})
    assert cache.load_notes(store) == {"*a*": "<p><em>a</em></p>"}
    monkeypatch.setattr(formatting, "library_key", lambda: b"markdown 9.9")
    assert cache.load_notes(store) == {}
    store.write_bytes(b"damaged")
    assert cache.load_notes(store) == {}
