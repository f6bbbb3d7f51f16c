"""The command line: parse options, call the library, print problems, set the exit status."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, reporting
from .build import Options, Result, build, check
from .errors import Problems


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def report(
    problems: Problems, *, wrote_nothing: bool, strict: bool = False, format: str = "text"
) -> None:
    """Print every problem, errors first, then one summary line.

    text goes to stderr for people; github prints workflow commands on stdout, where
    the Actions runner reads them; json prints one document on stdout (nothing else).
    """
    if format == "json":
        print(reporting.json_document(problems, strict=strict))
        return
    if format == "github":
        for line in reporting.github_lines(problems):
            print(line)
    else:
        for problem in reporting.ordered(problems):
            print(problem.format(), file=sys.stderr)
    closing = reporting.summary(problems, strict=strict, wrote_nothing=wrote_nothing)
    if closing:
        print(closing, file=sys.stderr)


def _options(args: argparse.Namespace) -> Options:
    return Options(
        data=Path(args.data),
        out=Path(getattr(args, "out", "site")),
        templates=Path(args.templates) if args.templates else None,
        strict=getattr(args, "strict", False),
    )


def _warnings_note(result: Result) -> str:
    warnings = len(result.problems.warnings)
    return f" {reporting.plural(warnings, 'warning')} (see above)." if warnings else ""


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
    report(result.problems, wrote_nothing=True, strict=options.strict, format=args.format)
    if not result.ok or result.written is None:
        return 1
    written = result.written
    if args.format != "json":
        print(
            f"Built {_plural(result.pages, 'page')} from {_summary(result)} into {options.out}/ "
            f"({written.written} files written, {written.unchanged} unchanged)."
            + _warnings_note(result)
        )
    return 0


def run_check(args: argparse.Namespace) -> int:
    options = _options(args)
    result = check(options)
    report(result.problems, wrote_nothing=False, strict=options.strict, format=args.format)
    if not result.ok:
        return 1
    if args.format != "json":
        print(f"OK: {_summary(result)}; every quote and number checked." + _warnings_note(result))
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

    def reported(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--format",
            choices=reporting.FORMATS,
            default="text",
            help="how to print problems: text (default), github (workflow commands that "
            "annotate a pull request) or json (for tools, on stdout)",
        )
        sub.add_argument("--strict", action="store_true", help="fail on warnings as well as errors")

    build_cmd = commands.add_parser(
        "build",
        help="check the data and write the site",
        description="Check the data, then write the site. On any error nothing is written "
        "and the previous site stays as it was.",
    )
    common(build_cmd)
    reported(build_cmd)
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
    reported(check_cmd)
    check_cmd.set_defaults(run=run_check)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except BrokenPipeError:  # piped into head or less, which stopped reading: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
