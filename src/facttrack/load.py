"""Read data/claims.yaml and data/sources/*.txt, keeping line numbers.

YAML is parsed with libyaml where available (fast), and turned into plain
Python values straight from the parser's events, or, for documents with
anchors, aliases, tags or repeated keys, through a node tree: mappings become
YamlMap, a dict that remembers where it and each of its keys were written.
Scalars stay as written where YAML would guess: dates remain strings, so
precision is never lost.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import yaml

from . import chunks, parallel
from .chunks import Chunk, Split
from .errors import Problems
from .model import Positions, field_at, shared

try:  # libyaml's C parser; the pure-Python one gives the same nodes, slower
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

CLAIMS_FILE = "claims.yaml"
SOURCES_DIR = "sources"
MAX_CLAIMS_BYTES = 256 * 1024 * 1024
MAX_SOURCE_BYTES = 32 * 1024 * 1024
MAX_ALIAS_REPORTS = 10
MAX_DEPTH = 64  # far beyond any real record; libyaml's composer crashes on ~100,000 levels
SOURCE_ID_RE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
# A claims.yaml this large is read in two parts at once (see _parse_in_parts) ...
PARTS_FROM_BYTES = 256 * 1024
# ... and each source file this process reads meanwhile moves the cut this much
# towards the start: it only balances the two parts' times (read one source, with its
# front matter, against parsing claims.yaml and sending the values back); measured
# at 10,000 claims, 0, 300, 600 and 1,000 bytes took 0.25, 0.23, 0.25 and 0.28 s.
SOURCE_FILE_BYTES = 300


class YamlMap(dict[str, Any]):
    """A mapping that knows its own position and those of its keys (1-based).

    Where its keys are is one flat tuple, relative to the mapping's own line, as a
    record keeps it (model.Positions): each key, how many lines below the mapping it
    is, and its column. Mappings laid out alike share one tuple (model.shared; most of
    a tracker's records are), which a record takes over as it is (validate.Record.positions)."""

    line: int = 1
    col: int = 1
    key_positions: Positions = ()

    def position(self, key: str | None = None) -> tuple[int, int]:
        found = field_at(self.key_positions, key, self.line) if key is not None else None
        return found or (self.line, self.col)


class YamlList(list[Any]):
    line: int
    col: int
    item_positions: list[tuple[int, int]]


@dataclass
class RawSource:
    """A source file split into its front matter and its verbatim text."""

    id: str
    path: str
    meta: YamlMap
    text: str
    text_line: int


@dataclass
class RawData:
    """What load hands to validate: untyped records with their positions."""

    claims_path: str
    document: YamlMap | None
    sources: list[RawSource] = field(default_factory=list)
    claims_text: str | None = None  # claims.yaml as read, when it could be
    claims_cut: Split | None = None  # claims_text cut into records (chunks.split)
    # every source file's id, readable or not; None when the sources folder could not be
    # listed, so that no claim is told its source is unknown (the folder's error says why)
    source_ids: set[str] | None = field(default_factory=set)


def _position(node: yaml.Node, line_offset: int) -> tuple[int, int]:
    return (node.start_mark.line + 1 + line_offset, node.start_mark.column + 1)


class _Converter:
    """Turns a YAML node tree into YamlMap/YamlList/scalars, reporting problems."""

    def __init__(self, path: str, problems: Problems, line_offset: int = 0) -> None:
        self.path = path
        self.problems = problems
        self.line_offset = line_offset
        self.seen: set[int] = set()
        self.found_alias = False
        self.constructor = yaml.SafeLoader("")

    def convert(self, node: yaml.Node) -> Any:
        if id(node) in self.seen:  # an alias: reported with its own position afterwards
            self.found_alias = True
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode):
            items = YamlList(self.convert(item) for item in node.value)
            items.line, items.col = _position(node, self.line_offset)
            items.item_positions = [_position(item, self.line_offset) for item in node.value]
            return items
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode) -> YamlMap:
        mapping = YamlMap()
        mapping.line, mapping.col = _position(node, self.line_offset)
        laid_out: list[str | int] = []
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            line, col = _position(key_node, self.line_offset)
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.error(
                    self.path,
                    line,
                    col,
                    "YAML merge keys (<<) are not supported",
                    hint="write the fields out in full",
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.error(self.path, line, col, "a key must be a plain word")
                continue
            key = str(key_node.value)
            if key in mapping:
                self.problems.error(
                    self.path,
                    line,
                    col,
                    f"duplicate key '{key}' (first written on line {first_lines[key]})",
                    hint="YAML keeps only one of them; remove or rename the other",
                )
                continue
            first_lines[key] = line
            laid_out += (key, line - mapping.line, col)
            mapping[key] = self.convert(value_node)
        mapping.key_positions = shared(tuple(laid_out))
        return mapping

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        return _scalar_value(node.tag, node.value, self.constructor)


def _scalar_value(tag: str, value: str, constructor: yaml.SafeLoader) -> Any:
    """A scalar's Python value from its resolved tag."""
    if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool"):
        try:
            return constructor.construct_object(yaml.ScalarNode(tag, value))
        except (ValueError, KeyError, yaml.YAMLError):
            # an explicit tag on a value it does not fit ("!!int abc", or digits
            # beyond Python's limit): keep the text, validation says what is wrong
            return str(value)
    if tag == "tag:yaml.org,2002:null":
        return None
    return str(value)  # strings, and dates kept as written


class _NotPlain(Exception):
    """The document uses YAML that the event reading leaves to the node tree."""


class _TooDeep(Exception):
    """Lists and mappings nest more than MAX_DEPTH levels deep, from this mark on."""

    def __init__(self, mark: Any) -> None:
        super().__init__()
        self.mark = mark


_PLAIN_TAGS = (None, "!")  # no tag, or the non-specific one: resolved from the text


def _read_events(text: str, line_offset: int) -> Any:
    """Read a plain document straight from the parser's events, into the values
    _Converter makes from the node tree, twice as fast (no node objects).

    Plain: mappings with scalar keys, lists and scalars; no anchor, alias,
    explicit tag, merge key or repeated key, one document. Anything else raises
    _NotPlain, and the caller composes the node tree, which reports it in full.
    Nesting deeper than MAX_DEPTH raises _TooDeep (this reading does not recurse).
    A scalar's tag is resolved from its text only when it is plain: a quoted one
    (or one with the non-specific tag "!") is a string, and a key is one too
    unless it is the merge key `<<` (yaml.resolver's rules, without a call each).
    A plain scalar's value depends on its text alone: each text is resolved once.
    """
    loader = _Loader(text)
    resolve: Callable[..., str] = yaml.resolver.Resolver().resolve  # untyped in the stubs
    constructor = yaml.SafeLoader("")
    get_event = loader.get_event
    plain_values: dict[str, Any] = {}  # a plain scalar's text -> its value (immutable)
    try:
        if type(get_event()) is not yaml.StreamStartEvent:
            raise _NotPlain
        if type(get_event()) is not yaml.DocumentStartEvent:
            raise _NotPlain  # an empty stream: the node tree says what it is
        containers: list[YamlMap | YamlList] = []
        top: Any = None  # the innermost container, containers[-1] (a YamlMap or YamlList)
        in_map = False  # top is a mapping
        # In a mapping, the key awaiting its value. A list or mapping is put in its
        # parent when it starts: once it ends, its parent awaits a key.
        key: str | None = None
        # Where the keys of each mapping being read are, as its key_positions will have
        # them: one list for each mapping in `containers`, the innermost last.
        keys_at: list[list[str | int]] = []
        while True:
            event: Any = get_event()  # told apart by its exact type (mypy narrows by isinstance)
            kind = type(event)
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                value: Any = containers.pop()
                if kind is yaml.MappingEndEvent:
                    value.key_positions = shared(tuple(keys_at.pop()))
                if not containers:
                    break
                top, key = containers[-1], None
                in_map = type(top) is YamlMap
                continue
            if kind is yaml.ScalarEvent:
                if event.anchor is not None or event.tag not in _PLAIN_TAGS:
                    raise _NotPlain
                mark = event.start_mark
                plain = event.implicit[0]
                if in_map and key is None:
                    if (plain and event.value == "<<") or event.value in top:
                        raise _NotPlain  # a merge key, or a repeated one
                    key = sys.intern(event.value)  # few distinct keys
                    keys_at[-1] += (key, mark.line + 1 + line_offset - top.line, mark.column + 1)
                    continue
                position = (mark.line + 1 + line_offset, mark.column + 1)
                if plain:
                    value = plain_values.get(event.value, plain_values)
                    if value is plain_values:
                        tag = resolve(yaml.ScalarNode, event.value, event.implicit)
                        value = _scalar_value(tag, event.value, constructor)
                        plain_values[event.value] = value
                else:
                    value = event.value
                if top is None:
                    break  # the document is one scalar
            elif (
                kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent
            ) and event.implicit:
                if event.anchor is not None:
                    raise _NotPlain
                mark = event.start_mark
                if in_map and key is None:
                    raise _NotPlain  # a list or mapping as a key
                if len(containers) == MAX_DEPTH:
                    raise _TooDeep(mark)
                position = (mark.line + 1 + line_offset, mark.column + 1)
                value = YamlMap() if kind is yaml.MappingStartEvent else YamlList()
                value.line, value.col = position
                if kind is yaml.SequenceStartEvent:
                    value.item_positions = []
            else:
                raise _NotPlain  # an alias, an explicit tag on a collection, ...
            if in_map:
                top[key] = value
                key = None
            elif top is not None:
                top.append(value)
                top.item_positions.append(position)
            if kind is not yaml.ScalarEvent:
                containers.append(value)
                top, in_map, key = value, kind is yaml.MappingStartEvent, None
                if in_map:
                    keys_at.append([])
        if type(get_event()) is not yaml.DocumentEndEvent:
            raise _NotPlain
        if type(get_event()) is not yaml.StreamEndEvent:
            raise _NotPlain  # more documents: the node tree reports it
        return value
    finally:
        loader.dispose()


def _syntax_problem(
    exc: yaml.MarkedYAMLError, text: str, path: str, problems: Problems, line_offset: int
) -> None:
    """Report where the broken construct starts, and where YAML noticed."""
    start, noticed = exc.context_mark, exc.problem_mark
    is_tab = "tab" in str(exc.problem).lower()
    second_document = "another document" in str(exc.problem)
    if is_tab or second_document:  # the tab, or the second '---', is the place to fix
        start = None
    mark = start or noticed
    line = mark.line + 1 + line_offset if mark else None
    col = mark.column + 1 if mark else None
    message = f"YAML syntax error: {exc.problem or exc.context}"
    if exc.context and exc.problem:
        message += f" ({exc.context})"
    hint = "check indentation and quoting around this line"
    if start and noticed and noticed.line != start.line:
        hint = f"the problem was noticed on line {noticed.line + 1 + line_offset}; " + hint
    if is_tab:
        hint = "YAML does not allow tabs for indentation; use spaces"
    if second_document:
        message = "YAML syntax error: a second document starts here (expected a single document)"
        hint = "remove this '---' line: all records belong in one document"
    problems.error(path, line, col, message, hint=hint)


def _report_aliases(text: str, path: str, problems: Problems, line_offset: int) -> None:
    aliases = (e for e in yaml.parse(text, Loader=_Loader) if isinstance(e, yaml.AliasEvent))
    for count, event in enumerate(aliases):
        mark = event.start_mark
        if count == MAX_ALIAS_REPORTS:
            problems.error(
                path,
                mark.line + 1 + line_offset if mark else None,
                mark.column + 1 if mark else None,
                f"more YAML aliases follow; only the first {MAX_ALIAS_REPORTS} are listed",
            )
            return
        problems.error(
            path,
            mark.line + 1 + line_offset if mark else None,
            mark.column + 1 if mark else None,
            f"YAML aliases (*{event.anchor}) are not supported",
            hint="write the value out in full instead of using an anchor and alias",
        )


def _depth_bound(text: str) -> int:
    """A cheap upper bound on how deeply the YAML nests: each level needs a flow
    bracket, more indentation or one more indicator on the same line."""
    flow = text.count("[") + text.count("{")
    block = max(
        (
            len(line) - len(line.lstrip(" ")) + line.count("- ") + line.count(": ")
            for line in text.splitlines()
        ),
        default=0,
    )
    return flow + block + 2


def _too_deep(text: str, path: str, problems: Problems, line_offset: int) -> bool:
    """Report nesting deeper than MAX_DEPTH, found from the parser's events (no recursion)."""
    if _depth_bound(text) <= MAX_DEPTH:
        return False
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    _report_depth(event.start_mark, path, problems, line_offset)
                    return True
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if not _libyaml_too_deep(exc):
            raise
        _report_depth(exc.problem_mark, path, problems, line_offset)
        return True
    return False


def _libyaml_too_deep(exc: yaml.MarkedYAMLError) -> bool:
    """libyaml (PyYAML 6.0.4 and later) stops at its own nesting limit, and may reach
    it while scanning ahead, before the parser hands over the level-65 event."""
    return "nesting depth" in str(exc.problem)


def _report_depth(mark: Any, path: str, problems: Problems, line_offset: int) -> None:
    problems.error(
        path,
        mark.line + 1 + line_offset if mark else None,
        mark.column + 1 if mark else None,
        f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
        hint="records need only a few levels; check the brackets and indentation",
    )


def _reader_problem(
    exc: yaml.reader.ReaderError, text: str, path: str, problems: Problems, line_offset: int
) -> None:
    """A character YAML refuses (a NUL, a control character): say where it is."""
    position = min(max(exc.position, 0), len(text))
    line = text.count("\n", 0, position) + 1 + line_offset
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    problems.error(
        path,
        line,
        col,
        f"the file contains the control character U+{ord(character):04X}, not allowed in YAML",
        hint="delete it; it is often invisible in an editor (it may come from a copy and paste)",
    )


def parse_yaml(text: str, path: str, problems: Problems, line_offset: int = 0) -> Any:
    """Parse one YAML document; on a syntax error add a problem and return None."""
    try:
        try:
            return _read_events(text, line_offset)
        except _NotPlain:
            pass  # the node tree reads it, and reports what is not allowed
        if _too_deep(text, path, problems, line_offset):  # the node tree would recurse
            return None
        node = yaml.compose(text, Loader=_Loader)
    except _TooDeep as exc:
        _report_depth(exc.mark, path, problems, line_offset)
        return None
    except yaml.MarkedYAMLError as exc:
        if _libyaml_too_deep(exc):
            _report_depth(exc.problem_mark, path, problems, line_offset)
        else:
            _syntax_problem(exc, text, path, problems, line_offset)
        return None
    except yaml.reader.ReaderError as exc:
        _reader_problem(exc, text, path, problems, line_offset)
        return None
    except yaml.YAMLError as exc:
        problems.error(path, None, None, f"YAML error: {exc}")
        return None
    if node is None:
        return None
    converter = _Converter(path, problems, line_offset)
    value = converter.convert(node)
    if converter.found_alias:
        _report_aliases(text, path, problems, line_offset)
        return None
    return value


def read_text(path: Path, shown: str, limit: int, problems: Problems) -> str | None:
    try:
        size = path.stat().st_size
        if size > limit:
            problems.error(
                shown,
                None,
                None,
                f"file is {size:,} bytes, more than the limit of {limit:,}",
                hint="split it, or check that the right file is in place",
            )
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(shown, None, None, f"cannot read file: {exc.strerror}")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.error(
            shown,
            line,
            col,
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            hint="save the file as UTF-8",
        )
        return None
    return text.removeprefix("\ufeff")


_FRONT_MATTER_END = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split '---\\nYAML\\n---\\ntext' into (yaml, text, line the text starts on)."""
    first_line, newline, rest = text.partition("\n")
    if first_line.rstrip("\r \t") != "---" or not newline:
        return None
    end = _FRONT_MATTER_END.search(rest)
    if end is None:
        return None
    front = rest[: end.start()]
    after = end.end()
    if rest[after : after + 1] == "\n":
        after += 1
    body = rest[after:]
    return front, body, text[: len(text) - len(body)].count("\n") + 1


def load_source(path: Path, shown: str, problems: Problems) -> RawSource | None:
    """Read one source file; its id is the file name without .txt."""
    source_id = path.stem
    if not SOURCE_ID_RE.fullmatch(source_id):
        problems.error(
            shown,
            None,
            None,
            f"source file name '{path.name}' is not a valid id",
            hint="use lowercase letters, digits and hyphens, e.g. dawn-2024-11-19.txt",
        )
        return None
    text = read_text(path, shown, MAX_SOURCE_BYTES, problems)
    if text is None:
        return None
    parts = split_front_matter(text)
    if parts is None:
        problems.error(
            shown,
            1,
            1,
            "source has no front matter",
            hint="start the file with a '---' line, the metadata (title, publisher, published, "
            "kind), another '---' line, then the text",
        )
        return None
    front, body, text_line = parts
    before = len(problems)
    meta = parse_yaml(front, shown, problems, line_offset=1)
    if len(problems) > before:
        return None
    if meta is None:  # an empty block: every required field will be reported missing
        meta = YamlMap()
        meta.line = 2
    if not isinstance(meta, YamlMap):
        problems.error(shown, 2, 1, "front matter must be a mapping of 'key: value' lines")
        return None
    return RawSource(source_id, shown, meta, body, text_line)


def source_paths(sources_dir: Path, problems: Problems) -> list[Path] | None:
    """The .txt files of the sources folder, in name order, but none that leads
    outside it; None when the folder cannot be listed (reported to `problems`)."""
    root = sources_dir.resolve()
    # os.scandir: each entry knows its name and whether it is a link without a stat()
    # of its own, and names sort faster than Path objects (1,000 sources: 2 ms less)
    try:
        with os.scandir(sources_dir) as found:
            entries = [e for e in found if e.name.endswith(".txt") and not e.name.startswith(".")]
    except OSError as exc:
        problems.error(
            str(sources_dir),
            None,
            None,
            f"cannot read the sources folder: {exc.strerror or exc}",
            hint="check that the folder may be read by the user running facttrack",
        )
        return None
    paths = []
    for entry in sorted(entries, key=lambda entry: entry.name):
        path = sources_dir / entry.name
        # only a link can lead elsewhere (the folder itself is resolved once)
        if entry.is_symlink() and not path.resolve().is_relative_to(root):
            problems.error(
                str(path),
                None,
                None,
                "source file points outside the sources folder",
                hint="copy the document into the sources folder instead of linking",
            )
            continue
        paths.append(path)
    return paths


def load(data_dir: Path, problems: Problems, jobs: int = 1) -> RawData:
    """Read every input file of a project; problems go to the collector (those of
    claims.yaml first, then those of the sources). With more than one job, a large
    claims.yaml is read by two processes (_parse_in_parts)."""
    claims_path = data_dir / CLAIMS_FILE
    shown = str(claims_path)
    raw = RawData(claims_path=shown, document=None)
    if not data_dir.is_dir():
        problems.error(
            str(data_dir),
            None,
            None,
            "data folder not found",
            hint="run from the project folder, or pass --data PATH",
        )
        return raw
    of_sources = Problems()
    paths = list_sources(data_dir, of_sources)
    read = partial(read_sources, paths, of_sources)
    if not claims_path.is_file():
        problems.error(
            shown,
            None,
            None,
            "claims file not found",
            hint=f"create {shown} with figures, speakers, claims and events",
        )
        raw.source_ids, raw.sources = read()
    elif (text := read_text(claims_path, shown, MAX_CLAIMS_BYTES, problems)) is None:
        raw.source_ids, raw.sources = read()
    else:
        raw.claims_text = text
        raw.claims_cut = chunks.split(text)
        document, (raw.source_ids, raw.sources) = _parse_claims(
            text, raw.claims_cut, shown, problems, read, len(paths or ()), jobs
        )
        if isinstance(document, YamlMap):
            raw.document = document
        elif document is None and not problems.has_errors():
            problems.error(
                shown,
                1,
                1,
                "file is empty",
                hint="it needs the lists figures, speakers, claims and events",
            )
        elif document is not None:
            problems.error(
                shown,
                1,
                1,
                "the file must be a mapping with the lists figures, speakers, claims and events",
            )
    problems.items += of_sources.items
    return raw


_T = TypeVar("_T")


def _parse_claims(
    text: str,
    cut: Split | None,
    path: str,
    problems: Problems,
    meanwhile: Callable[[], _T],
    sources: int,
    jobs: int,
) -> tuple[Any, _T]:
    """claims.yaml's document, and what meanwhile() returns (the sources, read): a
    large file is read in two parts at once (_parse_in_parts), given two jobs."""
    at = _parts_cut(text, cut, sources) if cut is not None and jobs > 1 else None
    if at is None:
        return parse_yaml(text, path, problems), meanwhile()
    return _parse_in_parts(text, at, path, problems, meanwhile)


def _parse_in_parts(
    text: str, at: Chunk, path: str, problems: Problems, meanwhile: Callable[[], _T]
) -> tuple[Any, _T]:
    """parse_yaml(text), read in two parts at once, and what meanwhile() returns.

    A forked process (parallel.Beside) reads the records from `at` on, as `<list>:`
    followed by their lines (at their own line numbers), and sends the values back,
    while this process reads the text before `at` and calls meanwhile(). When both
    parts read as plain documents (_read_events) they are joined: the parser saw
    `at` as a record's start, or one part would not read (a quoted value or a flow
    list left open). Anything else is parsed whole, as a small file is, and so
    reported the same way.
    """
    second = f"{at.section}:\n{text[at.start :]}"
    beside = parallel.Beside(partial(_plain, second, at.line - 2))
    first = _plain(text[: at.start], 0)
    also = meanwhile()
    joined = _joined(first, beside.result(), at.section)
    if joined is None:
        return parse_yaml(text, path, problems), also
    return joined, also


def _parts_cut(text: str, cut: Split, sources: int) -> Chunk | None:
    """The record where the second part starts: as much of the file follows it as
    precedes it, less what reading the sources (this process's other work) takes.
    Not the first of its list, so that the first part's list has an item. None for a
    file small enough to read whole."""
    if len(text) < PARTS_FROM_BYTES:
        return None
    middle = (len(text) - SOURCE_FILE_BYTES * sources) // 2
    first_of: set[str] = set()
    for chunk in cut.chunks:
        if chunk.section not in first_of:
            first_of.add(chunk.section)
        elif chunk.start >= middle:
            return chunk
    return None


def _plain(text: str, line_offset: int) -> Any:
    """_read_events' values, or None where it cannot give them (parse_yaml tells why)."""
    try:
        return _read_events(text, line_offset)
    except (_NotPlain, _TooDeep, yaml.YAMLError):
        return None


def _joined(first: Any, second: Any, section: str) -> YamlMap | None:
    """The two parts' documents as one: the first's last list goes on with the second's
    first; the second's other lists follow. None when they do not fit so (a key of
    both parts is a repeated key: the whole parse reports it)."""
    if not isinstance(first, YamlMap) or not isinstance(second, YamlMap):
        return None
    if not first or list(first)[-1] != section or next(iter(second)) != section:
        return None
    head, tail = first[section], second[section]
    if not isinstance(head, YamlList) or not isinstance(tail, YamlList):
        return None
    if any(key in first for key in list(second)[1:]):
        return None
    head += tail
    head.item_positions += tail.item_positions
    keys_at: list[str | int] = []
    for key in list(second)[1:]:
        first[key] = second[key]
        line, col = second.position(key)
        keys_at += (key, line - first.line, col)
    first.key_positions += tuple(keys_at)
    return first


def load_sources(data_dir: Path, problems: Problems) -> tuple[set[str] | None, list[RawSource]]:
    """Every source file's id (readable or not), or None when the folder cannot be
    listed; and every readable source."""
    return read_sources(list_sources(data_dir, problems), problems)


def list_sources(data_dir: Path, problems: Problems) -> list[Path] | None:
    """The source files (source_paths); None when there is no folder to list."""
    sources_dir = data_dir / SOURCES_DIR
    if not sources_dir.is_dir():
        problems.error(
            str(sources_dir),
            None,
            None,
            "sources folder not found",
            hint="put one <id>.txt file per source document there",
        )
        return None
    return source_paths(sources_dir, problems)


def read_sources(
    paths: list[Path] | None, problems: Problems
) -> tuple[set[str] | None, list[RawSource]]:
    """load_sources() of the files list_sources() found."""
    if paths is None:
        return None, []
    ids: set[str] = set()
    sources: list[RawSource] = []
    for path in paths:
        if SOURCE_ID_RE.fullmatch(path.stem):
            ids.add(path.stem)
        source = load_source(path, str(path), problems)
        if source is not None:
            sources.append(source)
    return ids, sources
