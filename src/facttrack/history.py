"""What changed in the data, commit by commit, from the git history of data/.

Read with the git command line (with a timeout) when the data folder is in a git
checkout; anything that goes wrong (no git, not a checkout, a timeout, a file
that does not parse) makes the history unavailable or skips a version, and never
fails the build. Everything shown comes from the commits themselves (their
dates, messages and files), never from the clock, so the same checkout always
gives the same page.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_COMMITS = 30  # the newest commits shown
# Parsing is what costs: at most this many bytes of claims.yaml versions are read
# per build (newest first). It depends only on the files, so it is deterministic.
PARSE_BUDGET = 8 * 1024 * 1024
GIT_TIMEOUT = 10.0  # seconds per git command
# The fields whose change is a change of what a claim says.
TRACKED_FIELDS = ("figure", "value", "low", "high", "qualifier", "unit", "as_of", "speaker")


@dataclass(frozen=True)
class ClaimChange:
    """The fields of one claim that a commit changed."""

    claim_id: str
    changes: tuple[tuple[str, str, str], ...]  # (field, before, after)


@dataclass(frozen=True)
class Commit:
    """One commit that touched the data folder, and the claims it added, removed or
    changed."""

    sha: str
    short: str
    date: str  # the author date, YYYY-MM-DD
    subject: str
    added: tuple[str, ...] = ()  # claim ids
    removed: tuple[str, ...] = ()
    changed: tuple[ClaimChange, ...] = ()
    files: tuple[tuple[str, str], ...] = ()  # (status letter, path inside the data folder)
    unreadable: bool = False  # claims.yaml did not parse at this commit or its parent
    not_compared: bool = False  # claims.yaml changed, but the parse budget was spent


@dataclass(frozen=True)
class History:
    """The data folder's git history, as the changes page shows it."""

    available: bool
    reason: str = ""  # why not, when not available
    commits: tuple[Commit, ...] = ()
    more: bool = False  # older commits exist beyond MAX_COMMITS
    head: str = ""  # the checkout's commit
    uncommitted: bool = False  # the data folder has changes not yet committed (not shown)


class _GitError(Exception):
    pass


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise _GitError(str(exc)) from exc
    if done.returncode != 0:
        raise _GitError(done.stderr.decode("utf-8", "replace").strip())
    return done.stdout.decode("utf-8", "replace")


class _Budget:
    """How many more bytes of claims.yaml may be parsed in this build."""

    def __init__(self, size: int) -> None:
        self.left = size


def _claims_at(
    top: Path, revision: str, path: str, budget: _Budget
) -> dict[str, dict[str, Any]] | None | bool:
    """The claims at a revision, by id: {} when the file did not exist, None when
    unreadable, False when the parse budget is spent."""
    try:
        text = _git(top, "show", f"{revision}:{path}")
    except _GitError:
        return {}
    if len(text) > budget.left:
        budget.left = 0  # stop here: later (older) versions are not read either
        return False
    budget.left -= len(text)
    try:
        document = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    claims = document.get("claims") if isinstance(document, dict) else None
    if not isinstance(claims, list):
        return {} if document is None else None
    return {
        str(claim["id"]): claim
        for claim in claims
        if isinstance(claim, dict) and isinstance(claim.get("id"), str | int)
    }


def _shown(value: Any) -> str:
    return "—" if value is None else str(value)


def compare(
    before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[ClaimChange, ...]]:
    """Claims added, removed and changed between two versions of the claims list."""
    added = tuple(sorted(set(after) - set(before)))
    removed = tuple(sorted(set(before) - set(after)))
    changed = []
    for claim_id in sorted(set(before) & set(after)):
        old, new = before[claim_id], after[claim_id]
        differences = tuple(
            (name, _shown(old.get(name)), _shown(new.get(name)))
            for name in TRACKED_FIELDS
            if _shown(old.get(name)) != _shown(new.get(name))
        )
        if differences:
            changed.append(ClaimChange(claim_id, differences))
    return added, removed, tuple(changed)


def _log(top: Path, data_path: str) -> list[tuple[str, str, str, str, list[tuple[str, str]]]]:
    """(sha, short sha, date, subject, [(status, path)]) per commit, newest first."""
    output = _git(
        top,
        "log",
        "--first-parent",
        "--no-renames",
        f"--max-count={MAX_COMMITS + 1}",
        "--format=%x1e%H%x1f%h%x1f%as%x1f%s",
        "--name-status",
        "--",
        data_path,
    )
    commits = []
    for block in output.split("\x1e")[1:]:
        header, _, names = block.partition("\n")
        sha, short, date, subject = header.split("\x1f", 3)
        files = []
        for line in names.splitlines():
            status, _, path = line.partition("\t")
            if path:
                files.append((status[:1], path))
        commits.append((sha, short, date, subject, files))
    return commits


def read_history(data_dir: Path) -> History:
    """The newest commits that changed the data folder, with what they changed."""
    try:
        top = Path(_git(data_dir, "rev-parse", "--show-toplevel").strip())
        head = _git(top, "rev-parse", "--short", "HEAD").strip()
        data_path = data_dir.resolve().relative_to(top.resolve()).as_posix() or "."
        log = _log(top, data_path)
        uncommitted = bool(_git(top, "status", "--porcelain", "--", data_path).strip())
    except (_GitError, ValueError, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "git is not available"
        return History(available=False, reason=reason)
    claims_path = f"{data_path}/claims.yaml" if data_path != "." else "claims.yaml"
    # Following first parents, the data before a commit is the data at the next
    # older commit that touched it: each version is read once.
    revisions = [entry[0] for entry in log] + ([f"{log[-1][0]}^"] if log else [])
    cache: dict[int, dict[str, dict[str, Any]] | None | bool] = {}
    budget = _Budget(PARSE_BUDGET)

    def claims_at(index: int) -> dict[str, dict[str, Any]] | None | bool:
        if index not in cache:
            cache[index] = _claims_at(top, revisions[index], claims_path, budget)
        return cache[index]

    commits = []
    for index, (sha, short, date, subject, files) in enumerate(log[:MAX_COMMITS]):
        inside = tuple(
            (status, path.removeprefix(f"{data_path}/") if data_path != "." else path)
            for status, path in files
        )
        added: tuple[str, ...] = ()
        removed: tuple[str, ...] = ()
        changed: tuple[ClaimChange, ...] = ()
        unreadable = not_compared = False
        if any(path == claims_path for _, path in files):
            after, before = claims_at(index), claims_at(index + 1)
            if after is False or before is False:
                not_compared = True
            elif after is None or before is None:
                unreadable = True
            else:
                assert isinstance(after, dict) and isinstance(before, dict)
                added, removed, changed = compare(before, after)
        commits.append(
            Commit(
                sha, short, date, subject, added, removed, changed, inside, unreadable, not_compared
            )
        )
    return History(
        available=True,
        commits=tuple(commits),
        more=len(log) > MAX_COMMITS,
        head=head,
        uncommitted=uncommitted,
    )
