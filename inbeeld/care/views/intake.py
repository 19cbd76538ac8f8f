"""The intake wizard at /care/intake/: thin views over ``care.actions.intake``.

Who gets what (documented in the permission grid, ``care/tests/grid_intake.py``):
- The list of intakes in progress and the start page: caseworkers and hosts, each for their own
  organisation. Roles that see no persons get 404; roles that see persons but do not start intakes 403
  (as registering a person: ``access.require_register``).
- One intake's pages: only caseworkers and hosts of the organisation that started it; 404 for everyone
  else, whatever their role (access rule 1). From the consent step on, a host sees that a caseworker
  continues (the page says so; submitting is 403).

Status codes follow ``people.views``: a completed step or a kept draft redirects (302), refused input
re-renders the step with 422 and writes nothing. A page for a step the intake is not at redirects to
the step it is at. Steps that show the person are audited reads ("intake").
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inbeeld.care.actions import intake as actions
from inbeeld.care.actions.intake import Step, StepMoved
from inbeeld.care.forms_intake import (
    ChoosePersonForm,
    FirstAssessmentForm,
    FirstContactForm,
    IntakePersonForm,
    KeyWorkerForm,
    draft_answers,
)
from inbeeld.care.models import Intake
from inbeeld.core import access
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.audit import Actor
from inbeeld.core.models import Membership
from inbeeld.people.forms import ConsentForm, attach_errors, split_list
from inbeeld.people.view_support import acting_membership, clean_query, form_data, submit

LIST_PAGE_SIZE = 25
SEARCH_RESULTS = 20
SAVE_AND_CONTINUE = gettext_lazy("Save and continue")
STEP_URLS: dict[str, str] = {
    Step.PERSON: "care:intake_person",
    Step.FIRST_CONTACT: "care:intake_contact",
    Step.CONSENT: "care:intake_consent",
    Step.KEY_WORKER: "care:intake_key_worker",
    Step.ASSESSMENT: "care:intake_assessment",
    Step.DONE: "care:intake_detail",
}


def step_url(intake: Intake) -> str:
    return reverse(STEP_URLS[intake.step], kwargs={"pk": intake.pk})


def _progress(current: str) -> list[dict[str, Any]]:
    index = actions.ORDER.index(current)
    return [
        {"label": label, "done": i < index, "current": i == index}
        for i, (value, label) in enumerate(Step.choices)
        if value != Step.DONE
    ]


def _then(request: HttpRequest) -> str | None:
    return request.POST.get("then", "continue") if request.method == "POST" else None


def _moved(request: HttpRequest, moved: StepMoved) -> HttpResponse:
    messages.warning(request, _("This step was already completed: the intake continues here."))
    return redirect(step_url(moved.intake))


def _kept(request: HttpRequest) -> HttpResponse:
    messages.success(request, _("The intake is saved. Continue it later from the intakes in progress."))
    return redirect("care:intake_list")


def _next(request: HttpRequest, intake: Intake) -> HttpResponse:
    if intake.step == Step.DONE:
        messages.success(request, _("The intake is complete."))
    return redirect(step_url(intake))


def _keep_draft(
    request: HttpRequest,
    form: Form,
    intake: Intake | None,
    step: str,
    person_access: PersonAccess | None = None,
) -> HttpResponse | None:
    """Keep the answers for later (the draft), or return None with the refusal on the form."""
    answers = draft_answers(form)
    if answers is None:
        return None
    try:
        actions.save_draft(
            intake, step, answers, actor=Actor.from_request(request), person_access=person_access
        )
    except ValidationError as error:
        attach_errors(form, error)
        return None
    return _kept(request)


# --- the list of intakes in progress ---------------------------------------------------------


def _draft_name(intake: Intake) -> str:
    name = actions.answers_for(intake, Step.PERSON).get("roepnaam", "")
    return name if isinstance(name, str) else ""


@login_required
@never_cache
@require_GET
def intake_list(request: HttpRequest) -> HttpResponse:
    membership = actions.require_starter(acting_membership(request))
    page = Paginator(actions.open_intakes(membership), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for intake in page:
        found = access.person_access(membership, intake.person) if intake.person else None
        rows.append(
            {
                "intake": intake,
                "name": intake.person.roepnaam if intake.person else _draft_name(intake),
                "may_continue": actions.may_do(found, intake.step),
                "url": step_url(intake),
            }
        )
    shown = [intake.person_id for intake in page if intake.person_id is not None]
    access.record_list_read(Actor.from_request(request), shown, data="intake.list", searched=False)
    return render(request, "care/intake/list.html", {"page_obj": page, "rows": rows})


# --- step 1: the person --------------------------------------------------------------------------


def _search(request: HttpRequest, membership: Membership, q: str) -> dict[str, Any]:
    if not q:
        return {"q": q, "results": None}
    persons = access.visible_persons(membership).search(q).select_related("lead_organisation")
    found = list(persons.prefetch_related("aliases").order_by("roepnaam", "id")[: SEARCH_RESULTS + 1])
    shown = found[:SEARCH_RESULTS]
    access.record_list_read(
        Actor.from_request(request), [p.pk for p in shown], data="person.list", searched=True
    )
    busy = set(actions.open_intakes(membership).filter(person__in=shown).values_list("person_id", flat=True))
    return {"q": q, "results": shown, "more": len(found) > SEARCH_RESULTS, "busy": busy}


def _person_step(request: HttpRequest, intake: Intake | None) -> HttpResponse:
    membership = actions.require_starter(acting_membership(request))
    actor = Actor.from_request(request)
    then = _then(request)
    prefill = clean_query(request.GET.get("roepnaam", "")) if intake is None else ""
    initial = actions.answers_for(intake, Step.PERSON) or ({"roepnaam": prefill} if prefill else {})
    register = IntakePersonForm(form_data(request) if then != "choose" else None, initial=initial)
    choose = ChoosePersonForm(form_data(request) if then == "choose" else None, membership=membership)
    try:
        if then == "save":
            kept = _keep_draft(request, register, intake, Step.PERSON)
            if kept is not None:
                return kept
        elif then == "choose":
            done = submit(
                request,
                choose,
                lambda: actions.choose_person(
                    intake,
                    access.person_for(membership, choose.cleaned_data["person"].pk, Need.READ_CORE),
                    actor=actor,
                ),
            )
            if done is not None:
                return _next(request, done)
        elif then is not None:
            done = submit(
                request,
                register,
                lambda: actions.register_for_intake(
                    intake, register.details(), actor=actor, reason=_("Intake")
                ),
            )
            if done is not None:
                return _next(request, done)
    except StepMoved as moved:
        return _moved(request, moved)
    q = clean_query(request.GET.get("q", "")) or prefill
    context = {
        "intake": intake,
        "register": register,
        "choose": choose,
        "steps": _progress(Step.PERSON),
        "prefill": prefill,
        **_search(request, membership, q),
    }
    return render(request, "care/intake/person.html", context, status=422 if then else 200)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def intake_start(request: HttpRequest) -> HttpResponse:
    return _person_step(request, None)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def intake_person(request: HttpRequest, pk: int) -> HttpResponse:
    intake = actions.intake_for(acting_membership(request), pk)
    if intake.step != Step.PERSON:
        return _elsewhere(request, intake)
    return _person_step(request, intake)


# --- steps 2 to 5: one pattern -------------------------------------------------------------------


@dataclass(frozen=True)
class StepPage:
    step: str
    title: Any
    intro: Any
    make_form: Callable[[Any, Membership, dict[str, Any]], Form]
    commit: Callable[[Form | None, Intake, PersonAccess, Actor], Intake]
    initial: Callable[[PersonAccess], dict[str, Any]] = lambda found: {}
    # The label of a button completing the step without the form (consent: "no consent yet").
    skip: Any = None
    submit: Any = SAVE_AND_CONTINUE


def _elsewhere(request: HttpRequest, intake: Intake) -> HttpResponse:
    if request.method == "POST":
        return _moved(request, StepMoved(intake))
    return redirect(step_url(intake))


def _person_of(request: HttpRequest, intake: Intake) -> PersonAccess:
    """The intake's person: showing them is an audited read; a POST's writes record themselves."""
    if intake.person_id is None:  # only the person step has none, and it does not come here
        raise access.not_found()
    if request.method == "GET":
        return access.read_person(
            Actor.from_request(request), intake.person_id, Need.READ_CORE, data="intake"
        )
    return access.person_for(acting_membership(request), intake.person_id, Need.READ_CORE)


def _step_view(request: HttpRequest, pk: int, page: StepPage) -> HttpResponse:
    membership = acting_membership(request)
    intake = actions.intake_for(membership, pk)
    if intake.step != page.step:
        return _elsewhere(request, intake)
    found = _person_of(request, intake)
    context: dict[str, Any] = {"intake": intake, "person": found.person, "page": page}
    context["steps"] = _progress(page.step)
    if not actions.may_do(found, page.step):
        if request.method == "POST":
            raise PermissionDenied(_("Your role may not do this for this person."))
        return render(request, "care/intake/step.html", {**context, "handover": True})
    then = _then(request)
    initial = {**page.initial(found), **actions.answers_for(intake, page.step)}
    form = page.make_form(form_data(request), membership, initial)
    actor = Actor.from_request(request)
    try:
        if then == "save":
            kept = _keep_draft(request, form, intake, page.step, found)
            if kept is not None:
                return kept
        elif then == "skip" and page.skip:
            return _next(request, page.commit(None, intake, found, actor))
        else:
            done = submit(request, form, lambda: page.commit(form, intake, found, actor))
            if done is not None:
                return _next(request, done)
    except StepMoved as moved:
        return _moved(request, moved)
    return render(request, "care/intake/step.html", {**context, "form": form}, status=422 if then else 200)


def _commit_contact(form: Form | None, intake: Intake, found: PersonAccess, actor: Actor) -> Intake:
    assert isinstance(form, FirstContactForm)
    contact = {**form.contact_input(), "person_access": found}
    return actions.record_first_contact(intake, actor=actor, **contact)


def _commit_consent(form: Form | None, intake: Intake, found: PersonAccess, actor: Actor) -> Intake:
    consent = form.consent_input() if isinstance(form, ConsentForm) else None
    return actions.record_intake_consent(intake, found, consent, actor=actor)


def _key_worker_initial(found: PersonAccess) -> dict[str, Any]:
    person = found.person
    candidates = actions.key_workers(found.membership)
    proposed = [pk for pk in (person.key_worker_id, found.membership.user_id) if pk is not None]
    chosen = next((pk for pk in proposed if candidates.filter(pk=pk).exists()), None)
    return {"languages": ", ".join(person.languages or []), "key_worker": chosen}


def _commit_key_worker(form: Form | None, intake: Intake, found: PersonAccess, actor: Actor) -> Intake:
    assert form is not None
    data = form.cleaned_data
    return actions.assign_key_worker(
        intake,
        found,
        actor=actor,
        languages=split_list(data["languages"]),
        key_worker=data["key_worker"],
    )


def _commit_assessment(form: Form | None, intake: Intake, found: PersonAccess, actor: Actor) -> Intake:
    assert form is not None
    data = form.cleaned_data
    starts_at = data["starts_at"]
    try:
        ends_at = starts_at + datetime.timedelta(minutes=data["duration_minutes"])
    except OverflowError:
        ends_at = starts_at  # the start itself is refused as too far ahead
    return actions.schedule_first_assessment(
        intake,
        found,
        actor=actor,
        starts_at=starts_at,
        ends_at=ends_at,
        location=data["location"],
        place=data["place"],
    )


CONTACT = StepPage(
    Step.FIRST_CONTACT,
    gettext_lazy("First contact"),
    gettext_lazy("How and when you met, and what it was about."),
    lambda data, membership, initial: FirstContactForm(data, membership=membership, initial=initial),
    _commit_contact,
)
CONSENT = StepPage(
    Step.CONSENT,
    gettext_lazy("Consent"),
    gettext_lazy(
        "Record what the person allows: which organisation of the network may receive which data, for "
        "what purpose and how long. If the person has not decided yet, continue without consent."
    ),
    lambda data, membership, initial: ConsentForm(
        data, network=membership.organisation.network, initial=initial
    ),
    _commit_consent,
    skip=gettext_lazy("No consent yet, continue"),
)
KEY_WORKER = StepPage(
    Step.KEY_WORKER,
    gettext_lazy("Languages and key worker"),
    gettext_lazy(
        "Your organisation becomes the lead organisation; the key worker is the one worker responsible."
    ),
    lambda data, membership, initial: KeyWorkerForm(data, membership=membership, initial=initial),
    _commit_key_worker,
    initial=_key_worker_initial,
)
ASSESSMENT = StepPage(
    Step.ASSESSMENT,
    gettext_lazy("First assessment"),
    gettext_lazy("Plan the appointment for the first assessment with the key worker."),
    lambda data, membership, initial: FirstAssessmentForm(data, membership=membership, initial=initial),
    _commit_assessment,
    submit=gettext_lazy("Plan and finish the intake"),
)


def _step(page: StepPage) -> Callable[[HttpRequest, int], HttpResponse]:
    @login_required
    @never_cache
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _step_view(request, pk, page)

    view.__name__ = view.__qualname__ = f"intake_{page.step}"
    return view


# --- the intake as a whole ----------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def intake_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An intake in progress continues at its step; a completed one shows what it recorded."""
    intake = actions.intake_for(acting_membership(request), pk)
    if intake.step != Step.DONE:
        return redirect(step_url(intake))
    found = _person_of(request, intake)
    context = {
        "intake": intake,
        "person": found.person,
        "steps": _progress(Step.DONE),
        # The care plan and the assessment are the caseworker's next steps (a host sees the person page).
        "may_care": found.allows(Need.EDIT_CARE),
    }
    return render(request, "care/intake/done.html", context)


@login_required
@never_cache
@require_POST
def intake_discard(request: HttpRequest, pk: int) -> HttpResponse:
    intake = actions.intake_for(acting_membership(request), pk)
    try:
        actions.discard_intake(intake, actor=Actor.from_request(request))
    except StepMoved as moved:
        return _moved(request, moved)
    messages.success(request, _("The intake is discarded. What its completed steps recorded stays."))
    return redirect("care:intake_list")


urlpatterns = [
    path("intake/", intake_list, name="intake_list"),
    path("intake/new/", intake_start, name="intake_start"),
    path("intake/<int:pk>/", intake_detail, name="intake_detail"),
    path("intake/<int:pk>/person/", intake_person, name="intake_person"),
    path("intake/<int:pk>/first-contact/", _step(CONTACT), name="intake_contact"),
    path("intake/<int:pk>/consent/", _step(CONSENT), name="intake_consent"),
    path("intake/<int:pk>/key-worker/", _step(KEY_WORKER), name="intake_key_worker"),
    path("intake/<int:pk>/first-assessment/", _step(ASSESSMENT), name="intake_assessment"),
    path("intake/<int:pk>/discard/", intake_discard, name="intake_discard"),
]
