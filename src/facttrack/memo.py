"""Checking again after an edit: reuse what the previous check found for every
record whose text did not change.

A check that finds no errors leaves a memo in `.facttrack-cache/` beside the data
folder: its result (the linked data and every record's digest), claims.yaml's
text and where each record's chunk of it is (see chunks.py), which together tell
what each chunk became (records()); and each source file with its size,
modification time and inode and the Source made of it. The next check (recheck)
cuts claims.yaml into chunks again, reads only the chunks whose text is new, and
the claims and events whose figure or source changed, and links only their
quotes; everything else is the memo's, moved to its new line if lines were added
above it. The commonest edit (within claims or events, every record keeping its
id and every line where it was, the sources as they were) is patched into the
previous check's result: the two texts are compared to find the edit, only the
records it touches are cut and read again, and no other record is looked at
(_Recheck.patch).

The memo only ever stands in for work that would have found no problem. Whenever
the edit is anything else (a chunk that does not read on its own, any error, a
change to the file outside its records, a new version of facttrack), recheck
gives up and the full check runs, so a check reports exactly what it would
without the memo (tests/test_memo.py compares the two over many edits).

Every record also gets a digest of what it shows, for the page cache (cache.py):
a YAML record's is that of its chunk's text and of the records its values come
from (a claim's unit may be its figure's, its stated_on its source's), and a
claim's that of its speaker too, which every page showing a claim names beside
it; so moving a record to another line changes no page.
"""

from __future__ import annotations

import bisect
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
from .digests import CACHE_DIR, code_key, digest, keep_pickled
from .errors import Problems
from .frozen import pickled_by_fields
from .intervals import Interval
from .link import FlatText, anchor_claim, anchor_event
from .load import RawData, YamlList, YamlMap
from .model import Anchor, Claim, Dataset, Event, Linked, Source
from .write import Stat, stat_of

FORMAT = 4  # bump when what the memo holds changes shape or meaning
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
    """A source file as the check read it: its file's stat, the source, its digest."""

    stat: Stat  # the file's, before it was read
    source: Source
    digest: bytes


@dataclass(frozen=True)
class Memo:
    """What a check keeps for the next one: the text it read, and what each record
    became."""

    key: bytes  # facttrack's code and Python's version: a memo of other code is ignored
    today: dt.date  # the memo holds for this day and later ones ("no future dates")
    claims_path: str
    head: str  # claims.yaml outside its records
    site: tuple[str, str, str | None]  # title, description, url
    sources: dict[str, StoredSource]  # file path as shown -> what it became
    snapshot_ns: int  # when the source files were looked at
    text: str  # claims.yaml as read
    linked: Linked  # the check's result
    digests: Digests
    # Each record's chunk of `text`, in the file's order: its list, its record's id,
    # where it starts and ends, and the line it starts on. With `linked` and
    # `digests`, they tell what each chunk became (records()): the memo keeps the
    # check's result once, and the next check patches it (see _Recheck.patch).
    sections: tuple[str, ...]
    ids: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    lines: tuple[int, ...]
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
    """Digests of the records a record's values come from, and of those a claim is
    shown with (its figure, speaker and source: cache.Fingerprints); None if one is
    missing."""
    if list_name not in ("claims", "events"):
        return ()
    source = digests.get(("source", record.source))  # its quote is anchored in its source
    if list_name == "events":
        return None if source is None else (source,)
    figure = digests.get(("figure", record.figure))  # a claim's unit may be its figure's
    speaker = digests.get(("speaker", record.speaker))
    if figure is None or speaker is None or source is None:
        return None
    return (figure, speaker, source)


def _known_depends(list_name: str, record: Any, digests: Digests) -> tuple[bytes, ...]:
    """_depends() of a record read after every record it depends on (the lists are
    read in _lists' order), whose digests are all there."""
    depends = _depends(list_name, record, digests)
    assert depends is not None, "a record is read after the records it depends on"
    return depends


def _stored(list_name: str, chunk: Chunk, record: Any, digests: Digests) -> Stored:
    """A record just read, with its digest."""
    depends = _known_depends(list_name, record, digests)
    return Stored(record, chunk.line, _digest(list_name, chunk, depends), depends)


def _digest(list_name: str, chunk: Chunk, depends: tuple[bytes, ...]) -> bytes:
    """A record's digest: its text, and the digests of the records it depends on."""
    return digest(list_name, chunk.text, *depends)


def _stat(path: Path) -> Stat | None:
    try:
        return stat_of(path.stat())
    except OSError:
        return None


def snapshot_sources(data_dir: Path) -> tuple[int, dict[str, Stat]]:
    """The time, and each source file's stat, taken before a check reads them."""
    stats: dict[str, Stat] = {}
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
    total = len(checked.memo.ids) + len(checked.memo.sources)
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
    parts = raw.claims_cut
    return parts if parts is not None and chunks.aligned(parts, raw.document) else None


def remember(
    parts: Split | None,
    raw: RawData,
    linked: Linked,
    snapshot: tuple[int, dict[str, Stat]],
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
    ids: dict[tuple[str, str], str] = {}  # (list, chunk text) -> its record's id
    for list_name, by_id in _lists(data).items():
        section = parts.section(list_name)
        if len(section) != len(by_id):
            return None
        for chunk, record in zip(section, by_id.values(), strict=True):
            depends = _known_depends(list_name, record, digests)
            digests[(_KIND[list_name], record.id)] = _digest(list_name, chunk, depends)
            ids[(list_name, chunk.text)] = record.id
    memo = Memo(
        key=code_key(),
        today=today,
        claims_path=raw.claims_path,
        head=parts.head,
        site=(data.title, data.description, data.url),
        sources=sources,
        snapshot_ns=taken,
        **_result(
            parts, [ids[chunk.section, chunk.text] for chunk in parts.chunks], linked, digests
        ),
    )
    return Checked(linked, digests, memo, read_again=len(ids) + len(sources))


def _result(parts: Split, ids: list[str], linked: Linked, digests: Digests) -> dict[str, Any]:
    """The memo's fields of the check's result: `linked`, `digests`, and each chunk of
    the text cut into `parts`, with the id of its record (`ids`, in the chunks' order:
    the record's own strings, as the list names are, so that they pickle once)."""
    cut = parts.chunks
    names = {name: name for name in chunks.RECORD_LISTS}
    return {
        "text": parts.text, "linked": linked, "digests": digests,
        "sections": tuple([names[chunk.section] for chunk in cut]),
        "ids": tuple(ids),
        "starts": tuple([chunk.start for chunk in cut]),
        "ends": tuple([chunk.start + len(chunk.text) for chunk in cut]),
        "lines": tuple([chunk.line for chunk in cut]),
    }  # fmt: skip


def records(memo: Memo) -> dict[tuple[str, str], Stored]:
    """(list, chunk text) -> what the chunk became, for every record of the memo:
    found through its cut of the text in the check's result, which the memo does
    not keep a second time (reading it back is the first step of every rebuild)."""
    data, text, digests = memo.linked.data, memo.text, memo.digests
    tables = _lists(data)
    found: dict[tuple[str, str], Stored] = {}
    cut = zip(memo.sections, memo.ids, memo.starts, memo.ends, memo.lines, strict=True)
    for list_name, record_id, start, end, line in cut:
        record = tables[list_name][record_id]
        depends = _known_depends(list_name, record, digests)
        digest_ = digests[(_KIND[list_name], record_id)]
        anchor = _anchor(memo.linked, record)
        found[(list_name, text[start:end])] = Stored(record, line, digest_, depends, anchor)
    return found


def _spliced(
    values: tuple[int, ...], first: int, new: list[int], moved: int = 0
) -> tuple[int, ...]:
    """`values` with those from index `first` on replaced by `new`, and the ones after
    them moved by `moved`: the memo's cut of the text after a patch."""
    after = first + len(new)
    return (*values[:first], *new, *(value + moved for value in values[after:]))


def _chunks_of(memo: Memo, list_name: str) -> list[Chunk]:
    """The memo's chunks of one record list."""
    cut = zip(memo.sections, memo.starts, memo.ends, memo.lines, strict=True)
    return [
        Chunk(name, memo.text[start:end], line, start)
        for name, start, end, line in cut
        if name == list_name
    ]


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
    claims_path = data_dir / load.CLAIMS_FILE
    if str(claims_path) != memo.claims_path:
        return None
    text = load.read_text(claims_path, str(claims_path), load.MAX_CLAIMS_BYTES, Problems())
    if text is None:
        return None  # the full check reports why
    try:
        patched = _Recheck(memo, today).patch(data_dir, text)
        return patched or _Recheck(memo, today).run(data_dir, text)
    except _GiveUp:
        return None


class _Recheck:
    def __init__(self, memo: Memo, today: dt.date) -> None:
        self.memo = memo
        self.today = today
        self.problems = Problems()  # any problem at all means: give up
        self.validator = checks.Validator(RawData(memo.claims_path, None), self.problems, today)
        self.digests: Digests = {}
        self.known: dict[tuple[str, str], Stored] = {}  # the memo's records: see run()
        self.records: dict[tuple[str, str], Stored] = {}  # those of this check
        self.read_again = 0
        self.unanchored: list[tuple[str, str]] = []  # records read again: to link

    def run(self, data_dir: Path, text: str) -> Checked:
        """Every record of claims.yaml, as `text` has it, compared with the memo's."""
        parts = chunks.split(text)
        if parts is None or parts.head != self.memo.head:
            raise _GiveUp
        taken = time.time_ns()
        self.known = records(self.memo)
        sources, stored_sources = self.sources(data_dir)
        speakers = self.plain(parts, "speakers", checks.speaker_record)
        figures = self.plain(parts, "figures", checks.figure_record)
        claims = self.claims(parts, figures, speakers, sources)
        events = self.events(parts, speakers, sources)
        relations = self.relations(parts.section("relations"), claims)
        claim_anchors, event_anchors = self.link(sources, *self.anchors())
        self._give_up_on_problems()
        title, description, url = self.memo.site
        data = Dataset(
            sources, speakers, figures, claims, events, title, description, relations, url
        )
        linked = _linked(data, claim_anchors, event_anchors)
        memo = replace(
            self.memo, today=self.today, sources=stored_sources, snapshot_ns=taken,
            **_result(parts, self.ids(parts), linked, self.digests),
        )  # fmt: skip
        return Checked(linked, self.digests, memo, self.read_again)

    def ids(self, parts: Split) -> list[str]:
        """The id of each chunk's record, in the chunks' order."""
        return [self.records[chunk.section, chunk.text].record.id for chunk in parts.chunks]

    def patch(self, data_dir: Path, text: str) -> Checked | None:
        """The memo's result with only the records an edit touched read again: for an
        edit within the claims or the events that keeps every record's id, and every
        line where it was, and leaves the sources as they were (a number, a date or a
        quote corrected, the commonest edit); no other record is cut, compared or
        moved. None for any other edit, which run() checks."""
        memo = self.memo
        edit = _edit(memo, text)
        if edit is None:
            return None
        first, replaced = edit
        taken = time.time_ns()
        sources, stored_sources = self.sources(data_dir)
        if self.read_again or len(stored_sources) != len(memo.sources):
            return None  # a source changed or went: run() checks the records citing it
        data = memo.linked.data
        self.digests = {**memo.digests, **self.digests}
        claims: dict[str, Claim] = dict(data.claims)
        events: dict[str, Event] = dict(data.events)
        tables: dict[str, dict[str, Any]] = {"claims": claims, "events": events}
        same_sources = True  # every record read again cites the source it cited
        for index, chunk in enumerate(replaced, start=first):
            start, end, line = memo.starts[index], memo.ends[index], memo.lines[index]
            if chunk.line == line and chunk.text == memo.text[start:end]:
                continue  # between the records the edit touched, and as it was
            stored = self._read_again(chunk, data, sources)
            record_id = memo.ids[index]
            if stored.record.id != record_id:
                return None  # records added, removed or moved: run() puts them in order
            old = tables[chunk.section][record_id]
            same_sources = same_sources and stored.record.source == old.source
            tables[chunk.section][record_id] = stored.record  # in the place of the old
            self.digests[(_KIND[chunk.section], record_id)] = stored.digest
            key = (chunk.section, chunk.text)
            self.records[key] = stored
            self.unanchored.append(key)
        relations = self.relations(_chunks_of(memo, "relations"), claims)
        anchors = dict(memo.linked.claim_anchors), dict(memo.linked.event_anchors)
        claim_anchors, event_anchors = self.link(sources, *anchors)
        self._give_up_on_problems()
        data = replace(data, sources=sources, claims=claims, events=events, relations=relations)
        if same_sources:  # the anchors are in _linked's order already
            linked = Linked(data, claim_anchors, event_anchors)
        else:
            linked = _linked(data, claim_anchors, event_anchors)
        moved = len(text) - len(memo.text)  # characters, after the edit
        memo = replace(
            memo, today=self.today, sources=stored_sources, snapshot_ns=taken, text=text,
            linked=linked, digests=self.digests,
            starts=_spliced(memo.starts, first, [c.start for c in replaced], moved),
            ends=_spliced(memo.ends, first, [c.start + len(c.text) for c in replaced], moved),
            lines=_spliced(memo.lines, first, [c.line for c in replaced]),
        )  # fmt: skip
        return Checked(linked, self.digests, memo, self.read_again)

    def _read_again(self, chunk: Chunk, data: Dataset, sources: dict[str, Source]) -> Stored:
        """A claim or an event read and checked again, as claims() and events() do."""
        record, values = self._fields(chunk.section, chunk)
        made: Claim | Event | None
        if chunk.section == "claims":
            made = checks.claim_record(
                self.validator, record, values, data.figures, data.speakers, sources, sources
            )
        else:
            made = checks.event_record(self.validator, record, values, data.speakers, sources)
        if made is None:
            raise _GiveUp
        return _stored(chunk.section, chunk, made, self.digests)

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
            modified_ns = stat[0]
            if stored is None or stored.stat != stat or modified_ns >= trusted_before:
                source = self._read_source(path)
                stored = StoredSource(stat, source, source_digest(source))
                self.read_again += 1
            sources[stored.source.id] = stored.source
            self.digests[("source", stored.source.id)] = stored.digest
            stored_sources[shown] = stored
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
        stored = self.known.get((list_name, chunk.text))
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

    def _still_holds(self, list_name: str, stored: Stored) -> bool:
        """The records a stored claim or event was checked against are unchanged. A
        claim depends on its speaker (_depends); an event does not, since only its
        page shows the speaker, but the speaker it names must still be there."""
        record = stored.record
        if list_name == "events" and record.speaker is not None:
            if ("speaker", record.speaker) not in self.digests:
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

    def relations(self, section: list[Chunk], claims: dict[str, Claim]) -> dict[str, Any]:
        """Relations are checked against the claims they name: always read again."""
        fields = [self._fields("relations", chunk) for chunk in section]
        relations = checks.relation_records(self.validator, fields, set(claims), claims)
        if len(relations) != len(section):
            raise _GiveUp
        by_id: dict[str, Any] = {}
        for chunk, relation in zip(section, relations.values(), strict=True):
            self._add("relations", chunk, relation, by_id)
        return by_id

    # -- link -----------------------------------------------------------------------

    def anchors(self) -> tuple[dict[str, Anchor], dict[str, Anchor]]:
        """The anchors the records kept from the memo have (of claims, of events)."""
        anchors: dict[str, dict[str, Anchor]] = {"claims": {}, "events": {}}
        for (list_name, _), stored in self.records.items():
            if stored.anchor is not None:
                anchors[list_name][stored.record.id] = stored.anchor
        return anchors["claims"], anchors["events"]

    def link(
        self, sources: dict[str, Source], claims: dict[str, Anchor], events: dict[str, Anchor]
    ) -> tuple[dict[str, Anchor], dict[str, Anchor]]:
        """Anchors of every claim and of every event: `claims` and `events`, with those
        of the records read again linked and put in (the dicts are changed)."""
        anchors = {"claims": claims, "events": events}
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


def _edit(memo: Memo, text: str) -> tuple[int, list[Chunk]] | None:
    """Where claims.yaml changed since the memo: the index in the memo's cut of the first
    record the edit touched, and the chunks of the records it touched as they are now
    (none for no edit). None when the edit reaches outside the records of one list of
    claims or events, or moves a line: run() cuts the file again then."""
    old = memo.text
    if text == old:
        return 0, []
    same = _common_prefix(old, text)
    old_end = len(old) - _common_suffix(old, text, min(len(old), len(text)) - same)
    starts, ends, sections = memo.starts, memo.ends, memo.sections
    first = bisect.bisect_right(starts, same) - 1
    last = max(first, bisect.bisect_right(starts, old_end - 1) - 1)
    if first < 0:
        return None  # in the head, before the first record
    section = sections[first]
    if not (
        section in ("claims", "events")
        and same < ends[first]
        and old_end <= ends[last]
        and all(sections[index] == section for index in range(first, last + 1))
        and all(ends[index] == starts[index + 1] for index in range(first, last))
    ):
        return None  # it reaches the head, or records of another list
    before = old[starts[first] : ends[last]]
    now = text[starts[first] : ends[last] + len(text) - len(old)]
    if not now.endswith("\n") and starts[first] + len(now) < len(text):
        return None  # the record after it no longer starts a line: it was edited too
    header = f"{section}:\n"
    parts = chunks.split(header + now)
    if (
        parts is None
        or parts.head != header
        or len(parts.chunks) != last + 1 - first  # records added, or gone
        or before.count("\n") != now.count("\n")
        or len(before) - len(before.lstrip(" ")) != len(now) - len(now.lstrip(" "))
    ):
        return None  # lines moved, records added or gone, or not records of this list
    line = memo.lines[first] - 2  # the header is line 1 of `parts`
    start = starts[first] - len(header)
    return first, [
        Chunk(section, chunk.text, line + chunk.line, start + chunk.start) for chunk in parts.chunks
    ]


def _common_prefix(one: str, other: str) -> int:
    """How many characters the two texts start with alike."""
    at, step, most = 0, 1 << 16, min(len(one), len(other))
    while step:
        while at + step <= most and one[at : at + step] == other[at : at + step]:
            at += step
        step //= 2
    return at


def _common_suffix(one: str, other: str, most: int) -> int:
    """How many characters, at most `most`, the two texts end with alike."""
    at, step = 0, 1 << 16
    while step:
        while (
            at + step <= most
            and one[len(one) - at - step : len(one) - at]
            == other[len(other) - at - step : len(other) - at]
        ):
            at += step
        step //= 2
    return at


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
