"""Protected figures laid out for people: tables and chart series for the dashboard, the PDF, the CSV
and the API. Nothing here computes a figure from raw data: it only arranges what ``reports.report``
protected, and derives percentages through ``disclosure.protect_share``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.reports import disclosure
from inbeeld.reports.cube import TOTAL, OrgKey, Period, periods
from inbeeld.reports.report import Report

STREET_ZONE = "street_zone"  # the status, and the in-view table's column for it
# How a suppressed figure is shown, the same for small and secondary cells: telling them apart would
# say which cells are small. (Statistics Netherlands uses the same mark for "secret".)
SUPPRESSED = "x"


@dataclass(frozen=True)
class Ratio:
    """A percentage: a protected count over another, each named by (indicator code, category)."""

    key: str
    label: str | Promise
    numerator: tuple[str, str]
    denominator: tuple[str, str]


# Percentages some indicators are read by; each passes disclosure control as a share.
RATIOS: dict[str, list[Ratio]] = {
    "plans": [
        Ratio(
            "plan_coverage", gettext_lazy("With a care plan (%)"), ("plans", "with_plan"), ("in_view", TOTAL)
        ),
        Ratio(
            "evaluation_on_time",
            gettext_lazy("Plans evaluated on time (%)"),
            ("plans", "evaluation_on_time"),
            ("plans", "with_plan"),
        ),
    ],
    "signals_in_time": [
        Ratio(
            "share_in_time",
            gettext_lazy("Resolved in time (%)"),
            ("signals_in_time", "resolved_in_time"),
            ("signals", TOTAL),
        ),
    ],
    "shelter_occupancy": [
        Ratio(
            "occupancy",
            gettext_lazy("Occupancy (%)"),
            ("shelter_occupancy", "occupied_bed_nights"),
            ("shelter_occupancy", "available_bed_nights"),
        ),
    ],
}
# Indicators shown by their percentages only. The plan counts are persons in view minus those without a
# plan: shown beside "in view" (protected on its own) they would let a small difference be worked out.
PERCENTAGES_ONLY = frozenset({"plans"})


def needs(code: str) -> set[str]:
    """The indicators ``code``'s table needs: itself and those its percentages divide by."""
    return {code} | {
        part[0] for ratio in RATIOS.get(code, []) for part in (ratio.numerator, ratio.denominator)
    }


def period_label(period: Period) -> str:
    if period.granularity == "year":
        return str(period.start.year)
    if period.granularity == "quarter":
        quarter = (period.start.month - 1) // 3 + 1
        return _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": period.start.year}
    return formats.date_format(period.start, "M Y")


def format_number(value: int | float | None, *, decimals: int = 0) -> str:
    if value is None:
        return SUPPRESSED
    return str(formats.number_format(value, decimal_pos=decimals, use_l10n=True))


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    decimals: int = 0


@dataclass
class TableRow:
    key: str
    label: str
    values: list[int | float | None]


@dataclass
class Table:
    code: str
    title: str
    definition: str
    columns: list[Column]
    rows: list[TableRow] = field(default_factory=list)
    row_heading: str = ""

    def cells(self) -> list[tuple[TableRow, list[tuple[str, str]]]]:
        """Each row with (column key, value formatted for display, "x" where suppressed)."""
        return [
            (
                row,
                [
                    (c.key, format_number(v, decimals=c.decimals))
                    for v, c in zip(row.values, self.columns, strict=True)
                ],
            )
            for row in self.rows
        ]


def count_table(report: Report, code: str, granularity: str, org: OrgKey) -> Table:
    """Rows are the periods, columns the categories (and the total), then any percentages."""
    indicator = report.indicator(code)
    protected = report.counts[code]
    if indicator.breakdown_of:
        granularity = "year"  # all that disclosure.protect_year_rows shows
    ratios = RATIOS.get(code, [])
    counted = [] if code in PERCENTAGES_ONLY else list(protected.categories)
    columns = [Column(c.key, str(c.label)) for c in counted]
    columns += [Column(r.key, str(r.label), decimals=1) for r in ratios]
    table = Table(code, str(indicator.title), str(indicator.definition), columns, row_heading=_("Period"))
    for period in periods(report.scope, granularity):
        values: list[int | float | None] = [protected.value(org, c.key, period) for c in counted]
        for ratio in ratios:
            numerator = report.counts[ratio.numerator[0]].value(org, ratio.numerator[1], period)
            denominator = report.counts[ratio.denominator[0]].value(org, ratio.denominator[1], period)
            values.append(disclosure.protect_share(numerator, denominator, report.policy))
        table.rows.append(TableRow(period.key, period_label(period), values))
    return table


def group_table(report: Report, code: str, org: OrgKey, *, years: list[int] | None = None) -> Table:
    """Rows are (year, category): the group's size, its mean and its shares (percentages)."""
    indicator = report.indicator(code)
    protected = report.groups[code]
    columns = [Column("n", _("Number")), Column("mean", _("Mean (%(unit)s)") % {"unit": protected.unit}, 1)]
    columns += [Column(s.key, f"{s.label} (%)", 1) for s in protected.share_labels]
    table = Table(code, str(indicator.title), str(indicator.definition), columns, row_heading=_("Year"))
    several = len(protected.categories) > 1
    for year in years or list(report.scope.years()):
        for category in protected.categories:
            shown = protected.value(org, category.key, year)
            label = f"{year} · {category.label}" if several else str(year)
            values: list[int | float | None] = [shown.n, shown.mean]
            values += [shown.shares.get(s.key) for s in protected.share_labels]
            table.rows.append(TableRow(f"{year}:{category.key}", label, values))
    return table


def tables(report: Report, granularity: str, org: OrgKey) -> list[Table]:
    found = []
    for indicator in report.indicators:
        if indicator.code in report.counts:
            found.append(count_table(report, indicator.code, granularity, org))
        else:
            found.append(group_table(report, indicator.code, org))
    return found


# --- charts -------------------------------------------------------------------------------------------


@dataclass
class ChartSeries:
    label: str
    values: list[float | None]


@dataclass
class Chart:
    """One chart, drawn by Chart.js on the dashboard and as SVG in the PDF from the same numbers."""

    key: str
    title: str
    kind: str  # "line", "bar", "stacked" or "diverging"
    labels: list[str]
    series: list[ChartSeries]
    unit: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "labels": self.labels,
            "unit": self.unit,
            "series": [{"label": s.label, "values": s.values} for s in self.series],
        }


def _column(table: Table, key: str) -> list[float | None]:
    index = [c.key for c in table.columns].index(key)
    return [row.values[index] for row in table.rows]


def _series(table: Table, keys: list[str] | None = None) -> list[ChartSeries]:
    chosen = [c for c in table.columns if (keys is None and c.key != TOTAL) or (keys and c.key in keys)]
    return [ChartSeries(c.label, _column(table, c.key)) for c in chosen]


def charts(report: Report, granularity: str, org: OrgKey) -> list[Chart]:
    """The key series of the council report, in its order."""
    found: list[Chart] = []

    def table(code: str) -> Table | None:
        return count_table(report, code, granularity, org) if code in report.counts else None

    in_view, counted = table("in_view"), table("street_counts")
    if in_view:
        # The status-derived series is the in-view table's own column, so it is protected only once.
        labels = [row.label for row in in_view.rows]
        series = [ChartSeries(_("From person statuses"), _column(in_view, STREET_ZONE))]
        if counted:
            series.append(
                ChartSeries(_("Street counts by outreach"), _column(counted, counted.columns[0].key))
            )
        found.append(Chart("street_zone", _("On the street zone"), "line", labels, series, _("persons")))
    simple = [
        ("in_view", _("In view by status"), "stacked", None, _("persons")),
        ("exits_and_returns", _("Exits and returns"), "bar", None, _("persons")),
        ("plans", _("Care plan coverage"), "line", ["plan_coverage", "evaluation_on_time"], "%"),
        ("huiskamer_visits", _("Huiskamer visits"), "stacked", None, _("visits")),
        ("shelter_occupancy", _("Shelter occupancy"), "line", ["occupancy"], "%"),
    ]
    for code, title, kind, keys, unit in simple:
        shown = table(code)
        if shown:
            found.append(Chart(code, title, kind, [r.label for r in shown.rows], _series(shown, keys), unit))
    if "zrm_change" in report.groups:
        protected = report.groups["zrm_change"]
        year = report.scope.end.year
        values = [protected.value(org, c.key, year).mean for c in protected.categories]
        found.append(
            Chart(
                "zrm_change",
                _("Change in self-sufficiency per domain (%(year)s)") % {"year": year},
                "diverging",
                [str(c.label) for c in protected.categories],
                [ChartSeries(_("Mean change"), values)],
                str(protected.unit),
            )
        )
    return found
