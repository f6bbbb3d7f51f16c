"""Make Pagefind's search bundle byte-for-byte reproducible.

Pagefind (1.5) writes its filter lists in hash-map order, which changes from run
to run: the same pages give filter files with the values in another order, and so
other file names, another metadata file and another entry file. Everything else
it writes is already reproducible. This module sorts what came out in hash-map
order, renames the files after their new content, and rewrites the references,
so two builds of the same data are identical and a deploy uploads only what
changed. The order carries no meaning: Pagefind looks filters and values up by
name. The browser tests check that search and its filters still work.

The files are gzip-compressed CBOR after a signature; only the small subset of
CBOR that Pagefind writes is decoded. Anything unexpected raises BundleFormatError
rather than guess.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from typing import Any

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"


class BundleFormatError(Exception):
    """The bundle is not laid out as this module knows Pagefind 1.5 writes it."""


# -- a small CBOR codec: unsigned and negative integers, byte and text strings,
#    arrays, maps, false/true/null (what Pagefind's index metadata uses) ----------


def _decode(data: bytes, at: int) -> tuple[Any, int]:
    if at >= len(data):
        raise BundleFormatError("truncated CBOR")
    major, info = data[at] >> 5, data[at] & 0x1F
    at += 1
    if major == 7:
        simple = {20: False, 21: True, 22: None}
        if info not in simple:
            raise BundleFormatError(f"unsupported CBOR simple value {info}")
        return simple[info], at
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        if at + size > len(data):
            raise BundleFormatError("truncated CBOR")
        argument = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise BundleFormatError("indefinite-length CBOR is not supported")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major in (2, 3):
        raw = data[at : at + argument]
        if len(raw) != argument:
            raise BundleFormatError("truncated CBOR")
        return (raw if major == 2 else raw.decode("utf-8")), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(argument):
            key, at = _decode(data, at)
            mapping[key], at = _decode(data, at)
        return mapping, at
    raise BundleFormatError(f"unsupported CBOR major type {major}")


def _head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if argument < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, argument)
    raise BundleFormatError("integer too large for CBOR")


def _encode(value: Any) -> bytes:
    if value is False or value is True or value is None:
        return bytes([0xE0 | {False: 20, True: 21, None: 22}[value]])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(item) for item in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value.items())
    raise BundleFormatError(f"cannot encode {type(value).__name__} as CBOR")


def read_document(content: bytes) -> Any:
    """A Pagefind data file: gzip, then the signature, then one CBOR item."""
    try:
        raw = gzip.decompress(content)
    except (OSError, EOFError) as exc:
        raise BundleFormatError(f"not gzip-compressed: {exc}") from exc
    if not raw.startswith(SIGNATURE):
        raise BundleFormatError("missing Pagefind's signature")
    value, end = _decode(raw, len(SIGNATURE))
    if end != len(raw):
        raise BundleFormatError("trailing bytes after the CBOR item")
    return value


def write_document(value: Any) -> bytes:
    # mtime=0: the gzip header would otherwise carry the time of the build
    return gzip.compress(SIGNATURE + _encode(value), compresslevel=9, mtime=0)


def _renamed(old_hash: str, content: bytes) -> str:
    """A new name in Pagefind's style: the language prefix, then a content hash."""
    prefix, _, digest = old_hash.rpartition("_")
    new_digest = hashlib.sha256(content).hexdigest()[: len(digest)]
    return f"{prefix}_{new_digest}" if prefix else new_digest


# -- the bundle ---------------------------------------------------------------


def _is_filter_list(value: Any, files: dict[str, bytes]) -> bool:
    """A list of [filter name, file hash] pairs naming the bundle's filter files."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(
            isinstance(pair, list)
            and len(pair) == 2
            and all(isinstance(part, str) for part in pair)
            and f"filter/{pair[1]}.pf_filter" in files
            for pair in value
        )
    )


def _sorted_filter(content: bytes) -> bytes:
    document = read_document(content)
    if not (
        isinstance(document, list)
        and len(document) == 2
        and isinstance(document[0], str)
        and isinstance(document[1], list)
        and all(isinstance(v, list) and v and isinstance(v[0], str) for v in document[1])
    ):
        raise BundleFormatError("a filter file is not [name, [[value, pages], ...]]")
    name, values = document
    return write_document([name, sorted(values, key=lambda value: value[0])])


def reproducible_bundle(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle (paths relative to its folder) with hash-map order made stable."""
    files = dict(files)
    if ENTRY not in files:
        raise BundleFormatError(f"{ENTRY} is missing")
    entry_text = files[ENTRY].decode("utf-8")
    for language in json.loads(entry_text)["languages"].values():
        meta_hash = language["hash"]
        meta_path = f"pagefind.{meta_hash}.pf_meta"
        if meta_path not in files:
            raise BundleFormatError(f"{meta_path} is missing")
        meta = read_document(files.pop(meta_path))
        if not isinstance(meta, list):
            raise BundleFormatError("the metadata file is not a list")
        for position, part in enumerate(meta):
            if not _is_filter_list(part, files):
                continue
            renamed = []
            for name, old_hash in sorted(part):
                content = _sorted_filter(files.pop(f"filter/{old_hash}.pf_filter"))
                new_hash = _renamed(old_hash, content)
                files[f"filter/{new_hash}.pf_filter"] = content
                renamed.append([name, new_hash])
            meta[position] = renamed
        content = write_document(meta)
        new_meta_hash = _renamed(meta_hash, content)
        files[f"pagefind.{new_meta_hash}.pf_meta"] = content
        entry_text = entry_text.replace(f'"{meta_hash}"', f'"{new_meta_hash}"')
    files[ENTRY] = entry_text.encode("utf-8")
    return files
