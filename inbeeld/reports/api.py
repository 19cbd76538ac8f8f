"""The reports API: the indicators, protected exactly as on the dashboard (``reports.disclosure``).

Analysts and coordinators only; every other role gets 404. Bad pickers are 422 naming the field.
"""

# No "from __future__ import annotations": ninja reads the views' annotations at runtime.

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router

from inbeeld.core import access
from inbeeld.core.api import actor, errors, membership_of
from inbeeld.core.models import AuditEvent
from inbeeld.reports.api_street import router as street_router
from inbeeld.reports.forms import filtered_report, report_filter
from inbeeld.reports.presentation import count_table, group_table, needs
from inbeeld.reports.report import record_use
from inbeeld.reports.schemas import FiguresOut, IndicatorOut

router = Router(tags=["reports"])
router.add_router("", street_router)
ERRORS = errors(401, 403, 404, 422)


@router.get("/reports/indicators", response={200: list[IndicatorOut], **ERRORS}, summary="The indicators")
def list_indicators(request: HttpRequest) -> list[dict[str, Any]]:
    from inbeeld.reports.indicators import ALL, GROUP_CODES

    access.require_reports(membership_of(request))
    return [
        {
            "code": i.code,
            "title": str(i.title),
            "definition": str(i.definition),
            "kind": "groups" if i.code in GROUP_CODES else "counts",
        }
        for i in ALL
    ]


@router.get(
    "/reports/indicators/{code}",
    response={200: FiguresOut, **ERRORS},
    summary="One indicator's figures per period (counts) or per year (groups), with small numbers suppressed",
)
def indicator_figures(
    request: HttpRequest,
    code: str,
    first_year: int | None = None,
    last_year: int | None = None,
    granularity: str | None = None,
    organisation: str | None = None,
) -> dict[str, Any]:
    from inbeeld.reports.indicators import ALL

    membership = access.require_reports(membership_of(request))
    if code not in {i.code for i in ALL}:
        raise access.not_found()
    given = {
        "first_year": first_year,
        "last_year": last_year,
        "granularity": granularity,
        "organisation": organisation,
    }
    form = report_filter(membership, {k: str(v) for k, v in given.items() if v is not None})
    if not form.is_valid():
        raise ValidationError({field: list(messages) for field, messages in form.errors.items()})
    report = filtered_report(membership, form, codes=sorted(needs(code)))
    org = form.organisation_key
    chosen = form.cleaned_data["granularity"]
    if code in report.counts:
        table = count_table(report, code, chosen, org)
    else:
        table, chosen = group_table(report, code, org), "year"
    record_use(
        actor(request),
        action=AuditEvent.Action.READ,
        data="reports.api",
        detail={"indicator": code, **{k: str(v) for k, v in form.cleaned_data.items()}},
    )
    return {
        "code": code,
        "title": table.title,
        "definition": table.definition,
        "organisation": report.organisation_label(org),
        "granularity": chosen,
        "first_year": report.scope.first_year,
        "last_year": report.scope.last_year,
        "data_date": report.scope.end,
        "threshold": report.policy.threshold,
        "min_group": report.policy.min_group,
        "columns": [{"key": c.key, "label": c.label} for c in table.columns],
        "rows": [
            {
                "key": row.key,
                "label": row.label,
                "values": dict(zip([c.key for c in table.columns], row.values, strict=True)),
            }
            for row in table.rows
        ],
    }
