"""Web pages for self-sufficiency assessments, and their section on the person page.

Only a caseworker of an involved organisation reads (READ_CARE) and records (EDIT_CARE) them; others
get 404 when they may not see the file and 403 when they see the person but may not record. Another
organisation's assessments show only as the person's consent allows (``care.actions.assessments``).
Status codes follow ``people.views``: a recorded assessment redirects, refused input is 422.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from inbeeld.care.actions import assessments as actions
from inbeeld.care.forms_assessments import AssessmentForm
from inbeeld.core import access, audit
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.audit import Actor
from inbeeld.core.models import AuditEvent
from inbeeld.people import sections
from inbeeld.people.view_support import form_data, person_access_for, submit

PAGE_SIZE = 20
CHART_ID = "assessment-chart-data"


@login_required
@never_cache
@require_GET
def assessment_list(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    found = access.read_person(actor, pk, Need.READ_CARE, data="assessments")
    seen = actions.visibility(found)
    page = Paginator(seen.listing(), PAGE_SIZE).get_page(request.GET.get("page"))
    actions.record_read(actor, seen, [a.organisation_id for a in page], data="assessments", own_basis=False)
    context = {
        "person": found.person,
        "page_obj": page,
        "may_record": found.allows(Need.EDIT_CARE),
    }
    return render(request, "care/assessments/list.html", context)


@login_required
@never_cache
@require_GET
def assessment_detail(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    found = access.read_person(actor, pk, Need.READ_CARE, data="assessment")
    seen = actions.visibility(found)
    assessment = seen.get(assessment_pk)
    if assessment is None:
        raise access.not_found()
    actions.record_read(
        actor, seen, [assessment.organisation_id], data="assessment", object_id=assessment.pk, own_basis=False
    )
    context = {"person": found.person, "view": actions.assessment_view(assessment)}
    return render(request, "care/assessments/detail.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def assessment_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = person_access_for(request, pk, Need.EDIT_CARE, data="assessment.form")
    person = found.person
    instruments = actions.instruments_for(person.network_id)
    form = AssessmentForm(form_data(request), instruments=instruments, chosen=request.GET.get("instrument"))
    saved = submit(
        request,
        form,
        lambda: actions.record_assessment(
            found,
            actor=Actor.from_request(request),
            instrument=form.cleaned_data["instrument"],
            assessed_on=form.cleaned_data["assessed_on"],
            scores=form.scores(),
            note=form.cleaned_data["note"],
        ),
    )
    if saved is not None:
        messages.success(request, _("The assessment is recorded."))
        return redirect("people:detail", pk=person.pk)
    context = {"person": person, "form": form, "rows": form.domain_rows(), "instruments": form.instruments}
    status = 422 if request.method == "POST" else 200
    return render(request, "care/assessments/form.html", context, status=status)


urlpatterns = [
    path("persons/<int:pk>/assessments/", assessment_list, name="assessment_list"),
    path("persons/<int:pk>/assessments/new/", assessment_add, name="assessment_add"),
    path(
        "persons/<int:pk>/assessments/<int:assessment_pk>/",
        assessment_detail,
        name="assessment_detail",
    ),
]


# --- the section on the person page -------------------------------------------------------------------


def render_section(request: HttpRequest, person_access: PersonAccess) -> SafeString | None:
    """The latest scores as a radar chart and the change per domain; nothing for viewers without READ_CARE."""
    if not person_access.allows(Need.READ_CARE):
        return None
    seen = actions.visibility(person_access)
    summary = actions.summary(seen)
    if summary.latest_id is not None:
        actor = Actor.from_request(request)
        with transaction.atomic():
            # The page's own read is "person.page"; this records that assessment scores were on it.
            audit.record(
                actor,
                action=AuditEvent.Action.READ,
                data="assessments.summary",
                basis=person_access.basis,
                person_id=person_access.person.pk,
                object_id=summary.latest_id,
            )
            actions.record_read(
                actor, seen, summary.organisation_ids, data="assessments.summary", own_basis=False
            )
    context = {
        "person": person_access.person,
        "summary": summary,
        "chart": summary.chart_data(),
        "chart_id": CHART_ID,
        "may_record": person_access.allows(Need.EDIT_CARE),
    }
    return SafeString(render_to_string("care/assessments/_section.html", context, request=request))


sections.register(sections.Section("assessments", 30, render_section))
