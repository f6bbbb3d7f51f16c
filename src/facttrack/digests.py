"""Digests the caches are keyed by: of content, and of facttrack's own code (a cache
written by other code is never used); and how a cache file is written."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
from pathlib import Path

DIGEST_BYTES = 16  # of SHA-256's 32: ample to tell apart the versions of a record
# The folder beside a data or output folder that holds every cache file: the check's
# memo (memo.py), the page cache and what goes with it (cache.py).
CACHE_DIR = ".facttrack-cache"


def hashed(data: bytes) -> bytes:
    """The digest of `data`. SHA-256, which most recent processors compute in
    instructions of their own (x86's SHA extensions: AMD's since 2017, Intel's since
    about 2020; ARMv8's): on this project's machine 18 MB, the sources' texts at
    10,000 claims, took 16 ms where BLAKE2b took 40, and a record's few hundred bytes
    1.2 µs where BLAKE2b took 1.45. Without those instructions BLAKE2b is the faster."""
    return hashlib.sha256(data).digest()[:DIGEST_BYTES]


def digest(*parts: str | bytes) -> bytes:
    """The parts' digest, each followed by a NUL byte (hashed as one string: a record's
    digest is of five short parts, and one update each took half its time)."""
    encoded = [part.encode() if isinstance(part, str) else part for part in parts]
    encoded.append(b"")
    return hashed(b"\0".join(encoded))


@functools.cache  # the code running: read once per process, even if the files change
def code_key() -> bytes:
    """facttrack's own source files and the Python running them."""
    parts = [sys.version.encode()]
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        parts += [path.name.encode(), path.read_bytes()]
    return digest(*parts)


def keep_pickled(target: Path, value: object) -> None:
    """Pickle a value into a cache file, whole or not at all: written beside it, then
    renamed over it. A folder that cannot be written leaves no cache, and no harm."""
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(exist_ok=True)
        with temporary.open("wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)  # a crash never leaves half a cache
    except OSError:
        with contextlib.suppress(OSError):  # none made, or its folder is not one
            temporary.unlink()
