"""The command line: parse options, call the library, print problems, set the exit status."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .build import Options, Result, build, check
from .errors import Problems


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def report(problems: Problems, *, wrote_nothing: bool) -> None:
    """Print every problem, errors first, then one summary line."""
    for problem in [*problems.errors, *problems.warnings]:
        print(problem.format(), file=sys.stderr)
    errors = len(problems.errors)
    if errors:
        tail = ", nothing was written." if wrote_nothing else "."
        print(f"Error: {_plural(errors, 'error')}{tail}", file=sys.stderr)
    elif problems.warnings:
        count = _plural(len(problems.warnings), "warning")
        print(
            f"Warning: {count} about the data's consistency; the site shows them on the "
            "pages concerned and on its Checks page.",
            file=sys.stderr,
        )


def _options(args: argparse.Namespace) -> Options:
    return Options(
        data=Path(args.data),
        out=Path(getattr(args, "out", "site")),
        templates=Path(args.templates) if args.templates else None,
    )


def _summary(result: Result) -> str:
    derived = result.derived
    assert derived is not None
    data = derived.linked.data
    return (
        f"{_plural(len(data.claims), 'claim')}, {_plural(len(data.events), 'event')}, "
        f"{_plural(len(data.figures), 'figure')}, {_plural(len(data.speakers), 'speaker')}, "
        f"{_plural(len(data.sources), 'source')}"
    )


def run_build(args: argparse.Namespace) -> int:
    options = _options(args)
    result = build(options)
    report(result.problems, wrote_nothing=True)
    if not result.ok or result.written is None:
        return 1
    written = result.written
    print(
        f"Built {_plural(result.pages, 'page')} from {_summary(result)} into {options.out}/ "
        f"({written.written} files written, {written.unchanged} unchanged)."
    )
    return 0


def run_check(args: argparse.Namespace) -> int:
    result = check(_options(args))
    report(result.problems, wrote_nothing=False)
    if not result.ok:
        return 1
    print(f"OK: {_summary(result)}; every quote and number checked.")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="facttrack",
        description="Build a static fact-tracker site in which every number links to the "
        "exact passage of its source.",
        epilog="Run 'facttrack COMMAND --help' for a command's options.",
    )
    main.add_argument("--version", action="version", version=f"facttrack {__version__}")
    commands = main.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--data",
            default="data",
            metavar="DIR",
            help="folder with claims.yaml and sources/ (default: data)",
        )
        sub.add_argument(
            "--templates", metavar="DIR", help="folder of templates overriding the built-in ones"
        )

    build_cmd = commands.add_parser(
        "build",
        help="check the data and write the site",
        description="Check the data, then write the site. On any error nothing is written "
        "and the previous site stays as it was.",
    )
    common(build_cmd)
    build_cmd.add_argument(
        "--out", default="site", metavar="DIR", help="folder to write the site into (default: site)"
    )
    build_cmd.set_defaults(run=run_build)

    check_cmd = commands.add_parser(
        "check",
        help="check the data; write nothing",
        description="Check every record, quote and number; write nothing. "
        "Exit status 1 when there are errors.",
    )
    common(check_cmd)
    check_cmd.set_defaults(run=run_check)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    status: int = args.run(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
