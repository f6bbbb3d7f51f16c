"""The orders derive gives: each figure's series, and the timeline."""

from __future__ import annotations

import re
from collections import Counter

from bench.generate import corpus, write_project

from facttrack.checking import Options, check


def derived_of(tmp_path):
    """A generated tracker whose claims are as of a year: many about the same date."""
    data = write_project(corpus(600, seed=5), tmp_path / "data")
    claims = data / "claims.yaml"
    claims.write_text(re.sub(r'as_of: "(\d{4})-\d\d"', r'as_of: "\1"', claims.read_text()))
    result = check(Options(data=data, cache=False))
    assert result.ok and result.derived is not None
    return result.derived


def test_a_series_is_in_as_of_order_then_by_date_stated_then_by_id(tmp_path):
    derived = derived_of(tmp_path)
    data = derived.linked.data
    ties = 0
    for figure_id in data.figures:
        claims = [step.claim for step in derived.series[figure_id]]
        assert sorted(c.id for c in claims) == sorted(
            c.id for c in data.claims.values() if c.figure == figure_id
        )
        expected = sorted(claims, key=lambda c: (c.as_of.sort_key(), c.stated_on.sort_key(), c.id))
        assert [c.id for c in claims] == [c.id for c in expected]
        steps = derived.series[figure_id]
        assert all(
            step.previous is (steps[i - 1].claim if i else None) for i, step in enumerate(steps)
        )
        ties += sum(n - 1 for n in Counter(c.as_of for c in claims).values())
    assert ties > 50  # claims about the same date: the order after the as-of date matters


def test_the_timeline_is_in_date_order_with_a_days_events_before_its_claims(tmp_path):
    derived = derived_of(tmp_path)
    data = derived.linked.data
    entries = [entry for month in derived.timeline for entry in month.entries]
    assert len(entries) == len(data.claims) + len(data.events)

    def key(entry):
        record = entry.claim if entry.claim is not None else entry.event
        return (entry.date.sort_key(), 0 if entry.event is not None else 1, record.id)

    assert entries == sorted(entries, key=key)
    for month in derived.timeline:
        assert {entry.date.month_key() for entry in month.entries} == {month.key}
    days = Counter(entry.date for entry in entries)
    shared = {
        date
        for date in days
        if {e.event is None for e in entries if e.date == date} == {True, False}
    }
    assert shared  # days with both an event and a claim: the order between them matters


def test_a_speakers_and_a_sources_events_and_claims_are_in_the_order_stated_then_by_id(tmp_path):
    derived = derived_of(tmp_path)
    data = derived.linked.data

    def stated(claim):
        return (claim.stated_on.sort_key(), claim.id)

    ties = 0
    for speaker_id, claims in derived.claims_by_speaker.items():
        assert list(claims) == sorted(
            (c for c in data.claims.values() if c.speaker == speaker_id), key=stated
        )
        ties += sum(n - 1 for n in Counter(c.stated_on for c in claims).values())
    assert ties > 50  # claims stated on the same date: the order by id matters
    for source_id, events in derived.events_by_source.items():
        expected = sorted(
            (e for e in data.events.values() if e.source == source_id),
            key=lambda e: (e.date.sort_key(), e.id),
        )
        assert list(events) == expected
