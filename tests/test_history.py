"""The "what changed" page: read from a temporary git repository, commit by commit,
and unavailable (never an error) outside git."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from facttrack.build import build
from facttrack.checking import Options
from facttrack.history import compare, read_history
from helpers import CLAIMS_YAML, source_file

CLAIM_2 = """\
  - id: senate-undocumented
    figure: returns
    value: 1700000
    qualifier: about
    as_of: "2024-11"
    speaker: ministry
    source: dawn
    quote: Around 1.7 million illegal aliens are living in the country.
"""


def git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
        "GIT_AUTHOR_DATE": "2024-11-20T10:00:00+00:00",
        "GIT_COMMITTER_DATE": "2024-11-20T10:00:00+00:00",
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def commit(repo: Path, message: str, date: str) -> None:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=Editor", "commit", "-q", "-m", message, f"--date={date}T10:00:00")


@pytest.fixture
def repo(project, tmp_path) -> Path:
    """A git checkout whose data/ went through four commits."""
    data = project()
    root = data.parent
    git(root, "init", "-q", "-b", "main")
    (root / "README").write_text("not data\n")
    commit(root, "Start the tracker", "2024-11-01")
    claims = data / "claims.yaml"
    claims.write_text(CLAIMS_YAML.replace("events:\n", CLAIM_2 + "events:\n"))
    commit(root, "Add the estimate of people still in the country", "2024-11-02")
    claims.write_text(
        CLAIMS_YAML.replace("value: 541210", "value: 541210\n    qualifier: over").replace(
            "senate-returns", "senate-returns-2024"
        )
    )
    commit(root, "Rename the returns claim, drop the estimate", "2024-11-03")
    (data / "sources" / "extra.txt").write_text(source_file("Another text.\n"))
    (root / "README").write_text("changed, but not data\n")
    commit(root, "Add a source", "2024-11-04")
    (root / "README").write_text("changed again\n")
    commit(root, "Not about the data", "2024-11-05")
    return data


def test_history_lists_commits_that_changed_the_data_newest_first(repo):
    history = read_history(repo)
    assert history.available and not history.uncommitted and not history.more
    subjects = [c.subject for c in history.commits]
    assert subjects == [
        "Add a source",
        "Rename the returns claim, drop the estimate",
        "Add the estimate of people still in the country",
        "Start the tracker",
    ]
    assert [c.date for c in history.commits] == [
        "2024-11-04",
        "2024-11-03",
        "2024-11-02",
        "2024-11-01",
    ]
    source, rename, estimate, start = history.commits
    assert start.added == ("senate-returns",) and start.removed == ()
    assert estimate.added == ("senate-undocumented",) and estimate.changed == ()
    assert rename.added == ("senate-returns-2024",)
    assert rename.removed == ("senate-returns", "senate-undocumented")
    assert source.files == (("A", "sources/extra.txt"),)
    assert source.added == source.removed == source.changed == ()


def test_a_changed_value_is_listed_field_by_field(repo):
    claims = repo / "claims.yaml"
    claims.write_text(claims.read_text().replace("value: 541210", "value: 541310"))
    assert read_history(repo).uncommitted
    commit(repo.parent, "Correct the returns", "2024-11-06")
    newest = read_history(repo).commits[0]
    (change,) = newest.changed
    assert change.claim_id == "senate-returns-2024"
    assert change.changes == (("value", "541210", "541310"),)


def test_a_commit_whose_claims_do_not_parse_is_marked(repo):
    (repo / "claims.yaml").write_text("claims: [unclosed\n")
    commit(repo.parent, "Break the file", "2024-11-07")
    assert read_history(repo).commits[0].unreadable


def test_the_page_shows_the_history_and_stays_the_same_between_builds(repo, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert build(Options(data=repo, out=first)).ok
    assert build(Options(data=repo, out=second)).ok
    html = (first / "changes.html").read_text()
    assert html == (second / "changes.html").read_text()
    assert "Rename the returns claim, drop the estimate" in html
    assert '<a href="claims/senate-returns-2024.html">senate-returns-2024</a>' in html
    assert "<code>senate-undocumented</code> (since removed or renamed)" in html
    assert html.index("2024-11-04") < html.index("2024-11-01")


def test_a_rebuild_of_the_same_data_shows_the_commits_made_since(repo, tmp_path):
    """An edit committed, then undone in another commit: the data is as it was, the
    history is not, and the changes page shows it (a rebuild that keeps the site
    whole is one of the same data, history, templates and code)."""
    out = tmp_path / "site"
    assert build(Options(data=repo, out=out, search=False)).ok
    claims = repo / "claims.yaml"
    original = claims.read_text()
    claims.write_text(original.replace("value: 541210", "value: 541211"))
    commit(repo.parent, "Correct the returns", "2024-11-06")
    claims.write_text(original)
    commit(repo.parent, "Undo the correction", "2024-11-07")
    assert build(Options(data=repo, out=out, search=False)).ok
    html = (out / "changes.html").read_text()
    assert "Undo the correction" in html and "Correct the returns" in html
    clean = tmp_path / "clean"
    assert build(Options(data=repo, out=clean, search=False, cache=False)).ok
    assert html == (clean / "changes.html").read_text()


def test_outside_git_the_page_says_the_history_is_unavailable(project, tmp_path):
    data = project()
    history = read_history(data)
    assert not history.available and history.reason
    out = tmp_path / "site"
    assert build(Options(data=data, out=out)).ok
    assert (
        "The history of the data is unavailable for this build"
        in (out / "changes.html").read_text()
    )


def test_without_git_installed_the_build_still_succeeds(project, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    data = project()
    assert not read_history(data).available
    assert build(Options(data=data, out=tmp_path / "site")).ok


def test_compare_reports_added_removed_and_changed_claims():
    before = {"a": {"value": 1, "note": "x"}, "b": {"value": 2}}
    after = {"a": {"value": 1, "note": "y"}, "c": {"value": 3}}
    assert compare(before, after) == (("c",), ("b",), ())  # a note is not a change of value


def test_comparing_stops_when_the_parse_budget_is_spent(repo, monkeypatch):
    from facttrack import history

    size = len((repo / "claims.yaml").read_bytes())
    monkeypatch.setattr(history, "PARSE_BUDGET", size * 3)  # two versions, not three
    commits = read_history(repo).commits
    # newest change to claims.yaml (the rename) reads two versions; older ones are not compared
    assert commits[1].removed == ("senate-returns", "senate-undocumented")
    assert [c.not_compared for c in commits] == [False, False, True, True]


def test_a_commit_that_changes_no_claim_says_so(repo, tmp_path):
    claims = repo / "claims.yaml"
    claims.write_text(claims.read_text().replace("label: Returns to Afghanistan", "label: Returns"))
    commit(repo.parent, "Shorter label", "2024-11-08")
    newest = read_history(repo).commits[0]
    assert (newest.added, newest.removed, newest.changed) == ((), (), ())
    out = tmp_path / "site"
    assert build(Options(data=repo, out=out)).ok
    assert "claims.yaml changed, but no claim did" in (out / "changes.html").read_text()
