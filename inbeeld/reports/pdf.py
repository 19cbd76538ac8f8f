"""The council report: a PDF made by WeasyPrint, with the charts drawn as SVG on the server.

Every number in it comes from ``presentation`` and so has passed disclosure control. It states the date
of the data, the period and organisation, and a methods section with each indicator's definition and
the suppression rule. WeasyPrint fetches nothing: the charts are inline SVG and any URL is refused.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from inbeeld.reports import charts as svg
from inbeeld.reports.cube import OrgKey
from inbeeld.reports.presentation import SUPPRESSED, Chart, charts, tables
from inbeeld.reports.report import Report


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"The council report loads no external resources ({url[:40]}).")


def chart_svg(chart: Chart) -> str:
    suppressed = _("not shown (small number)")
    series = [svg.Series(s.label, s.values) for s in chart.series]
    if chart.kind == "diverging":
        return svg.diverging_bar_chart(
            chart.labels,
            chart.series[0].values,
            title=chart.title,
            unit=chart.unit,
            suppressed_label=suppressed,
        )
    if chart.kind == "line":
        return svg.line_chart(
            chart.labels, series, title=chart.title, y_label=chart.unit, suppressed_label=suppressed
        )
    return svg.bar_chart(
        chart.labels,
        series,
        stacked=chart.kind == "stacked",
        title=chart.title,
        y_label=chart.unit,
        suppressed_label=suppressed,
    )


def render_report_pdf(report: Report, *, granularity: str, organisation: OrgKey, language: str) -> bytes:
    from weasyprint import HTML  # imported when needed: it loads Pango and fonts

    with translation.override(language):
        html = render_to_string(
            "reports/pdf.html",
            {
                "report": report,
                "organisation_label": report.organisation_label(organisation),
                "granularity": granularity,
                "charts": [
                    # Our own SVG, every text in it escaped by reports.charts.
                    (chart, mark_safe(chart_svg(chart)))  # noqa: S308
                    for chart in charts(report, granularity, organisation)
                ],
                "tables": tables(report, granularity, organisation),
                "suppressed": SUPPRESSED,
                "printed_at": timezone.localtime(),
                "language": language,
            },
        )
    return bytes(HTML(string=html, url_fetcher=_no_fetching).write_pdf())
