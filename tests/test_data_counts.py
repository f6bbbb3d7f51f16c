"""Pin the curated data in data/: how many claims each source gives, and that
every source's text is still byte-for-byte the original document.

If you add or remove a claim on purpose, update EXPECTED_CLAIMS_PER_SOURCE and
say why in docs/data-notes.md. The hashes must never change: a source's text
is the original document and is not edited.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

DATA = Path(__file__).resolve().parents[1] / "data"
SOURCES = DATA / "sources"
FRONT_MATTER_END = b"\n---\n"

EXPECTED_CLAIMS_PER_SOURCE = {
    "expel-one-million-by-january-2023-11-22": 12,
    "achakzai-second-phase-2023-11-23": 7,
    "jilani-international-practice-2023-10": 2,
    "senate-told-500000-repatriated-2024-01-02": 7,
    "encyclopedia-deportation-of-afghans": 27,
}

# sha256 of the original documents, as received (000 to 004 in that order).
ORIGINAL_SHA256 = {
    "expel-one-million-by-january-2023-11-22": (
        "292eea5cec4dd48a9a0532e7ebf2880311867680c9a2246b50becd88a5ee56e7"
    ),
    "achakzai-second-phase-2023-11-23": (
        "1986964d6173d2c4ecda33e7c4fb44649e5c610d8e65e178b974bb35d6aed875"
    ),
    "jilani-international-practice-2023-10": (
        "7f08a8ff7e87f9af80de1291c17591ab1ad30f9d2768166fd95e565cd088b614"
    ),
    "senate-told-500000-repatriated-2024-01-02": (
        "9a95ebb023d9490e1851d91e60e6c62530333d7e9f01de0f9bd64bc55414d430"
    ),
    "encyclopedia-deportation-of-afghans": (
        "d308ee5eb0bca0661fa5f762a254d09f943e08d714e3aad3871e1d369b7f7d06"
    ),
}

MIN_EVENTS = 15


def load_claims_file() -> dict[str, Any]:
    document = yaml.safe_load((DATA / "claims.yaml").read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def source_files() -> dict[str, Path]:
    return {path.stem: path for path in sorted(SOURCES.glob("*.txt"))}


def source_text(path: Path) -> bytes:
    """The bytes after the line that closes the front matter."""
    raw = path.read_bytes()
    assert raw.startswith(b"---\n"), f"{path.name} does not start with front matter"
    end = raw.find(FRONT_MATTER_END, 3)
    assert end != -1, f"{path.name} has no closing '---' line"
    return raw[end + len(FRONT_MATTER_END) :]


def claims_per_source() -> Counter[str]:
    return Counter(claim["source"] for claim in load_claims_file()["claims"])


def test_source_ids_are_the_source_files() -> None:
    assert set(source_files()) == set(EXPECTED_CLAIMS_PER_SOURCE) == set(ORIGINAL_SHA256)


def test_claims_per_source() -> None:
    assert dict(claims_per_source()) == EXPECTED_CLAIMS_PER_SOURCE


def test_every_source_file_has_a_claim() -> None:
    counts = claims_per_source()
    assert [name for name in source_files() if counts[name] == 0] == []


@pytest.mark.parametrize("source_id", sorted(ORIGINAL_SHA256))
def test_source_text_is_the_original_document(source_id: str) -> None:
    text = source_text(SOURCES / f"{source_id}.txt")
    assert hashlib.sha256(text).hexdigest() == ORIGINAL_SHA256[source_id]


def test_enough_events() -> None:
    assert len(load_claims_file()["events"]) >= MIN_EVENTS
