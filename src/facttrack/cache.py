"""Incremental builds: re-render only the pages whose inputs changed.

Every page lists the records it shows (Page.inputs). Its fingerprint is a digest
of those records, of its path and template, and of everything every page
depends on: facttrack's own code, the templates and the site's title and
description. After a build the fingerprints are kept in
`.facttrack-cache/<out>.pickle` beside the output folder, with each file's
modification time, size and inode. The next build reuses a page's previous file
(hard-linked, untouched) when its fingerprint is the same and the file is still
the one that build wrote; anything else is rendered again. The files are looked
at while the build checks the data, by a forked process (LookAhead).

The claim pages come in families, one per source (pages.Family), each with a
fingerprint of its own: a family whose fingerprint did not change keeps its pages
without listing or digesting them one by one. A build from the very state the site
was made from (site_state) keeps it whole, listing no page at all.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from .digests import CACHE_DIR, code_key, digest, hashed, keep_pickled
from .memo import Digests
from .model import Dataset
from .pages import Family, Page
from .parallel import Beside
from .write import Stat, stat_of, write_file

FORMAT = 7  # bump when the cache file's layout changes


class Fingerprints:
    """Stable digests of records and tuples of records, each computed once.

    A record of the dataset has the check's digest (memo.Digests: of the text it was
    read from) when the check could tell it; any other value, that of its pickle, its
    whole content. A claim's digest covers the figure, the speaker and the source a
    page shows beside it, so that a page lists only its claims among its inputs: the
    check's does (see memo._depends), and so does the one made here without it.
    Digests are looked up by the object's id(), so that the inputs of a page are
    joined in one call (`joined`) once their groups are digested.
    """

    def __init__(self, records: Digests | None = None, data: Dataset | None = None) -> None:
        self._records = records or {}
        self._digests: dict[int, bytes] = {}  # id(object) -> its digest
        self._alive: list[Any] = [data]  # keeps every digested object, so its id() is not reused
        if data is not None and records:
            tables = (
                ("claim", data.claims), ("event", data.events), ("figure", data.figures),
                ("speaker", data.speakers), ("source", data.sources), ("relation", data.relations),
            )  # fmt: skip
            for kind, table in tables:
                for record_id, record in table.items():
                    if (known := records.get((kind, record_id))) is not None:
                        self._digests[id(record)] = known
        elif data is not None:
            for claim in data.claims.values():
                shown = (
                    data.figures[claim.figure], data.speakers[claim.speaker],
                    data.sources[claim.source],
                )  # fmt: skip
                self._digests[id(claim)] = hashed(_pickled(claim) + self.joined(shown))

    def of(self, value: Any) -> bytes:
        found = self._digests.get(id(value))
        if found is None:
            if type(value) is tuple:  # the groups of records pages share
                found = hashed(self.joined(value))
            elif isinstance(value, Dataset) and self._records:
                found = self._dataset(value)
            else:  # a frozen dataclass of plain values: its pickle is its content
                found = hashed(_pickled(value))
            self._digests[id(value)] = found
            self._alive.append(value)
        return found

    def joined(self, values: tuple[Any, ...]) -> bytes:
        """The digests of `values`, one after the other."""
        try:  # most calls: every value a record or a group digested already
            return b"".join(map(self._digests.get, map(id, values)))  # type: ignore[arg-type]
        except TypeError:  # a None: some value not digested yet
            return b"".join([self.of(value) for value in values])

    def _dataset(self, data: Dataset) -> bytes:
        """Every record, in the order the files have them, and the site's own fields."""
        parts = [pickle.dumps((data.title, data.description, data.url))]
        for kind, records in (
            ("source", data.sources), ("speaker", data.speakers), ("figure", data.figures),
            ("claim", data.claims), ("event", data.events), ("relation", data.relations),
        ):  # fmt: skip
            parts += [self._records[(kind, record_id)] for record_id in records]
        return hashed(b"".join(parts))


def _pickled(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def site_key(folders: Iterable[Path], *values: str) -> bytes:
    """What every page depends on: facttrack's code, the template folders, and values."""
    parts: list[str | bytes] = [code_key()]
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            parts += [str(path), path.read_bytes()]
    return digest(*parts, *values)


def site_state(key: bytes, data: bytes, history: bytes) -> bytes:
    """The digest of everything a site's pages are made from: its site_key (code,
    templates, title, description, address, options), its records (Fingerprints of
    the Dataset) and the history its changes page shows. Two builds of one state list
    the same pages with the same fingerprints (see build._kept_whole)."""
    return digest(key, data, history)


@dataclass(frozen=True)
class Previous:
    """What the previous build into a folder left: its pages and all its files (none:
    `Previous()`, no previous build to reuse). The pages' fingerprints and files are
    two dicts of plain values, which pickle reads back without a call per page (11,833
    pages at 10,000 claims)."""

    fingerprints: dict[str, str] = field(default_factory=dict)  # page path -> its fingerprint
    stats: dict[str, Stat] = field(default_factory=dict)  # page path -> its file (same keys)
    files: tuple[str, ...] = ()  # every file of the site, from its root
    families: dict[str, str] = field(default_factory=dict)  # name -> fingerprint
    stamp: Stat | None = None  # the cache file's, as read
    data: bytes = b""  # the digest of the records it was built from (b"": not known)
    state: bytes = b""  # of all its pages were made from (site_state; b"": not known)


def cache_file(out: Path) -> Path:
    return out.parent / CACHE_DIR / f"{out.name}.pickle"


def lock_file(out: Path) -> Path:
    """The file builds into `out` take turns on (write.site_lock)."""
    return cache_file(out).with_suffix(".lock")


def load(out: Path) -> Previous:
    """The previous build's entries; none when there is no usable cache."""
    try:
        with cache_file(out).open("rb") as file:
            found = os.fstat(file.fileno())
            stored = pickle.loads(file.read())
        if stored.get("format") != FORMAT:
            return Previous()
        fingerprints, stats = stored["fingerprints"], stored["stats"]
        files, families, data = stored["files"], stored["families"], stored["data"]
        state = stored["state"]
    except Exception:  # missing, damaged or not ours: it only costs a full build
        return Previous()
    if not (
        isinstance(fingerprints, dict)
        and isinstance(stats, dict)
        and fingerprints.keys() == stats.keys()
        and isinstance(files, tuple)
        and isinstance(families, dict)
        and isinstance(data, bytes)
        and isinstance(state, bytes)
    ):
        return Previous()
    stamp = stat_of(found)
    return Previous(fingerprints, stats, files, families, stamp, data, state)


def changed_pages(previous: Previous, out: Path) -> frozenset[str]:
    """The pages whose file in `out` is not the one the previous build wrote."""
    folder = str(out)
    return frozenset(
        path
        for path, stat in previous.stats.items()
        if not still_there(stat, os.path.join(folder, path))
    )


class LookAhead:
    """The previous site's files looked at in a forked process while the build checks
    the data, on the other core: at 10,000 claims, the `stat` of 11,833 pages took a
    tenth of the time of a rebuild after an edit. The process reads the page cache
    itself and sends back only the pages whose file changed, with the cache file's
    stamp, so that the result is used only with that same cache. Where a process
    cannot fork (see parallel.Beside), or anything fails, the build looks at the
    files itself, as before."""

    def __init__(self, out: Path) -> None:
        self._beside: Beside[tuple[Any, frozenset[str]]] | None = None
        if cache_file(out).is_file():
            beside = Beside(partial(_changed_pages_now, out))
            self._beside = beside if beside.forked else None

    def changed(self, previous: Previous) -> frozenset[str] | None:
        """The pages whose file changed, as the forked process found them for this
        page cache; None: the caller looks at the files itself."""
        beside, self._beside = self._beside, None
        if beside is None:
            return None
        try:
            stamp, changed = beside.result()
        except Exception:  # what the caller's own look will find, and report
            return None
        if previous.stamp is None or stamp != previous.stamp:
            return None
        return changed if isinstance(changed, frozenset) else None

    def close(self) -> None:
        """Stop the process if it is still looking, and reap it."""
        if self._beside is not None:
            self._beside.cancel()
            self._beside = None


def _changed_pages_now(out: Path) -> tuple[Any, frozenset[str]]:
    previous = load(out)
    return previous.stamp, changed_pages(previous, out)


def load_notes(store: Path) -> dict[str, str]:
    """The Markdown texts the previous build converted, and their HTML."""
    try:
        key, known = pickle.loads(store.read_bytes())
    except Exception:  # none yet, or damaged: converted again
        return {}
    return known if key == _notes_key() and isinstance(known, dict) else {}


def save_notes(store: Path, known: dict[str, str]) -> None:
    keep_pickled(store, (_notes_key(), known))


def _notes_key() -> bytes:
    from .formatting import library_key  # by builds that render: `check` starts sooner

    return code_key() + library_key()


def still_there(left: Stat, file: str | Path) -> bool:
    """The file is the one the previous build left (not replaced or edited since)."""
    try:
        found = os.stat(file)
    except OSError:
        return False
    return stat_of(found) == left


def save(
    out: Path,
    fingerprints: dict[str, str],
    previous: Previous,
    kept: set[str],
    files: Iterable[str],
    stats: dict[str, Stat],
    families: dict[str, str],
    data: bytes = b"",
    state: bytes = b"",
) -> Previous:
    """Record each page's fingerprint with the file now in the output folder, and
    every file the site has, the digest of the records it was built from (`data`), and
    that of all its pages were made from (`state`: site_state, when every page has a
    fingerprint).
    A kept page's file is the one the previous build left (plan() checked it); `stats`
    has those rendered (as the workers found them)."""
    left = {path: previous.stats[path] for path in kept}
    for path in fingerprints.keys() - left.keys():  # rendered
        if (stat := stats.get(path)) is None:  # not found by a worker: looked at here
            stat = stat_of(os.stat(out / path))
        left[path] = stat
    listed = tuple(files)  # in no order: sorting 12,000 paths took 2 ms of every build
    target = cache_file(out)
    target.parent.mkdir(exist_ok=True)
    temporary = target.with_suffix(".tmp")
    stored = {
        "format": FORMAT, "fingerprints": fingerprints, "stats": left, "files": listed,
        "families": families, "data": data, "state": state,
    }  # fmt: skip
    write_file(temporary, pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(temporary, target)  # a crash never leaves half a cache
    return Previous(fingerprints, left, listed, families, data=data, state=state)


@dataclass(frozen=True)
class Plan:
    """Which pages a build renders, and the fingerprints it keeps for the next."""

    fingerprints: dict[str, str]  # path -> fingerprint, of every page that lists its inputs
    families: dict[str, str]  # name -> fingerprint, of every family
    keep: set[str]  # pages whose file in the output folder can stay as it is
    pages: list[Page]  # those listed one by one: all but the members of families kept
    count: int  # pages in all


def plan(
    listing: Iterable[Page | Family],
    key: bytes,
    records: Fingerprints,
    previous: Previous,
    out: Path,
    look: bool = True,
    changed: frozenset[str] | None = None,
) -> Plan:
    """Fingerprint the pages, and find those whose file in `out` the previous build
    wrote from the same inputs. A family whose fingerprint did not change keeps its
    pages as they are, unlisted, when all of them are still there; any other family
    is listed and its pages fingerprinted one by one. `look=False`: the caller knows
    that nothing else wrote to `out` since, so the files are not looked at; `changed`:
    they were looked at already (LookAhead), and these pages' files had changed."""
    joined = records.joined
    folder = str(out)
    known, left = previous.fingerprints, previous.stats

    def still_theirs(paths: tuple[str, ...]) -> bool:
        """Each page's file is the one the previous build left (each page is known)."""
        if not look:
            return True
        if changed is not None:
            return changed.isdisjoint(paths)
        return all(still_there(left[path], os.path.join(folder, path)) for path in paths)

    fingerprints: dict[str, str] = {}
    families: dict[str, str] = {}
    keep: set[str] = set()
    pages: list[Page] = []
    count = 0
    for item in listing:
        if isinstance(item, Page):
            members: Iterable[Page] = (item,)
            count += 1
        else:
            fingerprint = _fingerprint(key, b"family", item.name, item.inputs, joined)
            families[item.name] = fingerprint
            count += len(item.paths)
            if (
                previous.families.get(item.name) == fingerprint
                and all(map(known.__contains__, item.paths))
                and still_theirs(item.paths)
            ):  # the same inputs, and every page's file as that build left it
                fingerprints.update((path, known[path]) for path in item.paths)
                keep.update(item.paths)
                continue
            members = item.members()
        for page in members:
            pages.append(page)
            if page.inputs is not None:
                inputs, template = page.inputs, page.template
                fingerprint = _fingerprint(key, b"page", page.path, inputs, joined, template)
                fingerprints[page.path] = fingerprint
                if known.get(page.path) == fingerprint and still_theirs((page.path,)):
                    keep.add(page.path)
    return Plan(fingerprints, families, keep, pages, count)


def _fingerprint(
    key: bytes,
    kind: bytes,
    name: str,
    inputs: tuple[Any, ...],
    joined: Callable[[tuple[Any, ...]], bytes],
    template: str = "",
) -> str:
    # The inputs tuple of a page or a family is never shared: its items' digests go
    # straight into its own, rather than into a digest of their own that is kept.
    head = b"\0".join([key, kind, name.encode(), template.encode(), b""])
    return hashed(head + joined(inputs)).hex()
