"""The benchmark's synthetic corpus is valid facttrack data and reproducible."""

from __future__ import annotations

from pathlib import Path

from bench.generate import corpus, write_project
from bench.hugo_site import write_hugo_site

from helpers import run_cli


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_generated_project_passes_check(tmp_path):
    data = write_project(corpus(200, seed=7), tmp_path / "data")
    result = run_cli("check", "--data", data)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 200 claims, 10 events, 4 figures, 10 speakers, 20 sources")


def test_generated_sources_are_about_3000_words_and_hold_their_quotes(tmp_path):
    data = corpus(200, seed=7)
    text_by_source = {source.id: source.text for source in data.sources}
    for source in data.sources:
        assert 2800 <= len(source.text.split()) <= 3500  # filler, plus the quotes
    for claim in data.claims:
        assert claim.quote in text_by_source[claim.source]
        assert claim.number_text in claim.quote


def test_same_seed_gives_byte_identical_projects(tmp_path):
    first = write_project(corpus(200, seed=3), tmp_path / "a")
    second = write_project(corpus(200, seed=3), tmp_path / "b")
    other = write_project(corpus(200, seed=4), tmp_path / "c")
    assert tree_bytes(first) == tree_bytes(second)
    assert tree_bytes(first) != tree_bytes(other)


def test_hugo_site_has_a_page_per_record_events_and_facttracks_stylesheet(tmp_path):
    data = corpus(200, seed=7)
    site = write_hugo_site(data, tmp_path / "hugo")
    content = site / "content"
    assert len(list((content / "claims").glob("claim-*.md"))) == 200
    assert len(list((content / "sources").glob("source-*.md"))) == 20
    assert len(list((content / "events").glob("event-*.md"))) == 10
    assert len(list((content / "figures").glob("figure-*/_index.md"))) == 4
    assert len(list((content / "speakers").glob("speaker-*/_index.md"))) == 10
    event = (content / "events" / "event-00.md").read_text(encoding="utf-8")
    assert 'cites: ["source-00"]' in event  # indexed by source, so its page marks its quote
    stylesheet = Path(__file__).parent.parent / "templates" / "static" / "style.css"
    assert (site / "static" / "style.css").read_bytes() == stylesheet.read_bytes()
