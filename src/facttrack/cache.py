"""Incremental builds: re-render only the pages whose inputs changed.

Every page lists the records it shows (Page.inputs). Its fingerprint is a digest
of those records, of its path and template, and of everything every page
depends on: facttrack's own code, the templates and the site's title and
description. After a build the fingerprints are kept in
`.facttrack-cache/<out>.pickle` beside the output folder, with each file's
modification time, size and inode. The next build reuses a page's previous file
(hard-linked, untouched) when its fingerprint is the same and the file is still
the one that build wrote; anything else is rendered again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .digests import code_key
from .memo import Digests
from .model import Claim, Dataset, Event, Figure, Relation, Source, Speaker

if TYPE_CHECKING:
    from .render import Page

CACHE_DIR = ".facttrack-cache"
FORMAT = 3  # bump when the cache file's layout changes


_KINDS: dict[type, str] = {
    Claim: "claim",
    Event: "event",
    Figure: "figure",
    Speaker: "speaker",
    Source: "source",
    Relation: "relation",
}


class Fingerprints:
    """Stable digests of records and tuples of records, each computed once.

    A record's digest is the check's (memo.Digests: of the text it was read from)
    when the check could tell it, else that of its pickle, its whole content.
    """

    def __init__(self, records: Digests | None = None) -> None:
        self._records = records or {}
        # type -> {record id -> digest}: looked up by the record's own id string, not by
        # a (kind, id) tuple made and hashed for each of millions of lookups
        self._by_type: dict[type, dict[str, bytes]] = {cls: {} for cls in _KINDS}
        kinds = {kind: self._by_type[cls] for cls, kind in _KINDS.items()}
        for (kind, record_id), digest in self._records.items():
            if (table := kinds.get(kind)) is not None:  # a kind no page shows: unused
                table[record_id] = digest
        self._digests: dict[int, bytes] = {}
        self._alive: list[Any] = []  # keeps every digested object, so its id() is not reused

    def of(self, value: Any) -> bytes:
        by_type = self._by_type
        if type(value) is tuple:  # most calls: the groups of records pages share
            digest = self._digests.get(id(value))
            if digest is None:
                of = self.of
                parts = []
                for item in value:  # mostly records: their digests looked up here
                    table = by_type.get(type(item))
                    found = table.get(item.id) if table is not None else None
                    parts.append(of(item) if found is None else found)
                digest = _digest(b"".join(parts))
                self._keep(value, digest)
            return digest
        table = by_type.get(type(value))
        if table is not None:
            digest = table.get(value.id)
            if digest is not None:  # a record the check digested: nothing to keep
                return digest
        digest = self._digests.get(id(value))
        if digest is None:
            if isinstance(value, Dataset) and self._records:
                digest = self._dataset(value)
            else:  # a frozen dataclass of plain values: its pickle is its content
                digest = _digest(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            self._keep(value, digest)
        return digest

    def _keep(self, value: Any, digest: bytes) -> None:
        self._digests[id(value)] = digest
        self._alive.append(value)  # so that its id() is not reused

    def _dataset(self, data: Dataset) -> bytes:
        """Every record, in the order the files have them, and the site's own fields."""
        parts = [pickle.dumps((data.title, data.description, data.url))]
        for kind, records in (
            ("source", data.sources), ("speaker", data.speakers), ("figure", data.figures),
            ("claim", data.claims), ("event", data.events), ("relation", data.relations),
        ):  # fmt: skip
            parts += [self._records[(kind, record_id)] for record_id in records]
        return _digest(b"".join(parts))


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def site_key(folders: Iterable[Path], *values: str) -> bytes:
    """What every page depends on: facttrack's code, the template folders, and values."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(code_key())
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            hasher.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    for value in values:
        hasher.update(value.encode() + b"\0")
    return hasher.digest()


class Entry(NamedTuple):
    """A page's fingerprint and the file the build left for it. A tuple: the page cache
    holds one for every page, made and read back on every build."""

    fingerprint: str
    mtime_ns: int
    size: int
    inode: int


@dataclass(frozen=True)
class Previous:
    """What the previous build into a folder left: its pages and all its files."""

    pages: dict[str, Entry]
    files: tuple[str, ...] = ()  # every file of the site, from its root


def cache_file(out: Path) -> Path:
    return out.parent / CACHE_DIR / f"{out.name}.pickle"


def load(out: Path) -> Previous:
    """The previous build's entries; none when there is no usable cache."""
    try:
        stored = pickle.loads(cache_file(out).read_bytes())
        if stored.get("format") != FORMAT:
            return Previous({})
        pages = {path: Entry._make(values) for path, values in stored["pages"].items()}
        files = stored["files"]
    except Exception:  # missing, damaged or not ours: it only costs a full build
        return Previous({})
    return Previous(pages, files) if isinstance(files, tuple) else Previous({})


def still_there(entry: Entry, file: str | Path) -> bool:
    """The file is the one the previous build wrote (not replaced or edited since)."""
    try:
        stat = os.stat(file)
    except OSError:
        return False
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino) == (
        entry.mtime_ns,
        entry.size,
        entry.inode,
    )


def save(
    out: Path,
    fingerprints: dict[str, str],
    previous: Previous,
    kept: set[str],
    files: Iterable[str],
    stats: dict[str, tuple[int, int, int]],
) -> Previous:
    """Record each page's fingerprint with the file now in the output folder, and
    every file the site has. A kept page's file is the one the previous build
    recorded (reusable() checked it); `stats` has those rendered (mtime, size,
    inode, as the workers found them)."""
    entries: dict[str, Entry] = {}
    for path, fingerprint in fingerprints.items():
        entry = previous.pages.get(path) if path in kept else None
        if entry is not None:  # the same fingerprint, and the same file
            entries[path] = entry
            continue
        if path in stats:
            stat = stats[path]
        else:
            found = os.stat(out / path)
            stat = (found.st_mtime_ns, found.st_size, found.st_ino)
        entries[path] = Entry(fingerprint, *stat)
    listed = tuple(sorted(files))
    target = cache_file(out)
    target.parent.mkdir(exist_ok=True)
    temporary = target.with_suffix(".tmp")
    # stored as plain tuples: a named tuple pickles through a Python call of its own
    pages = {path: tuple(entry) for path, entry in entries.items()}
    stored = {"format": FORMAT, "files": listed, "pages": pages}
    temporary.write_bytes(pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(temporary, target)  # a crash never leaves half a cache
    return Previous(entries, listed)


def page_fingerprints(
    pages: Iterable[Page], key: bytes, records: Digests | None = None
) -> dict[str, str]:
    """path -> fingerprint of every page that declares its inputs."""
    of = Fingerprints(records).of
    result = {}
    for page in pages:
        if page.inputs is not None:
            # A page's own inputs tuple is never shared: its items' digests go straight
            # into the page's, rather than into a digest of their own that is kept.
            head = b"\0".join([key, page.path.encode(), page.template.encode(), b""])
            parts = [of(item) for item in page.inputs]
            result[page.path] = _digest(head + b"".join(parts)).hex()
    return result


def reusable(
    fingerprints: dict[str, str], previous: Previous, out: Path, look: bool = True
) -> set[str]:
    """The pages whose file in `out` the previous build wrote from the same inputs.
    `look=False`: the caller knows that nothing else wrote to `out` since, so the
    files are not looked at."""
    folder = str(out)
    return {
        path
        for path, fingerprint in fingerprints.items()
        if (entry := previous.pages.get(path)) is not None
        and entry.fingerprint == fingerprint
        and (not look or still_there(entry, os.path.join(folder, path)))
    }
