"""The reports pages: thin views over ``reports.report``; every figure has passed ``reports.disclosure``.

Only analysts and the network's coordinators get here (``access.may_view_reports``); everyone else
gets 404, as for any page they have no business with. Viewing and exporting figures is audited,
without a person: the figures hold none.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_POST

from inbeeld.core import access, audit
from inbeeld.core.models import AuditEvent
from inbeeld.people.view_support import acting_membership
from inbeeld.reports import exports, pdf, presentation
from inbeeld.reports.forms import ReportFilterForm, filtered_report, report_filter
from inbeeld.reports.report import Report, forget_snapshots, record_use


def _prepared(request: HttpRequest) -> tuple[ReportFilterForm, Report | None]:
    """The pickers from the query string and, when they are valid, the report they ask for."""
    membership = access.require_reports(acting_membership(request))
    form = report_filter(membership, request.GET)
    if not form.is_valid():
        return form, None
    return form, filtered_report(membership, form)


def _invalid(request: HttpRequest, form: ReportFilterForm) -> HttpResponse:
    return render(request, "reports/dashboard.html", {"form": form}, status=400)


def _audit(request: HttpRequest, *, action: str, data: str, form: ReportFilterForm) -> None:
    detail = {k: str(v) for k, v in form.cleaned_data.items()}
    record_use(audit.Actor.from_request(request), action=action, data=data, detail=detail)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form, report = _prepared(request)
    if report is None:
        return _invalid(request, form)
    granularity, org = form.cleaned_data["granularity"], form.organisation_key
    _audit(request, action=AuditEvent.Action.READ, data="reports.dashboard", form=form)
    charts = presentation.charts(report, granularity, org)
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "report": report,
            "organisation_label": report.organisation_label(org),
            "charts": charts,
            "charts_data": {"charts": [c.as_json() for c in charts]},
            "tables": presentation.tables(report, granularity, org),
            "query": request.GET.urlencode(),
            "suppressed": presentation.SUPPRESSED,
        },
    )


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    form, report = _prepared(request)
    if report is None:
        return _invalid(request, form)
    language = translation.get_language() or "nl"
    body = exports.report_csv(
        report, form.cleaned_data["granularity"], form.organisation_key, language=language
    )
    _audit(request, action=AuditEvent.Action.EXPORT, data="reports.csv", form=form)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(report, "csv")}"'
    return response


@login_required
def export_pdf(request: HttpRequest) -> HttpResponse:
    form, report = _prepared(request)
    if report is None:
        return _invalid(request, form)
    body = pdf.render_report_pdf(
        report,
        granularity=form.cleaned_data["granularity"],
        organisation=form.organisation_key,
        language=translation.get_language() or "nl",
    )
    _audit(request, action=AuditEvent.Action.EXPORT, data="reports.pdf", form=form)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(report, "pdf")}"'
    return response


@login_required
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    """Compute the figures again from the records now, rather than take today's stored ones."""
    membership = access.require_reports(acting_membership(request))
    forget_snapshots(membership.organisation.network)
    record_use(
        audit.Actor.from_request(request),
        action=AuditEvent.Action.MAINTENANCE,
        data="reports.dashboard",
        detail={"refresh": "yes"},
    )
    form = report_filter(membership, request.POST)
    query = urlencode({name: str(value) for name, value in form.data.items()}) if form.is_valid() else ""
    return redirect(reverse("reports:dashboard") + (f"?{query}" if query else ""))
