"""Checking again after an edit: reuse what the previous check found for every
record whose text did not change.

A check that finds no errors leaves a memo in `.facttrack-cache/` beside the data
folder: each record of claims.yaml with the exact text it was read from (its
chunk, see chunks.py), the model object validate made of it and the anchor link
found for its quote; each source file with its size, modification time and inode
and the Source made of it. The next check (recheck) cuts claims.yaml into chunks
again, reads only the chunks whose text is new, and the claims and events whose
figure or source changed, and links only their quotes; everything else is the
memo's, moved to its new line if lines were added above it.

The memo only ever stands in for work that would have found no problem. Whenever
the edit is anything else (a chunk that does not read on its own, any error, a
change to the file outside its records, a new version of facttrack), recheck
gives up and the full check runs, so a check reports exactly what it would
without the memo (tests/test_memo.py compares the two over many edits).

Every record also gets a digest of what it shows, for the page cache (cache.py):
a YAML record's is that of its chunk's text and of the records its values come
from (a claim's unit may be its figure's, its stated_on its source's), so moving
a record to another line changes no page.
"""

from __future__ import annotations

import datetime as dt
import pickle
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import chunks, load
from . import validate as checks
from .chunks import Chunk, Split
from .digests import code_key, digest, keep_pickled
from .errors import Problems
from .frozen import pickled_by_fields
from .intervals import Interval
from .link import FlatText, anchor_claim, anchor_event
from .load import RawData, YamlList, YamlMap
from .model import Anchor, Claim, Dataset, Event, Linked, Source

CACHE_DIR = ".facttrack-cache"
FORMAT = 2  # bump when what the memo holds changes shape
RACY_NS = 2_000_000_000  # files changed this close to the memo's snapshot are read again
REWRITE_SHARE = 0.01  # write the memo again once more than this share had to be read again

# (kind, id) -> digest of what the record shows; kind: claim, event, figure,
# speaker, source or relation
Digests = dict[tuple[str, str], bytes]
_KIND = {
    "figures": "figure",
    "speakers": "speaker",
    "claims": "claim",
    "events": "event",
    "relations": "relation",
}


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Stored:
    """What a chunk became: its record as validated when the chunk began on `line`."""

    record: Any
    line: int
    digest: bytes
    depends: tuple[bytes, ...] = ()  # digests of the records its values come from
    anchor: Anchor | None = None  # claims and events: where the quote is


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class StoredSource:
    stat: tuple[int, int, int]  # size, modification time (ns), inode, before it was read
    source: Source
    digest: bytes


@dataclass(frozen=True)
class Memo:
    key: bytes  # facttrack's code and Python's version: a memo of other code is ignored
    today: dt.date  # the memo holds for this day and later ones ("no future dates")
    claims_path: str
    head: str  # claims.yaml outside its records
    site: tuple[str, str, str | None]  # title, description, url
    records: dict[tuple[str, str], Stored]  # (list, chunk text) -> what it became
    sources: dict[str, StoredSource]  # file path as shown -> what it became
    snapshot_ns: int  # when the source files were looked at
    # a claim's digest -> the values it allows (consistency.py), for derive to reuse
    intervals: dict[bytes, Interval] = field(default_factory=dict)


@dataclass(frozen=True)
class Checked:
    """A check's result with what the next check and the page cache need."""

    linked: Linked
    digests: Digests
    memo: Memo
    read_again: int  # records and sources read, not taken from the memo


def source_digest(source: Source) -> bytes:
    """What a source's page and its claims' pages show of it (not where it was read)."""
    shown = (source.id, source.title, source.publisher, source.published, source.kind)
    more = (source.text, source.url, source.retrieved, source.note)
    return digest(pickle.dumps((shown, more), protocol=pickle.HIGHEST_PROTOCOL))


def _depends(list_name: str, record: Any, digests: Digests) -> tuple[bytes, ...] | None:
    """Digests of the records a record's values come from; None if one is missing."""
    if list_name not in ("claims", "events"):
        return ()
    source = digests.get(("source", record.source))  # its quote is anchored in its source
    if list_name == "events":
        return None if source is None else (source,)
    figure = digests.get(("figure", record.figure))  # a claim's unit may be its figure's
    return None if figure is None or source is None else (figure, source)


def _stored(list_name: str, chunk: Chunk, record: Any, digests: Digests) -> Stored:
    """A record just read, with its digest."""
    depends = _depends(list_name, record, digests)
    assert depends is not None, "a record is stored after the records it depends on"
    return Stored(record, chunk.line, digest(list_name, chunk.text, *depends), depends)


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def snapshot_sources(data_dir: Path) -> tuple[int, dict[str, tuple[int, int, int]]]:
    """The time, and each source file's stat, taken before a check reads them."""
    stats: dict[str, tuple[int, int, int]] = {}
    folder = data_dir / load.SOURCES_DIR
    taken = time.time_ns()
    # the files load() reads; what is wrong with them (a folder missing or that cannot
    # be listed too), the load that follows reports
    for path in load.source_paths(folder, Problems()) or ():
        if (stat := _stat(path)) is not None:
            stats[str(path)] = stat
    return taken, stats


# -- kept between checks ------------------------------------------------------------


def memo_file(data_dir: Path) -> Path:
    data = data_dir.resolve()
    return data.parent / CACHE_DIR / f"check-{data.name}.pickle"


def load_memo(data_dir: Path) -> Memo | None:
    """The previous check's memo; None when there is none, or it cannot be read."""
    try:
        with memo_file(data_dir).open("rb") as file:
            stored = pickle.load(file)
    except Exception:  # missing, damaged or from another version: a full check then
        return None
    if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == FORMAT):
        return None
    memo = stored[1]
    return memo if isinstance(memo, Memo) else None


def save_memo(data_dir: Path, checked: Checked) -> None:
    """Keep the memo for the next check, when it saves that check enough work: a few
    records read again are cheaper to read again than the whole memo is to write."""
    total = len(checked.memo.records) + len(checked.memo.sources)
    if checked.read_again <= REWRITE_SHARE * total:
        return
    keep_pickled(memo_file(data_dir), (FORMAT, checked.memo))


def known_intervals(checked: Checked, previous: Memo | None) -> dict[str, Interval]:
    """claim id -> its interval from the previous check, for the claims unchanged."""
    if previous is None or not previous.intervals:
        return {}
    known = {}
    for record_id in checked.linked.data.claims:
        interval = previous.intervals.get(checked.digests["claim", record_id])
        if interval is not None:
            known[record_id] = interval
    return known


def with_intervals(checked: Checked, intervals: dict[str, Interval]) -> Checked:
    """The memo to keep, with each claim's interval under its digest."""
    by_digest = {checked.digests["claim", claim_id]: value for claim_id, value in intervals.items()}
    return replace(checked, memo=replace(checked.memo, intervals=by_digest))


# -- after a full check --------------------------------------------------------------


def cut(raw: RawData) -> Split | None:
    """claims.yaml's records as chunks, when the cut matches the parser's reading
    (see chunks.aligned); read before the parsed document is let go."""
    if raw.claims_text is None or raw.document is None:
        return None
    parts = chunks.split(raw.claims_text)
    return parts if parts is not None and chunks.aligned(parts, raw.document) else None


def remember(
    parts: Split | None,
    raw: RawData,
    linked: Linked,
    snapshot: tuple[int, dict[str, tuple[int, int, int]]],
    today: dt.date,
) -> Checked | None:
    """The memo of a full check that found no errors; None when claims.yaml's
    records cannot be told apart by their text (no `parts`: see cut())."""
    if parts is None:
        return None
    data = linked.data
    taken, stats = snapshot
    digests: Digests = {}
    sources: dict[str, StoredSource] = {}
    for raw_source in raw.sources:
        source = data.sources[raw_source.id]
        stat = stats.get(raw_source.path)
        digests[("source", source.id)] = source_digest(source)
        if stat is not None:
            sources[raw_source.path] = StoredSource(stat, source, digests[("source", source.id)])
    records: dict[tuple[str, str], Stored] = {}
    for list_name, by_id in _lists(data).items():
        section = parts.section(list_name)
        if len(section) != len(by_id):
            return None
        for chunk, record in zip(section, by_id.values(), strict=True):
            stored = _stored(list_name, chunk, record, digests)
            stored = replace(stored, anchor=_anchor(linked, record))
            digests[(_KIND[list_name], record.id)] = stored.digest
            records[(list_name, chunk.text)] = stored
    memo = Memo(
        key=code_key(),
        today=today,
        claims_path=raw.claims_path,
        head=parts.head,
        site=(data.title, data.description, data.url),
        records=records,
        sources=sources,
        snapshot_ns=taken,
    )
    return Checked(linked, digests, memo, read_again=len(records) + len(sources))


def _lists(data: Dataset) -> dict[str, dict[str, Any]]:
    """The record lists in the order they are checked (a claim needs its figure's digest)."""
    return {
        "speakers": data.speakers,
        "figures": data.figures,
        "claims": data.claims,
        "events": data.events,
        "relations": data.relations,
    }


def _anchor(linked: Linked, record: Any) -> Anchor | None:
    if isinstance(record, Claim):
        return linked.claim_anchors[record.id]
    if isinstance(record, Event):
        return linked.event_anchors[record.id]
    return None


# -- the next check ------------------------------------------------------------------


class _GiveUp(Exception):
    """The edit is not one recheck can vouch for: run the full check."""


def recheck(data_dir: Path, memo: Memo, today: dt.date) -> Checked | None:
    """The check's result for the data as it is now, from the memo and what changed;
    None when only the full check can tell."""
    if memo.key != code_key() or today < memo.today:
        return None
    try:
        return _Recheck(memo, today).run(data_dir)
    except _GiveUp:
        return None


class _Recheck:
    def __init__(self, memo: Memo, today: dt.date) -> None:
        self.memo = memo
        self.today = today
        self.problems = Problems()  # any problem at all means: give up
        self.validator = checks.Validator(RawData(memo.claims_path, None), self.problems, today)
        self.digests: Digests = {}
        self.records: dict[tuple[str, str], Stored] = {}
        self.read_again = 0
        self.unanchored: list[tuple[str, str]] = []  # records read again: to link

    def run(self, data_dir: Path) -> Checked:
        claims_path = data_dir / load.CLAIMS_FILE
        if str(claims_path) != self.memo.claims_path:
            raise _GiveUp
        text = load.read_text(claims_path, str(claims_path), load.MAX_CLAIMS_BYTES, self.problems)
        parts = chunks.split(text) if text is not None else None
        if parts is None or parts.head != self.memo.head:
            raise _GiveUp
        taken = time.time_ns()
        sources, stored_sources = self.sources(data_dir)
        speakers = self.plain(parts, "speakers", checks.speaker_record)
        figures = self.plain(parts, "figures", checks.figure_record)
        claims = self.claims(parts, figures, speakers, sources)
        events = self.events(parts, speakers, sources)
        relations = self.relations(parts, claims)
        claim_anchors, event_anchors = self.link(sources)
        self._give_up_on_problems()
        title, description, url = self.memo.site
        data = Dataset(
            sources, speakers, figures, claims, events, title, description, relations, url
        )
        memo = replace(
            self.memo, today=self.today, records=self.records, sources=stored_sources,
            snapshot_ns=taken,
        )  # fmt: skip
        linked = _linked(data, claim_anchors, event_anchors)
        return Checked(linked, self.digests, memo, self.read_again)

    def _give_up_on_problems(self) -> None:
        if self.problems.items:
            raise _GiveUp

    # -- sources ----------------------------------------------------------------

    def sources(self, data_dir: Path) -> tuple[dict[str, Source], dict[str, StoredSource]]:
        folder = data_dir / load.SOURCES_DIR
        if not folder.is_dir():
            raise _GiveUp
        sources: dict[str, Source] = {}
        stored_sources: dict[str, StoredSource] = {}
        trusted_before = self.memo.snapshot_ns - RACY_NS
        paths = load.source_paths(folder, self.problems)
        if paths is None:
            raise _GiveUp  # the full check reports it
        for path in paths:
            shown, stat = str(path), _stat(path)
            stored = self.memo.sources.get(shown)
            if stat is None:
                raise _GiveUp
            if stored is not None and stored.stat == stat and stat[1] < trusted_before:
                source, value = stored.source, stored.digest
            else:
                source = self._read_source(path)
                value = source_digest(source)
                self.read_again += 1
            sources[source.id] = source
            self.digests[("source", source.id)] = value
            stored_sources[shown] = StoredSource(stat, source, value)
        self._give_up_on_problems()
        return sources, stored_sources

    def _read_source(self, path: Path) -> Source:
        raw = load.load_source(path, str(path), self.problems)
        source = self.validator.source(raw) if raw is not None else None
        if source is None:
            raise _GiveUp
        return source

    # -- records ----------------------------------------------------------------

    def _fields(self, list_name: str, chunk: Chunk) -> tuple[checks.Record, dict[str, Any]]:
        """Read one chunk on its own, and check its fields."""
        self.read_again += 1
        value = load.parse_yaml(
            chunk.text, self.memo.claims_path, self.problems, line_offset=chunk.line - 1
        )
        if not (
            isinstance(value, YamlList)
            and len(value) == 1
            and isinstance(value[0], YamlMap)
            and chunk.line <= value.item_positions[0][0] < chunk.end_line
        ):
            raise _GiveUp
        record, values = self.validator.item(list_name, 0, value[0])
        if values is None:
            raise _GiveUp
        return record, values

    def _stored(self, list_name: str, chunk: Chunk) -> Stored | None:
        """The memo's record for this chunk, moved to the chunk's line."""
        stored = self.memo.records.get((list_name, chunk.text))
        if stored is None or stored.line == chunk.line:
            return stored
        moved = _moved(stored.record, chunk.line - stored.line)
        return replace(stored, record=moved, line=chunk.line)

    def _keep(self, list_name: str, chunk: Chunk, stored: Stored, by_id: dict[str, Any]) -> None:
        record = stored.record
        if record.id in by_id:
            raise _GiveUp  # a duplicate id: the full check reports it
        by_id[record.id] = record
        self.digests[(_KIND[list_name], record.id)] = stored.digest
        self.records[(list_name, chunk.text)] = stored

    def _add(self, list_name: str, chunk: Chunk, record: Any, by_id: dict[str, Any]) -> None:
        self._keep(list_name, chunk, _stored(list_name, chunk, record, self.digests), by_id)

    def plain(
        self, parts: Split, list_name: str, make: Callable[[checks.Record, dict[str, Any]], Any]
    ) -> dict[str, Any]:
        """Speakers or figures: each depends on its own text only."""
        by_id: dict[str, Any] = {}
        for chunk in parts.section(list_name):
            stored = self._stored(list_name, chunk)
            if stored is not None:
                self._keep(list_name, chunk, stored, by_id)
            else:
                self._add(list_name, chunk, make(*self._fields(list_name, chunk)), by_id)
        return by_id

    def _still_holds(self, list_name: str, stored: Stored | None) -> bool:
        """The records a stored claim or event was checked against are unchanged."""
        if stored is None:
            return False
        record = stored.record
        speaker = getattr(record, "speaker", None)
        if speaker is not None and ("speaker", speaker) not in self.digests:
            return False
        return _depends(list_name, record, self.digests) == stored.depends

    def claims(
        self,
        parts: Split,
        figures: dict[str, Any],
        speakers: dict[str, Any],
        sources: dict[str, Source],
    ) -> dict[str, Claim]:
        by_id: dict[str, Any] = {}
        for chunk in parts.section("claims"):
            stored = self._stored("claims", chunk)
            if stored is not None and self._still_holds("claims", stored):
                self._keep("claims", chunk, stored, by_id)
                continue
            record, values = self._fields("claims", chunk)
            claim = checks.claim_record(
                self.validator, record, values, figures, speakers, sources, sources
            )
            if claim is None:
                raise _GiveUp
            self._add("claims", chunk, claim, by_id)
            self.unanchored.append(("claims", chunk.text))
        return by_id

    def events(
        self, parts: Split, speakers: dict[str, Any], sources: dict[str, Source]
    ) -> dict[str, Event]:
        by_id: dict[str, Any] = {}
        for chunk in parts.section("events"):
            stored = self._stored("events", chunk)
            if stored is not None and self._still_holds("events", stored):
                self._keep("events", chunk, stored, by_id)
                continue
            record, values = self._fields("events", chunk)
            event = checks.event_record(self.validator, record, values, speakers, sources)
            if event is None:
                raise _GiveUp
            self._add("events", chunk, event, by_id)
            self.unanchored.append(("events", chunk.text))
        return by_id

    def relations(self, parts: Split, claims: dict[str, Claim]) -> dict[str, Any]:
        """Relations are checked against the claims they name: always read again."""
        section = parts.section("relations")
        fields = [self._fields("relations", chunk) for chunk in section]
        relations = checks.relation_records(self.validator, fields, set(claims), claims)
        if len(relations) != len(section):
            raise _GiveUp
        by_id: dict[str, Any] = {}
        for chunk, relation in zip(section, relations.values(), strict=True):
            self._add("relations", chunk, relation, by_id)
        return by_id

    # -- link -----------------------------------------------------------------------

    def link(self, sources: dict[str, Source]) -> tuple[dict[str, Anchor], dict[str, Anchor]]:
        """Anchors of every claim and of every event: the memo's, and those linked again."""
        anchors: dict[str, dict[str, Anchor]] = {"claims": {}, "events": {}}
        for (list_name, _), stored in self.records.items():
            if stored.anchor is not None:
                anchors[list_name][stored.record.id] = stored.anchor
        waiting: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key in self.unanchored:
            waiting[self.records[key].record.source].append(key)
        for source_id, keys in waiting.items():
            source = sources[source_id]
            flat = FlatText.of(source.text)
            for key in keys:
                record = self.records[key].record
                if key[0] == "claims":
                    anchor = anchor_claim(flat, source, record, self.problems)
                else:
                    anchor = anchor_event(flat, source, record, self.problems)
                if anchor is None:
                    raise _GiveUp
                anchors[key[0]][record.id] = anchor
                self.records[key] = replace(self.records[key], anchor=anchor)
        return anchors["claims"], anchors["events"]


def _moved(record: Any, lines: int) -> Any:
    """The record as read `lines` further down the file (its fields' positions are
    relative to its own line: they stay)."""
    return replace(record, location=replace(record.location, line=record.location.line + lines))


def _linked(data: Dataset, claims: dict[str, Anchor], events: dict[str, Anchor]) -> Linked:
    """The anchors in the order link() finds them: source by source, in file order."""
    claims_of: dict[str, list[str]] = defaultdict(list)
    events_of: dict[str, list[str]] = defaultdict(list)
    for claim in data.claims.values():
        claims_of[claim.source].append(claim.id)
    for event in data.events.values():
        events_of[event.source].append(event.id)
    return Linked(
        data,
        {i: claims[i] for source in data.sources for i in claims_of.get(source, ())},
        {i: events[i] for source in data.sources for i in events_of.get(source, ())},
    )
