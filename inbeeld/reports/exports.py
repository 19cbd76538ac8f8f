"""The figures as CSV: one row per figure, in the shape spreadsheets and statistics tools read.

Excel-friendly: UTF-8 with a byte-order mark (so Excel does not guess another encoding), and in
Dutch a semicolon between fields and a decimal comma, as Dutch Excel expects; in English commas and
decimal points. A suppressed figure has an empty value and the status "suppressed".
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import override

from inbeeld.reports.cube import OrgKey
from inbeeld.reports.presentation import Table, tables
from inbeeld.reports.report import Report


def filename(report: Report, extension: str) -> str:
    return f"inbeeld-{report.network.slug}-{report.scope.first_year}-{report.scope.last_year}.{extension}"


def _number(value: int | float | None, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    text = f"{value:.1f}"
    return text.replace(".", ",") if decimal_comma else text


def _rows(table: Table, organisation: str, decimal_comma: bool) -> list[list[str]]:
    shown, suppressed = _("shown"), _("suppressed")
    rows = []
    for row in table.rows:
        for column, value in zip(table.columns, row.values, strict=True):
            rows.append(
                [
                    table.code,
                    table.title,
                    organisation,
                    row.key,
                    row.label,
                    column.key,
                    column.label,
                    _number(value, decimal_comma),
                    suppressed if value is None else shown,
                ]
            )
    return rows


def report_csv(report: Report, granularity: str, org: OrgKey, *, language: str) -> str:
    with override(language):
        decimal_comma = language.startswith("nl")
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out, delimiter=";" if decimal_comma else ",", lineterminator="\r\n")
        writer.writerow(
            [
                _("indicator"),
                _("title"),
                _("organisation"),
                _("period"),
                _("period name"),
                _("category"),
                _("category name"),
                _("value"),
                _("status"),
            ]
        )
        organisation = report.organisation_label(org)
        for table in tables(report, granularity, org):
            writer.writerows(_rows(table, organisation, decimal_comma))
        return out.getvalue()
