"""Records pickle as their class and field values (frozen.pickled_by_fields)."""

from __future__ import annotations

import dataclasses
import importlib
import pickle
import pkgutil

import pytest

import facttrack
from facttrack.checking import Options, check
from facttrack.dates import PartialDate
from facttrack.frozen import pickled_by_fields
from facttrack.model import Anchor, Location, Span
from helpers import ROOT


def _slotted_frozen_dataclasses() -> list[type]:
    found = []
    for module_info in pkgutil.iter_modules(facttrack.__path__):
        if module_info.name == "__main__":  # runs the command line
            continue
        module = importlib.import_module(f"facttrack.{module_info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and value.__module__ == module.__name__
                and dataclasses.is_dataclass(value)
                and "__slots__" in vars(value)
                and value.__dataclass_params__.frozen  # type: ignore[attr-defined]
            ):
                found.append(value)
    return found


def test_every_slotted_frozen_record_pickles_by_fields() -> None:
    # Without it such a record unpickles through dataclasses' slow __setstate__.
    records = _slotted_frozen_dataclasses()
    assert Location in records and PartialDate in records
    missing = [cls.__name__ for cls in records if "__reduce__" not in vars(cls)]
    assert missing == []


def test_the_real_data_round_trips_through_pickle() -> None:
    derived = check(Options(data=ROOT / "data", cache=False)).derived
    assert derived is not None
    linked = derived.linked
    again = pickle.loads(pickle.dumps(linked, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == linked
    claim = next(iter(linked.data.claims.values()))
    copy = again.data.claims[claim.id]
    assert type(copy) is type(claim)
    for field in dataclasses.fields(claim):
        assert getattr(copy, field.name) == getattr(claim, field.name), field.name


def test_a_record_pickles_as_its_class_and_values() -> None:
    location = Location("data/claims.yaml", 12, 5)
    assert location.__reduce__() == (Location._from_fields, ("data/claims.yaml", 12, 5))
    assert pickle.loads(pickle.dumps(location)) == location
    assert b"Location._from_fields" in pickle.dumps(location, protocol=pickle.HIGHEST_PROTOCOL)


@pickled_by_fields
@dataclasses.dataclass(frozen=True, slots=True)
class _Named:
    """Fields named as a generated function's locals might be."""

    record: str
    new: int
    cls: tuple[int, ...]
    self: str | None = None


def test_fields_named_like_the_makers_own_names_come_back_as_they_were() -> None:
    named = _Named("a", 2, (3,), "d")
    again = pickle.loads(pickle.dumps([named, named], protocol=pickle.HIGHEST_PROTOCOL))
    assert again == [named, named]
    assert again[0] is again[1]  # one object, as pickled
    assert type(again[0]) is _Named
    with pytest.raises(dataclasses.FrozenInstanceError):
        again[0].new = 5  # type: ignore[misc]


def test_a_record_of_one_field_pickles_as_a_tuple_of_one() -> None:
    @pickled_by_fields
    @dataclasses.dataclass(frozen=True, slots=True)
    class One:
        value: int

    assert One(3).__reduce__() == (One._from_fields, (3,))  # type: ignore[attr-defined]


def test_fields_outside_init_are_refused() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Derived:
        value: int
        twice: int = dataclasses.field(init=False, default=0)

    with pytest.raises(TypeError, match="every field must be an __init__ argument"):
        pickled_by_fields(Derived)


def test_a_record_with_post_init_is_refused() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            assert self.value > 0

    with pytest.raises(TypeError, match="skips __post_init__"):
        pickled_by_fields(Checked)


def test_claims_laid_out_alike_share_one_positions_tuple() -> None:
    # the memo then pickles it once (see validate._shared)
    derived = check(Options(data=ROOT / "data", cache=False)).derived
    assert derived is not None
    claims = list(derived.linked.data.claims.values())
    layouts = {claim.positions for claim in claims}
    assert len(layouts) < len(claims)
    assert len({id(claim.positions) for claim in claims}) == len(layouts)


def test_an_anchor_pickles_as_its_spans_offsets() -> None:
    claim = Anchor("claim-a", "source-a", Span(10, 40), Span(12, 19), 2)
    event = Anchor("event-a", "source-a", Span(0, 5), None)
    for anchor in (claim, event):
        again = pickle.loads(pickle.dumps(anchor, protocol=pickle.HIGHEST_PROTOCOL))
        assert again == anchor and type(again.quote) is Span
    maker, values = claim.__reduce__()
    assert values == ("claim-a", "source-a", 10, 40, 12, 19, 2)  # no Span to pickle
    assert maker(*event.__reduce__()[1]).number is None


def test_a_record_with_its_own_reduce_keeps_it() -> None:
    @pickled_by_fields
    @dataclasses.dataclass(frozen=True, slots=True)
    class Pair:
        a: int
        b: int

        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (Pair._from_fields, (self.b, self.a))  # type: ignore[attr-defined]

    assert Pair(1, 2).__reduce__()[1] == (2, 1)
