"""The downloads are written faster than json.dumps(indent=2) and csv.writer row by row
would write them, and must stay byte for byte what those would write."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facttrack import opendata
from facttrack.checking import Options, check
from helpers import CLAIMS_YAML, FIXTURES, ROOT

# Characters json escapes or that are easy to get wrong, beside any text at all.
TRICKY = "\"\\/<>&'\n\r\t\b\f\x00\x1f\x7f\x85\u2028\u2029é”ß中😀\ufeff"

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()  # NaN and infinities included: json.dumps writes NaN, Infinity
    | st.floats().map(opendata.number)  # what the documents hold: 3.0 as 3, inf as null
    | st.text()
    | st.text(alphabet=TRICKY)
)
keys = st.text() | st.text(alphabet=TRICKY, max_size=4)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5)
        | st.lists(children, max_size=3).map(tuple)
        | st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=40,
)


def reference_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


@settings(max_examples=500, deadline=None)
@given(values)
def test_json_text_is_json_dumps_with_indent_2(value):
    assert opendata.json_text(value) == reference_json(value)
    # and with indent 1, as the pages' JSON-LD has it
    assert opendata.json_text(value, indent=1) == json.dumps(value, ensure_ascii=False, indent=1)


@settings(max_examples=200, deadline=None)
@given(st.lists(values, max_size=6), st.integers(min_value=0, max_value=3))
def test_an_array_of_encoded_elements_is_what_json_text_writes(elements, depth):
    """The downloads join each list of records, encoded one level deeper, in one call."""
    encoded = [opendata.json_text(element, depth=depth + 1) for element in elements]
    assert opendata.json_array(encoded, depth=depth) == opendata.json_text(elements, depth=depth)
    as_members = [opendata.json_text(element, depth=2) for element in elements]
    inside = {"list": opendata.json_array(as_members, depth=1)}  # as claims.json has them
    assert opendata.json_text(inside) == reference_json({"list": elements})


@pytest.mark.parametrize(
    "value",
    [{}, [], (), "", 0, -0.0, 1e16, 2**64, True, None, [[]], {"": {}}, [{}, [[], {}]]],
)
def test_json_text_of_empty_and_edge_values(value):
    assert opendata.json_text(value) == reference_json(value)


def test_json_text_refuses_keys_json_dumps_would_turn_into_strings():
    # json.dumps writes {1: 2} as {"1": 2}; the documents only have string keys.
    with pytest.raises(TypeError):
        opendata.json_text({1: 2})


def reference_csv(derived, claims) -> bytes:
    """claims.csv as written before it was fast: one claim_record and writerow per claim."""
    data = derived.linked.data
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(opendata.CSV_COLUMNS)
    for claim in claims:
        record = opendata.claim_record(derived, claim)
        values = {
            **record,
            "figure_label": data.figures[claim.figure].label,
            "speaker_name": data.speakers[claim.speaker].name,
            "source_title": data.sources[claim.source].title,
            "publisher": data.sources[claim.source].publisher,
            "interval_low": record["interval"]["low"],
            "interval_high": record["interval"]["high"],
        }
        writer.writerow(["" if values[c] is None else str(values[c]) for c in opendata.CSV_COLUMNS])
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("data", [ROOT / "data", FIXTURES / "small"], ids=["real", "small"])
def test_downloads_are_what_json_dumps_and_csv_writer_write(data: Path):
    derived = check(Options(data=data)).derived
    assert derived is not None
    files = dict(opendata.files(derived))
    document = opendata.document(derived)
    assert files[opendata.JSON_PATH] == (reference_json(document) + "\n").encode("utf-8")
    schema = opendata.schema(derived.linked.data.url)
    assert files[opendata.SCHEMA_PATH] == (reference_json(schema) + "\n").encode("utf-8")
    claims = sorted(derived.linked.data.claims.values(), key=lambda c: c.id)
    assert files[opendata.CSV_PATH] == reference_csv(derived, claims)
    for figure in derived.figures:
        steps = derived.series.get(figure.id, ())
        expected = reference_csv(derived, [step.claim for step in steps])
        assert files[f"{opendata.FIGURE_CSV_DIR}/{figure.id}.csv"] == expected


def test_fields_csv_must_quote_are_written_as_csv_writer_writes_them(project):
    note = 'He said "about 541,210, maybe more";\n  then: <b>écrit</b>\t\r\n'
    label = 'Returns, to "Afghanistan"'
    claims = CLAIMS_YAML.replace(
        "    quote: 541,210 people have been sent back since October.\n",
        "    quote: 541,210 people have been sent back since October.\n"
        f"    note: {json.dumps(note)}\n",  # a JSON string is a YAML double-quoted one
    ).replace("label: Returns to Afghanistan", f"label: {json.dumps(label)}")
    result = check(Options(data=project(claims=claims)))
    assert result.derived is not None, result.problems
    derived = result.derived
    (claim,) = derived.linked.data.claims.values()
    assert (claim.note, derived.linked.data.figures["returns"].label) == (note, label)
    files = dict(opendata.files(derived))
    assert files[opendata.CSV_PATH] == reference_csv(derived, [claim])
    assert files[f"{opendata.FIGURE_CSV_DIR}/returns.csv"] == reference_csv(derived, [claim])
    document = opendata.document(derived)
    assert files[opendata.JSON_PATH] == (reference_json(document) + "\n").encode("utf-8")
