"""Source text to HTML with quotes highlighted, however the quotes overlap.

Quotes of several claims may be identical, nested or crossing. HTML elements
must nest, so a quote that crosses another is split into pieces; the piece
holding the claim's number carries the id the claim's links point to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Mark:
    """One highlighted interval of text and how to write its pieces."""

    start: int
    end: int
    tag: str  # mark or strong
    attributes: dict[str, str]  # written on every piece
    id: str | None = None  # written on one piece only
    id_at: int | None = None  # the piece containing this offset gets the id
    rank: int = 0  # among marks of the same span: lower is outer
    after: str = ""  # markup written at the very end of the last piece


@dataclass(frozen=True)
class _Piece:
    """A part of a mark that nests in the marks around it (see _pieces)."""

    mark: Mark
    start: int
    end: int
    order: int


def _pieces(marks: list[Mark]) -> list[_Piece]:
    """Split marks so that the pieces nest: a crossing mark is closed and reopened."""
    ordered = sorted(marks, key=lambda m: (m.start, -m.end, m.rank))
    by_start: dict[int, list[Mark]] = {}
    for mark in ordered:
        by_start.setdefault(mark.start, []).append(mark)
    boundaries = sorted({m.start for m in marks} | {m.end for m in marks})
    stack: list[tuple[Mark, int, int]] = []  # mark, piece start, push order
    pieces: list[_Piece] = []
    pushes = 0
    for position in boundaries:
        if any(mark.end == position for mark, _, _ in stack):
            reopen: list[Mark] = []
            while any(mark.end == position for mark, _, _ in stack):
                mark, start, order = stack.pop()
                if start < position:
                    pieces.append(_Piece(mark, start, position, order))
                if mark.end != position:
                    reopen.append(mark)
            for mark in reversed(reopen):
                stack.append((mark, position, pushes))
                pushes += 1
        for mark in by_start.get(position, []):
            if mark.end > mark.start:
                stack.append((mark, position, pushes))
                pushes += 1
    return sorted(pieces, key=lambda p: (p.start, -p.end, p.order))


def _id_pieces(pieces: list[_Piece]) -> set[int]:
    """Index of the one piece of each mark that carries the mark's id."""
    chosen: dict[int, int] = {}
    for index, piece in enumerate(pieces):
        mark = piece.mark
        if mark.id is None:
            continue
        target = mark.id_at if mark.id_at is not None else mark.start
        if id(mark) not in chosen and piece.start <= target < piece.end:
            chosen[id(mark)] = index
    for index, piece in enumerate(pieces):  # fall back to the first piece
        if piece.mark.id is not None:
            chosen.setdefault(id(piece.mark), index)
    return set(chosen.values())


def _open_tag(piece: _Piece, with_id: bool) -> str:
    attributes = dict(piece.mark.attributes)
    if with_id and piece.mark.id:
        attributes = {"id": piece.mark.id, **attributes}
    written = "".join(f' {name}="{escape(value)}"' for name, value in attributes.items())
    return f"<{piece.mark.tag}{written}>"


def highlight(text: str, marks: list[Mark], escape_text: Callable[[str], str] = escape) -> Markup:
    """The text as HTML with every mark written as properly nested elements."""
    pieces = _pieces(marks)
    with_id = _id_pieces(pieces)
    output: list[str] = []
    stack: list[_Piece] = []
    cursor = 0

    def close_until(position: int) -> None:
        nonlocal cursor
        while stack and stack[-1].end <= position:
            piece = stack.pop()
            output.append(escape_text(text[cursor : piece.end]))
            cursor = piece.end
            if piece.end == piece.mark.end:
                output.append(piece.mark.after)
            output.append(f"</{piece.mark.tag}>")

    for index, piece in enumerate(pieces):
        close_until(piece.start)
        output.append(escape_text(text[cursor : piece.start]))
        cursor = piece.start
        output.append(_open_tag(piece, index in with_id))
        stack.append(piece)
    close_until(len(text))
    output.append(escape_text(text[cursor:]))
    return Markup("".join(output))
