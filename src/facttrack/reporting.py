"""Problems written for people (text), for GitHub pull requests (github) and for tools (json)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .errors import ERROR, Problem, Problems

FORMATS = ("text", "github", "json")
JSON_FIELDS = ("file", "line", "col", "severity", "record", "field", "message", "hint")


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def ordered(problems: Problems) -> list[Problem]:
    """Errors first, then warnings, each in file and line order."""
    return [*problems.errors, *problems.warnings]


def failed(problems: Problems, strict: bool) -> bool:
    return problems.has_errors() or (strict and bool(problems.warnings))


def summary(problems: Problems, *, strict: bool, wrote_nothing: bool) -> str | None:
    """The closing line of a failed run, e.g. 'Error: 2 errors, nothing was written.'"""
    errors, warnings = len(problems.errors), len(problems.warnings)
    tail = ", nothing was written." if wrote_nothing else "."
    if errors:
        return f"Error: {plural(errors, 'error')}{tail}"
    if strict and warnings:
        return f"Error: {plural(warnings, 'warning')}, which --strict treats as errors{tail}"
    return None


# -- GitHub Actions workflow commands ----------------------------------------
# https://docs.github.com/actions/reference/workflow-commands-for-github-actions
# The escaping is the one @actions/core applies (toolkit, command.ts).


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repository_path(file: str, cwd: Path | None = None) -> str:
    """The path GitHub expects: relative to the checkout (the working folder) when inside it."""
    here = (cwd or Path.cwd()).resolve()
    path = Path(file)
    absolute = path if path.is_absolute() else here / path
    try:
        return absolute.resolve().relative_to(here).as_posix()
    except ValueError:  # outside the checkout: GitHub cannot place it, keep it readable
        return os.path.normpath(file)


def github_command(problem: Problem, cwd: Path | None = None) -> str:
    """One ::error or ::warning line that GitHub shows on the file's line in a pull request."""
    properties = [("file", repository_path(problem.file, cwd))]
    if problem.line is not None:
        properties.append(("line", str(problem.line)))
        if problem.col is not None:
            properties.append(("col", str(problem.col)))
    subject = problem.subject()
    properties.append(("title", f"facttrack: {subject}" if subject else "facttrack"))
    message = problem.message + (f"\n{problem.hint}" if problem.hint else "")
    kind = "error" if problem.severity == ERROR else "warning"
    listed = ",".join(f"{name}={escape_property(value)}" for name, value in properties)
    return f"::{kind} {listed}::{escape_data(message)}"


def github_lines(problems: Problems, cwd: Path | None = None) -> list[str]:
    return [github_command(problem, cwd) for problem in ordered(problems)]


# -- JSON --------------------------------------------------------------------


def problem_record(problem: Problem) -> dict[str, Any]:
    """A problem as a JSON object; every key is always present (null when unknown)."""
    return {name: getattr(problem, name) for name in JSON_FIELDS}


def json_document(problems: Problems, *, strict: bool) -> str:
    """The whole run for tools: whether it passed, the counts, and every problem."""
    document = {
        "ok": not failed(problems, strict),
        "errors": len(problems.errors),
        "warnings": len(problems.warnings),
        "problems": [problem_record(problem) for problem in ordered(problems)],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
