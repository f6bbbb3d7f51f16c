"""The command line: parse options, call the library, print problems, set the exit status."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__, reporting
from .checking import Options, Result, check
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
        jobs=getattr(args, "jobs", None),
        cache=not getattr(args, "no_cache", False),
        search=not getattr(args, "no_search", False),
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


def _print_timings(result: Result) -> None:
    for name, seconds in result.timings.steps:
        print(f"{seconds:8.3f} s  {name}", file=sys.stderr)


def _waiting_for(out: Path) -> Callable[[int | None], None]:
    def waiting(pid: int | None) -> None:
        by = f" (process {pid})" if pid is not None else ""
        print(
            f"Another build into {out}/{by} is running; waiting for it to finish.",
            file=sys.stderr,
            flush=True,
        )

    return waiting


def run_build(args: argparse.Namespace) -> int:
    from .build import build  # with the renderer's modules, which a check does without

    options = _options(args)
    result = build(options, waiting=_waiting_for(options.out))
    if args.timings:
        _print_timings(result)
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
    if args.timings:
        _print_timings(result)
    report(result.problems, wrote_nothing=False, strict=options.strict, format=args.format)
    if not result.ok:
        return 1
    if args.format != "json":
        print(f"OK: {_summary(result)}; every quote and number checked." + _warnings_note(result))
    return 0


def run_find(args: argparse.Namespace) -> int:
    from . import find  # each command imports only what it runs: a build starts sooner

    problems = Problems()
    sources = find.load_sources(Path(args.data), problems)
    for problem in reporting.ordered(problems):  # unreadable sources are skipped, not fatal
        print(problem.format(), file=sys.stderr)
    if args.source is not None:
        known = {source.id: source for source in sources}
        if args.source not in known:
            closest = find.closest_source(args.source, known)
            suggestion = f" (did you mean '{closest}'?)" if closest else ""
            print(
                f"Error: no source '{args.source}' in {Path(args.data) / 'sources'}{suggestion}",
                file=sys.stderr,
            )
            return 1
        sources = [known[args.source]]
    matches = find.search(sources, args.text)
    where = _plural(len(sources), "source")
    if not matches:
        print(f"No match for '{args.text}' in {where}.", file=sys.stderr)
        return 1
    for match, stub in zip(matches, find.stubs(matches), strict=True):
        print(f"# {match.source.path}:{match.line}:{match.col}: {find.in_context(match)}")
        print(stub)
        print()
    claims = Path(args.data) / "claims.yaml"
    kinds = {"'claims:'" if m.quantity else "'events:'" for m in matches}
    print(
        f"{len(matches)} match{'' if len(matches) == 1 else 'es'} for '{args.text}' in {where}. "
        "Paste a stub under "
        f"{' or '.join(sorted(kinds))} in {claims}, fill in the empty fields, "
        "then run 'facttrack check'.",
        file=sys.stderr,
    )
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from . import serve

    templates = Path(args.templates) if args.templates else None
    preview = serve.Preview(Path(args.data), templates)
    try:
        server = serve.Server(
            preview, port=args.port, log=lambda line: print(line, file=sys.stderr, flush=True)
        )
    except OSError as exc:
        preview.close()
        print(
            f"Error: cannot listen on 127.0.0.1:{args.port} ({exc.strerror or exc}); "
            "pass --port with another number, or --port 0 for any free one",
            file=sys.stderr,
        )
        return 1
    # stopped by Ctrl-C or a kill: either way, stop cleanly and remove the temporary site
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.start()
        print(
            f"Serving a preview of {args.data}/ on {server.url} "
            "(rebuilt on every change; Ctrl-C stops it).",
            flush=True,
        )
        # Woken every half second: the kernel may hand a SIGTERM to any thread, and
        # Python runs its handler only once the main thread runs again; a wait with
        # no timeout then never returned (a rare hang on `kill`, seen in CI).
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of 1 or more")
    return int(text)


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
        sub.add_argument(
            "--timings", action="store_true", help="print how long each step took, on stderr"
        )

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
    build_cmd.add_argument(
        "--jobs",
        type=_positive,
        metavar="N",
        help="processes reading claims.yaml, linking quotes and rendering pages "
        "(default: one per core)",
    )
    build_cmd.add_argument(
        "--no-cache",
        action="store_true",
        help="check every record and render every page again, ignoring what the previous "
        "build kept in .facttrack-cache/",
    )
    build_cmd.add_argument(
        "--no-search",
        action="store_true",
        help="leave out the search index (Pagefind: the slowest and largest step of a build)",
    )
    build_cmd.set_defaults(run=run_build)

    check_cmd = commands.add_parser(
        "check",
        help="check the data; write nothing but a memo for the next check",
        description="Check every record, quote and number; write nothing but a memo for "
        "the next check (in .facttrack-cache/ beside the data folder). "
        "Exit status 1 when there are errors.",
    )
    common(check_cmd)
    reported(check_cmd)
    check_cmd.add_argument(
        "--no-cache",
        action="store_true",
        help="check every record again, ignoring the memo the previous check kept in "
        ".facttrack-cache/ (and keeping none)",
    )
    check_cmd.set_defaults(run=run_check)

    find_cmd = commands.add_parser(
        "find",
        help="search the sources for a number or phrase; print ready-to-paste claim stubs",
        description="Search the source texts for a number, in any written form ('1700000' "
        "finds '1.7 million'), or a phrase (ignoring case and spacing). Each match is "
        "printed in its sentence with a claim stub to paste into claims.yaml.",
    )
    find_cmd.add_argument("text", metavar="TEXT", help="a number or a phrase")
    find_cmd.add_argument("--source", metavar="ID", help="search only this source")
    find_cmd.add_argument(
        "--data",
        default="data",
        metavar="DIR",
        help="folder with claims.yaml and sources/ (default: data)",
    )
    find_cmd.set_defaults(run=run_find)

    serve_cmd = commands.add_parser(
        "serve",
        help="preview the site on 127.0.0.1, rebuilt whenever data or templates change",
        description="Build the site into a temporary folder and serve it on 127.0.0.1. "
        "Every change to the data or templates rebuilds it; a build with errors shows "
        "them in the browser instead. The site/ folder is never touched.",
    )
    common(serve_cmd)
    serve_cmd.add_argument(
        "--port",
        type=int,
        default=8000,
        help="port to listen on (default: 8000; 0 picks a free one)",
    )
    serve_cmd.set_defaults(run=run_serve)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except BrokenPipeError:  # piped into head or less, which stopped reading: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status


def run() -> None:
    """The `facttrack` command: main(), then exit without freeing what it built.

    A build holds millions of small objects; freeing them one by one at exit took
    longer than some incremental builds. Output is flushed first; nothing else is
    left to do (no atexit work, no open files). Callers of main() in-process, such
    as tests, get a normal return.
    """
    status = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # a reader that stopped reading, or closed
            pass
    os._exit(status)


if __name__ == "__main__":
    run()
