"""The whole build, top to bottom: load -> validate -> link -> derive -> render -> write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import consistency, opendata
from .derive import Derived, derive
from .errors import Problems
from .history import read_history
from .link import link
from .lint import lint
from .load import load
from .render import Renderer
from .search import SearchError, search_bundle
from .validate import validate
from .write import WriteError, WriteResult, write_site


@dataclass(frozen=True)
class Options:
    data: Path = Path("data")
    out: Path = Path("site")
    templates: Path | None = None
    today: dt.date | None = None  # for the "no future dates" check; defaults to today
    strict: bool = False  # warnings fail the run too


@dataclass
class Result:
    problems: Problems = field(default_factory=Problems)
    derived: Derived | None = None
    written: WriteResult | None = None
    pages: int = 0
    strict: bool = False

    @property
    def ok(self) -> bool:
        """No errors (and, with strict, no warnings): the site may be written."""
        return not self.problems.has_errors() and not (self.strict and self.problems.warnings)


def check(options: Options) -> Result:
    """Load, validate, link and derive; write nothing."""
    result = Result(strict=options.strict)
    problems = result.problems
    raw = load(options.data, problems)
    linked = link(validate(raw, problems, options.today), problems)
    if not problems.has_errors():
        result.derived = derive(linked)
        consistency.report(result.derived.consistency, problems)
        lint(result.derived, problems)
    if options.templates is not None and not options.templates.is_dir():
        problems.error(
            str(options.templates),
            None,
            None,
            "templates folder not found",
            hint="pass the folder that holds your template overrides",
        )
    return result


def _rendered(renderer: Renderer, result: Result) -> Iterator[tuple[str, bytes]]:
    for page in renderer.pages():
        result.pages += 1
        yield page.path, renderer.render(page)
    yield from renderer.static_files()
    yield from opendata.files(renderer.derived)


def build(options: Options) -> Result:
    """Check everything, then render and write the site; nothing is written on error."""
    result = check(options)
    if not result.ok or result.derived is None:
        return result
    renderer = Renderer(result.derived, options.templates, read_history(options.data))
    try:
        files = list(_rendered(renderer, result))
        # indexed before writing, so the swap puts pages and their index in place together
        files += search_bundle(files)
        result.written = write_site(files, options.out)
    except jinja2.TemplateSyntaxError as exc:
        result.problems.error(
            exc.filename or exc.name or "template",
            exc.lineno,
            None,
            f"template syntax error: {exc.message}",
        )
    except jinja2.TemplateError as exc:
        result.problems.error(
            "templates",
            None,
            None,
            f"template error: {exc}",
            hint="check the template overrides passed with --templates",
        )
    except SearchError as exc:
        result.problems.error(str(options.out), None, None, f"cannot build the search index: {exc}")
    except WriteError as exc:
        result.problems.error(str(options.out), None, None, str(exc))
    except OSError as exc:
        result.problems.error(
            str(options.out), None, None, f"cannot write the site: {exc.strerror or exc}"
        )
    return result
