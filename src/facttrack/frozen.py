"""Frozen, slotted records that pickle quickly.

The check memo and the caches pickle every record of a tracker (about 100,000
objects at 10,000 claims), and every build after an edit reads them back. A frozen
dataclass with slots unpickles through `dataclasses._dataclass_setstate`, which
looks up the class's fields and sets each one with a call of its own, for every
object; its `__init__` is not much faster, since a frozen class sets each field
through `object.__setattr__`. `pickled_by_fields` makes a record pickle as a
function of the class and its field values, which fills the slots straight
through their descriptors: reading the check's memo back takes half the time it
took through `__setstate__`, and a third less than through `__init__`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar

_Record = TypeVar("_Record", bound=type)

MAKER = "_from_fields"  # the class attribute pickles name to rebuild a record


def pickled_by_fields(cls: _Record) -> _Record:
    """Pickle instances of a frozen, slotted dataclass as their field values, rebuilt by
    `cls._from_fields`; every field must be an argument of its `__init__`, and the class
    may have no `__post_init__` (the record is rebuilt without calling `__init__`). A
    class that writes its own `__reduce__` keeps it, with `_from_fields` to call."""
    fields = dataclasses.fields(cls)
    if any(not field.init for field in fields):
        raise TypeError(f"{cls.__name__}: every field must be an __init__ argument")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: a record rebuilt from its fields skips __post_init__")
    names = tuple(field.name for field in fields)
    values: Callable[[Any], tuple[Any, ...]] = _getter(names)
    maker = _maker(cls, names)

    def __reduce__(self: Any) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return maker, values(self)

    setattr(cls, MAKER, staticmethod(maker))
    if "__reduce__" not in vars(cls):
        setattr(cls, "__reduce__", __reduce__)  # noqa: B010 - mypy will not let a method be assigned
    return cls


def _maker(cls: type, names: tuple[str, ...]) -> Callable[..., Any]:
    """A function of the field values that makes the record: a new object whose slots
    are set through their member descriptors, one line per field (a loop over the
    fields would cost as much as the frozen `__init__` it replaces). Its own names
    start with an underscore and end with two, which no field's does."""
    if any(name.startswith("_") and name.endswith("__") for name in names):
        raise TypeError(f"{cls.__name__}: a field's name starts with _ and ends with __")
    lines = [f"def {MAKER}({', '.join(names)}):", "    _record__ = _new__(_class__)"]
    lines += [f"    _set_{name}__(_record__, {name})" for name in names]
    lines.append("    return _record__")
    scope: dict[str, Any] = {"_new__": object.__new__, "_class__": cls}
    scope.update((f"_set_{name}__", vars(cls)[name].__set__) for name in names)
    exec("\n".join(lines), scope)  # the code is made of the class's field names only
    maker: Callable[..., Any] = scope[MAKER]
    # found again by pickle as an attribute of the class
    maker.__module__ = cls.__module__
    maker.__qualname__ = f"{cls.__qualname__}.{MAKER}"
    return maker


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if len(names) == 1:  # attrgetter of one name returns the value, not a tuple
        one = attrgetter(names[0])
        return lambda record: (one(record),)
    return attrgetter(*names)
