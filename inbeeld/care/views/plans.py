"""Web pages of the care plan (zorgplan op maat), its PDF, and its section on the person page.

Only a caseworker of an involved organisation reads (READ_CARE) and edits (EDIT_CARE) a plan; others
get 404 when they may not see the file and 403 when they see the person but may not do this. A plan
made by another organisation shows only with the person's consent, and only its own organisation
changes it (``presenters_plans``). Status codes follow ``people.views``: a save redirects (302),
refused input re-renders with 422, an edit based on an outdated version answers 409 with what changed
and keeps the editor's input; nothing is saved in either case.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from inbeeld.care import pdf
from inbeeld.care import presenters_plans as presenters
from inbeeld.care.actions import plans as actions
from inbeeld.care.actions.plans import PlanConflict, PlanDraft, changes_between
from inbeeld.care.forms_plans import EvaluationForm, PlanEditor, with_extra_row
from inbeeld.care.presenters_plans import PlanAccess
from inbeeld.core import audit
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.audit import Actor
from inbeeld.core.models import AuditEvent
from inbeeld.people import sections
from inbeeld.people.view_support import acting_membership, form_data, form_page, submit

# What the access log calls each kind of care-plan data.
audit.register_data_labels(
    {
        "care_plan": gettext_lazy("care plan"),
        "care_plan.api": gettext_lazy("care plan (API)"),
        "care_plan.edit": gettext_lazy("care plan edit form"),
        "care_plan.conflict": gettext_lazy("care plan changes shown at an edit conflict"),
        "care_plan.version": gettext_lazy("care plan version"),
        "care_plan.versions": gettext_lazy("care plan versions"),
        "care_plan.evaluation": gettext_lazy("care plan evaluation"),
        "care_plan.evaluations": gettext_lazy("care plan evaluations"),
        "care_plan.evaluation_form": gettext_lazy("care plan evaluation form"),
        "care_plan.pdf": gettext_lazy("care plan (PDF)"),
        "care_plan.section": gettext_lazy("care plan on the person page"),
    }
)


def _editable(found: PlanAccess) -> None:
    if not found.may_edit:
        raise PermissionDenied(_("This care plan is kept by another organisation; only they change it."))


@login_required
@never_cache
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = presenters.open_plan(Actor.from_request(request), pk, data="care_plan")
    context: dict[str, Any] = {"person": found.person_access.person, "found": found}
    if found.has_version:
        context["view"] = presenters.plan_view(found)
        context["versions"] = presenters.versions_of(found)
        context["evaluations"] = presenters.evaluations_of(found)
    else:
        context["no_plan"] = presenters.no_plan_text(found)
    return render(request, "care/plans/detail.html", context)


@login_required
@never_cache
@require_GET
def plan_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    found = presenters.decide(acting_membership(request), pk, Need.READ_CARE)
    plan = found.require_plan()
    version = presenters.version_of(plan, number)
    if version is None:
        raise presenters.access.not_found()
    presenters.record_read(
        Actor.from_request(request), found, data="care_plan.version", detail={"version": number}
    )
    previous = plan.versions.filter(number=number - 1).first()
    context = {
        "person": plan.person,
        "view": presenters.version_view(version),
        "is_current": number == plan.current_number,
        "changes": changes_between(PlanDraft.of(previous), PlanDraft.of(version)),
    }
    return render(request, "care/plans/version.html", context)


def _editor_page(request: HttpRequest, context: dict[str, Any], status: int) -> HttpResponse:
    return render(request, "care/plans/edit.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    found = presenters.decide(acting_membership(request), pk, Need.EDIT_CARE)
    _editable(found)
    person = found.person_access.person
    plan = found.plan
    current = PlanDraft.of(plan.current_version() if plan else None)
    number = plan.current_number if plan else 0
    context: dict[str, Any] = {"person": person, "is_new": number == 0}
    build: dict[str, Any] = {"draft": current, "based_on": number, "network": person.network}
    if request.method == "GET":
        presenters.record_read(actor, found, data="care_plan.edit")
    target = "goal" if "add_goal" in request.POST else request.POST.get("add_action")
    if request.method == "POST" and target is not None:
        # Another row was asked for: show the form again with it; nothing is checked or saved.
        editor = PlanEditor(with_extra_row(request.POST, target), quiet=True, **build)
        return _editor_page(request, {**context, "editor": editor}, 200)
    editor = PlanEditor(form_data(request), **build)
    context["editor"] = editor
    if request.method == "POST" and editor.is_valid():
        try:
            version = actions.save_plan(
                found.person_access, editor.draft(), actor=actor, based_on=editor.based_on
            )
        except ValidationError as error:
            editor.attach(error)
        except PlanConflict as conflict:
            # The changes shown are the stored plan's content: showing them is a read.
            presenters.record_read(actor, found, data="care_plan.conflict")
            editor.set_based_on(conflict.current_number)
            return _editor_page(request, {**context, "conflict": conflict}, 409)
        else:
            messages.success(
                request, _("The care plan is saved as version %(number)d.") % {"number": version.number}
            )
            return redirect("care:plan", pk=person.pk)
    return _editor_page(request, context, 422 if request.method == "POST" else 200)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def plan_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    found = presenters.decide(acting_membership(request), pk, Need.EDIT_CARE)
    plan = found.require_plan()
    _editable(found)
    version = plan.current_version()
    if request.method == "GET":
        presenters.record_read(actor, found, data="care_plan.evaluation_form")
    form = EvaluationForm(form_data(request))
    saved = submit(
        request,
        form,
        lambda: actions.record_evaluation(found.person_access, actor=actor, **form.cleaned_data),
    )
    if saved is not None:
        messages.success(request, _("The evaluation is recorded."))
        return redirect("care:plan", pk=plan.person_id)
    evaluation_date = version.evaluation_date if version else None
    facts = [
        (_("Plan version"), str(plan.current_number)),
        (
            _("Evaluation date"),
            formats.date_format(evaluation_date, "SHORT_DATE_FORMAT") if evaluation_date else "—",
        ),
    ]
    return form_page(
        request,
        {
            "form": form,
            "person": found.person_access.person,
            "facts": facts,
            "title": _("Record an evaluation"),
            "intro": _(
                "Look back with the person: what went well, what changed. The next evaluation date "
                "becomes the plan's evaluation date (a new version of the plan)."
            ),
            "submit": _("Record evaluation"),
        },
    )


@login_required
@never_cache
@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    found = presenters.decide(acting_membership(request), pk, Need.READ_CARE)
    view = presenters.plan_view(found)
    language = (get_language() or "nl")[:2]
    presenters.record_read(
        Actor.from_request(request),
        found,
        data="care_plan.pdf",
        action=AuditEvent.Action.EXPORT,
        detail={"version": view.current_number, "language": language},
    )
    content = pdf.render_plan(found.person_access.person, view, language=language)
    response = HttpResponse(content, content_type="application/pdf")
    # No name in the file name: downloads folders and mail attachments outlive the file's access rules.
    filename = f"care-plan-{pk}-v{view.current_number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


urlpatterns = [
    path("persons/<int:pk>/plan/", plan_detail, name="plan"),
    path("persons/<int:pk>/plan/edit/", plan_edit, name="plan_edit"),
    path("persons/<int:pk>/plan/versions/<int:number>/", plan_version, name="plan_version"),
    path("persons/<int:pk>/plan/evaluations/new/", plan_evaluate, name="plan_evaluate"),
    path("persons/<int:pk>/plan/pdf/", plan_pdf, name="plan_pdf"),
]


# --- the section on the person page -------------------------------------------------------------


def render_section(request: HttpRequest, person_access: PersonAccess) -> SafeString | None:
    """Current goals and their status, the next evaluation date; nothing without READ_CARE."""
    if not person_access.allows(Need.READ_CARE):
        return None
    found = presenters.plan_for(person_access)
    view = presenters.current_view(found) if found.has_version else None
    if view is not None:
        # The page's own read is "person.page"; this records that the care plan was on it.
        presenters.record_read(Actor.from_request(request), found, data="care_plan.section")
    context = {
        "person": person_access.person,
        "found": found,
        "view": view,
        "no_plan": None if view else presenters.no_plan_text(found),
    }
    return SafeString(render_to_string("care/plans/_section.html", context, request=request))


sections.register(sections.Section("care_plan", 20, render_section))
