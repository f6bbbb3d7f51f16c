"""Golden output: the HTML of the small fixture's site, byte for byte.

A change to the templates or the renderer that alters a page fails here, so every
change to what readers see is deliberate. After an intended change, regenerate with

    FACTTRACK_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py

and review the diff of tests/fixtures/small-golden/ like any other change.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from facttrack.build import build
from facttrack.checking import Options
from helpers import FIXTURES

GOLDEN = FIXTURES / "small-golden"
# changes.html comes from the git history of the fixture, which every commit may move.
VARYING = {"changes.html"}


def html_pages(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(site.rglob("*.html"))
        if path.relative_to(site).as_posix() not in VARYING
        and "pagefind" not in path.relative_to(site).parts
    }


def test_the_fixture_site_matches_its_golden_copy(tmp_path):
    out = tmp_path / "site"
    result = build(Options(data=FIXTURES / "small", out=out))
    assert result.ok, [p.format() for p in result.problems]
    pages = html_pages(out)
    if os.environ.get("FACTTRACK_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, text in pages.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8")
    golden = html_pages(GOLDEN)
    assert sorted(pages) == sorted(golden)
    changed = [name for name in pages if pages[name] != golden[name]]
    assert changed == [], f"pages differ from tests/fixtures/small-golden: {changed}"
