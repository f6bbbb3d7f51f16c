"""Reading YAML from the parser's events gives exactly what the node tree gives:
the same values of the same types, at the same lines and columns."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from bench.generate import claims_yaml, corpus
from hypothesis import given, settings
from hypothesis import strategies as st

from facttrack.errors import Problems
from facttrack.load import YamlList, YamlMap, _Converter, _Loader, _NotPlain, _read_events
from helpers import CLAIMS_YAML, FIXTURES, ROOT


def by_nodes(text: str, line_offset: int = 0) -> Any:
    node = yaml.compose(text, Loader=_Loader)
    return None if node is None else _Converter("x", Problems(), line_offset).convert(node)


def described(value: Any) -> Any:
    """The value with its type and every position, for exact comparison."""
    if isinstance(value, YamlMap):
        return (
            "map",
            (value.line, value.col),
            value.key_positions,
            [(key, value.position(key), described(item)) for key, item in value.items()],
        )
    if isinstance(value, YamlList):
        return (
            "list",
            (value.line, value.col),
            list(value.item_positions),
            [described(item) for item in value],
        )
    return (type(value).__name__, value)


def assert_same_or_not_plain(text: str, line_offset: int = 0) -> bool:
    try:
        fast = _read_events(text, line_offset)
    except _NotPlain:
        return False
    assert described(fast) == described(by_nodes(text, line_offset))
    return True


# the project's own claims.yaml and the small fixture's, for tests of their reading
real_claims_files = pytest.mark.parametrize(
    "path",
    [ROOT / "data" / "claims.yaml", FIXTURES / "small" / "claims.yaml"],
    ids=["data", "small fixture"],
)


@real_claims_files
def test_real_claims_files_read_the_same(path):
    assert assert_same_or_not_plain(path.read_text(encoding="utf-8"))


def test_generated_and_test_claims_read_the_same():
    assert assert_same_or_not_plain(claims_yaml(corpus(300, seed=5)))
    assert assert_same_or_not_plain(CLAIMS_YAML, line_offset=1)


SCALARS = st.sampled_from(
    [
        "plain text", "541210", "1.7e6", "0x1F", "0o17", "1_000", "10:30", "+1", "-2.5", ".5",
        ".inf", "yes", "No", "on", "~", "null", "", "2024-01-02", "2024-01", '"quoted: yes"',
        "'single # not a comment'", "text # a comment", "|\n    block\n    text",
        ">-\n    folded\n    text", "[a, b]", "{a: 1}", "&anchor x", "*anchor", "!!int 5",
        "!!str 5", "<<", "a: b", "é ünïcode", '"\\t escaped"', "'it''s'",
    ]
)  # fmt: skip
KEYS = st.sampled_from(["id", "value", "quote", "yes", "1", "<<", "note", "id"])


@st.composite
def documents(draw: st.DrawFn, depth: int = 0) -> str:
    """A block mapping or list (or a bare scalar), indented by `depth` levels."""
    pad = "  " * depth
    kind = draw(st.sampled_from(["map", "list", "scalar"] if depth else ["map", "list"]))
    if kind == "scalar":
        return draw(SCALARS)
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        nested = depth < 3 and draw(st.booleans())
        value = draw(documents(depth + 1)) if nested else draw(SCALARS)
        head = f"{draw(KEYS)}:" if kind == "map" else "-"
        if nested and value.startswith(("  ", "-")) or "\n" in value and value[:1] not in "|>":
            lines.append(f"{pad}{head}\n{value}")
        else:
            lines.append(f"{pad}{head} {value}")
    return "\n".join(lines)


@settings(max_examples=300, deadline=None)
@given(documents(), st.integers(0, 3))
def test_any_document_reads_the_same_or_goes_to_the_node_tree(text, line_offset):
    try:
        by_nodes(text)
    except yaml.YAMLError:
        return  # a syntax error: both ways report it (parse_yaml)
    assert_same_or_not_plain(text, line_offset)


def test_anchors_tags_merge_keys_and_repeated_keys_go_to_the_node_tree():
    for text in ["a: &x 1\nb: *x", "a: !!str 5", "<<: {a: 1}", "a: 1\na: 2", "--- a\n--- b", ""]:
        with pytest.raises(_NotPlain):
            _read_events(text, 0)


def test_mappings_laid_out_alike_share_one_tuple_of_key_positions():
    """The record a mapping becomes takes the tuple over (validate.Record.positions):
    one per layout is what the forked reader pickles and the memo keeps."""
    text = "claims:\n  - id: a\n    value: 1\n  - id: b\n    value: 2\n  - id: c\n    note: x\n"
    first, second, third = _read_events(text, 0)["claims"]
    assert first.key_positions == ("id", 0, 5, "value", 1, 5)
    assert second.key_positions is first.key_positions
    assert third.key_positions == ("id", 0, 5, "note", 1, 5)
