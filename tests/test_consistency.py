"""Consistency checks: each relation type, conflicts, falling running totals, how
`facttrack check` reports them, and how bad relation records are refused."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from facttrack.checking import Options, check
from facttrack.consistency import COMPUTED, FAILS, HOLDS, Consistency
from helpers import source_file

FIGURES = """\
figures:
  - id: returns
    label: Returns
    unit: people
    kind: cumulative
    counting_from: 2023-10-03
    description: Running total.
  - id: routes
    label: Returns by route
    unit: people
    kind: cumulative
    description: Parts of the total.
  - id: routes-b
    label: Returns by route B
    unit: people
    kind: cumulative
    description: Parts of the total.
  - id: routes-c
    label: Returns by route C
    unit: people
    kind: cumulative
    description: Parts of the total.
  - id: residents
    label: Residents
    unit: people
    kind: stock
    description: A stock.
  - id: share
    label: Share
    unit: percent
    kind: stock
    description: A percentage.
  - id: fee
    label: Fee
    unit: USD
    kind: amount
    description: Money.
speakers:
  - id: ministry
    name: Ministry
    role: ministry
  - id: agency
    name: Agency
    role: agency
"""


@dataclass(frozen=True)
class C:
    """A claim for a generated project: its number as written, and its fields."""

    id: str
    figure: str
    written: str
    value: float
    as_of: str = "2024-01"
    qualifier: str = "exact"
    speaker: str = "ministry"
    high: float | None = None


def project_files(claims: list[C], relations: str = "") -> tuple[str, str]:
    """claims.yaml and the source text: one sentence per claim holding its number."""
    sentences = [f"Statement {c.id} put it at {c.written} in all." for c in claims]
    records = []
    for c in claims:
        number = (
            f"    value: {c.value}\n"
            if c.high is None
            else (f"    low: {c.value}\n    high: {c.high}\n")
        )
        records.append(
            f"  - id: {c.id}\n    figure: {c.figure}\n{number}    qualifier: {c.qualifier}\n"
            f'    as_of: "{c.as_of}"\n    speaker: {c.speaker}\n    source: doc\n'
            f'    quote: "Statement {c.id} put it at {c.written} in all."\n'
            f'    number_text: "{c.written}"\n'
        )
    yaml = FIGURES + "claims:\n" + "".join(records) + relations
    return yaml, "\n".join(sentences) + "\n"


def consistency_of(project, claims: list[C], relations: str = "") -> Consistency:
    yaml, text = project_files(claims, relations)
    data = project(claims=yaml, sources={"doc": source_file(text, published="2024-02-01")})
    result = check(Options(data=data))
    assert result.ok, [p.format() for p in result.problems.errors]
    assert result.derived is not None
    return result.derived.consistency


ROUTES = [
    C("total", "returns", "541,210", 541210),
    C("kp", "routes", "271,985", 271985),
    C("bal", "routes-b", "159,161", 159161),
    C("ibms", "routes-c", "110,064", 110064),
]
SUM = """\
relations:
  - id: by-route
    type: sum
    parts: [kp, bal, ibms]
    total: total
"""


def test_a_sum_that_adds_up_holds(project):
    (relation,) = consistency_of(project, ROUTES, SUM).relations
    assert relation.status == HOLDS
    assert relation.plain() == "271,985 + 159,161 + 110,064 = 541,210 ✓"
    assert [c.id for c in relation.claims] == ["kp", "bal", "ibms", "total"]


def test_a_sum_that_does_not_add_up_fails(project):
    relations = SUM.replace("[kp, bal, ibms]", "[kp, bal]")
    (relation,) = consistency_of(project, ROUTES, relations).relations
    assert relation.status == FAILS
    assert relation.plain() == "271,985 + 159,161 = 431,146 ≠ 541,210 ✗"
    assert "exactly 431,146" in relation.explanation


def test_a_sum_allows_for_qualifiers(project):
    claims = [*ROUTES[1:], C("total", "returns", "500,000", 500000, qualifier="over")]
    (relation,) = consistency_of(project, claims, SUM).relations
    assert relation.status == HOLDS
    assert relation.plain() == "271,985 + 159,161 + 110,064 = 541,210 ≈ over 500,000 ✓"


DIFFERENCE = """\
relations:
  - id: remaining
    type: difference
    whole: estimate
    part: total
    remainder: left
"""


def test_a_difference_within_rounding_holds(project):
    claims = [
        ROUTES[0],
        C("estimate", "residents", "1.7 million", 1700000, as_of="2023-10", qualifier="about"),
        C("left", "residents", "1.15m", 1150000, qualifier="about"),
    ]
    (relation,) = consistency_of(project, claims, DIFFERENCE).relations
    assert relation.status == HOLDS
    assert relation.plain() == "about 1.7 million − 541,210 = 1,158,790 ≈ about 1.15 million ✓"
    assert "1,073,790 to 1,243,790" in relation.explanation
    assert "1,092,500 to 1,207,500" in relation.explanation


def test_a_difference_outside_rounding_fails(project):
    claims = [
        ROUTES[0],
        C("estimate", "residents", "1.7 million", 1700000, as_of="2023-10"),
        C("left", "residents", "900,000", 900000),
    ]
    (relation,) = consistency_of(project, claims, DIFFERENCE).relations
    assert relation.status == FAILS
    assert relation.plain() == "1.7 million − 541,210 = 1,158,790 ≠ 900,000 ✗"


PART = [
    C("attacks", "residents", "24", 24),
    C("by-afghans", "residents", "14", 14, speaker="agency"),
    C("pct", "share", "58%", 58),
]


RATIO_WITH_PERCENT = (
    "relations:\n  - {id: r, type: ratio, numerator: by-afghans, denominator: attacks, "
    "percent: pct}\n"
)


def test_a_ratio_with_its_percentage_holds(project):
    relations = RATIO_WITH_PERCENT
    (relation,) = consistency_of(project, PART, relations).relations
    assert relation.status == HOLDS  # 14/24 = 58.3%, and "58%" means 57.5% to 58.5%
    assert relation.plain() == "14 ÷ 24 = 58.3% ≈ 58% ✓"


def test_a_ratio_with_a_wrong_percentage_fails(project):
    claims = [*PART[:2], C("pct", "share", "70%", 70)]
    relations = RATIO_WITH_PERCENT
    (relation,) = consistency_of(project, claims, relations).relations
    assert relation.status == FAILS
    assert relation.plain() == "14 ÷ 24 = 58.3% ≠ 70% ✗"


def test_a_ratio_without_percentage_checks_part_against_whole(project):
    relations = (
        "relations:\n  - {id: r, type: ratio, numerator: by-afghans, denominator: attacks}\n"
    )
    (relation,) = consistency_of(project, PART, relations).relations
    assert (relation.status, relation.plain()) == (HOLDS, "14 of 24 = 58.3% ✓")
    swapped = "relations:\n  - {id: r, type: ratio, numerator: attacks, denominator: by-afghans}\n"
    (relation,) = consistency_of(project, PART, swapped).relations
    assert (relation.status, relation.plain()) == (FAILS, "24 is more than 14 ✗")


def test_a_percent_of_a_count_computes_the_part_no_source_states(project):
    claims = [C("returned", "routes", "120,000", 120000), C("pct", "share", "90 percent", 90)]
    relations = "relations:\n  - {id: p, type: percent, percent: pct, denominator: returned}\n"
    (relation,) = consistency_of(project, claims, relations).relations
    assert relation.status == COMPUTED
    assert relation.plain() == "90% of 120,000 = 108,000"
    # 89.5%-90.5% of 115,000-125,000 (120,000 is a round number)
    assert "102,925 to 113,125" in relation.explanation


def test_a_percent_of_an_unstated_whole_computes_the_whole(project):
    claims = [C("afghans", "residents", "4.4 million", 4400000), C("pct", "share", "98%", 98)]
    relations = "relations:\n  - {id: p, type: percent, percent: pct, numerator: afghans}\n"
    (relation,) = consistency_of(project, claims, relations).relations
    assert relation.status == COMPUTED
    assert relation.plain() == "4.4 million ÷ 98% = 4,489,796"


def test_a_percent_with_all_three_is_checked(project):
    claims = [
        C("returned", "routes", "120,000", 120000),
        C("voluntary", "routes-b", "60,000", 60000),
        C("pct", "share", "90 percent", 90),
    ]
    relations = (
        "relations:\n  - {id: p, type: percent, percent: pct, numerator: voluntary, "
        "denominator: returned}\n"
    )
    (relation,) = consistency_of(project, claims, relations).relations
    assert relation.status == FAILS
    assert relation.plain() == "60,000 ÷ 120,000 = 50% ≠ 90% ✗"


# -- conflicts -------------------------------------------------------------------


def test_claims_of_overlapping_dates_that_cannot_both_be_true_conflict(project):
    claims = [
        C("un", "residents", "3.8 million", 3800000, as_of="2023-10", qualifier="about"),
        C("gov", "residents", "4.4 million", 4400000, as_of="2023-10-15", qualifier="about"),
    ]
    (conflict,) = consistency_of(project, claims).conflicts
    assert (conflict.first.id, conflict.second.id) == ("un", "gov")
    assert conflict.figure == "residents"


@pytest.mark.parametrize(
    ("second", "why"),
    [
        (
            C("gov", "residents", "4.4 million", 4400000, as_of="2023-11", qualifier="about"),
            "dates",
        ),
        (
            C("gov", "residents", "4 million", 4000000, as_of="2023-10", qualifier="about"),
            "overlap",
        ),
        (
            C("gov", "residents", "4.4 million", 4400000, as_of="2023-10", qualifier="up to"),
            "up to",
        ),
        (C("gov", "fee", "4.4 million", 4400000, as_of="2023-10"), "figure"),
    ],
)
def test_no_conflict_without_overlapping_dates_or_with_overlapping_values(project, second, why):
    un = C("un", "residents", "3.8 million", 3800000, as_of="2023-10", qualifier="about")
    assert consistency_of(project, [un, second]).conflicts == (), why


def test_a_year_overlaps_its_months(project):
    claims = [
        C("a", "residents", "10", 10, as_of="2023"),
        C("b", "residents", "20", 20, as_of="2023-06-30"),
        C("c", "residents", "30", 30, as_of="2024"),
    ]
    pairs = [(c.first.id, c.second.id) for c in consistency_of(project, claims).conflicts]
    assert pairs == [("a", "b")]


# -- running totals --------------------------------------------------------------

SERIES = [
    C("oct", "returns", "100,000–165,000", 100000, high=165000, as_of="2023-10-31"),
    C("nov", "returns", "340,000", 340000, as_of="2023-11-22", qualifier="over"),
    C("jan", "returns", "541,210", 541210, as_of="2024-01-02"),
]


def test_a_rising_running_total_passes(project):
    consistency = consistency_of(project, SERIES)
    assert consistency.decreases == ()
    assert "returns" in consistency.monotone_checked


def test_a_running_total_that_falls_is_flagged(project):
    claims = [*SERIES, C("feb", "returns", "300,000", 300000, as_of="2024-02")]
    (decrease,) = consistency_of(project, claims).decreases
    assert (decrease.earlier.id, decrease.later.id) == ("jan", "feb")


def test_a_fall_is_measured_against_the_highest_earlier_claim(project):
    claims = [
        C("a", "returns", "500", 500, as_of="2024-01-01"),
        C("b", "returns", "900", 900, as_of="2024-01-02"),
        C("c", "returns", "700", 700, as_of="2024-01-03"),
    ]
    (decrease,) = consistency_of(project, claims).decreases
    assert (decrease.earlier.id, decrease.later.id) == ("b", "c")


def test_only_running_totals_with_a_start_are_checked(project):
    # 'routes' is cumulative but has no counting_from; 'residents' is a stock
    claims = [
        C("a", "routes", "900", 900, as_of="2024-01"),
        C("b", "routes", "500", 500, as_of="2024-02"),
        C("c", "residents", "900", 900, as_of="2024-01"),
        C("d", "residents", "500", 500, as_of="2024-02"),
    ]
    consistency = consistency_of(project, claims)
    assert consistency.decreases == ()
    assert consistency.monotone_checked == frozenset({"returns"})


def test_claims_about_overlapping_dates_are_not_a_fall(project):
    claims = [
        C("month", "returns", "900", 900, as_of="2024-01"),
        C("day", "returns", "500", 500, as_of="2024-01-15"),
    ]
    consistency = consistency_of(project, claims)
    assert consistency.decreases == ()
    assert len(consistency.conflicts) == 1  # same dates, values that cannot both be true


# -- what the editor sees ----------------------------------------------------------


def test_check_reports_each_problem_as_a_warning_with_file_and_line(project, cli):
    claims = [
        *SERIES,
        C("feb", "returns", "300,000", 300000, as_of="2024-02"),
        *ROUTES[1:],
        C("un", "residents", "3.8 million", 3800000, as_of="2023-10", qualifier="about"),
        C("gov", "residents", "4.4 million", 4400000, as_of="2023-10", qualifier="about"),
    ]
    relations = SUM.replace("total: total", "total: jan")
    yaml, text = project_files(claims, relations)
    data = project(claims=yaml, sources={"doc": source_file(text, published="2024-03-01")})
    result = cli("check", "--data", data)
    assert result.returncode == 0, result.stderr
    lines = yaml.splitlines()
    relation_line = lines.index("  - id: by-route") + 1
    feb_line = lines.index("  - id: feb") + 1
    gov_line = lines.index("  - id: gov") + 1
    jan_line = lines.index("  - id: jan") + 1
    un_line = lines.index("  - id: un") + 1
    path = data / "claims.yaml"
    stderr = result.stderr
    assert (
        f"{path}:{feb_line}:5: warning: claim 'feb': running total falls: 300,000 as of "
        f"February 2024 is lower than 541,210 as of 2 January 2024 (claim 'jan', line {jan_line})"
    ) in stderr
    assert (
        f"{path}:{un_line}:5: warning: claim 'un': conflicts with claim 'gov' (line {gov_line}): "
        "about 3.8 million and about 4.4 million cannot both be true as of October 2023"
    ) in stderr
    assert (
        f"{path}:{relation_line}:5: warning: relation 'by-route': does not hold: "
        "271,985 + 159,161 + 110,064 = 541,210 ✓"
    ) not in stderr
    assert re.search(r"OK: .* \d+ warnings \(see above\)", result.stdout)


def test_a_failed_relation_warns_and_the_build_still_writes_the_site(project, cli, tmp_path):
    relations = SUM.replace("[kp, bal, ibms]", "[kp, bal]")
    yaml, text = project_files(ROUTES, relations)
    data = project(claims=yaml, sources={"doc": source_file(text, published="2024-02-01")})
    out = tmp_path / "site"
    result = cli("build", "--data", data, "--out", out)
    assert result.returncode == 0, result.stderr
    line = yaml.splitlines().index("  - id: by-route") + 1
    assert (
        f"{data / 'claims.yaml'}:{line}:5: warning: relation 'by-route': does not hold: "
        "271,985 + 159,161 = 431,146 ≠ 541,210 ✗"
    ) in result.stderr
    assert (out / "index.html").is_file()


# -- bad relation records ------------------------------------------------------------


@pytest.mark.parametrize(
    ("relations", "where", "message"),
    [
        (
            "relations:\n  - id: r\n    type: sum\n    parts: [kp, bal, ibm]\n    total: total\n",
            (4, 22),
            "relation 'r', field 'parts': unknown claim 'ibm' (did you mean 'ibms'?)",
        ),
        (
            "relations:\n  - id: r\n    type: sum\n    parts: [kp, bal]\n    total: totl\n",
            (5, 5),
            "relation 'r', field 'total': unknown claim 'totl' (did you mean 'total'?)",
        ),
        (
            "relations:\n  - id: r\n    type: summ\n    parts: [kp, bal]\n    total: total\n",
            (3, 5),
            "'summ' is not one of: sum, difference, ratio, percent (did you mean 'sum'?)",
        ),
        (
            "relations:\n  - id: r\n    type: sum\n    parts: [kp, bal]\n    whole: total\n",
            (5, 5),
            "a sum relation has no 'whole'",
        ),
        (
            "relations:\n  - id: r\n    type: difference\n    whole: total\n    part: kp\n",
            (3, 5),
            "a difference relation needs 'remainder'",
        ),
        (
            "relations:\n  - id: r\n    type: sum\n    parts: [kp]\n    total: total\n",
            (4, 5),
            "a sum needs at least two parts",
        ),
        (
            "relations:\n  - id: r\n    type: sum\n    parts: kp\n    total: total\n",
            (4, 5),
            "field 'parts': must be a list of ids, not 'kp'",
        ),
        (
            "relations:\n  - id: r\n    type: sum\n    parts: [kp, kp]\n    total: total\n",
            (4, 17),
            "claim 'kp' appears twice in the relation",
        ),
        (
            "relations:\n  - id: r\n    type: percent\n    percent: pct\n",
            (3, 5),
            "a percent relation needs 'numerator' or 'denominator' besides 'percent'",
        ),
        (
            "relations:\n  - id: r\n    type: percent\n    percent: kp\n    denominator: total\n",
            (4, 5),
            "claim 'kp' is in people, not a percentage",
        ),
        (
            "relations:\n  - id: r\n    type: sum\n    parts: [kp, fee]\n    total: total\n",
            (4, 5),
            "the claims are in units that cannot be combined",
        ),
        (
            "relations:\n  - id: r\n    type: sum\n    parts: [kp, bal]\n    totals: total\n",
            (5, 5),
            "unknown field 'totals' (did you mean 'total'?)",
        ),
    ],
)
def test_bad_relations_are_errors_on_the_right_line(project, cli, relations, where, message):
    claims = [*ROUTES, C("pct", "share", "50%", 50), C("fee", "fee", "$830", 830)]
    yaml, text = project_files(claims, relations)
    data = project(claims=yaml, sources={"doc": source_file(text, published="2024-02-01")})
    result = cli("check", "--data", data)
    assert result.returncode == 1
    first = yaml.splitlines().index("relations:") + 1
    line, col = where
    prefix = f"{data / 'claims.yaml'}:{first + line - 1}:{col}: "
    matching = [x for x in result.stderr.splitlines() if x.startswith(prefix)]
    assert any(message in x for x in matching), result.stderr
    assert "Traceback" not in result.stderr


def test_a_relation_naming_a_broken_claim_reports_only_the_claim(project, cli):
    claims = [*ROUTES]
    yaml, text = project_files(claims, SUM)
    yaml = yaml.replace('    quote: "Statement kp put', '    quote: "Statement kp said', 1)
    data = project(claims=yaml, sources={"doc": source_file(text, published="2024-02-01")})
    result = cli("check", "--data", data)
    assert result.returncode == 1
    assert "quote not found" in result.stderr
    assert "relation 'by-route'" not in result.stderr and "Error: 1 error." in result.stderr


def test_the_curated_data_declares_relations_that_hold_and_fail():
    from helpers import ROOT

    result = check(Options(data=ROOT / "data"))
    assert result.ok and result.derived is not None
    consistency = result.derived.consistency
    statuses = {r.relation.id: r.status for r in consistency.relations}
    assert statuses["senate-reply-returns-by-route"] == HOLDS
    assert statuses["senate-reply-still-residing"] == HOLDS
    assert statuses["holding-centres-by-province"] == FAILS
    assert statuses["balochistan-voluntary-returns"] == COMPUTED
    assert {r.relation.type for r in consistency.relations} == {
        "sum",
        "difference",
        "ratio",
        "percent",
    }
    warned = [p for p in result.problems.warnings if p.record and p.record.startswith("relation")]
    assert len(warned) == sum(r.status == FAILS for r in consistency.relations) >= 1
