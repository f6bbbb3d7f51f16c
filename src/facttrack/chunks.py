"""claims.yaml cut into the text of each record, so a check can tell which
records an edit touched (see memo.py).

A record list is a top-level key on a line of its own (`claims:`), followed by
its items, each starting with `- ` at the indentation of the first one. A
record's chunk runs from its `- ` line to the next item or the next top-level
line, comments and blank lines included. Everything else (the `site:` block,
the list headers, comments before the first item) is the head.

The cut is only a guess at what the YAML parser sees: it is trusted for a record
once the parser has read that record's chunk, either within the whole file (see
aligned()) or on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RECORD_LISTS = ("figures", "speakers", "claims", "events", "relations")

# Lines that can start or end a record: an item of any indentation, or any line
# that starts at column 0 and is not a comment.
# Matched with the newline before the line (a literal start keeps the search fast).
_CANDIDATE = re.compile(r"\n( *-(?: |\r?(?=\n))|[^ \t\r\n#])")
_LIST_HEADER = re.compile(r"([a-z]+):[ \t]*(?:#.*)?\r?$", re.MULTILINE)
# Document markers and directives start a top-level line; a line that starts with a
# tab is unusual too. Such a file is read in full every time. (Looked for among the
# lines the cut visits anyway: a regular expression anchored at every line start
# took 12 ms over a 3 MB claims.yaml, a third of the cut.)
_UNUSUAL_STARTS = ("---", "...", "%")


def _tab_at_line_start(text: str) -> bool:
    return "\t" in text and (text.startswith("\t") or "\n\t" in text)


@dataclass(frozen=True)
class Chunk:
    """One record of claims.yaml as written: its lines, and where they are."""

    section: str  # the record list: claims, figures, ...
    text: str  # the record's lines, verbatim
    line: int  # the line its first line is on (1-based)
    start: int = 0  # where it starts in the file's text

    @property
    def end_line(self) -> int:
        """The first line after the chunk."""
        return self.line + self.text.count("\n")


@dataclass(frozen=True)
class Split:
    """claims.yaml cut into its records' chunks and the text around them."""

    head: str  # the text outside the records, in order
    chunks: tuple[Chunk, ...]
    text: str = ""  # the whole text cut

    def section(self, name: str) -> list[Chunk]:
        return [chunk for chunk in self.chunks if chunk.section == name]


def split(text: str) -> Split | None:
    """The records of claims.yaml as chunks; None for a layout this does not know."""
    if _tab_at_line_start(text):
        return None
    head: list[str] = []
    chunks: list[Chunk] = []
    section: str | None = None  # the record list we are in, if any
    indent: int | None = None  # its items' indentation, once seen
    start, line = 0, 1  # where the text not yet assigned starts, and its line
    in_record: str | None = None  # text[start:] belongs to a record of this list
    for match in _CANDIDATE.finditer("\n" + text):  # offsets in the text: match.start()
        at = match.start()
        if text.startswith(_UNUSUAL_STARTS, at):
            return None
        if text[at] in " -":  # an item
            item_indent = len(match.group(1)) - len(match.group(1).lstrip(" "))
            if section is None or (indent is not None and item_indent != indent):
                continue  # nested inside a record, or outside any record list
            indent = item_indent
            starts = section
        else:  # a top-level line: it ends the list we were in
            header = _LIST_HEADER.match(text, at)
            section = header.group(1) if header and header.group(1) in RECORD_LISTS else None
            indent, starts = None, None
        line = _close(text[start:at], in_record, line, start, head, chunks)
        start, in_record = at, starts
    _close(text[start:], in_record, line, start, head, chunks)
    return Split("".join(head), tuple(chunks), text)


def _close(
    piece: str,
    record_list: str | None,
    line: int,
    start: int,
    head: list[str],
    chunks: list[Chunk],
) -> int:
    """File a piece of text as a record or as head; the line after it."""
    if record_list is None:
        head.append(piece)
    else:
        chunks.append(Chunk(record_list, piece, line, start))
    return line + piece.count("\n")


def aligned(parts: Split, document: object) -> bool:
    """The parser read every record list as the cut did: as many items, each
    starting inside its chunk. Only then may chunks stand for records."""
    if not isinstance(document, dict):
        return False
    for name in RECORD_LISTS:
        chunks = parts.section(name)
        items = document.get(name)
        positions = getattr(items, "item_positions", None)
        if not chunks and not positions:
            continue
        if positions is None or len(positions) != len(chunks):
            return False
        for chunk, (item_line, _) in zip(chunks, positions, strict=True):
            if not chunk.line <= item_line < chunk.end_line:
                return False
    return True
