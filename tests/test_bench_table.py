"""bench/run.py's tables: what `make bench` prints and docs/performance.md quotes."""

from __future__ import annotations

from dataclasses import replace

from bench.run import Results, Run, Speed, table

MIB = 2**20


def _results(n: int) -> Results:
    def run(seconds: float, cpu: float, rss_mib: int = 0) -> Run:
        return Run(seconds, cpu, rss_mib * MIB, 2 * rss_mib * MIB)

    return Results(
        n=n,
        pages=12_000,
        hugo_pages=11_900,
        site_bytes=140_000_000,
        hugo_bytes=120_000_000,
        check=run(0.25, 0.24),
        check_full=run(0.7, 1.0),
        check_first=run(0.85, 1.15),
        facttrack=run(4.0, 7.5, rss_mib=160),
        hugo=run(8.0, 15.0, rss_mib=780),
        unchanged=run(0.3, 0.3),
        unchanged_untouched=True,
        one_claim=run(0.4, 0.5),
        one_claim_median=0.45,
        one_claim_written=12,
        resident=0.2,
        resident_written=12,
        with_search=None,
        speed=(Speed(0.3, 0.35), Speed(0.4, 0.6)),
    )


def _rows(text: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("|") and not line.startswith("|---")
    ]


def test_every_row_has_a_cell_under_each_heading():
    text = table([_results(10_000), _results(100_000)])
    tables = [block for block in text.split("\n\n") if block.startswith("|")]
    assert len(tables) == 3  # full builds; rebuilds and checks; the machine's speed
    for block in tables:
        header, *rows = _rows(block)
        assert len(rows) == 2
        assert all(len(row) == len(header) for row in rows)


def test_the_cells_are_the_runs_figures_and_their_shares():
    full, again, speed = (_rows(block)[1] for block in table([_results(10_000)]).split("\n\n"))
    assert full[0] == "10,000"
    assert full[3] == "4.00 s (7.5 s)"  # facttrack's time and CPU time
    assert full[5] == "0.50"  # facttrack / Hugo
    assert full[6] == "3,000 / 1,488"  # pages a second
    assert full[7] == "160 MiB / 320 MiB"
    assert full[9] == "not run"
    assert again[1:4] == ["0.30 s", "none", "0.40 s (10.0 %; median 0.45 s)"]
    assert again[5] == "0.20 s (5.0 %)"
    # each check's time beside its CPU time: more CPU than time means both cores worked
    assert again[6:] == ["0.25 s (0.24 s)", "0.70 s (1.00 s)", "0.85 s (1.15 s)"]
    assert speed[1:] == ["0.30 s / 0.40 s", "0.35 s / 0.60 s"]


def test_a_no_change_rebuild_that_touched_a_file_says_so():
    touched = replace(_results(10_000), unchanged_untouched=False)
    assert _rows(table([touched]).split("\n\n")[1])[1][2] == "SOME"


def test_growth_is_given_when_both_sizes_ran():
    assert "Full build at 100,000" not in table([_results(10_000)])
    large = replace(_results(100_000), facttrack=Run(42.0, 80.25, 1_200 * MIB, 1_500 * MIB))
    text = table([_results(10_000), large])
    assert text.endswith(
        "Full build at 100,000 claims: 10.5 × the time at 10,000 (CPU time 10.7 ×)."
    )
