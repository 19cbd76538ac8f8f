"""Charts for the council PDF as plain SVG, drawn on the server (WeasyPrint runs no JavaScript).

No dependencies: each function returns one ``<svg>`` document as a string, to embed as
``<img src="data:image/svg+xml;base64,…">`` or inline. Every text is XML-escaped; fonts are generic
(``sans-serif``); colours are the Okabe-Ito palette, safe for colour-blind readers, with dash patterns
added once the palette repeats. A ``None`` value is a figure withheld by disclosure control: never drawn as
zero but marked (a break in the line with a hollow marker on the axis, or a hatched stub of a bar) and
explained in the legend with ``suppressed_label``, which the caller translates.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")
POSITIVE, NEGATIVE = "#0072B2", "#D55E00"
GRID, AXIS, MUTED = "#dddddd", "#555555", "#333333"
FONT = 11  # px, the axis and legend text; titles are 13
_DASHES = ("", "6 3", "2 2", "8 3 2 3")
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ids = itertools.count(1)


@dataclass
class Series:
    label: str
    values: list[float | None]
    dashed: bool = False


# --- helpers ---------------------------------------------------------------------------------------------


def esc(text: object) -> str:
    """Text safe inside an element or a double-quoted attribute (characters XML forbids are dropped)."""
    value = _INVALID_XML.sub("", str(text))
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About ``count`` round axis values (steps of 1, 2 or 5 × 10ⁿ) covering ``low``…``high``."""
    if not (math.isfinite(low) and math.isfinite(high)):
        low, high = 0.0, 1.0
    if low > high:
        low, high = high, low
    if high == low:
        low, high = (low - 1, high + 1) if low else (0.0, 1.0)
    raw = (high - low) / max(1, count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    mantissa = raw / magnitude
    step = magnitude * (1 if mantissa < 1.5 else 2 if mantissa < 3 else 5 if mantissa < 7 else 10)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    steps = round((last - first) / step)
    return [_clean(first + i * step) for i in range(steps + 1)]


def _clean(value: float) -> float:
    """Drop float noise (0.30000000000000004 → 0.3) so tick labels print as written."""
    return float(f"{value:.10g}")


def label_step(count: int, room: int) -> int:
    """Show every n-th x label so that at most ``room`` fit; months go by quarters, years (12), …"""
    if count <= room:
        return 1
    needed = count / max(1, room)
    return next((s for s in (2, 3, 4, 6, 12, 24, 36, 48, 60, 120, 240) if s >= needed), math.ceil(needed))


def number(value: float, decimal_mark: str = ".") -> str:
    """A tick or value label: thousands grouped with a thin space, at most two decimals."""
    if float(value).is_integer():
        text = f"{int(value):,}".replace(",", "\u2009")
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", "\u2009")
    return text.replace(".", decimal_mark).replace("-", "\u2212")


def _colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _dash(index: int, dashed: bool) -> str:
    dash = "6 3" if dashed else _DASHES[(index // len(PALETTE)) % len(_DASHES)]
    return f' stroke-dasharray="{dash}"' if dash else ""


def _text_width(text: str, size: int = FONT) -> float:
    return len(text) * size * 0.56


def _shorten(text: str, width: float, size: int = FONT) -> str:
    if _text_width(text, size) <= width:
        return text
    keep = max(1, int(width / (size * 0.56)) - 1)
    return text[:keep] + "…"


class _Canvas:
    """The document being built: the outer svg, a hatch pattern, title and legend."""

    def __init__(self, width: int, height: int, title: str):
        self.width, self.height, self.title = width, height, str(title)
        self.hatch = f"ib-hatch-{next(_ids)}"
        self.parts: list[str] = []

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def text(
        self, x: float, y: float, content: str, *, anchor: str = "start", size: int = FONT, **extra: str
    ) -> None:
        attrs = "".join(f' {key.replace("_", "-")}="{esc(value)}"' for key, value in extra.items())
        place = f'x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"'
        self.add(f"<text {place}{attrs}>{esc(content)}</text>")

    def legend(self, items: Sequence[tuple[str, str]], top: float) -> float:
        """Legend items (swatch markup at 0,0 … 16,10, label) in rows under the title; returns its height."""
        x, y, rows = 8.0, top, 1
        for swatch, label in items:
            label = _shorten(str(label), self.width * 0.6)
            room = 22 + _text_width(label) + 14
            if x + room > self.width - 8 and x > 8:
                x, y, rows = 8.0, y + 16, rows + 1
            self.add(f'<g transform="translate({x:.1f},{y - 9:.1f})">{swatch}</g>')
            self.text(x + 21, y, label, fill=MUTED)
            x += room
        return rows * 16 if items else 0

    def render(self) -> str:
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}" '
            f'viewBox="0 0 {self.width} {self.height}" font-family="sans-serif" role="img" '
            f'aria-label="{esc(self.title)}"><title>{esc(self.title)}</title>'
            f'<defs><pattern id="{self.hatch}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="#ffffff"/>'
            f'<path d="M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5" stroke="#777777" stroke-width="1.2"/>'
            f"</pattern></defs>"
            f'<rect width="{self.width}" height="{self.height}" fill="#ffffff"/>'
        )
        title = (
            f'<text x="8" y="18" font-size="13" font-weight="bold" fill="#000000">{esc(self.title)}</text>'
        )
        return head + title + "".join(self.parts) + "</svg>"


def _line_swatch(colour: str, dash: str) -> str:
    return f'<line x1="0" y1="5" x2="16" y2="5" stroke="{colour}" stroke-width="2.5"{dash}/>'


def _box_swatch(fill: str, stroke: str = "none") -> str:
    return f'<rect x="1" y="0" width="14" height="10" fill="{fill}" stroke="{stroke}"/>'


def _rect(x: float, y: float, width: float, height: float, fill: str, stroke: str = "") -> str:
    outline = f' stroke="{stroke}" stroke-width="1"' if stroke else ""
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{fill}"{outline}/>'


def _hollow(x: float, y: float, colour: str) -> str:
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.2" fill="#ffffff" stroke="{colour}" stroke-width="1.5"/>'


def _value_axis(
    canvas: _Canvas,
    ticks: list[float],
    left: float,
    right: float,
    y_of: Callable[[float], float],
    decimal_mark: str,
) -> None:
    """Horizontal grid lines with their labels on the left."""
    for tick in ticks:
        y = y_of(tick)
        colour = AXIS if tick == 0 else GRID
        canvas.add(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" stroke="{colour}"/>')
        canvas.text(left - 5, y + 4, number(tick, decimal_mark), anchor="end", fill=MUTED)


def _category_labels(
    canvas: _Canvas, labels: Sequence[str], xs: Sequence[float], y: float, slot: float
) -> None:
    step = label_step(len(labels), max(1, int((canvas.width - 80) / 52)))
    for index in range(0, len(labels), step):
        canvas.text(
            xs[index], y, _shorten(str(labels[index]), max(slot * step - 4, 40)), anchor="middle", fill=MUTED
        )


def _frame(
    canvas: _Canvas, legend: Sequence[tuple[str, str]], y_label: str, bottom: int = 34
) -> tuple[float, float, float, float]:
    """Draw the legend and the y label; return the plot area (left, top, right, bottom)."""
    top = 28 + canvas.legend(legend, 38) + (10 if legend else 0)
    left = 54.0 + (16 if y_label else 0)
    if y_label:
        middle = (top + canvas.height - bottom) / 2
        label = _shorten(str(y_label), canvas.height - top - bottom)
        canvas.text(14, middle, label, anchor="middle", fill=MUTED, transform=f"rotate(-90 14 {middle:.1f})")
    return left, float(top), canvas.width - 12.0, float(canvas.height - bottom)


def _scale(ticks: list[float], top: float, bottom: float) -> Callable[[float], float]:
    low, high = ticks[0], ticks[-1]
    span = (high - low) or 1.0
    return lambda value: bottom - (value - low) / span * (bottom - top)


def _present(values: Iterable[float | None]) -> list[float]:
    return [v for v in values if v is not None]


# --- the charts ----------------------------------------------------------------------------------------


def line_chart(
    labels: list[str], series: list[Series], *, title: str, y_label: str = "", width: int = 640,
    height: int = 260, suppressed_label: str = "suppressed (small number)", decimal_mark: str = ".",
) -> str:  # fmt: skip
    """Lines over periods (one per series, in the given order); ``None`` breaks the line and is marked."""
    canvas = _Canvas(width, height, title)
    gaps = any(v is None for s in series for v in s.values)
    legend = [(_line_swatch(_colour(i), _dash(i, s.dashed)), s.label) for i, s in enumerate(series)]
    if gaps:
        legend.append((_hollow(8, 5, AXIS), suppressed_label))
    left, top, right, bottom = _frame(canvas, legend, y_label)
    values = [v for s in series for v in _present(s.values)]
    ticks = nice_ticks(min([0.0, *values]), max([0.0, *values]))
    y_of = _scale(ticks, top, bottom)
    _value_axis(canvas, ticks, left, right, y_of, decimal_mark)
    count = len(labels)
    slot = (right - left) / max(1, count - 1)
    xs = [left + (i * slot if count > 1 else (right - left) / 2) for i in range(count)]
    _category_labels(canvas, labels, xs, bottom + 16, slot)
    base = y_of(0.0)
    for index, line in enumerate(series):
        colour, dash = _colour(index), _dash(index, line.dashed)
        runs: list[list[str]] = [[]]
        for i, value in enumerate(line.values[:count]):
            if value is None:
                runs.append([])
                offset = base - 4 - 3 * (index % 4)
                canvas.add(_hollow(xs[i], offset, colour))
            else:
                runs[-1].append(f"{xs[i]:.1f},{y_of(value):.1f}")
        for run in runs:
            if len(run) == 1:
                x, y = run[0].split(",")
                canvas.add(f'<circle cx="{x}" cy="{y}" r="2.5" fill="{colour}"/>')
            elif run:
                points = " ".join(run)
                canvas.add(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2" '
                    f'stroke-linejoin="round"{dash}/>'
                )
    return canvas.render()


def bar_chart(
    labels: list[str], series: list[Series], *, stacked: bool = False, title: str, y_label: str = "",
    width: int = 640, height: int = 260, suppressed_label: str = "suppressed (small number)",
    decimal_mark: str = ".",
) -> str:  # fmt: skip
    """Grouped bars (series side by side) or stacked (first series at the bottom); ``None`` is a hatched
    stub at zero with a hollow marker."""
    canvas = _Canvas(width, height, title)
    count = len(labels)
    gaps = any(v is None for s in series for v in s.values[:count])
    legend = [(_box_swatch(_colour(i)), s.label) for i, s in enumerate(series)]
    if gaps:
        legend.append((_box_swatch(f"url(#{canvas.hatch})", AXIS), suppressed_label))
    left, top, right, bottom = _frame(canvas, legend, y_label)
    if stacked:
        ups = [sum(v for s in series if (v := _at(s, i)) is not None and v > 0) for i in range(count)]
        downs = [sum(v for s in series if (v := _at(s, i)) is not None and v < 0) for i in range(count)]
        extremes = [*ups, *downs]
    else:
        extremes = [v for s in series for v in _present(s.values[:count])]
    ticks = nice_ticks(min([0.0, *extremes]), max([0.0, *extremes]))
    y_of = _scale(ticks, top, bottom)
    _value_axis(canvas, ticks, left, right, y_of, decimal_mark)
    slot = (right - left) / max(1, count)
    xs = [left + slot * (i + 0.5) for i in range(count)]
    _category_labels(canvas, labels, xs, bottom + 16, slot)
    base = y_of(0.0)
    group = slot * 0.8
    bar = group if stacked else group / max(1, len(series))
    for i in range(count):
        up, down = base, base
        withheld = []
        for index, line in enumerate(series):
            x = xs[i] - group / 2 + (0 if stacked else index * bar)
            value = _at(line, i)
            if value is None:
                withheld.append((x, index))
                continue
            y = y_of(value)
            if stacked and value >= 0:
                h = base - y
                y, up = up - h, up - h
            elif stacked:
                h = y - base
                y, down = down, down + h
            else:
                y, h = min(y, base), abs(base - y)
            canvas.add(_rect(x, y, max(bar - 1, 1), h, _colour(index)))
        # A withheld figure: a hatched stub at zero (stacked: on top of the stack, which it does not
        # lengthen) with a hollow marker in the series' colour.
        top_of = up if stacked else base
        for x, index in withheld:
            top_of -= 6 if stacked else 0
            stub = top_of if stacked else base - 6
            canvas.add(_rect(x, stub, max(bar - 1, 1), 6, f"url(#{canvas.hatch})", _colour(index)))
            canvas.add(_hollow(x + bar / 2, stub - 5, _colour(index)))
            top_of -= 10 if stacked else 0
    return canvas.render()


def _at(line: Series, index: int) -> float | None:
    return line.values[index] if index < len(line.values) else None


def diverging_bar_chart(
    labels: list[str], values: list[float | None], *, title: str, unit: str = "", width: int = 640,
    height: int | None = None, suppressed_label: str = "suppressed (small number)", decimal_mark: str = ".",
) -> str:  # fmt: skip
    """Horizontal bars left (negative) or right (positive) of zero, one per label (e.g. ZRM domains);
    the value is printed at the bar's end. ``height`` defaults to 22 px per label."""
    count = len(labels)
    gaps = any(v is None for v in values[:count])
    legend_rows = 1 if gaps else 0
    height = height or 28 + legend_rows * 26 + count * 22 + 40
    canvas = _Canvas(width, height, title)
    legend = [(_box_swatch(f"url(#{canvas.hatch})", AXIS), suppressed_label)] if gaps else []
    top = 28 + canvas.legend(legend, 38) + (10 if legend else 0)
    label_room = min(width * 0.4, max((_text_width(str(label)) for label in labels), default=0) + 12)
    left, right, bottom = 8 + label_room, width - 40.0, height - 34.0
    present = [abs(v) for v in _present(values[:count])]
    extent = max([*present, 0.0]) or 1.0
    ticks = nice_ticks(-extent, extent)
    low, high = ticks[0], ticks[-1]

    def x_of(value: float) -> float:
        return left + (value - low) / ((high - low) or 1.0) * (right - left)

    for tick in ticks:
        x = x_of(tick)
        colour = AXIS if tick == 0 else GRID
        canvas.add(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="{colour}"/>')
        canvas.text(x, bottom + 14, number(tick, decimal_mark), anchor="middle", fill=MUTED)
    if unit:
        canvas.text((left + right) / 2, bottom + 28, str(unit), anchor="middle", fill=MUTED)
    row = (bottom - top) / max(1, count)
    zero = x_of(0.0)
    for i, label in enumerate(labels):
        middle = top + row * (i + 0.5)
        canvas.text(left - 6, middle + 4, _shorten(str(label), label_room - 10), anchor="end", fill=MUTED)
        value = values[i] if i < len(values) else None
        thickness = min(row * 0.7, 16)
        if value is None:
            canvas.add(_rect(zero - 4, middle - thickness / 2, 8, thickness, f"url(#{canvas.hatch})", AXIS))
            canvas.add(_hollow(zero + 12, middle, AXIS))
            continue
        end = x_of(value)
        colour = POSITIVE if value >= 0 else NEGATIVE
        canvas.add(_rect(min(zero, end), middle - thickness / 2, max(abs(end - zero), 1), thickness, colour))
        anchor, shift = ("start", 4) if value >= 0 else ("end", -4)
        canvas.text(end + shift, middle + 4, number(value, decimal_mark), anchor=anchor, fill=MUTED)
    return canvas.render()
