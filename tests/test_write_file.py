"""Files are written in pieces of WRITE_PIECE bytes (write.write_file)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from facttrack import write
from facttrack.write import WRITE_PIECE, write_file


@pytest.mark.parametrize(
    "size", [0, 1, WRITE_PIECE - 1, WRITE_PIECE, WRITE_PIECE + 1, 3 * WRITE_PIECE + 17]
)
def test_a_file_has_exactly_its_bytes(tmp_path: Path, size: int) -> None:
    content = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    target = tmp_path / "file"
    target.write_bytes(b"longer bytes of an older version of the file" * 5000)
    write_file(target, content)
    assert target.read_bytes() == content


class _ShortWrites(io.RawIOBase):
    """A file whose write() takes at most 1,000 bytes, and records what it is given."""

    def __init__(self) -> None:
        self.given: list[int] = []
        self.kept = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: memoryview) -> int:  # type: ignore[override]
        self.given.append(len(data))
        taken = bytes(data[:1000])
        self.kept += taken
        return len(taken)


def test_no_write_is_given_more_than_a_piece_and_short_writes_go_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    file = _ShortWrites()
    monkeypatch.setattr(write, "open", lambda *args, **kwargs: file, raising=False)
    content = b"x" * (2 * WRITE_PIECE + 5)
    write_file(Path("unused"), content)
    assert bytes(file.kept) == content
    assert max(file.given) == WRITE_PIECE
    assert len(file.given) == -(-len(content) // 1000)
