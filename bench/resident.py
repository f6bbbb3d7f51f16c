"""A rebuild after one claim changed, in a process that stays up between builds.

This is how `facttrack serve` rebuilds on a save: the check's memo and the page
cache stay in memory (build.Warm), and the pages are rendered in the process
itself (jobs=1). The search index is left out, as in the rest of the benchmark
(serve updates it after the pages), and so is the garbage collection serve runs
once the pages are in place (30 to 50 ms at 10,000 claims). Run by bench/run.py
in its own process:

    python -m bench.resident DATA OUT REPEAT

It prints one line: the best time of REPEAT rebuilds after one claim changed,
in seconds, and how many files the best one wrote.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

from facttrack.build import Warm, build
from facttrack.checking import Options

from .run import change_one_claim


def main(data: Path, out: Path, repeat: int) -> None:
    warm = Warm()
    first = build(Options(data=data, out=out, search=False), warm)  # every core, like serve's
    if not first.ok:
        raise SystemExit("the first build failed")
    gc.collect()  # as serve does after each build
    options = Options(data=data, out=out, search=False, jobs=1)
    runs = []
    for _ in range(repeat):
        original = change_one_claim(data)
        os.sync()  # as bench/run.py does before each run: no writes of the last build pending
        try:
            start = time.perf_counter()
            result = build(options, warm)
            seconds = time.perf_counter() - start
        finally:
            (data / "claims.yaml").write_text(original, encoding="utf-8")
        assert result.ok and result.written is not None
        runs.append((seconds, result.written.written))
        gc.collect()
        build(options, warm)  # back to the original site for the next run
        gc.collect()
    seconds, written = min(runs)
    print(f"{seconds:.4f} {written}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
