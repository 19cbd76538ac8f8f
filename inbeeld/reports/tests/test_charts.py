"""The council PDF's server-side SVG charts: valid XML, gaps marked, round ticks, order, WeasyPrint."""

from __future__ import annotations

import base64
import math
import time
import xml.etree.ElementTree as ET

import pytest

from inbeeld.reports import charts
from inbeeld.reports.charts import Series, bar_chart, diverging_bar_chart, line_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = [f"{year}-{month:02d}" for year in range(2016, 2026) for month in range(1, 13)]


def parse(markup: str) -> ET.Element:
    root = ET.fromstring(markup)  # noqa: S314 (our own output)
    assert root.tag == f"{SVG}svg"
    return root


def num(element: ET.Element, attribute: str) -> float:
    return float(element.get(attribute, "nan"))


def title_of(root: ET.Element) -> str:
    title = root.find(f"{SVG}title")
    assert title is not None
    return title.text or ""


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def polylines(root: ET.Element, colour: str) -> list[list[tuple[float, ...]]]:
    lines = []
    for element in root.iter(f"{SVG}polyline"):
        if element.get("stroke") == colour:
            lines.append([tuple(map(float, p.split(","))) for p in element.get("points", "").split()])
    return lines


def hollow_markers(root: ET.Element) -> list[ET.Element]:
    return [c for c in root.iter(f"{SVG}circle") if c.get("fill") == "#ffffff"]


# --- escaping ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "draw",
    [
        lambda t: line_chart(
            ["a<&>", "b"], [Series("s<&>\"'", [1, 2])], title=t, y_label=t, suppressed_label=t
        ),
        lambda t: bar_chart(
            ["a<&>", "b"], [Series("s<&>", [1, None])], title=t, y_label=t, suppressed_label=t
        ),
        lambda t: diverging_bar_chart(["a<&>", "b"], [0.5, None], title=t, unit=t, suppressed_label=t),
    ],
)
def test_every_text_is_escaped_and_the_svg_stays_valid_xml(draw):
    title = 'Rapport <script>alert("x")</script> & co\x01'
    root = parse(draw(title))
    assert title_of(root) == 'Rapport <script>alert("x")</script> & co'
    assert not list(root.iter(f"{SVG}script"))
    assert any("<&>" in text for text in texts(root))
    assert root.get("font-family") == "sans-serif"


def test_lazy_and_other_objects_are_turned_into_text():
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    with translation.override("en"):
        lazy = gettext_lazy("Persons")
        markup = line_chart(["x"], [Series("s", [1])], title=lazy, suppressed_label=lazy)  # type: ignore[arg-type]
        assert title_of(parse(markup)) == "Persons"


# --- gaps for suppressed figures -----------------------------------------------------------------------


def test_a_none_breaks_the_line_and_is_marked_with_a_legend_entry():
    root = parse(
        line_chart(
            ["jan", "feb", "mrt", "apr", "mei"],
            [Series("visits", [10, 12, None, 14, 15])],
            title="t",
            suppressed_label="niet getoond (klein aantal)",
        )
    )
    lines = polylines(root, charts.PALETTE[0])
    assert [len(line) for line in lines] == [2, 2]  # two pieces, none across the gap
    (marker,) = [c for c in hollow_markers(root) if c.get("stroke") == charts.PALETTE[0]]
    assert lines[0][1][0] < num(marker, "cx") < lines[1][0][0]
    assert "niet getoond (klein aantal)" in texts(root)


def test_a_lone_point_between_gaps_is_still_drawn_and_no_gap_means_no_legend_entry():
    root = parse(
        line_chart(["a", "b", "c"], [Series("s", [None, 5, None])], title="t", suppressed_label="gap")
    )
    assert not polylines(root, charts.PALETTE[0])
    assert [c for c in root.iter(f"{SVG}circle") if c.get("fill") == charts.PALETTE[0]]
    assert len([c for c in hollow_markers(root) if c.get("stroke") == charts.PALETTE[0]]) == 2
    plain = parse(line_chart(["a", "b"], [Series("s", [1, 2])], title="t", suppressed_label="gap"))
    assert "gap" not in texts(plain)


@pytest.mark.parametrize("stacked", [False, True])
def test_a_suppressed_bar_is_a_hatched_stub_never_a_bar_of_zero(stacked):
    chart = bar_chart(
        ["2024", "2025"],
        [Series("a", [5, None]), Series("b", [3, 4])],
        stacked=stacked,
        title="t",
        suppressed_label="suppressed",
    )
    root = parse(chart)
    pattern = root.find(f"{SVG}defs/{SVG}pattern")
    assert pattern is not None
    hatched = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == f"url(#{pattern.get('id')})"]
    assert len(hatched) == 2  # the stub and the legend's swatch
    assert [r for r in hatched if r.get("stroke") == charts.PALETTE[0]]
    assert "suppressed" in texts(root)
    solid = [r for r in root.iter(f"{SVG}rect") if r.get("fill") in charts.PALETTE]
    assert len(solid) == 3 + 2  # three bars and two legend swatches


def test_diverging_bars_go_left_and_right_of_zero_and_mark_a_gap():
    root = parse(
        diverging_bar_chart(
            ["Financiën", "Huisvesting", "Justitie"], [0.8, -0.4, None], title="t", unit="punten"
        )
    )
    bars = {
        r.get("fill"): r
        for r in root.iter(f"{SVG}rect")
        if r.get("fill") in (charts.POSITIVE, charts.NEGATIVE)
    }
    positive, negative = bars[charts.POSITIVE], bars[charts.NEGATIVE]
    assert num(negative, "x") + num(negative, "width") == pytest.approx(num(positive, "x"), abs=0.2)
    assert num(positive, "width") == pytest.approx(2 * num(negative, "width"), rel=0.02)
    assert "0.8" in texts(root) and "\u22120.4" in texts(root)
    assert hollow_markers(root)
    assert "punten" in texts(root)


# --- ticks and labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 97, [0, 20, 40, 60, 80, 100]),
        (0, 1234, [0, 500, 1000, 1500]),
        (0, 0.83, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (-1.3, 1.3, [-1.5, -1, -0.5, 0, 0.5, 1, 1.5]),
        (0, 0, [0, 0.2, 0.4, 0.6, 0.8, 1]),
        (0, 5, [0, 1, 2, 3, 4, 5]),
        (3, 3, [2, 2.5, 3, 3.5, 4]),
    ],
)
def test_ticks_are_round_steps_of_one_two_or_five(low, high, expected):
    ticks = nice_ticks(low, high)
    assert ticks == pytest.approx(expected)
    assert ticks[0] <= low and ticks[-1] >= high
    step = ticks[1] - ticks[0]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 6) in (1, 2, 5)


def test_many_months_show_every_twelfth_label():
    assert charts.label_step(120, 12) == 12
    assert charts.label_step(12, 12) == 1
    assert charts.label_step(40, 12) == 4
    root = parse(line_chart(MONTHS, [Series("s", [float(i) for i in range(120)])], title="t"))
    shown = [t for t in texts(root) if t in MONTHS]
    assert shown == MONTHS[::12]


def test_numbers_use_the_callers_decimal_mark_and_group_thousands():
    assert charts.number(12500) == "12\u2009500"
    assert charts.number(0.25, ",") == "0,25"
    assert charts.number(-3) == "\u22123"


# --- order, palette, dashes ----------------------------------------------------------------------------


def test_series_keep_their_order_in_legend_and_colours():
    names = [f"series {i}" for i in range(10)]
    series = [Series(name, [float(i + j) for j in range(5)], dashed=i == 1) for i, name in enumerate(names)]
    root = parse(line_chart(["a", "b", "c", "d", "e"], series, title="t"))
    legend = [t for t in texts(root) if t.startswith("series ")]
    assert legend == names
    strokes = [p.get("stroke") for p in root.iter(f"{SVG}polyline")]
    assert strokes == [charts.PALETTE[i % len(charts.PALETTE)] for i in range(10)]
    dashes = [p.get("stroke-dasharray") for p in root.iter(f"{SVG}polyline")]
    assert dashes[0] is None and dashes[1] == "6 3"
    assert dashes[8] is not None  # the palette repeats: the ninth series differs by its dash


def test_stacked_bars_put_the_first_series_at_the_bottom():
    root = parse(bar_chart(["x"], [Series("a", [10]), Series("b", [30])], stacked=True, title="t"))
    bars = {r.get("fill"): r for r in root.iter(f"{SVG}rect") if r.get("height") not in ("10", "10.0")}
    first, second = bars[charts.PALETTE[0]], bars[charts.PALETTE[1]]
    assert num(first, "y") > num(second, "y")
    assert num(second, "height") == pytest.approx(3 * num(first, "height"), rel=0.01)
    assert num(second, "y") + num(second, "height") == pytest.approx(num(first, "y"), abs=0.2)


def test_empty_and_all_suppressed_input_still_draws():
    for markup in (
        line_chart([], [], title="t"),
        bar_chart(["a"], [Series("s", [None])], title="t"),
        diverging_bar_chart([], [], title="t"),
    ):
        assert title_of(parse(markup)) == "t"


# --- speed and WeasyPrint --------------------------------------------------------------------------------


def test_ten_series_of_120_months_render_in_a_few_milliseconds():
    series = [
        Series(f"s{i}", [None if j % 17 == 0 else float(i * j % 50) for j in range(120)]) for i in range(10)
    ]
    line_chart(MONTHS, series, title="warm-up")
    started = time.perf_counter()
    for _ in range(10):
        line_chart(MONTHS, series, title="t")
        bar_chart(MONTHS, series, stacked=True, title="t")
    each = (time.perf_counter() - started) / 20
    assert each < 0.02, f"{each * 1000:.1f} ms per chart"


def test_weasyprint_renders_the_charts_inline_and_as_images():
    import weasyprint

    series = [Series("aanmeldingen", [4, None, 9, 12]), Series("uitstroom", [1, 2, None, 5], dashed=True)]
    labels = ["2022", "2023", "2024", "2025"]
    drawn = [
        line_chart(labels, series, title="Lijn <&>", y_label="personen", suppressed_label="niet getoond"),
        bar_chart(labels, series, title="Staaf", suppressed_label="niet getoond"),
        bar_chart(labels, series, stacked=True, title="Gestapeld", suppressed_label="niet getoond"),
        diverging_bar_chart(["Financiën", "Huisvesting"], [0.5, None], title="ZRM", unit="punten"),
    ]
    images = "".join(
        f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}">' for svg in drawn
    )
    html = f"<html><body><h1>Charts</h1>{''.join(drawn)}{images}</body></html>"
    pdf = weasyprint.HTML(string=html).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 2000
