"""Raw records -> model objects. Every problem is collected; none is raised.

The schema of every record type is declared once, in SCHEMAS below; the data
format reference (docs/data-format.md) documents the same fields.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from .dates import DateError, PartialDate, parse_date
from .errors import Problems
from .load import RawData, RawSource, YamlList, YamlMap
from .model import (
    FIGURE_KINDS,
    QUALIFIERS,
    RELATION_TYPES,
    Claim,
    Dataset,
    Event,
    Figure,
    Location,
    Positions,
    Relation,
    Source,
    Speaker,
    shared,
)

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a record: its type, whether it is required, its choices."""

    kind: str  # id, text, markdown, number, date, bool, choice, url, ref, refs (a list of ids)
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str = ""  # for kind "ref": the list the id must be in


SCHEMAS: dict[str, dict[str, FieldSpec]] = {
    "site": {
        "title": FieldSpec("text", required=True),
        "description": FieldSpec("markdown"),
        "url": FieldSpec("url"),
    },
    "source": {
        "title": FieldSpec("text", required=True),
        "publisher": FieldSpec("text", required=True),
        "published": FieldSpec("date", required=True),
        "kind": FieldSpec("text", required=True),
        "url": FieldSpec("url"),
        "retrieved": FieldSpec("date"),
        "note": FieldSpec("markdown"),
    },
    "figures": {
        "id": FieldSpec("id", required=True),
        "label": FieldSpec("text", required=True),
        "unit": FieldSpec("text", required=True),
        "kind": FieldSpec("choice", required=True, choices=FIGURE_KINDS),
        "description": FieldSpec("markdown", required=True),
        "key": FieldSpec("bool"),
        "counting_from": FieldSpec("date"),
    },
    "speakers": {
        "id": FieldSpec("id", required=True),
        "name": FieldSpec("text", required=True),
        "role": FieldSpec("text", required=True),
        "affiliation": FieldSpec("text"),
    },
    "claims": {
        "id": FieldSpec("id", required=True),
        "figure": FieldSpec("ref", required=True, ref="figures"),
        "value": FieldSpec("number"),
        "low": FieldSpec("number"),
        "high": FieldSpec("number"),
        "qualifier": FieldSpec("choice", choices=QUALIFIERS),
        "unit": FieldSpec("text"),
        "as_of": FieldSpec("date", required=True),
        "stated_on": FieldSpec("date"),
        "speaker": FieldSpec("ref", required=True, ref="speakers"),
        "source": FieldSpec("ref", required=True, ref="sources"),
        "quote": FieldSpec("text", required=True),
        "number_text": FieldSpec("text"),
        "note": FieldSpec("markdown"),
    },
    "events": {
        "id": FieldSpec("id", required=True),
        "date": FieldSpec("date", required=True),
        "title": FieldSpec("text", required=True),
        "source": FieldSpec("ref", required=True, ref="sources"),
        "quote": FieldSpec("text", required=True),
        "speaker": FieldSpec("ref", ref="speakers"),
        "note": FieldSpec("markdown"),
    },
    "relations": {
        "id": FieldSpec("id", required=True),
        "type": FieldSpec("choice", required=True, choices=RELATION_TYPES),
        "total": FieldSpec("ref", ref="claims"),
        "parts": FieldSpec("refs", ref="claims"),
        "whole": FieldSpec("ref", ref="claims"),
        "part": FieldSpec("ref", ref="claims"),
        "remainder": FieldSpec("ref", ref="claims"),
        "numerator": FieldSpec("ref", ref="claims"),
        "denominator": FieldSpec("ref", ref="claims"),
        "percent": FieldSpec("ref", ref="claims"),
        "note": FieldSpec("markdown"),
    },
}
TOP_LEVEL = {
    "site": False,
    "figures": True,
    "speakers": True,
    "claims": True,
    "events": False,
    "relations": False,
}
SINGULAR = {
    "figures": "figure",
    "speakers": "speaker",
    "claims": "claim",
    "events": "event",
    "relations": "relation",
}
# Which claim fields each relation type uses: (required, optional).
RELATION_ROLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "sum": (("total", "parts"), ()),
    "difference": (("whole", "part", "remainder"), ()),
    "ratio": (("numerator", "denominator"), ("percent",)),
    "percent": (("percent",), ("numerator", "denominator")),
}


def suggest(word: str, choices: Any) -> str:
    """' (did you mean 'x'?)' for a near miss, else ''."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


@dataclass
class Record:
    """One raw record being checked: its values, position and error helpers."""

    values: YamlMap
    label: str
    path: str
    problems: Problems

    def error(self, message: str, key: str | None = None, hint: str | None = None) -> None:
        line, col = self.values.position(key)
        self.problems.error(self.path, line, col, message, record=self.label, field=key, hint=hint)

    def location(self) -> Location:
        return Location(self.path, self.values.line, self.values.col)

    def positions(self) -> Positions:
        """model.Positions: each field, its line below the record's, its column."""
        return shared(self.values.key_positions)


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large to be a float
        return False


_TEXT_KINDS = frozenset({"id", "text", "markdown", "choice", "url", "ref"})


def _check_field(record: Record, name: str, spec: FieldSpec, value: Any) -> Any:
    """Return the cleaned value of one field, or None after reporting a problem."""
    kind = spec.kind
    if kind in _TEXT_KINDS:
        return _check_text(record, name, spec, value)
    if kind == "refs":
        return _check_refs(record, name, value)
    if kind == "number" and not _is_number(value):
        record.error(
            f"must be a number, not {_type_name(value)}",
            name,
            hint="write digits only, e.g. 541210 or 1.7e6 (no commas or words)",
        )
        return None
    if kind == "bool" and not isinstance(value, bool):
        record.error(f"must be true or false, not {_type_name(value)}", name)
        return None
    if kind == "date":
        if isinstance(value, bool) or not isinstance(value, str | int):
            record.error(f"must be a date, not {_type_name(value)}", name)
            return None
        try:
            return parse_date(str(value))
        except DateError as exc:
            record.error(str(exc), name)
            return None
    return value


def _check_text(record: Record, name: str, spec: FieldSpec, value: Any) -> str | None:
    """A field of text (an id, a choice, an address, a reference): its text, or None."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        record.error(f"must be text, not {_type_name(value)}", name)
        return None
    text = str(value)
    if not text.strip():
        record.error("must not be empty", name)
        return None
    kind = spec.kind
    if kind == "id" and not ID_RE.fullmatch(text):
        record.error(
            f"'{text}' is not a valid id",
            name,
            hint="use lowercase letters, digits and single hyphens, e.g. senate-reply-2024",
        )
        return None
    if kind == "choice" and text not in spec.choices:
        record.error(
            f"'{text}' is not one of: {', '.join(spec.choices)}{suggest(text, spec.choices)}",
            name,
        )
        return None
    if kind == "url":
        parsed = urlparse(text)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            record.error(
                f"'{text}' is not an http or https address",
                name,
                hint="write the full address, starting with https://",
            )
            return None
    return text


def _check_refs(record: Record, name: str, value: Any) -> tuple[str, ...] | None:
    """A list of ids, written as a YAML list: [a, b] or one '- id' per line."""
    if not isinstance(value, YamlList) or not value:
        record.error(
            f"must be a list of ids, not {_type_name(value)}",
            name,
            hint=f"write {name}: [first-id, second-id]",
        )
        return None
    if not all(isinstance(item, str) and item.strip() for item in value):
        record.error("must be a list of ids, each one plain text", name)
        return None
    return tuple(str(item) for item in value)


def _type_name(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, YamlMap):
        return "a mapping"
    if isinstance(value, YamlList):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {_shortened(str(value))}"
    return f"'{_shortened(str(value))}'"


def _shortened(text: str, limit: int = 60) -> str:
    """A value quoted in a message, cut short: the message must stay readable."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_fields(record: Record, schema: dict[str, FieldSpec]) -> dict[str, Any] | None:
    """Check keys and types against the schema; cleaned values, or None if any failed."""
    clean: dict[str, Any] = {}
    ok = True
    for key, value in record.values.items():
        if key not in schema:
            record.error(
                f"unknown field '{key}'{suggest(key, schema)}",
                key,
                hint=f"allowed fields: {', '.join(schema)}",
            )
            ok = False
            continue
        if value is None:
            if schema[key].required:
                record.error("must not be empty", key)
                ok = False
            continue
        cleaned = _check_field(record, key, schema[key], value)
        if cleaned is None:
            ok = False
        else:
            clean[key] = cleaned
    for key, spec in schema.items():
        if spec.required and key not in record.values:
            record.error(f"missing required field '{key}'")
            ok = False
    return clean if ok else None


class Validator:
    def __init__(self, raw: RawData, problems: Problems, today: dt.date) -> None:
        self.raw = raw
        self.problems = problems
        self.today = today

    def not_future(self, record: Record, key: str, date: PartialDate | None) -> bool:
        if date is not None and date.first_day() > self.today:
            record.error(
                f"{date} is in the future (today is {self.today.isoformat()})",
                key,
                hint="check the year; only a target's as_of may lie ahead",
            )
            return False
        return True

    def sources(self) -> dict[str, Source]:
        result: dict[str, Source] = {}
        for raw in self.raw.sources:
            source = self.source(raw)
            if source is not None:
                result[source.id] = source
        return result

    def source(self, raw: RawSource) -> Source | None:
        record = Record(raw.meta, f"source '{raw.id}'", raw.path, self.problems)
        values = check_fields(record, SCHEMAS["source"])
        if values is None:
            return None
        if not self.not_future(record, "published", values["published"]):
            return None
        if not raw.text.strip():
            self.problems.error(
                raw.path,
                raw.text_line,
                1,
                "source has no text after its front matter",
                record=record.label,
                hint="paste the document's text below the closing '---' line",
            )
            return None
        return Source(
            id=raw.id,
            title=values["title"],
            publisher=values["publisher"],
            published=values["published"],
            kind=values["kind"],
            text=raw.text,
            url=values.get("url"),
            retrieved=values.get("retrieved"),
            note=values.get("note"),
            location=Location(raw.path, raw.meta.line, raw.meta.col),
            text_line=raw.text_line,
        )

    def records(self, document: YamlMap, list_name: str) -> list[tuple[Record, dict[str, Any]]]:
        """Check every record of one top-level list; keep those whose fields are fine."""
        items = document.get(list_name)
        path = self.raw.claims_path
        if items is None:
            if TOP_LEVEL[list_name] and list_name not in document:
                self.problems.error(
                    path,
                    1,
                    1,
                    f"missing the list '{list_name}'",
                    hint=f"add '{list_name}:' followed by its records",
                )
            return []
        if not isinstance(items, YamlList):
            line, col = document.position(list_name)
            self.problems.error(
                path,
                line,
                col,
                f"'{list_name}' must be a list of records",
                hint="start each record with '- id: ...'",
            )
            return []
        checked = []
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            if not isinstance(item, YamlMap):
                line, col = items.item_positions[index]
                self.problems.error(
                    path,
                    line,
                    col,
                    f"{SINGULAR[list_name]} #{index + 1} must be a mapping of fields, "
                    f"not {_type_name(item)}",
                )
                continue
            record, values = self.item(list_name, index, item)
            record_id = item.get("id")
            if isinstance(record_id, int) and not isinstance(record_id, bool):
                record_id = str(record_id)
            if isinstance(record_id, str) and record_id in seen:
                record.error(
                    f"duplicate id '{record_id}' (first used on line {seen[record_id]})",
                    "id",
                    hint=f"ids must be unique among {list_name}; rename one",
                )
                continue
            if isinstance(record_id, str):
                seen[record_id] = item.line
            if values is not None:
                checked.append((record, values))
        return checked

    def item(
        self, list_name: str, index: int, item: YamlMap
    ) -> tuple[Record, dict[str, Any] | None]:
        """One record of a list, its fields checked: (the record, its clean values or None)."""
        record_id = item.get("id")
        if isinstance(record_id, int) and not isinstance(record_id, bool):
            record_id = str(record_id)  # "id: 2024" is the id "2024"
        singular = SINGULAR[list_name]
        label = (
            f"{singular} '{record_id}'"
            if isinstance(record_id, str)
            else f"{singular} #{index + 1}"
        )
        record = Record(item, label, self.raw.claims_path, self.problems)
        return record, check_fields(record, SCHEMAS[list_name])

    def reference(
        self, record: Record, values: dict[str, Any], key: str, known: dict[str, Any] | None
    ) -> bool:
        """The record names a known record, or none; `known` None: no id can be told
        unknown (the sources folder could not be listed, and that is the error)."""
        ref = values.get(key)
        if ref is None or known is None or ref in known:
            return True
        where = {
            "figure": "figures in claims.yaml",
            "speaker": "speakers in claims.yaml",
            "source": "sources (file names in the sources folder, without .txt)",
        }[key]
        record.error(
            f"unknown {key} '{ref}'{suggest(ref, known)}",
            key,
            hint=f"use the id of one of the {where}",
        )
        return False


def validate(raw: RawData, problems: Problems, today: dt.date | None = None) -> Dataset:
    """Check every record; the Dataset holds those that passed, so later steps can
    report their own problems in the same run. Render only when problems has no errors."""
    validator = Validator(raw, problems, today or dt.date.today())
    sources = validator.sources()
    if raw.document is None:  # unreadable: its problem is reported already
        return Dataset(sources=sources, speakers={}, figures={}, claims={}, events={})
    document = raw.document
    for key in document:
        if key not in TOP_LEVEL:
            line, col = document.position(key)
            problems.error(
                raw.claims_path,
                line,
                col,
                f"unknown top-level key '{key}'{suggest(key, TOP_LEVEL)}",
                hint=f"allowed: {', '.join(TOP_LEVEL)}",
            )
    site_title, site_description, site_url = "facttrack", "", None
    site = document.get("site")
    if isinstance(site, YamlMap):
        values = check_fields(Record(site, "site", raw.claims_path, problems), SCHEMAS["site"])
        if values:
            site_title = values["title"]
            site_description = values.get("description", "")
            site_url = values["url"].rstrip("/") if "url" in values else None
    elif site is not None:
        line, col = document.position("site")
        problems.error(raw.claims_path, line, col, "'site' must be a mapping with a title")

    known_sources = None if raw.source_ids is None else dict.fromkeys(raw.source_ids)
    speakers = _build(validator.records(document, "speakers"), speaker_record)
    figures = _build(validator.records(document, "figures"), figure_record)
    claims: dict[str, Claim] = {}
    for record, values in validator.records(document, "claims"):
        claim = claim_record(validator, record, values, figures, speakers, sources, known_sources)
        if claim is not None:
            claims[claim.id] = claim
    events: dict[str, Event] = {}
    for record, values in validator.records(document, "events"):
        event = event_record(validator, record, values, speakers, known_sources)
        if event is not None:
            events[event.id] = event
    relations = relation_records(
        validator, validator.records(document, "relations"), _raw_claim_ids(document), claims
    )
    return Dataset(
        sources=sources,
        speakers=speakers,
        figures=figures,
        claims=claims,
        events=events,
        title=site_title,
        description=site_description,
        relations=relations,
        url=site_url,
    )


def _build(
    checked: list[tuple[Record, dict[str, Any]]], make: Callable[[Record, dict[str, Any]], Any]
) -> dict[str, Any]:
    return {values["id"]: make(record, values) for record, values in checked}


def claim_record(
    validator: Validator,
    record: Record,
    values: dict[str, Any],
    figures: dict[str, Figure],
    speakers: dict[str, Speaker],
    sources: dict[str, Source],
    known_sources: dict[str, Any] | None,
) -> Claim | None:
    """A claim whose fields are fine, checked against the records it names."""
    refs_ok = all(
        [
            validator.reference(record, values, "figure", figures),
            validator.reference(record, values, "speaker", speakers),
            validator.reference(record, values, "source", known_sources),
        ]
    )
    return _claim(validator, record, values, figures, sources) if refs_ok else None


def event_record(
    validator: Validator,
    record: Record,
    values: dict[str, Any],
    speakers: dict[str, Speaker],
    known_sources: dict[str, Any] | None,
) -> Event | None:
    refs_ok = all(
        [
            validator.reference(record, values, "source", known_sources),
            validator.reference(record, values, "speaker", speakers),
        ]
    )
    if not refs_ok or not validator.not_future(record, "date", values["date"]):
        return None
    return Event(
        id=values["id"],
        date=values["date"],
        title=values["title"],
        source=values["source"],
        quote=values["quote"],
        speaker=values.get("speaker"),
        note=values.get("note"),
        location=record.location(),
        positions=record.positions(),
    )


def speaker_record(record: Record, values: dict[str, Any]) -> Speaker:
    return Speaker(
        id=values["id"],
        name=values["name"],
        role=values["role"],
        affiliation=values.get("affiliation"),
        location=record.location(),
    )


def figure_record(record: Record, values: dict[str, Any]) -> Figure:
    return Figure(
        id=values["id"],
        label=values["label"],
        unit=values["unit"],
        kind=values["kind"],
        description=values["description"],
        key=values.get("key", False),
        counting_from=values.get("counting_from"),
        location=record.location(),
    )


def _claim(
    validator: Validator,
    record: Record,
    values: dict[str, Any],
    figures: dict[str, Figure],
    sources: dict[str, Source],
) -> Claim | None:
    has_value = "value" in values
    has_range = "low" in values or "high" in values
    if has_value and has_range:
        record.error("give either 'value' or 'low' and 'high', not both", "value")
        return None
    if not has_value and not has_range:
        record.error("missing the number: give 'value', or 'low' and 'high' for a range")
        return None
    if has_range:
        if "low" not in values or "high" not in values:
            missing = "high" if "low" in values else "low"
            record.error(f"a range needs both 'low' and 'high'; '{missing}' is missing")
            return None
        low, high = float(values["low"]), float(values["high"])
        if low > high:
            record.error(
                f"range runs backwards: low {values['low']} is more than high {values['high']}",
                "low",
                hint="swap low and high",
            )
            return None
    else:
        low = high = float(values["value"])
    source = sources.get(values["source"])
    if source is None:  # the source file exists but has its own errors
        return None
    stated_on = values.get("stated_on", source.published)
    figure = figures[values["figure"]]
    if not validator.not_future(record, "stated_on", values.get("stated_on")):
        return None
    if figure.kind != "target" and not validator.not_future(record, "as_of", values["as_of"]):
        return None
    return Claim(
        id=values["id"],
        figure=values["figure"],
        low=low,
        high=high,
        is_range=has_range,
        qualifier=values.get("qualifier", "exact"),
        unit=values.get("unit", figure.unit),
        as_of=values["as_of"],
        stated_on=stated_on,
        speaker=values["speaker"],
        source=values["source"],
        quote=values["quote"],
        number_text=values.get("number_text"),
        note=values.get("note"),
        location=record.location(),
        positions=record.positions(),
    )


def _unit_class(unit: str) -> str:
    """What arithmetic may mix: any counts together; a currency only with itself."""
    if unit == "percent":
        return "percent"
    return unit if unit.isupper() and len(unit) == 3 else "count"


def _raw_claim_ids(document: YamlMap) -> set[str]:
    """Ids written in the claims list, valid or not: a claim with its own error is
    reported once, not again by every relation that names it."""
    items = document.get("claims")
    if not isinstance(items, YamlList):
        return set()
    return {i["id"] for i in items if isinstance(i, YamlMap) and isinstance(i.get("id"), str)}


def _relation_refs(record: Record, values: dict[str, Any], written: set[str]) -> bool:
    """Each claim id a relation names must be written in the claims list, once."""
    ok = True
    seen: set[str] = set()
    for key in SCHEMAS["relations"]:
        if SCHEMAS["relations"][key].ref != "claims" or key not in values:
            continue
        ids = values[key] if isinstance(values[key], tuple) else (values[key],)
        raw = record.values[key]
        for index, claim_id in enumerate(ids):
            line, col = (
                raw.item_positions[index]
                if isinstance(raw, YamlList)
                else record.values.position(key)
            )
            message = ""
            if claim_id not in written:
                message = f"unknown claim '{claim_id}'{suggest(claim_id, written)}"
            elif claim_id in seen:
                message = f"claim '{claim_id}' appears twice in the relation"
            seen.add(claim_id)
            if message:
                record.problems.error(
                    record.path,
                    line,
                    col,
                    message,
                    record=record.label,
                    field=key,
                    hint="use the id of a claim in the claims list, once",
                )
                ok = False
    return ok


def _relation_shape(record: Record, values: dict[str, Any]) -> bool:
    """The claim fields a relation has must be the ones its type uses."""
    kind = values["type"]
    required, optional = RELATION_ROLES[kind]
    ok = True
    for key in values:
        if SCHEMAS["relations"][key].ref == "claims" and key not in required + optional:
            record.error(
                f"a {kind} relation has no '{key}'",
                key,
                hint=f"a {kind} relation uses: {', '.join(required + optional)}",
            )
            ok = False
    missing = [key for key in required if key not in values]
    if missing:
        record.error(f"a {kind} relation needs '{missing[0]}'", "type")
        ok = False
    if kind == "sum" and len(values.get("parts", ())) == 1:
        record.error("a sum needs at least two parts", "parts")
        ok = False
    if kind == "percent" and not ("numerator" in values or "denominator" in values):
        record.error(
            "a percent relation needs 'numerator' or 'denominator' besides 'percent'",
            "type",
            hint="name the count the percentage is of (denominator), its part (numerator), or both",
        )
        ok = False
    return ok


def _relation_units(record: Record, values: dict[str, Any], claims: dict[str, Claim]) -> bool:
    """Counts may be added to counts (people and places alike), money only to the
    same currency; a percent relation's percent must be a percentage."""
    ok = True
    if "percent" in values and claims[values["percent"]].unit != "percent":
        record.error(
            f"claim '{values['percent']}' is in {claims[values['percent']].unit}, not a percentage",
            "percent",
        )
        ok = False
    quantities = [
        (key, claim_id)
        for key, ids in values.items()
        if SCHEMAS["relations"][key].ref == "claims" and key != "percent"
        for claim_id in (ids if isinstance(ids, tuple) else (ids,))
    ]
    classes = {_unit_class(claims[claim_id].unit) for _, claim_id in quantities}
    if len(classes) > 1:
        listed = ", ".join(f"'{claim_id}' in {claims[claim_id].unit}" for _, claim_id in quantities)
        record.error(
            "the claims are in units that cannot be combined: " + listed,
            quantities[0][0],
            hint="relate counts to counts, and money only to money in the same currency",
        )
        ok = False
    return ok


def relation_records(
    validator: Validator,
    checked: list[tuple[Record, dict[str, Any]]],
    written: set[str],
    claims: dict[str, Claim],
) -> dict[str, Relation]:
    """The relations whose fields are fine, checked against the claims they name
    (`written`: every claim id in the claims list, valid or not)."""
    relations: dict[str, Relation] = {}
    for record, values in checked:
        shape_ok = _relation_shape(record, values)
        if not (_relation_refs(record, values, written) and shape_ok):
            continue
        relation = Relation(
            id=values["id"],
            type=values["type"],
            total=values.get("total"),
            parts=values.get("parts", ()),
            whole=values.get("whole"),
            part=values.get("part"),
            remainder=values.get("remainder"),
            numerator=values.get("numerator"),
            denominator=values.get("denominator"),
            percent=values.get("percent"),
            note=values.get("note"),
            location=record.location(),
        )
        if not all(claim_id in claims for claim_id in relation.claim_ids()):
            continue  # a claim with its own error, already reported
        if _relation_units(record, values, claims):
            relations[relation.id] = relation
    return relations
