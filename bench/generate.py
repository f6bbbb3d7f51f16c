"""Synthetic facttrack projects of any size, deterministic from a seed.

`corpus(n, seed)` makes N claims, N/10 sources of about 3,000 words (every
claim's and event's quote written verbatim into its source), N/50 figures,
N/20 speakers and N/20 events. `write_project(corpus, folder)` writes it in
facttrack's own format (claims.yaml and sources/*.txt); bench/hugo_site.py
writes the same content as a Hugo site.

The quotes pass facttrack's checks: each holds exactly one number, written as
sources write numbers ("541,210", "1.7 million", "120,000-150,000"), and the
filler text has no number words.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

WORDS_PER_SOURCE = 3000
CLAIMS_PER_SOURCE = 10
CLAIMS_PER_FIGURE = 50
CLAIMS_PER_SPEAKER = 20
CLAIMS_PER_EVENT = 20

# Filler vocabulary: no number words, no scale words, nothing a number parser reads.
VOCABULARY = """
the officials said border crossing province government families returned camps
district ministry report week after before during while across under over about
people were had been have has was is are of in on at by for with from into near
authorities registration documents police agency refugees return deportation
holding centre centres transport trucks buses roads checkpoint northern southern
eastern western city village capital region plan order policy court appeal
hearing lawyers commission spokesman statement interview press conference
council committee senate assembly provincial federal national local community
elders schools clinics water shelter food aid workers observers monitors data
figures estimates counts records survey teams field visits weather winter summer
market prices wages labour jobs permits cards proof residence status scheme
cabinet approval deadline extension phase stage operation campaign drive review
""".split()
UNITS = ("people", "families", "returnees", "vehicles")
KINDS = ("cumulative", "stock", "count")
VERBS = (
    "had crossed at the",
    "were registered near the",
    "were counted by teams at the",
    "had been returned through the",
    "were recorded leaving the",
)


@dataclass(frozen=True)
class Figure:
    id: str
    label: str
    unit: str
    kind: str
    description: str


@dataclass(frozen=True)
class Speaker:
    id: str
    name: str
    role: str


@dataclass(frozen=True)
class Claim:
    id: str
    figure: str
    speaker: str
    source: str
    low: int
    high: int  # equal to low for a single value
    number_text: str  # the number as the quote writes it
    qualifier: str
    as_of: str
    quote: str


@dataclass(frozen=True)
class Event:
    id: str
    date: str
    title: str
    source: str
    speaker: str
    quote: str


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    published: str
    text: str


@dataclass(frozen=True)
class Corpus:
    figures: tuple[Figure, ...]
    speakers: tuple[Speaker, ...]
    sources: tuple[Source, ...]
    claims: tuple[Claim, ...]
    events: tuple[Event, ...]


def _ident(prefix: str, index: int, count: int) -> str:
    return f"{prefix}-{index:0{len(str(count))}d}"


def _date(rng: random.Random, day: bool = True) -> str:
    year, month = rng.randint(2020, 2025), rng.randint(1, 12)
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}" if day else f"{year}-{month:02d}"


def _month(k: int) -> str:
    """The k-th month from January 2020 (cycling before November 2026): each claim of a
    figure is about its own month, so that facttrack's consistency checks find no two
    claims about the same dates that disagree."""
    months = (k - 1) % 82
    return f"{2020 + months // 12}-{months % 12 + 1:02d}"


def _phrase(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(VOCABULARY, k=words))


def _sentence(rng: random.Random) -> str:
    body = _phrase(rng, rng.randint(10, 22))
    return body[0].upper() + body[1:] + "."


def _number(rng: random.Random) -> tuple[int, int, str, str]:
    """(low, high, as written, qualifier): mostly '541,210', some millions and ranges."""
    kind = rng.random()
    if kind < 0.8:
        value = rng.randrange(1_000, 2_000_000)
        return value, value, f"{value:,}", "exact"
    if kind < 0.9:
        tenths = rng.randrange(11, 40)
        text = f"{tenths // 10}.{tenths % 10} million"
        return tenths * 100_000, tenths * 100_000, text, "about"
    low = rng.randrange(10, 500) * 1_000
    high = low + rng.randrange(1, 100) * 1_000
    return low, high, f"{low:,}-{high:,}", "exact"


def corpus(n: int, seed: int = 1) -> Corpus:
    """A project with n claims; the same n and seed always give the same corpus."""
    rng = random.Random(seed)
    n_sources = max(1, n // CLAIMS_PER_SOURCE)
    n_figures = max(1, n // CLAIMS_PER_FIGURE)
    n_speakers = max(1, n // CLAIMS_PER_SPEAKER)
    n_events = max(1, n // CLAIMS_PER_EVENT)
    figures = tuple(
        Figure(
            id=_ident("figure", i, n_figures),
            label=f"Figure {i}: {_phrase(rng, 3)}",
            unit=rng.choice(UNITS),
            kind=rng.choice(KINDS),
            description=f"How many {_phrase(rng, 8)}, as *officials* report it.",
        )
        for i in range(n_figures)
    )
    speakers = tuple(
        Speaker(_ident("speaker", i, n_speakers), f"Speaker {i} {_phrase(rng, 2)}", "official")
        for i in range(n_speakers)
    )
    source_ids = [_ident("source", i, n_sources) for i in range(n_sources)]
    claims = []
    quotes_by_source: list[list[str]] = [[] for _ in range(n_sources)]
    claims_so_far = [0] * n_figures
    for i in range(n):
        source_index = i % n_sources
        figure_index = rng.randrange(n_figures)
        figure = figures[figure_index]
        claims_so_far[figure_index] += 1
        low, high, text, qualifier = _number(rng)
        unit_word = figure.unit if figure.unit != "people" else "persons"
        quote = (
            f"{_phrase(rng, 4).capitalize()} {text} {unit_word} {rng.choice(VERBS)} "
            f"{_phrase(rng, 6)} checkpoint"
        )
        quotes_by_source[source_index].append(quote)
        claims.append(
            Claim(
                id=_ident("claim", i, n),
                figure=figure.id,
                speaker=speakers[rng.randrange(n_speakers)].id,
                source=source_ids[source_index],
                low=low,
                high=high,
                number_text=text,
                qualifier=qualifier,
                as_of=_month(claims_so_far[figure_index]),
                quote=quote,
            )
        )
    events = []
    for j in range(n_events):
        source_index = j % n_sources
        quote = f"The {_phrase(rng, 3)} began {_phrase(rng, 7)} deadline"
        quotes_by_source[source_index].append(quote)
        events.append(
            Event(
                id=_ident("event", j, n_events),
                date=_date(rng),
                title=f"Event {j}: {_phrase(rng, 4)}",
                source=source_ids[source_index],
                speaker=speakers[rng.randrange(n_speakers)].id,
                quote=quote,
            )
        )
    sources = tuple(
        Source(
            id=source_id,
            title=f"Report {index}: {_phrase(rng, 5)}",
            publisher=rng.choice(("Dawn", "Reuters", "UNHCR", "IOM", "Ministry")),
            published=_date(rng),
            text=_source_text(rng, quotes_by_source[index]),
        )
        for index, source_id in enumerate(source_ids)
    )
    return Corpus(figures, speakers, sources, tuple(claims), tuple(events))


def _source_text(rng: random.Random, quotes: list[str]) -> str:
    """About WORDS_PER_SOURCE words in paragraphs; each quote is one sentence in it."""
    sentences = [_sentence(rng) for _ in range(WORDS_PER_SOURCE // 16)]
    for quote in quotes:
        sentences.insert(rng.randrange(len(sentences) + 1), quote + ".")
    paragraphs = [" ".join(sentences[i : i + 6]) for i in range(0, len(sentences), 6)]
    return "\n\n".join(paragraphs) + "\n"


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string


def claims_yaml(data: Corpus) -> str:
    """claims.yaml for the corpus, one field per line as editors write it."""
    lines = ["site:", '  title: "Synthetic tracker"', "figures:"]
    for figure in data.figures:
        lines += [
            f"  - id: {figure.id}",
            f"    label: {_yaml(figure.label)}",
            f"    unit: {figure.unit}",
            f"    kind: {figure.kind}",
            f"    description: {_yaml(figure.description)}",
        ]
    lines.append("speakers:")
    for speaker in data.speakers:
        lines += [
            f"  - id: {speaker.id}",
            f"    name: {_yaml(speaker.name)}",
            f"    role: {speaker.role}",
        ]
    lines.append("claims:")
    for claim in data.claims:
        lines.append(f"  - id: {claim.id}")
        lines.append(f"    figure: {claim.figure}")
        if claim.low == claim.high:
            lines.append(f"    value: {claim.low}")
        else:
            lines += [f"    low: {claim.low}", f"    high: {claim.high}"]
        if claim.qualifier != "exact":
            lines.append(f"    qualifier: {claim.qualifier}")
        lines += [
            f'    as_of: "{claim.as_of}"',
            f"    speaker: {claim.speaker}",
            f"    source: {claim.source}",
            f"    quote: {_yaml(claim.quote)}",
        ]
    lines.append("events:")
    for event in data.events:
        lines += [
            f"  - id: {event.id}",
            f'    date: "{event.date}"',
            f"    title: {_yaml(event.title)}",
            f"    source: {event.source}",
            f"    speaker: {event.speaker}",
            f"    quote: {_yaml(event.quote)}",
        ]
    return "\n".join(lines) + "\n"


def source_file(source: Source) -> str:
    return (
        f"---\ntitle: {_yaml(source.title)}\npublisher: {source.publisher}\n"
        f"published: {source.published}\nkind: news article\n---\n{source.text}"
    )


def write_project(data: Corpus, folder: Path) -> Path:
    """Write the corpus as a facttrack data folder; returns the folder."""
    sources = folder / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    (folder / "claims.yaml").write_text(claims_yaml(data), encoding="utf-8")
    for source in data.sources:
        (sources / f"{source.id}.txt").write_text(source_file(source), encoding="utf-8")
    return folder


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Write a synthetic facttrack data folder.")
    parser.add_argument("n", type=int, help="number of claims")
    parser.add_argument("out", type=Path, help="data folder to write")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_project(corpus(args.n, args.seed), args.out)


if __name__ == "__main__":
    main()
