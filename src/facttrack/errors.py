"""Problems found in the data: one type for all of them, and a collector.

Nothing in the pipeline raises on bad input; every step adds a Problem to a
Problems collector and goes on, so one run reports every mistake together.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    file: str
    line: int | None
    col: int | None
    message: str
    record: str | None = None  # e.g. "claim 'senate-total'"
    field: str | None = None
    hint: str | None = None  # what to do about it, or the closest passage
    severity: str = ERROR

    def location(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def subject(self) -> str:
        """What the problem is about: "claim 'x', field 'quote'", or ''."""
        subject = self.record or ""
        if self.field:
            subject = f"{subject}, field '{self.field}'" if subject else f"field '{self.field}'"
        return subject

    def headline(self) -> str:
        """The message with its record and field, without the location."""
        subject = self.subject()
        return f"{subject}: {self.message}" if subject else self.message

    def format(self) -> str:
        kind = "" if self.severity == ERROR else f"{self.severity}: "
        text = f"{self.location()}: {kind}{self.headline()}"
        if self.hint:
            text += "\n" + "\n".join("  " + line for line in self.hint.splitlines())
        return text

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line or 0, self.col or 0, self.message)


@dataclass
class Problems:
    """Collects problems from every step of a run."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def error(
        self,
        file: str,
        line: int | None,
        col: int | None,
        message: str,
        *,
        record: str | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.add(Problem(file, line, col, message, record, field, hint, ERROR))

    def warning(
        self,
        file: str,
        line: int | None,
        col: int | None,
        message: str,
        *,
        record: str | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.add(Problem(file, line, col, message, record, field, hint, WARNING))

    @property
    def errors(self) -> list[Problem]:
        return sorted((p for p in self.items if p.severity == ERROR), key=Problem.sort_key)

    @property
    def warnings(self) -> list[Problem]:
        return sorted((p for p in self.items if p.severity == WARNING), key=Problem.sort_key)

    def has_errors(self) -> bool:
        return any(p.severity == ERROR for p in self.items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(self.items, key=Problem.sort_key))

    def __len__(self) -> int:
        return len(self.items)
