"""Server-side SVG bar charts: events and people released per month, stacked by party."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Colour-blind-safe palette (Okabe-Ito), one colour per party in order of first appearance.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")
OTHER = "#999999"
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 220, 36, 40, 10  # drawing box, in SVG user units


@dataclass(frozen=True)
class Bar:
    """One stacked segment: a party's value in a month."""

    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str


@dataclass(frozen=True)
class Chart:
    """What the template draws: segments, axis labels, legend."""

    title: str
    bars: list[Bar]
    months: list[tuple[float, str]]  # (x centre, "YYYY-MM") for the axis labels shown
    ticks: list[tuple[float, int]]  # (y, value)
    legend: list[tuple[str, str]]  # (party, colour)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: int = HEIGHT - BOTTOM


def _nice_max(value: int) -> int:
    """A round axis maximum at or above `value`."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return step * 4
    return value


def party_colours(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """A colour for each party, stable in order of first appearance."""
    colours: dict[str, str] = {}
    for row in rows:
        party = str(row.get("party") or "?")
        if party not in colours:
            colours[party] = PALETTE[len(colours)] if len(colours) < len(PALETTE) else OTHER
    return colours


def stacked(rows: Sequence[Mapping[str, Any]], metric: str, title: str) -> Chart:
    """A stacked bar chart of `metric` per month, one segment per party."""
    colours = party_colours(rows)
    months = sorted({str(r.get("month")) for r in rows if r.get("month")})
    totals = {m: 0 for m in months}
    for r in rows:
        if r.get("month") in totals:
            totals[str(r["month"])] += int(r.get(metric) or 0)
    top = _nice_max(max(totals.values(), default=0) or 1)
    plot_w, plot_h = WIDTH - LEFT - 4, HEIGHT - BOTTOM - TOP
    slot = plot_w / max(len(months), 1)
    width = max(slot * 0.7, 1.0)
    base = {m: float(HEIGHT - BOTTOM) for m in months}
    bars: list[Bar] = []
    for r in rows:
        month, value = str(r.get("month")), int(r.get(metric) or 0)
        if month not in base or value <= 0:
            continue
        h = value / top * plot_h
        x = LEFT + months.index(month) * slot + (slot - width) / 2
        base[month] -= h
        party = str(r.get("party") or "?")
        bars.append(
            Bar(round(x, 1), round(base[month], 1), round(width, 1), round(h, 1),
                colours[party], f"{month} {party}: {value}")
        )  # fmt: skip
    every = max(1, len(months) // 8)  # at most ~8 month labels, so they never overlap
    labels = [
        (round(LEFT + i * slot + slot / 2, 1), m) for i, m in enumerate(months) if i % every == 0
    ]
    ticks = [(round(HEIGHT - BOTTOM - plot_h * k / 4, 1), top * k // 4) for k in range(5)]
    return Chart(title, bars, labels, ticks, list(colours.items()))
