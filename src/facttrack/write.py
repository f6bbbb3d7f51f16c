"""Write the site: into a temporary folder beside the output, then swap it in.

A build that fails or crashes midway leaves the previous site as it was. Files
whose bytes did not change are hard-linked from the previous site, so their
modification times stay put and a deploy uploads only what changed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MARKER = ".facttrack-site"  # written in every site; only such folders are replaced
UNCHANGED = None  # as a file's content: the same as in the previous site (see cache.py)


class WriteError(Exception):
    """The output folder cannot be written; the message says why and what to do."""


@dataclass(frozen=True)
class WriteResult:
    written: int  # files with new content
    unchanged: int  # files identical to the previous build


def _safe_relative(path: str) -> PurePosixPath:
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise WriteError(f"refusing to write '{path}': outside the output folder")
    return relative


def check_output(out: Path) -> None:
    """Refuse to replace a folder facttrack did not write (it may hold someone's work)."""
    if out.exists() and not out.is_dir():
        raise WriteError(f"{out} exists and is not a folder; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise WriteError(
            f"{out} is not empty and was not written by facttrack; "
            "refusing to replace it. Choose another --out, or empty the folder first"
        )


def _same_bytes(path: Path, content: bytes) -> bool:
    try:
        return path.stat().st_size == len(content) and path.read_bytes() == content
    except OSError:
        return False


def same_files(files: Iterable[tuple[str, bytes]], out: Path) -> bool:
    """Every file is already in `out` with these bytes."""
    return all(_same_bytes(out.joinpath(*_safe_relative(path).parts), c) for path, c in files)


def _link(existing: Path, new: Path) -> bool:
    try:
        os.link(existing, new)
    except OSError:  # a file system without hard links: write the bytes instead
        return False
    return True


class Staging:
    """The fresh folder beside `out` that a new site is written into, then swapped in.

    put() may be called from several processes at once (the render workers): each
    file is written by one of them, and folders are made with exist_ok.
    """

    def __init__(self, out: Path) -> None:
        check_output(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        self.out = out
        self.folder = Path(tempfile.mkdtemp(prefix=f".{out.name}-building-", dir=out.parent))
        # mkdtemp makes the folder private (0700); the site is for a web server to read,
        # so it gets the permissions any other new folder would (0777 less the umask).
        umask = os.umask(0)
        os.umask(umask)
        self.folder.chmod(0o777 & ~umask)
        self._folders = {self.folder}  # made already: one mkdir per folder, not per file
        self.new_marker = self.put(MARKER, b"built by facttrack\n")

    def put(self, path: str, content: bytes | None) -> bool:
        """Write one file; True if its bytes are new, False if the previous site's
        file was kept (hard-linked). Content UNCHANGED keeps the previous file."""
        relative = _safe_relative(path)
        target = self.folder.joinpath(*relative.parts)
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        previous = self.out.joinpath(*relative.parts)
        if content is UNCHANGED:
            if _link(previous, target):
                return False
            content = previous.read_bytes()  # no hard links here: copy it
        if _same_bytes(previous, content) and _link(previous, target):
            return False
        target.write_bytes(content)
        return True

    def commit(self) -> None:
        _swap(self.folder, self.out)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def write_site(files: Iterable[tuple[str, bytes | None]], out: Path) -> WriteResult:
    """Write every (relative path, bytes) into a fresh folder, then swap it for `out`.
    Content UNCHANGED takes the previous site's file as it is."""
    staging = Staging(out)
    written = int(staging.new_marker)
    unchanged = 1 - written
    try:
        for path, content in files:
            if staging.put(path, content):
                written += 1
            else:
                unchanged += 1
        staging.commit()
    except BaseException:
        staging.discard()
        raise
    return WriteResult(written=written, unchanged=unchanged)


def _swap(staging: Path, out: Path) -> None:
    """Put the staging folder in place of out; the old one is removed afterwards."""
    if not out.exists():
        staging.rename(out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)
