"""Intakes: a walk-in or a new client taken from "who is this" to a first assessment appointment.

The steps, in order (``Intake.Step``): the person (found or registered), the first contact, consent
(optional), languages and the key worker, and the first assessment appointment. Each completed step is
one transaction: the records it makes (through the write functions of ``people.actions`` and
``care.actions``, which write their own audit events), the intake's new step and the intake's own
audit event commit together or not at all.

"Save and continue later" keeps a step's answers in ``Intake.draft`` (JSON, encrypted by the field)
without touching any other record; the intake is resumed from its organisation's list of intakes in
progress. Decisions:

- Only members of the organisation that started an intake see it, and only in a role that starts
  intakes (caseworker, host): for anyone else it does not exist (404, access rule 1). An intake whose
  person its organisation no longer sees is hidden the same way.
- A host starts the intake of a walk-in; from the consent step on the steps need a caseworker (the
  needs in ``NEEDS``). The intake stays in the list, and a caseworker of the organisation continues.
- Steps are done in order. A submission for a step the intake has already left (another tab, a
  colleague) writes nothing: ``StepMoved`` says where the intake is now.
- One intake in progress per person and organisation.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.care.actions.appointments import plan_appointment
from inbeeld.care.actions.contacts import record_contact
from inbeeld.care.models import Intake
from inbeeld.core import access, audit, roles
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.models import AuditEvent, Location, Membership, User
from inbeeld.people import actions as people
from inbeeld.people.actions import ConsentInput, PersonDetails
from inbeeld.people.models import Person

Step = Intake.Step
Action = AuditEvent.Action

ORDER: tuple[str, ...] = (
    Step.PERSON,
    Step.FIRST_CONTACT,
    Step.CONSENT,
    Step.KEY_WORKER,
    Step.ASSESSMENT,
    Step.DONE,
)
# What each step needs to be allowed to do with the person (the person step needs no person yet).
NEEDS: dict[str, tuple[Need, ...]] = {
    Step.PERSON: (),
    Step.FIRST_CONTACT: (Need.RECORD_CONTACT,),
    Step.CONSENT: (Need.MANAGE_CONSENT,),
    Step.KEY_WORKER: (Need.ASSIGN_LEAD, Need.EDIT),
    Step.ASSESSMENT: (Need.PLAN_APPOINTMENTS,),
    Step.DONE: (),
}
KEY_WORKER_ROLES = (roles.Role.CASEWORKER,)
DRAFT_MAX = 20_000  # characters of JSON: far more than any step's form can hold
FIRST_ASSESSMENT_MINUTES = 60


class StepMoved(Exception):
    """The intake is no longer at the submitted step; nothing was written."""

    def __init__(self, intake: Intake):
        self.intake = intake
        super().__init__(_("This step of the intake has already been completed."))


# --- who sees which intakes --------------------------------------------------------------------


def require_starter(membership: Membership | None) -> Membership:
    """The acting member, if their role starts intakes: 404 for roles without persons, else 403."""
    membership = access.require_membership(membership)
    if membership.role not in roles.LIST_PERSONS:
        raise access.not_found()
    if not access.may_start_intake(membership):
        raise PermissionDenied(_("Your role does not start intakes."))
    return membership


def intake_for(membership: Membership | None, intake_id: int | str) -> Intake:
    """An intake of the member's organisation, if their role starts intakes; else 404 (rule 1)."""
    if membership is None or not access.may_start_intake(membership):
        raise access.not_found()
    try:
        intake = Intake.objects.select_related(
            "person", "started_by", "first_contact", "first_assessment"
        ).get(pk=int(intake_id), organisation_id=membership.organisation_id)
    except (Intake.DoesNotExist, ValueError, TypeError, OverflowError):
        raise access.not_found() from None
    if intake.person is not None and access.person_access(membership, intake.person) is None:
        raise access.not_found()
    return intake


def open_intakes(membership: Membership) -> QuerySet[Intake]:
    """The organisation's intakes in progress whose person (if any yet) the member sees, newest first."""
    visible = access.visible_persons(membership).values("pk")
    return (
        Intake.objects.filter(organisation_id=membership.organisation_id, completed_at__isnull=True)
        .filter(Q(person__isnull=True) | Q(person__in=visible))
        .select_related("person", "started_by")
        .order_by("-started_at", "-id")
    )


def may_do(person_access: PersonAccess | None, step: str) -> bool:
    """Whether this member may complete ``step`` (the person step: anyone who starts intakes)."""
    needs = NEEDS[step]
    if not needs:
        return True
    return person_access is not None and all(person_access.allows(need) for need in needs)


def key_workers(membership: Membership) -> QuerySet[User]:
    """Who can become the key worker in an intake: the caseworkers of the acting organisation."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=membership.organisation_id,
            memberships__role__in=KEY_WORKER_ROLES,
            memberships__ended_on__isnull=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


# --- drafts -------------------------------------------------------------------------------------

Answers = dict[str, str | list[str]]


def draft_of(intake: Intake | None) -> dict[str, Answers]:
    if intake is None or not intake.draft:
        return {}
    try:
        data = json.loads(intake.draft)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def answers_for(intake: Intake | None, step: str) -> Answers:
    answers = draft_of(intake).get(step)
    return answers if isinstance(answers, dict) else {}


def _clean_answers(answers: Answers) -> Answers:
    clean: Answers = {}
    for name, value in answers.items():
        if isinstance(value, list):
            clean[name] = [str(item) for item in value]
        elif value is not None:
            clean[name] = str(value)
    return clean


def _without(intake: Intake, step: str) -> str:
    draft = draft_of(intake)
    draft.pop(step, None)
    return json.dumps(draft) if draft else ""


# --- shared steps of every write ----------------------------------------------------------------


def _basis(person_access: PersonAccess | None) -> str:
    return person_access.basis if person_access is not None else AuditEvent.Basis.INVOLVEMENT


def _audit(
    actor: audit.Actor,
    intake: Intake,
    person_access: PersonAccess | None,
    *,
    action: str,
    detail: dict[str, Any],
    person_id: int | None = None,
) -> None:
    audit.record(
        actor,
        action=action,
        data="intake",
        basis=_basis(person_access),
        person_id=person_id if person_id is not None else intake.person_id,
        object_id=intake.pk,
        detail=detail,
    )


def _locked(intake: Intake, step: str) -> Intake:
    """Inside the step's transaction: the intake row, locked, still at ``step``; else ``StepMoved``."""
    locked = Intake.objects.select_for_update().filter(pk=intake.pk).first()
    if locked is None:
        raise access.not_found()
    if locked.step != step or locked.completed_at is not None:
        raise StepMoved(locked)
    return locked


def _advance(
    intake: Intake,
    person_access: PersonAccess | None,
    *,
    actor: audit.Actor,
    done: str,
    fields: tuple[str, ...] = (),
    detail: dict[str, Any] | None = None,
) -> Intake:
    """Move the intake past step ``done`` (its draft answers are now records) and audit that."""
    intake.step = ORDER[ORDER.index(done) + 1]
    intake.draft = _without(intake, done)
    if intake.step == Step.DONE:
        intake.completed_at = timezone.now()
        intake.draft = ""
        fields = (*fields, "completed_at")
    intake.save(update_fields=["step", "draft", *fields])
    _audit(actor, intake, person_access, action=Action.UPDATE, detail={"step": intake.step, **(detail or {})})
    return intake


def _check(person_access: PersonAccess, step: str) -> None:
    if not may_do(person_access, step):
        raise PermissionDenied(_("Your role may not do this for this person."))


# --- writes -------------------------------------------------------------------------------------


def _starter(actor: audit.Actor) -> tuple[Membership, User]:
    membership = require_starter(actor.membership)
    if actor.user is None:
        raise ValueError("An intake is done by a person.")
    return membership, actor.user


def save_draft(
    intake: Intake | None,
    step: str,
    answers: Answers,
    *,
    actor: audit.Actor,
    person_access: PersonAccess | None = None,
) -> Intake:
    """Keep a step's answers for later; only the intake changes. ``intake`` None starts a new one."""
    membership, user = _starter(actor)
    if person_access is not None:
        _check(person_access, step)
    clean = _clean_answers(answers)
    with transaction.atomic():
        if intake is None:
            if step != Step.PERSON:
                raise ValueError("A new intake starts with the person.")
            draft = json.dumps({step: clean})
            action = Action.CREATE
        else:
            intake = _locked(intake, step)
            draft = json.dumps({**draft_of(intake), step: clean})
            action = Action.UPDATE
        if len(draft) > DRAFT_MAX:
            raise ValidationError(_("These answers are too long to keep; shorten them."))
        if intake is None:
            intake = Intake.objects.create(
                organisation_id=membership.organisation_id, started_by=user, draft=draft
            )
        else:
            intake.draft = draft
            intake.save(update_fields=["draft"])
        _audit(actor, intake, person_access, action=action, detail={"draft": step})
    return intake


def _check_no_other_intake(membership: Membership, person: Person, intake: Intake | None) -> None:
    others = Intake.objects.filter(
        organisation_id=membership.organisation_id, person=person, completed_at__isnull=True
    )
    if intake is not None:
        others = others.exclude(pk=intake.pk)
    if others.exists():
        raise ValidationError({"person": _("An intake for this person is already in progress.")})


def _with_person(
    intake: Intake | None, person: Person, person_access: PersonAccess | None, *, actor: audit.Actor
) -> Intake:
    """Inside the transaction: the intake (new, or locked at the person step) now has its person."""
    membership, user = _starter(actor)
    if intake is None:
        intake = Intake.objects.create(
            organisation_id=membership.organisation_id, started_by=user, person=person
        )
        _audit(actor, intake, person_access, action=Action.CREATE, detail={})
    else:
        intake = _locked(intake, Step.PERSON)
        intake.person = person
    return _advance(intake, person_access, actor=actor, done=Step.PERSON, fields=("person",))


def choose_person(intake: Intake | None, person_access: PersonAccess, *, actor: audit.Actor) -> Intake:
    """Step 1 with someone already in the list: the member sees them (``access.visible_persons``)."""
    membership, _user = _starter(actor)
    if person_access.membership.pk != membership.pk:
        raise ValueError("The person access belongs to another member.")
    with transaction.atomic():
        _check_no_other_intake(membership, person_access.person, intake)
        return _with_person(intake, person_access.person, person_access, actor=actor)


def register_for_intake(
    intake: Intake | None, details: PersonDetails, *, actor: audit.Actor, reason: str = ""
) -> Intake:
    """Step 1 with someone new: register them (the organisation becomes involved and leads)."""
    _starter(actor)
    with transaction.atomic():
        if intake is not None:
            _locked(intake, Step.PERSON)
        person = people.register_person(details, actor=actor, reason=reason)
        person_access = access.person_access(actor.membership, person)
        return _with_person(intake, person, person_access, actor=actor)


def record_first_contact(
    intake: Intake,
    person_access: PersonAccess,
    *,
    actor: audit.Actor,
    occurred_at: datetime.datetime | None,
    channel: str,
    kind: str,
    topics: list[str],
    duration_minutes: int | None = None,
    note: str = "",
    location: Location | None = None,
) -> Intake:
    _check(person_access, Step.FIRST_CONTACT)
    with transaction.atomic():
        intake = _locked(intake, Step.FIRST_CONTACT)
        contact = record_contact(
            actor=actor,
            person_access=person_access,
            occurred_at=occurred_at,
            channel=channel,
            kind=kind,
            topics=topics,
            duration_minutes=duration_minutes,
            note=note,
            location=location,
        )
        intake.first_contact = contact
        return _advance(
            intake, person_access, actor=actor, done=Step.FIRST_CONTACT, fields=("first_contact",)
        )


def record_intake_consent(
    intake: Intake, person_access: PersonAccess, consent: ConsentInput | None, *, actor: audit.Actor
) -> Intake:
    """Step 3: record what the person consents to, or (``consent`` None) that there is no consent yet."""
    _check(person_access, Step.CONSENT)
    with transaction.atomic():
        intake = _locked(intake, Step.CONSENT)
        recorded = None
        if consent is not None:
            recorded = people.record_consent(person_access, consent, actor=actor)
        detail = {"consent": recorded.pk if recorded is not None else None}
        return _advance(intake, person_access, actor=actor, done=Step.CONSENT, detail=detail)


def _details_with_languages(person: Person, languages: list[str]) -> PersonDetails:
    return PersonDetails(
        roepnaam=person.roepnaam,
        aliases=person.alias_names(),
        legal_name=person.legal_name,
        date_of_birth=person.date_of_birth,
        birth_year=person.birth_year,
        phone=person.phone,
        address=person.address,
        languages=languages,
        nationality=person.nationality,
    )


def assign_key_worker(
    intake: Intake,
    person_access: PersonAccess,
    *,
    actor: audit.Actor,
    languages: list[str],
    key_worker: User | None,
) -> Intake:
    """Step 4: the languages the person speaks, and a caseworker of the acting organisation as key worker.

    The acting organisation becomes the lead organisation.
    """
    _check(person_access, Step.KEY_WORKER)
    membership = person_access.membership
    if key_worker is None or not key_workers(membership).filter(pk=key_worker.pk).exists():
        raise ValidationError({"key_worker": _("Choose a caseworker of your organisation.")})
    with transaction.atomic():
        intake = _locked(intake, Step.KEY_WORKER)
        person = Person.objects.select_for_update().get(pk=person_access.person.pk)
        if languages != list(person.languages or []):
            people.update_person(
                person_access,
                _details_with_languages(person, languages),
                actor=actor,
                expected_version=person.version,
            )
        people.assign_lead(
            person_access, actor=actor, lead_organisation=membership.organisation, key_worker=key_worker
        )
        return _advance(intake, person_access, actor=actor, done=Step.KEY_WORKER)


def schedule_first_assessment(
    intake: Intake,
    person_access: PersonAccess,
    *,
    actor: audit.Actor,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    location: Location | None = None,
    place: str = "",
) -> Intake:
    """Step 5: an appointment with the key worker for the first assessment; the intake is then done."""
    _check(person_access, Step.ASSESSMENT)
    with transaction.atomic():
        intake = _locked(intake, Step.ASSESSMENT)
        key_worker = Person.objects.get(pk=person_access.person.pk).key_worker
        if key_worker is None:
            raise ValidationError(_("The person has no key worker any more: assign one first."))
        appointment = plan_appointment(
            person_access,
            actor=actor,
            worker=key_worker,
            starts_at=starts_at,
            ends_at=ends_at,
            location=location,
            place=place,
            purpose=_("First assessment"),
        )
        intake.first_assessment = appointment
        return _advance(
            intake, person_access, actor=actor, done=Step.ASSESSMENT, fields=("first_assessment",)
        )


def discard_intake(intake: Intake, *, actor: audit.Actor) -> None:
    """Throw an intake in progress away: its draft goes; records its completed steps made stay."""
    membership, _user = _starter(actor)
    person_access = access.person_access(membership, intake.person) if intake.person else None
    with transaction.atomic():
        locked = Intake.objects.select_for_update().filter(pk=intake.pk).first()
        if locked is None:
            raise access.not_found()
        if locked.completed_at is not None:
            raise StepMoved(locked)
        _audit(actor, locked, person_access, action=Action.DELETE, detail={"step": locked.step})
        locked.delete()
