"""The intake API: the intakes in progress, starting one, its steps, keeping a draft, discarding it.

Thin operations over ``care.actions.intake``, with the web wizard's rules (``care.views.intake``):
- the list and starting belong to caseworkers and hosts, each for their own organisation (403 for
  other roles that see persons, 404 for roles that see none); one intake is not there (404) for anyone
  but the caseworkers and hosts of the organisation that started it (rule 1);
- steps go in order: a step the intake is not at answers 409 with the step it is at, writing nothing;
- from the consent step on the steps are a caseworker's: a host is refused (403).
The write functions refuse bad values (422 naming the field) and write the audit events; showing an
intake's person is an audited read, as a list page's roepnamen are.
"""

# No "from __future__ import annotations": ninja reads the views' annotations at runtime.

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from inbeeld.care.actions import intake as actions
from inbeeld.care.actions.intake import Step, StepMoved
from inbeeld.care.api.contacts import ERRORS, location_of
from inbeeld.care.forms_intake import (
    FirstAssessmentForm,
    FirstContactForm,
    IntakePersonForm,
    KeyWorkerForm,
    draft_answers,
)
from inbeeld.care.models import Intake
from inbeeld.care.schemas_intake import (
    DraftIn,
    FirstAssessmentIn,
    FirstContactIn,
    IntakeConsentIn,
    IntakeOut,
    IntakePersonStepIn,
    IntakeSummaryOut,
    KeyWorkerIn,
    StepMovedOut,
)
from inbeeld.core import access
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.api import Page, actor, membership_of
from inbeeld.core.models import Membership, Organisation
from inbeeld.people.actions import ConsentInput, PersonDetails
from inbeeld.people.forms import ConsentForm

router = Router(tags=["intakes"])

STEP_ERRORS = {409: StepMovedOut, **ERRORS}

# The write functions name model fields; the API takes ids, and an error must name what was sent.
_API_FIELD_NAMES = {
    "person": "person_id",
    "recipient": "recipient_id",
    "key_worker": "key_worker_id",
    "location": "location_id",
    "ends_at": "duration_minutes",  # the end of the first assessment is its start plus the duration
}

# The web form of each step: what a draft may hold, checked as the wizard checks it.
_DRAFT_FORMS: dict[str, Callable[[Any, Membership], Form]] = {
    Step.PERSON: lambda data, membership: IntakePersonForm(data),
    Step.FIRST_CONTACT: lambda data, membership: FirstContactForm(data, membership=membership),
    Step.CONSENT: lambda data, membership: ConsentForm(data, network=membership.organisation.network),
    Step.KEY_WORKER: lambda data, membership: KeyWorkerForm(data, membership=membership),
    Step.ASSESSMENT: lambda data, membership: FirstAssessmentForm(data, membership=membership),
}


@contextmanager
def _api_field_names() -> Iterator[None]:
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        renamed = {_API_FIELD_NAMES.get(name, name): errs for name, errs in error.error_dict.items()}
        raise ValidationError(renamed) from None


# --- what an intake looks like --------------------------------------------------------------------


def _draft_name(intake: Intake) -> str | None:
    name = actions.answers_for(intake, Step.PERSON).get("roepnaam")
    return name if isinstance(name, str) and name else None


def _summary(intake: Intake, found: PersonAccess | None) -> dict[str, Any]:
    """An intake as the list shows it: a roepnaam only of a person the caller sees."""
    if intake.person_id is None:
        roepnaam = _draft_name(intake)
    else:
        roepnaam = found.person.roepnaam if found is not None else None
    return {
        "id": intake.pk,
        "step": intake.step,
        "step_label": str(intake.get_step_display()),
        "person_id": intake.person_id if found is not None else None,
        "roepnaam": roepnaam,
        "started_at": intake.started_at,
        "started_by": str(intake.started_by),
        "may_continue": intake.step != Step.DONE and actions.may_do(found, intake.step),
    }


def _intake_out(intake: Intake, found: PersonAccess | None) -> dict[str, Any]:
    done = actions.ORDER[: actions.ORDER.index(intake.step)]
    return {
        **_summary(intake, found),
        "completed_at": intake.completed_at,
        "done": list(done),
        "draft": actions.answers_for(intake, intake.step) if intake.step != Step.DONE else {},
        "first_contact_id": intake.first_contact_id,
        "first_assessment_id": intake.first_assessment_id,
    }


def _moved(intake: Intake, step: str) -> Status[dict[str, Any]]:
    if intake.completed_at is None and actions.ORDER.index(step) > actions.ORDER.index(intake.step):
        detail = _("The intake has not reached this step yet.")
    else:
        detail = str(StepMoved(intake))
    return Status(409, {"detail": detail, "step": intake.step})


def _person_of(membership: Membership | None, intake: Intake) -> PersonAccess | None:
    """The intake's person as the caller may use them (``intake_for`` has checked they are visible)."""
    if intake.person_id is None:
        return None
    return access.person_for(membership, intake.person_id, Need.READ_CORE)


def _step(
    request: HttpRequest, intake_id: int, step: str, write: Callable[[Intake, PersonAccess], Intake]
) -> Status[dict[str, Any]]:
    """Steps 2 to 5: the intake at ``step``, a caller who may do it, then the write (or 409)."""
    membership = membership_of(request)
    intake = actions.intake_for(membership, intake_id)
    if intake.step != step:
        return _moved(intake, step)
    found = _person_of(membership, intake)
    if found is None or not actions.may_do(found, step):
        raise PermissionDenied(_("Your role may not do this for this person."))
    try:
        with _api_field_names():
            intake = write(intake, found)
    except StepMoved as moved:
        return _moved(moved.intake, step)
    return Status(200, _intake_out(intake, found))


# --- the list of intakes in progress --------------------------------------------------------------


class IntakePage(Page):
    """A page of intakes in progress; the roepnamen on it are a read of each person, so it is audited."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        membership = membership_of(request)
        intakes: list[Intake] = page[self.items_attribute]
        rows = []
        for intake in intakes:
            found = access.person_access(membership, intake.person) if intake.person else None
            rows.append(_summary(intake, found))
        shown = [row["person_id"] for row in rows if row["person_id"] is not None]
        access.record_list_read(actor(request), shown, data="intake.list", searched=False)
        page[self.items_attribute] = rows
        return page


@router.get(
    "/intakes",
    response={200: list[IntakeSummaryOut], **ERRORS},
    summary="Your organisation's intakes in progress, newest first",
    description="For caseworkers and hosts. An intake whose person you no longer see is not listed.",
)
@paginate(IntakePage)
def list_intakes(request: HttpRequest) -> QuerySet[Intake]:
    return actions.open_intakes(actions.require_starter(membership_of(request)))


# --- the person step --------------------------------------------------------------------------------


def _with_person(request: HttpRequest, intake: Intake | None, payload: IntakePersonStepIn) -> Intake:
    """Complete the person step of ``intake`` (None: a new intake) with a chosen or a new person."""
    membership = actions.require_starter(membership_of(request))
    if payload.person_id is not None and payload.person is not None:
        raise ValidationError({"person_id": _("Send a person_id or a person, not both.")})
    if payload.person is not None:
        new = payload.person
        details = PersonDetails(
            roepnaam=new.roepnaam,
            aliases=list(new.aliases),
            languages=list(new.languages),
            nationality=new.nationality,
            phone=new.phone,
        )
        return actions.register_for_intake(intake, details, actor=actor(request), reason=_("Intake"))
    if payload.person_id is None:
        raise ValidationError({"person": _("Send the id of a person you see, or a new person.")})
    try:
        found = access.person_for(membership, payload.person_id, Need.READ_CORE)
    except Http404:
        raise ValidationError({"person_id": _("Choose a person you work with.")}) from None
    with _api_field_names():
        return actions.choose_person(intake, found, actor=actor(request))


def _created(membership: Membership | None, intake: Intake) -> dict[str, Any]:
    # The registering (or choosing) member sees the person: their own write recorded the access.
    return _intake_out(intake, _person_of(membership, intake))


@router.post(
    "/intakes",
    response={201: IntakeOut, **ERRORS},
    summary="Start an intake: with someone you see (person_id) or someone new (person)",
    description="Someone new is registered; your organisation becomes involved and leads. One intake in "
    "progress per person.",
)
def start_intake(request: HttpRequest, payload: IntakePersonStepIn) -> Status[dict[str, Any]]:
    intake = _with_person(request, None, payload)
    return Status(201, _created(membership_of(request), intake))


@router.post(
    "/intakes/{intake_id}/person",
    response={200: IntakeOut, **STEP_ERRORS},
    summary="The person step of an intake kept as a draft before it had a person",
)
def intake_person(
    request: HttpRequest, intake_id: int, payload: IntakePersonStepIn
) -> Status[dict[str, Any]]:
    intake = actions.intake_for(membership_of(request), intake_id)
    if intake.step != Step.PERSON:
        return _moved(intake, Step.PERSON)
    try:
        intake = _with_person(request, intake, payload)
    except StepMoved as moved:
        return _moved(moved.intake, Step.PERSON)
    return Status(200, _created(membership_of(request), intake))


# --- one intake -------------------------------------------------------------------------------------


@router.get(
    "/intakes/{intake_id}",
    response={200: IntakeOut, **ERRORS},
    summary="An intake: its step, its person, what is done and the draft of the current step",
)
def get_intake(request: HttpRequest, intake_id: int) -> dict[str, Any]:
    intake = actions.intake_for(membership_of(request), intake_id)
    found = None
    if intake.person_id is not None:
        found = access.read_person(actor(request), intake.person_id, Need.READ_CORE, data="intake")
    return _intake_out(intake, found)


@router.post(
    "/intakes/{intake_id}/first-contact",
    response={200: IntakeOut, **STEP_ERRORS},
    summary="Record the first contact",
)
def intake_first_contact(
    request: HttpRequest, intake_id: int, payload: FirstContactIn
) -> Status[dict[str, Any]]:
    def write(intake: Intake, found: PersonAccess) -> Intake:
        return actions.record_first_contact(
            intake,
            found,
            actor=actor(request),
            occurred_at=payload.occurred_at or timezone.now(),
            channel=str(payload.channel),
            kind=str(payload.kind),
            topics=[str(topic) for topic in payload.topics],
            duration_minutes=payload.duration_minutes,
            note=payload.note,
            location=location_of(found.membership, payload.location_id),
        )

    return _step(request, intake_id, Step.FIRST_CONTACT, write)


def _recipient(membership: Membership, recipient_id: int) -> Organisation:
    # Unknown and other-network organisations get the same answer: ids of other networks are not news.
    network_id = membership.organisation.network_id
    recipient = Organisation.objects.filter(pk=recipient_id, network_id=network_id).first()
    if recipient is None:
        raise ValidationError({"recipient_id": _("Choose an organisation of this network.")})
    return recipient


@router.post(
    "/intakes/{intake_id}/consent",
    response={200: IntakeOut, **STEP_ERRORS},
    summary="Record the person's consent, or (consent: null) that there is none yet",
    description="For a caseworker.",
)
def intake_consent(request: HttpRequest, intake_id: int, payload: IntakeConsentIn) -> Status[dict[str, Any]]:
    def write(intake: Intake, found: PersonAccess) -> Intake:
        consent = None
        if payload.consent is not None:
            given = payload.consent
            consent = ConsentInput(
                recipient=_recipient(found.membership, given.recipient_id),
                purpose=given.purpose,
                data_categories=list(given.data_categories),
                how_given=given.how_given,
                valid_from=given.valid_from,
                valid_to=given.valid_to,
                basis=given.basis,
                note=given.note,
            )
        return actions.record_intake_consent(intake, found, consent, actor=actor(request))

    return _step(request, intake_id, Step.CONSENT, write)


@router.post(
    "/intakes/{intake_id}/key-worker",
    response={200: IntakeOut, **STEP_ERRORS},
    summary="Record the languages and assign a caseworker of your organisation as key worker",
    description="For a caseworker. Your organisation becomes the lead organisation.",
)
def intake_key_worker(request: HttpRequest, intake_id: int, payload: KeyWorkerIn) -> Status[dict[str, Any]]:
    def write(intake: Intake, found: PersonAccess) -> Intake:
        key_worker = actions.key_workers(found.membership).filter(pk=payload.key_worker_id).first()
        languages = payload.languages
        if languages is None:
            languages = list(found.person.languages or [])
        return actions.assign_key_worker(
            intake, found, actor=actor(request), languages=languages, key_worker=key_worker
        )

    return _step(request, intake_id, Step.KEY_WORKER, write)


@router.post(
    "/intakes/{intake_id}/first-assessment",
    response={200: IntakeOut, **STEP_ERRORS},
    summary="Plan the first assessment with the key worker; the intake is then complete",
    description="For a caseworker.",
)
def intake_first_assessment(
    request: HttpRequest, intake_id: int, payload: FirstAssessmentIn
) -> Status[dict[str, Any]]:
    def write(intake: Intake, found: PersonAccess) -> Intake:
        starts_at = payload.starts_at
        try:
            ends_at = starts_at + datetime.timedelta(minutes=payload.duration_minutes)
        except OverflowError:
            ends_at = starts_at  # the start itself is refused as too far ahead
        return actions.schedule_first_assessment(
            intake,
            found,
            actor=actor(request),
            starts_at=starts_at,
            ends_at=ends_at,
            location=location_of(found.membership, payload.location_id),
            place=payload.place,
        )

    return _step(request, intake_id, Step.ASSESSMENT, write)


# --- save and continue later, discard ---------------------------------------------------------------


def _checked_answers(form_for: Callable[[Any], Form], answers: dict[str, Any]) -> actions.Answers:
    """The answers as the step's web form checks a kept draft; a ValidationError naming the field if not."""
    fields = form_for(None).fields
    errors: dict[str, str] = {}
    data: MultiValueDict[str, str] = MultiValueDict()
    for name, value in answers.items():
        field = fields.get(name)
        multiple = field is not None and getattr(field.widget, "allow_multiple_selected", False)
        if field is None:
            errors[name] = _("This step has no such field.")
        elif isinstance(value, list) and not multiple:
            errors[name] = _("Send one value, not a list.")
        else:
            data.setlist(name, value if isinstance(value, list) else [value])
    if errors:
        raise ValidationError(errors)
    form = form_for(data)
    checked = draft_answers(form)
    if checked is None:
        raise ValidationError(form.errors.as_data())
    return checked


@router.put(
    "/intakes/{intake_id}/draft",
    response={200: IntakeOut, **STEP_ERRORS},
    summary="Save and continue later: keep the answers of the current step",
    description="Only the intake changes. The answers are checked as the wizard checks a kept draft: "
    "anything may be left out, but what is sent must be acceptable.",
)
def save_intake_draft(request: HttpRequest, intake_id: int, payload: DraftIn) -> Status[dict[str, Any]]:
    membership = membership_of(request)
    intake = actions.intake_for(membership, intake_id)
    if intake.step != payload.step:
        return _moved(intake, payload.step)
    found = _person_of(membership, intake)
    if not actions.may_do(found, payload.step):
        raise PermissionDenied(_("Your role may not do this for this person."))
    starter = actions.require_starter(membership)
    make_form = _DRAFT_FORMS[payload.step]
    answers = _checked_answers(lambda data: make_form(data, starter), payload.answers)
    try:
        intake = actions.save_draft(intake, payload.step, answers, actor=actor(request), person_access=found)
    except StepMoved as moved:
        return _moved(moved.intake, payload.step)
    return Status(200, _intake_out(intake, found))


@router.delete(
    "/intakes/{intake_id}",
    response={204: None, **STEP_ERRORS},
    summary="Discard an intake in progress",
    description="Its draft goes; what its completed steps recorded stays. A completed intake answers 409.",
)
def discard_intake(request: HttpRequest, intake_id: int) -> Status[Any]:
    intake = actions.intake_for(membership_of(request), intake_id)
    try:
        actions.discard_intake(intake, actor=actor(request))
    except StepMoved as moved:
        return _moved(moved.intake, Step.DONE)
    return Status(204, None)
