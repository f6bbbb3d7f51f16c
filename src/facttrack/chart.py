"""Charts of a figure's claims over time, as small inline SVG (no JavaScript).

We write the SVG ourselves: the plotting libraries that produce SVG (matplotlib,
pygal, plotly) are heavy, embed fonts or scripts, or do not give byte-identical
output from run to run. These charts need a few lines and circles, crisp at any
size, identical on every build, with every mark a link to its passage.

Marks: a dot for a value (filled when exact, hollow when "about"), an arrow up
for "over"/"at least", an arrow down for "under"/"up to"/"as many as", a bar
for a range, and a bullseye for a target. A claim known only to the month or
year is drawn across all its days.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

from .dates import MONTH_NAMES

UP = ("over", "at least")
DOWN = ("under", "up to", "as many as")


def _text(value: str) -> str:
    """Text for SVG: &, < and > escaped, as xml.sax.saxutils.escape does (that module
    is not imported: it pulls in urllib.request, 16 ms of every build's start)."""
    return html.escape(value, quote=False)


def _attribute(value: str) -> str:
    """An attribute value, escaped and in double quotes."""
    return '"' + _text(value).replace('"', "&quot;") + '"'


@dataclass(frozen=True)
class ChartPoint:
    """One claim as the chart needs it: where it goes and where it links."""

    claim_id: str
    href: str
    start: dt.date  # the first day the as-of date covers
    end: dt.date  # the last day it covers
    low: float
    high: float  # equal to low for a single value
    qualifier: str
    label: str  # what the mark says to a screen reader or on hover


@dataclass(frozen=True)
class Box:
    """The chart's size and margins, in SVG units."""

    width: int = 640
    height: int = 260
    left: int = 64
    right: int = 16
    top: int = 20
    bottom: int = 36


def num(value: float) -> str:
    """A coordinate, always with one decimal, so output is the same on every run."""
    rounded = round(value, 1)
    return f"{rounded + 0.0:.1f}"  # + 0.0 turns -0.0 into 0.0


# -- scales ----------------------------------------------------------------------


@dataclass(frozen=True)
class TimeScale:
    """Dates to x positions: the domain's first and last day (ordinals) across x0 to x1."""

    first: int  # date ordinals: the domain's ends
    last: int
    x0: float
    x1: float

    @classmethod
    def of(cls, points: Sequence[ChartPoint], x0: float, x1: float) -> TimeScale:
        first = min(p.start for p in points).toordinal()
        last = max(p.end for p in points).toordinal() + 1  # the end of the last day
        pad = max(15, (last - first) // 20)
        return cls(first - pad, last + pad, x0, x1)

    def x(self, day: dt.date, end_of_day: bool = False) -> float:
        ordinal = day.toordinal() + (1 if end_of_day else 0)
        return self.x0 + (ordinal - self.first) / (self.last - self.first) * (self.x1 - self.x0)

    def ticks(self) -> list[tuple[dt.date, str]]:
        """Month starts, spaced so at most seven are labelled; days for short spans."""
        first, last = dt.date.fromordinal(self.first), dt.date.fromordinal(self.last)
        months = (last.year - first.year) * 12 + last.month - first.month
        if months < 2:
            days = [dt.date.fromordinal(o) for o in range(self.first, self.last) if o % 7 == 0]
            return [(d, f"{d.day} {_short_month(d)}") for d in days]
        step = next((s for s in (1, 2, 3, 6, 12, 24, 60, 120) if months / s <= 7), 240)
        ticks: list[tuple[dt.date, str]] = []
        start = first.year * 12 + first.month  # the month after `first` (0-based months)
        index = start
        while True:
            year, month = divmod(index, 12)
            day = dt.date(year, month + 1, 1)
            if day > last:
                return ticks
            # Years on January; shorter steps from the first month shown, so the
            # start of the data always has a label nearby.
            if step >= 12 and index % step == 0:
                ticks.append((day, str(year)))
            elif step < 12 and (index - start) % step == 0:
                ticks.append((day, f"{_short_month(day)} {year}"))
            index += 1


def _short_month(day: dt.date) -> str:
    return MONTH_NAMES[day.month][:3]  # not strftime: its names depend on the locale


@dataclass(frozen=True)
class ValueScale:
    """Values to y positions: low and high, rounded out to a nice step, from y0 up to
    y1."""

    low: float
    high: float
    y0: float  # bottom
    y1: float  # top

    @classmethod
    def of(cls, points: Sequence[ChartPoint], y0: float, y1: float) -> ValueScale:
        values = [v for p in points for v in (p.low, p.high) if math.isfinite(v)]
        low = min(0.0, min(values))
        high = max(values) * 1.08 if max(values) > 0 else 1.0
        step = nice_step((high - low) / 4)
        return cls(math.floor(low / step) * step, math.ceil(high / step) * step, y0, y1)

    def y(self, value: float) -> float:
        return self.y0 - (value - self.low) / (self.high - self.low) * (self.y0 - self.y1)

    def ticks(self) -> list[float]:
        step = nice_step((self.high - self.low) / 4)
        count = round((self.high - self.low) / step)
        return [self.low + i * step for i in range(count + 1)]


def nice_step(rough: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten: the tick spacing people expect."""
    if rough <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(rough))
    return next(float(m * power) for m in (1, 2, 2.5, 5, 10) if m * power >= rough)


def tick_label(value: float, unit: str) -> str:
    """Short axis labels: 0, 250k, 1.5M, 4B; 50%; $800."""
    magnitude = abs(value)
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if magnitude >= size:
            text = f"{value / size:.2f}".rstrip("0").rstrip(".") + suffix
            break
    else:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    if unit == "percent":
        return f"{text}%"
    return {"USD": "$", "GBP": "£", "EUR": "€"}.get(unit, "") + text


# -- marks ---------------------------------------------------------------------------


def _arrow(x: float, y: float, direction: int) -> str:
    """A short arrow from the value, up (direction -1 in SVG y) or down (+1)."""
    tip = y + direction * 16
    head = tip - direction * 6
    return (
        f'<path class="arrow" d="M{num(x)} {num(y)}V{num(tip)}'
        f'M{num(x - 4)} {num(head)}L{num(x)} {num(tip)}L{num(x + 4)} {num(head)}"/>'
    )


def _shifts(
    points: Sequence[ChartPoint], xs: TimeScale, ys: ValueScale, spacing: float = 10.0
) -> list[tuple[ChartPoint, float]]:
    """Marks that would sit exactly on top of each other (the same number and date
    from several sources) are set side by side, so each stays a link."""
    seen: dict[tuple[str, str, str], int] = {}
    shifted = []
    for point in points:
        x = (xs.x(point.start) + xs.x(point.end, end_of_day=True)) / 2
        key = (num(x), num(ys.y(point.low)), num(ys.y(point.high)))
        count = seen.get(key, 0)
        seen[key] = count + 1
        # 0, +1, -1, +2, ... spacings: the group stays centred on its date
        shifted.append((point, ((count + 1) // 2) * spacing * (1 if count % 2 else -1)))
    return shifted


def _mark(
    point: ChartPoint, xs: TimeScale, ys: ValueScale, target: bool, shift: float = 0.0
) -> str:
    x_start, x_end = xs.x(point.start), xs.x(point.end, end_of_day=True)
    x = (x_start + x_end) / 2 + shift
    parts: list[str] = []
    if point.high != point.low and math.isfinite(point.high):
        width = max(x_end - x_start, 6.0)
        top, bottom = ys.y(point.high), ys.y(point.low)
        parts.append(
            f'<rect class="range" x="{num(x - width / 2)}" y="{num(top)}" '
            f'width="{num(width)}" height="{num(max(bottom - top, 1.0))}"/>'
        )
        anchor_y = top if point.qualifier in UP else bottom
    else:
        anchor_y = ys.y(point.low)
        if point.end > point.start:  # a month or a year: the span of days it covers
            parts.append(f'<path class="period" d="M{num(x_start)} {num(anchor_y)}H{num(x_end)}"/>')
        if target:
            parts += [
                f'<circle class="target" cx="{num(x)}" cy="{num(anchor_y)}" r="8"/>',
                f'<circle class="target" cx="{num(x)}" cy="{num(anchor_y)}" r="4.5"/>',
                f'<circle class="dot" cx="{num(x)}" cy="{num(anchor_y)}" r="1.5"/>',
            ]
        else:
            kind = "about" if point.qualifier == "about" else "dot"
            parts.append(f'<circle class="{kind}" cx="{num(x)}" cy="{num(anchor_y)}" r="4"/>')
    if point.qualifier in UP:
        parts.append(_arrow(x, anchor_y - (8 if target else 4), -1))
    elif point.qualifier in DOWN:
        parts.append(_arrow(x, anchor_y + (8 if target else 4), 1))
    return (
        f"<a href={_attribute(point.href)} data-claim={_attribute(point.claim_id)}>"
        f"<title>{_text(point.label)}</title>{''.join(parts)}</a>"
    )


def _axes(xs: TimeScale, ys: ValueScale, box: Box, unit: str) -> list[str]:
    lines = ['<g class="axis">']
    right = box.width - box.right
    for value in ys.ticks():
        y = ys.y(value)
        lines.append(f'<path class="grid" d="M{box.left} {num(y)}H{right}"/>')
        lines.append(
            f'<text x="{box.left - 6}" y="{num(y + 4)}" text-anchor="end">'
            f"{_text(tick_label(value, unit))}</text>"
        )
    bottom = box.height - box.bottom
    lines.append(f'<path class="baseline" d="M{box.left} {bottom}H{right}"/>')
    for day, label in xs.ticks():
        x = xs.x(day)
        lines.append(f'<path class="tick" d="M{num(x)} {bottom}v5"/>')
        lines.append(
            f'<text x="{num(x)}" y="{bottom + 18}" text-anchor="middle">{_text(label)}</text>'
        )
    lines.append("</g>")
    return lines


def chart_svg(
    points: Sequence[ChartPoint],
    *,
    title: str,
    description: str,
    unit: str,
    target: bool = False,
    id_prefix: str = "chart",
    box: Box | None = None,
) -> str:
    """A figure's claims over time; each mark links to its claim's passage."""
    if not points:
        raise ValueError("a chart needs at least one point")
    box = box or Box()
    xs = TimeScale.of(points, box.left + 8, box.width - box.right - 8)
    ys = ValueScale.of(points, box.height - box.bottom, box.top)
    ordered = sorted(points, key=lambda p: (p.start, p.end, p.claim_id))
    spacing = 18.0 if target else 10.0  # a bullseye is wider than a dot
    marks = [
        _mark(point, xs, ys, target, shift) for point, shift in _shifts(ordered, xs, ys, spacing)
    ]
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {box.width} '
        f'{box.height}" role="group" aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{_text(title)}</title>',
        f'<desc id="{id_prefix}-desc">{_text(description)}</desc>',
        *_axes(xs, ys, box, unit),
        f'<g class="marks{" targets" if target else ""}">',
        *marks,
        "</g>",
        "</svg>",
    ]
    return "\n".join(lines) + "\n"


def sparkline_svg(
    points: Sequence[ChartPoint], *, title: str, id_prefix: str, width: int = 160, height: int = 40
) -> str:
    """A small line of the values over time (range midpoints), the latest one dotted;
    it links nowhere and labels no point (their href and label are not read)."""
    if not points:
        raise ValueError("a sparkline needs at least one point")
    xs = TimeScale.of(points, 4, width - 4)
    ordered = sorted(points, key=lambda p: (p.start, p.end, p.claim_id))
    values = [p.low if not math.isfinite(p.high) else (p.low + p.high) / 2 for p in ordered]
    # Unlike the full chart, the scale spans the values only, so the movement shows.
    low, high = min(values), max(values)
    spread = (high - low) or max(abs(high), 1.0)
    ys = ValueScale(low - spread * 0.1, high + spread * 0.1, height - 4, 4)
    coords = []
    for point, value in zip(ordered, values, strict=True):
        x = (xs.x(point.start) + xs.x(point.end, end_of_day=True)) / 2
        coords.append((x, ys.y(value)))
    path = "M" + "L".join(f"{num(x)} {num(y)}" for x, y in coords)
    last_x, last_y = coords[-1]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" viewBox="0 0 {width} '
        f'{height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{id_prefix}-title">'
        f'<title id="{id_prefix}-title">{_text(title)}</title>'
        f'<path class="line" d="{path}"/>'
        f'<circle class="dot" cx="{num(last_x)}" cy="{num(last_y)}" r="3"/>'
        "</svg>\n"
    )
