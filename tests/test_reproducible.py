"""Pagefind's bundle made reproducible: its hash-map ordered filter lists sorted,
the renamed files referenced, and anything unexpected refused."""

from __future__ import annotations

import gzip
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facttrack.reproducible import (
    BundleFormatError,
    read_document,
    reproducible_bundle,
    write_document,
)

cbor_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.text()
    | st.binary(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=20,
)


@given(cbor_values)
def test_documents_read_back_as_written(value):
    assert read_document(write_document(value)) == value


def test_a_known_cbor_encoding_is_read():
    # ["figure", [["a", [1, 500]]]] as a CBOR encoder writes it
    raw = bytes.fromhex("8266" + b"figure".hex() + "8182616182011901f4")
    document = gzip.compress(b"pagefind_dcd" + raw)
    assert read_document(document) == ["figure", [["a", [1, 500]]]]


def bundle(filter_order, value_order):
    """A bundle shaped like Pagefind's, its filter lists in the given orders."""
    values = {"figure": [["Returns", [0, 2]], ["Departures", [1]]], "speaker": [["UN", [3]]]}
    files = {}
    filter_list = []
    for number, name in enumerate(filter_order):
        ordered = values[name] if value_order == "as is" else values[name][::-1]
        filter_hash = f"en_{value_order[:2]}{number}abcd"
        files[f"filter/{filter_hash}.pf_filter"] = write_document([name, ordered])
        filter_list.append([name, filter_hash])
    meta = ["1.5.2", [["en_page1", 10]], [["a", "z", "en_index1"]], filter_list, [], ["title"]]
    meta_hash = f"en_{''.join(filter_order)[:10]}"
    files[f"pagefind.{meta_hash}.pf_meta"] = write_document(meta)
    entry = {"version": "1.5.2", "languages": {"en": {"hash": meta_hash, "page_count": 4}}}
    files["pagefind-entry.json"] = json.dumps(entry).encode()
    files["index/en_index1.pf_index"] = b"unchanged"
    return files


def test_hash_map_order_no_longer_shows_in_the_bundle():
    first = reproducible_bundle(bundle(["figure", "speaker"], "as is"))
    second = reproducible_bundle(bundle(["speaker", "figure"], "reversed"))
    assert first == second
    assert first["index/en_index1.pf_index"] == b"unchanged"


def test_renamed_files_are_the_ones_referenced():
    files = reproducible_bundle(bundle(["speaker", "figure"], "reversed"))
    meta_hash = json.loads(files["pagefind-entry.json"])["languages"]["en"]["hash"]
    assert meta_hash.startswith("en_") and len(meta_hash) == len("en_") + 10
    meta = read_document(files[f"pagefind.{meta_hash}.pf_meta"])
    assert [name for name, _ in meta[3]] == ["figure", "speaker"]
    figure = read_document(files[f"filter/{meta[3][0][1]}.pf_filter"])
    assert figure == ["figure", [["Departures", [1]], ["Returns", [0, 2]]]]
    assert sorted(files) == sorted(
        [
            "pagefind-entry.json",
            f"pagefind.{meta_hash}.pf_meta",
            f"filter/{meta[3][0][1]}.pf_filter",
            f"filter/{meta[3][1][1]}.pf_filter",
            "index/en_index1.pf_index",
        ]
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.pop("pagefind-entry.json"), "pagefind-entry.json is missing"),
        (lambda f: f.pop("pagefind.en_figurespea.pf_meta"), "pf_meta is missing"),
        (lambda f: f.update({"pagefind.en_figurespea.pf_meta": b"plain"}), "not gzip"),
        (
            lambda f: f.update({"pagefind.en_figurespea.pf_meta": gzip.compress(b"other")}),
            "missing Pagefind's signature",
        ),
        (
            lambda f: f.update({"filter/en_as0abcd.pf_filter": write_document({"a": 1})}),
            "a filter file is not",
        ),
    ],
)
def test_an_unexpected_bundle_is_refused(change, message):
    files = bundle(["figure", "speaker"], "as is")
    change(files)
    with pytest.raises(BundleFormatError, match=message):
        reproducible_bundle(files)
