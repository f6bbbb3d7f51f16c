"""Digests the caches are keyed by: of content, and of facttrack's own code (a cache
written by other code is never used)."""

from __future__ import annotations

import functools
import hashlib
import sys
from pathlib import Path


def digest(*parts: str | bytes) -> bytes:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode() if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.digest()


@functools.cache  # the code running: read once per process, even if the files change
def code_key() -> bytes:
    """facttrack's own source files and the Python running them."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(sys.version.encode())
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        hasher.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.digest()
