"""The data behind the site as downloads: claims.json (with a published JSON
Schema), claims.csv and one CSV per figure, all under data/ in the built site.

Output is deterministic: records sorted by id (a figure's CSV in as-of order),
whole numbers written without a decimal point, no timestamps.
"""

from __future__ import annotations

import csv
import json
import math
import operator
import pickle
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

from .consistency import Consistency, RelationCheck
from .derive import Derived
from .digests import code_key, keep_pickled
from .memo import REWRITE_SHARE
from .model import Claim, Dataset, Event, Figure, Source, Speaker

DATA_DIR = "data"
JSON_PATH = f"{DATA_DIR}/claims.json"
SCHEMA_PATH = f"{DATA_DIR}/claims.schema.json"
CSV_PATH = f"{DATA_DIR}/claims.csv"
FIGURE_CSV_DIR = f"{DATA_DIR}/figures"
CSV_COLUMNS = (
    "id", "figure", "figure_label", "value", "low", "high", "qualifier", "unit", "as_of",
    "stated_on", "speaker", "speaker_name", "source", "source_title", "publisher",
    "quote", "number_as_written", "interval_low", "interval_high", "note", "page", "passage",
)  # fmt: skip


def number(value: float) -> int | float | None:
    """JSON has no infinity (an unbounded end is null); whole numbers have no '.0'."""
    if math.isinf(value):
        return None
    return int(value) if float(value).is_integer() else value


def _optional(value: Any) -> Any:
    return None if value is None else str(value)


def claim_record(derived: Derived, claim: Claim) -> dict[str, Any]:
    data = derived.linked.data
    anchor = derived.linked.claim_anchors[claim.id]
    assert anchor.number is not None
    interval = derived.consistency.intervals[claim.id]
    text = data.sources[claim.source].text
    return {
        "id": claim.id,
        "figure": claim.figure,
        "value": None if claim.is_range else number(claim.low),
        "low": number(claim.low),
        "high": number(claim.high),
        "qualifier": claim.qualifier,
        "unit": claim.unit,
        "as_of": claim.as_of.iso(),
        "stated_on": claim.stated_on.iso(),
        "speaker": claim.speaker,
        "source": claim.source,
        "quote": claim.quote,
        "number_as_written": text[anchor.number.start : anchor.number.end],
        "quote_offsets": [anchor.quote.start, anchor.quote.end],
        "interval": {"low": number(interval.low), "high": number(interval.high)},
        "note": claim.note,
        "page": f"claims/{claim.id}.html",
        "passage": f"sources/{claim.source}.html#claim-{claim.id}",
    }


def _relation_record(check: RelationCheck) -> dict[str, Any]:
    relation = check.relation
    record: dict[str, Any] = {"id": relation.id, "type": relation.type}
    for role in ("total", "whole", "part", "remainder", "numerator", "denominator", "percent"):
        if getattr(relation, role) is not None:
            record[role] = getattr(relation, role)
    if relation.parts:
        record["parts"] = list(relation.parts)
    record.update(
        status=check.status,
        arithmetic=check.plain(),
        explanation=check.explanation,
        note=relation.note,
    )
    return record


def _checks(consistency: Consistency) -> dict[str, Any]:
    return {
        "relations": [_relation_record(check) for check in consistency.relations],
        "conflicts": [
            {"figure": c.figure, "claims": [c.first.id, c.second.id]} for c in consistency.conflicts
        ],
        "decreases": [
            {"figure": d.figure, "earlier": d.earlier.id, "later": d.later.id}
            for d in consistency.decreases
        ],
    }


def _site(data: Dataset) -> dict[str, Any]:
    return {"title": data.title, "description": data.description or None, "url": data.url}


def _figure_record(f: Figure) -> dict[str, Any]:
    return {
        "id": f.id,
        "label": f.label,
        "unit": f.unit,
        "kind": f.kind,
        "description": f.description,
        "key": f.key,
        "counting_from": _optional(f.counting_from),
    }


def _speaker_record(s: Speaker) -> dict[str, Any]:
    return {"id": s.id, "name": s.name, "role": s.role, "affiliation": s.affiliation}


def _source_record(s: Source) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "publisher": s.publisher,
        "published": s.published.iso(),
        "kind": s.kind,
        "url": s.url,
        "retrieved": _optional(s.retrieved),
        "note": s.note,
        "page": f"sources/{s.id}.html",
    }


def _event_record(e: Event) -> dict[str, Any]:
    return {
        "id": e.id,
        "date": e.date.iso(),
        "title": e.title,
        "source": e.source,
        "quote": e.quote,
        "speaker": e.speaker,
        "note": e.note,
    }


def document(
    derived: Derived, claims: list[Any] | Encoded | None = None, texts: RecordTexts | None = None
) -> dict[str, Any]:
    """Everything the site shows, as one JSON document (the shape of SCHEMA).
    `claims`: the claims' records, when they are at hand (encoded, say); `texts`:
    where the other records' encoded texts are kept."""
    data = derived.linked.data
    if claims is None:
        claims = [
            claim_record(derived, c) for c in sorted(data.claims.values(), key=lambda c: c.id)
        ]

    def records(
        kind: str, values: Iterable[Any], make: Callable[[Any], dict[str, Any]]
    ) -> list[Any] | Encoded:
        ordered = sorted(values, key=lambda record: record.id)
        if texts is None:
            return [make(record) for record in ordered]
        return json_array([texts.record(kind, record, make) for record in ordered], depth=1)

    return {
        "site": _site(data),
        "figures": records("figure", data.figures.values(), _figure_record),
        "speakers": records("speaker", data.speakers.values(), _speaker_record),
        "sources": records("source", data.sources.values(), _source_record),
        "claims": claims,
        "events": records("event", data.events.values(), _event_record),
        "checks": _checks(derived.consistency),
    }


_CSV_VALUES = operator.itemgetter(*CSV_COLUMNS)


def _csv_row(data: Dataset, record: dict[str, Any]) -> tuple[Any, ...]:
    """A claim's claims.csv row: its JSON record, flattened, with the names it refers to.

    Values stay as they are: csv writes None as an empty field and str() of the rest.
    """
    source = data.sources[record["source"]]
    values = {
        **record,
        "figure_label": data.figures[record["figure"]].label,
        "speaker_name": data.speakers[record["speaker"]].name,
        "source_title": source.title,
        "publisher": source.publisher,
        "interval_low": record["interval"]["low"],
        "interval_high": record["interval"]["high"],
    }
    return _CSV_VALUES(values)  # type: ignore[no-any-return]


class _Echo:
    """A file for csv.writer that hands each line back: writerow returns what write returns."""

    def write(self, line: str) -> str:
        return line


_CSV_HEADER: str = csv.writer(_Echo()).writerow(CSV_COLUMNS)


def _csv_bytes(lines: Iterable[str]) -> bytes:
    """The header, then the given claims' lines; an empty interval end means no limit."""
    return (_CSV_HEADER + "".join(lines)).encode("utf-8")


def _json_bytes(value: Any) -> bytes:
    return (json_text(value) + "\n").encode("utf-8")


class Encoded(str):
    """JSON text json_text() writes as it is: a value encoded already, at the depth
    it is placed at."""


def json_array(elements: list[str], indent: int = 2, depth: int = 0) -> Encoded:
    """A JSON array, as json_text() writes it at `depth`, of elements encoded already
    one level deeper: joined in one call rather than looked at one by one."""
    if not elements:
        return Encoded("[]")
    inner = "\n" + " " * (indent * (depth + 1))
    return Encoded("[" + inner + ("," + inner).join(elements) + "\n" + " " * (indent * depth) + "]")


def json_text(value: Any, indent: int = 2, depth: int = 0) -> str:
    """The same text as json.dumps(value, ensure_ascii=False, indent=indent), twice as fast.

    Given an indent, json.dumps leaves its C encoder for a pure-Python one that
    resumes a generator per nesting level for every value: at 10,000 claims the
    slowest part of the downloads. This writes the same layout with one call per
    value and leaves scalars to what json.dumps itself uses for them (its C string
    encoder, int.__repr__, and json's own encoder for floats, bools and subclasses).
    tests/test_open_data_format.py holds it to json.dumps. Keys must be strings:
    json.dumps would write {1: 2} as {"1": 2}, this raises TypeError.
    """
    other_scalar = json.JSONEncoder(ensure_ascii=False).encode  # floats, bools, subclasses
    step = " " * indent

    def encode(item: Any, indent: str) -> str:
        kind = type(item)
        if kind is str:
            return encode_basestring(item)
        if kind is Encoded:
            return str(item)
        if kind is int:
            return int.__repr__(item)
        if item is None:
            return "null"
        if isinstance(item, dict):
            if not item:
                return "{}"
            inner = indent + step
            members = [f"{encode_basestring(key)}: {encode(v, inner)}" for key, v in item.items()]
            return "{\n" + inner + (",\n" + inner).join(members) + "\n" + indent + "}"
        if isinstance(item, (list, tuple)):
            if not item:
                return "[]"
            inner = indent + step
            elements = [encode(v, inner) for v in item]
            return "[\n" + inner + (",\n" + inner).join(elements) + "\n" + indent + "]"
        return other_scalar(item)

    return encode(value, step * depth)


class RecordTexts:
    """Each record's text in claims.json (and a claim's line in the CSVs), kept from
    one build to the next: a record whose key (its digest, and for a claim those of
    the records it names, see keys_of) did not change is not encoded again. A store
    written by other code of facttrack is not used."""

    def __init__(
        self,
        keys: dict[str, dict[str, bytes]] | None = None,
        previous: dict[bytes, tuple[str, str]] | None = None,
    ) -> None:
        self.keys = keys or {}  # kind -> record id -> key
        self.previous = previous or {}
        self.current: dict[bytes, tuple[str, str]] = {}
        self.encoded = 0  # records encoded, not taken from the previous build

    def claims(self, derived: Derived, claims: Iterable[Claim]) -> list[tuple[str, str]]:
        """Each claim's JSON text and CSV line, in order."""
        keys, previous, current = self.keys.get("claim", {}), self.previous, self.current
        texts = []
        for claim in claims:  # every claim of the tracker, each build: kept lean
            key = keys.get(claim.id)
            found = previous.get(key) if key is not None else None
            if found is None:
                record = claim_record(derived, claim)
                line = csv.writer(_Echo()).writerow(_csv_row(derived.linked.data, record))
                found = (json_text(record, depth=2), line)  # claims.json's records are 2 deep
                self.encoded += 1
            if key is not None:
                current[key] = found
            texts.append(found)
        return texts

    def record(self, kind: str, record: Any, make: Callable[[Any], dict[str, Any]]) -> str:
        """A figure's, speaker's, source's or event's JSON text; `make` its record."""
        key = self.keys.get(kind, {}).get(record.id)
        texts = self.previous.get(key) if key is not None else None
        if texts is None:
            texts = (json_text(make(record), depth=2), "")
            self.encoded += 1
        if key is not None:
            self.current[key] = texts
        return texts[0]

    @staticmethod
    def keys_of(
        data: Dataset, digests: dict[tuple[str, str], bytes]
    ) -> dict[str, dict[str, bytes]]:
        """kind -> record id -> the digest of what the record's texts show, with its
        kind (see memo.Digests: a claim's covers its figure, speaker and source)."""
        by_kind: dict[str, dict[str, bytes]] = defaultdict(dict)
        for (kind, record_id), digest in digests.items():
            by_kind[kind][record_id] = digest
        keys = {}
        for kind, records in (
            ("claim", data.claims), ("figure", data.figures), ("speaker", data.speakers),
            ("source", data.sources), ("event", data.events),
        ):  # fmt: skip
            prefix, digest_of = kind.encode(), by_kind[kind]
            keys[kind] = {i: prefix + digest_of[i] for i in records}
        return keys

    @classmethod
    def load(cls, store: Path, keys: dict[str, dict[str, bytes]]) -> RecordTexts:
        try:
            code, previous = pickle.loads(store.read_bytes())
        except Exception:  # none yet, or damaged: every claim is encoded
            code, previous = None, {}
        if code != code_key() or not isinstance(previous, dict):
            previous = {}
        return cls(keys, previous)

    def save(self, store: Path) -> None:
        """Keep the texts for the next build, when that saves it enough work (as the
        memo does: see memo.REWRITE_SHARE)."""
        if self.encoded <= REWRITE_SHARE * len(self.current) and self.previous:
            return  # a few claims encoded again next time cost less than writing all
        keep_pickled(store, (code_key(), self.current))


def files(derived: Derived, texts: RecordTexts | None = None) -> Iterator[tuple[str, bytes]]:
    """(path, content) of every download; `texts` may hold records' texts already."""
    data = derived.linked.data
    texts = texts or RecordTexts()
    claims = sorted(data.claims.values(), key=lambda c: c.id)
    encoded = texts.claims(derived, claims)
    claims_array = json_array([json for json, _ in encoded], depth=1)
    yield JSON_PATH, _json_bytes(document(derived, claims_array, texts))
    yield SCHEMA_PATH, _json_bytes(schema(data.url))
    # From the records claims.json holds (in id order), so the CSVs cannot disagree with it.
    lines = {claim.id: line for claim, (_, line) in zip(claims, encoded, strict=True)}
    yield CSV_PATH, _csv_bytes(lines.values())
    for figure in derived.figures:
        steps = derived.series.get(figure.id, ())
        yield f"{FIGURE_CSV_DIR}/{figure.id}.csv", _csv_bytes([lines[s.claim.id] for s in steps])


# -- the published schema ---------------------------------------------------------

_TEXT = {"type": "string"}
_OPTIONAL_TEXT = {"type": ["string", "null"]}
_DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
_ID = {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"}
_NUMBER_OR_NULL = {"type": ["number", "null"]}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": required if required is not None else list(properties),
        "additionalProperties": False,
    }


def schema(site_url: str | None) -> dict[str, Any]:
    """JSON Schema (2020-12) of claims.json."""
    claim = _object(
        {
            "id": _ID,
            "figure": _ID,
            "value": {**_NUMBER_OR_NULL, "description": "null for a range"},
            "low": {"type": "number"},
            "high": {"type": "number"},
            "qualifier": {
                "enum": ["exact", "about", "over", "under", "at least", "up to", "as many as"]
            },
            "unit": _TEXT,
            "as_of": {**_DATE, "description": "the date the number describes, as precise as known"},
            "stated_on": _DATE,
            "speaker": _ID,
            "source": {"type": "string"},
            "quote": _TEXT,
            "number_as_written": _TEXT,
            "quote_offsets": {
                "type": "array",
                "items": {"type": "integer", "minimum": 0},
                "minItems": 2,
                "maxItems": 2,
                "description": "[start, end) character offsets of the quote in the source text",
            },
            "interval": {
                **_object({"low": _NUMBER_OR_NULL, "high": _NUMBER_OR_NULL}),
                "description": "the values the claim allows; null means no limit",
            },
            "note": _OPTIONAL_TEXT,
            "page": _TEXT,
            "passage": _TEXT,
        }
    )
    relation = _object(
        {
            "id": _ID,
            "type": {"enum": ["sum", "difference", "ratio", "percent"]},
            "total": _ID,
            "parts": {"type": "array", "items": _ID, "minItems": 2},
            "whole": _ID,
            "part": _ID,
            "remainder": _ID,
            "numerator": _ID,
            "denominator": _ID,
            "percent": _ID,
            "status": {"enum": ["holds", "fails", "computed"]},
            "arithmetic": _TEXT,
            "explanation": _TEXT,
            "note": _OPTIONAL_TEXT,
        },
        required=["id", "type", "status", "arithmetic", "explanation", "note"],
    )
    result: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "facttrack claims",
        "description": "Every claim a facttrack site shows, with its source, speaker and figure.",
        **_object(
            {
                "site": _object(
                    {"title": _TEXT, "description": _OPTIONAL_TEXT, "url": _OPTIONAL_TEXT}
                ),
                "figures": {
                    "type": "array",
                    "items": _object(
                        {
                            "id": _ID,
                            "label": _TEXT,
                            "unit": _TEXT,
                            "kind": {"enum": ["cumulative", "stock", "target", "amount", "count"]},
                            "description": _TEXT,
                            "key": {"type": "boolean"},
                            "counting_from": {"anyOf": [_DATE, {"type": "null"}]},
                        }
                    ),
                },
                "speakers": {
                    "type": "array",
                    "items": _object(
                        {"id": _ID, "name": _TEXT, "role": _TEXT, "affiliation": _OPTIONAL_TEXT}
                    ),
                },
                "sources": {
                    "type": "array",
                    "items": _object(
                        {
                            "id": _TEXT,
                            "title": _TEXT,
                            "publisher": _TEXT,
                            "published": _DATE,
                            "kind": _TEXT,
                            "url": _OPTIONAL_TEXT,
                            "retrieved": {"anyOf": [_DATE, {"type": "null"}]},
                            "note": _OPTIONAL_TEXT,
                            "page": _TEXT,
                        }
                    ),
                },
                "claims": {"type": "array", "items": claim},
                "events": {
                    "type": "array",
                    "items": _object(
                        {
                            "id": _ID,
                            "date": _DATE,
                            "title": _TEXT,
                            "source": _TEXT,
                            "quote": _TEXT,
                            "speaker": {"anyOf": [_ID, {"type": "null"}]},
                            "note": _OPTIONAL_TEXT,
                        }
                    ),
                },
                "checks": _object(
                    {
                        "relations": {"type": "array", "items": relation},
                        "conflicts": {
                            "type": "array",
                            "items": _object(
                                {
                                    "figure": _ID,
                                    "claims": {
                                        "type": "array",
                                        "items": _ID,
                                        "minItems": 2,
                                        "maxItems": 2,
                                    },
                                }
                            ),
                        },
                        "decreases": {
                            "type": "array",
                            "items": _object({"figure": _ID, "earlier": _ID, "later": _ID}),
                        },
                    }
                ),
            }
        ),
    }
    if site_url:
        result = {"$id": f"{site_url}/{SCHEMA_PATH}", **result}
    return result
