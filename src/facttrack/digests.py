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


def digest(*parts: str | bytes) -> bytes:
    """The parts' digest, each followed by a NUL byte (hashed as one string: a record's
    digest is of five short parts, and one update each took half its time)."""
    encoded = [part.encode() if isinstance(part, str) else part for part in parts]
    encoded.append(b"")
    return hashlib.blake2b(b"\0".join(encoded), digest_size=16).digest()


@functools.cache  # the code running: read once per process, even if the files change
def code_key() -> bytes:
    """facttrack's own source files and the Python running them."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(sys.version.encode())
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        hasher.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.digest()


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
