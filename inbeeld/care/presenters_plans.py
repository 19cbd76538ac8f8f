"""What of a care plan a viewer sees, decided once for the web pages, the PDF and the API.

A plan belongs to the organisation that made it. A caseworker of an involved organisation (the file
level, ``Need.READ_CARE``) sees their own organisation's plan; another organisation's plan only as
the person's consent for the care-plan category allows (``PersonAccess.sees_records_of``). A plan the
viewer may not see is treated like no plan: 404, the same answer as for a person without a plan.
Every read of plan content writes an audit event on the basis it was seen on (involvement or consent).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.care.actions.plan_drafts import translation_language
from inbeeld.care.models import CarePlan, Evaluation, Goal, PlanAction, PlanVersion
from inbeeld.core import access, audit
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.models import AuditEvent, Membership
from inbeeld.people.models import DataCategory

SUMMARY_LABELS = {
    "created": gettext_lazy("Plan made"),
    "edited": gettext_lazy("Plan changed"),
    "evaluation": gettext_lazy("Evaluated; next evaluation date set"),
}


@dataclass(frozen=True)
class PlanAccess:
    person_access: PersonAccess
    plan: CarePlan | None  # None: no plan, or one this viewer may not see (rule 1: the same)
    hidden: bool  # a plan exists that this viewer may not see
    basis: str
    consent_id: int | None = None

    @property
    def has_version(self) -> bool:
        return self.plan is not None and self.plan.current_number > 0

    @property
    def may_edit(self) -> bool:
        """Only the organisation that made the plan changes it (or makes it, when there is none)."""
        if not self.person_access.allows(Need.EDIT_CARE) or self.hidden:
            return False
        return self.plan is None or self.plan.organisation_id == self.person_access.own_organisation_id

    def require_plan(self) -> CarePlan:
        if self.plan is None or not self.has_version:
            raise access.not_found()
        return self.plan


def plan_for(person_access: PersonAccess) -> PlanAccess:
    """The person's plan as this viewer may see it (no audit: ``record_read`` does that)."""
    plan = (
        CarePlan.objects.select_related("organisation").filter(person=person_access.person).first()
        if person_access.allows(Need.READ_CARE)
        else None
    )
    if plan is None:
        return PlanAccess(person_access, None, False, person_access.basis)
    seen = person_access.sees_records_of(plan.organisation_id, DataCategory.CARE_PLAN)
    if seen is None:
        return PlanAccess(person_access, None, True, person_access.basis)
    basis, consent = seen
    return PlanAccess(person_access, plan, False, basis, consent.pk if consent else None)


def decide(membership: Membership | None, person_id: int | str, need: Need) -> PlanAccess:
    """404 when the person (or this part of their file) is not visible, 403 when not allowed."""
    return plan_for(access.person_for(membership, person_id, need))


def record_read(
    actor: audit.Actor,
    found: PlanAccess,
    *,
    data: str,
    action: str = AuditEvent.Action.READ,
    detail: dict[str, Any] | None = None,
) -> None:
    person = found.person_access.person
    with transaction.atomic():
        audit.record(
            actor,
            action=action,
            data=data,
            basis=found.basis,
            person_id=person.pk,
            object_id=found.plan.pk if found.plan else person.pk,
            consent_id=found.consent_id,
            detail={"level": found.person_access.level.name.lower(), **(detail or {})},
        )


def open_plan(
    actor: audit.Actor, person_id: int | str, *, data: str, need: Need = Need.READ_CARE
) -> PlanAccess:
    """Decide, then record the read (rule 6). For pages and API reads."""
    found = decide(actor.membership, person_id, need)
    record_read(actor, found, data=data)
    return found


# --- views of plan content -------------------------------------------------------------------------


@dataclass
class ActionView:
    number: int
    who: str
    who_label: str
    who_text: str  # the worker's or organisation's name, the network member's name, or "the person"
    worker_id: int | None
    organisation_id: int | None
    who_name: str
    what: str
    due_date: datetime.date | None
    status: str
    status_label: str


@dataclass
class GoalView:
    number: int
    domain_id: int | None
    domain: str | None
    description: str
    target_date: datetime.date | None
    status: str
    status_label: str
    actions: list[ActionView]


@dataclass
class VersionSummary:
    number: int
    saved_at: datetime.datetime
    saved_by: str
    summary: str
    summary_label: str


@dataclass
class VersionView(VersionSummary):
    own_words: str = ""
    evaluation_date: datetime.date | None = None
    evaluation_overdue: bool = False
    agreed_on: datetime.date | None = None
    agreed_how: str = ""
    agreed_how_label: str = ""
    goals: list[GoalView] = field(default_factory=list)


@dataclass
class EvaluationView:
    id: int
    evaluated_on: datetime.date
    went_well: str
    changed: str
    next_evaluation_date: datetime.date | None
    version_number: int
    recorded_by: str
    organisation: str
    recorded_at: datetime.datetime


@dataclass
class PlanView:
    person_id: int
    organisation_id: int
    organisation: str
    created_at: datetime.datetime
    current_number: int
    current: VersionView
    may_edit: bool


def _who_text(action: PlanAction) -> str:
    if action.who == PlanAction.Who.WORKER and action.worker:
        return str(action.worker)
    if action.who == PlanAction.Who.ORGANISATION and action.organisation:
        return action.organisation.name
    if action.who == PlanAction.Who.NETWORK_MEMBER:
        return action.who_name
    return str(action.get_who_display())


def _summary(version: PlanVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "saved_at": version.saved_at,
        "saved_by": str(version.saved_by),
        "summary": version.change_summary,
        "summary_label": str(SUMMARY_LABELS.get(version.change_summary, version.change_summary)),
    }


def _with_goals(versions: Any) -> Any:
    actions = PlanAction.objects.select_related("worker", "organisation")
    goals = Goal.objects.select_related("domain").prefetch_related(Prefetch("actions", queryset=actions))
    return versions.select_related("saved_by").prefetch_related(Prefetch("goals", queryset=goals))


def version_view(version: PlanVersion) -> VersionView:
    language = translation_language()
    goals = [
        GoalView(
            number=goal.position,
            domain_id=goal.domain_id,
            domain=goal.domain.label(language) if goal.domain else None,
            description=goal.description,
            target_date=goal.target_date,
            status=goal.status,
            status_label=str(goal.get_status_display()),
            actions=[
                ActionView(
                    number=a.position,
                    who=a.who,
                    who_label=str(a.get_who_display()),
                    who_text=_who_text(a),
                    worker_id=a.worker_id,
                    organisation_id=a.organisation_id,
                    who_name=a.who_name,
                    what=a.what,
                    due_date=a.due_date,
                    status=a.status,
                    status_label=str(a.get_status_display()),
                )
                for a in goal.actions.all()
            ],
        )
        for goal in version.goals.all()
    ]
    evaluation_date = version.evaluation_date
    return VersionView(
        **_summary(version),
        own_words=version.own_words,
        evaluation_date=evaluation_date,
        evaluation_overdue=evaluation_date is not None and evaluation_date < timezone.localdate(),
        agreed_on=version.agreed_on,
        agreed_how=version.agreed_how,
        agreed_how_label=str(version.get_agreed_how_display()),
        goals=goals,
    )


def version_of(plan: CarePlan, number: int) -> PlanVersion | None:
    return _with_goals(plan.versions.filter(number=number)).first()


def current_view(found: PlanAccess) -> VersionView:
    plan = found.require_plan()
    version = version_of(plan, plan.current_number)
    if version is None:
        raise access.not_found()
    return version_view(version)


def plan_view(found: PlanAccess) -> PlanView:
    plan = found.require_plan()
    return PlanView(
        person_id=plan.person_id,
        organisation_id=plan.organisation_id,
        organisation=plan.organisation.name,
        created_at=plan.created_at,
        current_number=plan.current_number,
        current=current_view(found),
        may_edit=found.may_edit,
    )


def versions_of(found: PlanAccess) -> list[VersionSummary]:
    plan = found.require_plan()
    return [
        VersionSummary(**_summary(v)) for v in plan.versions.select_related("saved_by").order_by("-number")
    ]


def evaluations_of(found: PlanAccess) -> list[EvaluationView]:
    plan = found.require_plan()
    rows = Evaluation.objects.filter(plan=plan).select_related("version", "recorded_by", "organisation")
    viewer = found.person_access
    return [
        EvaluationView(
            id=e.pk,
            evaluated_on=e.evaluated_on,
            went_well=e.went_well,
            changed=e.changed,
            next_evaluation_date=e.next_evaluation_date,
            version_number=e.version.number,
            recorded_by=str(e.recorded_by),
            organisation=e.organisation.name,
            recorded_at=e.recorded_at,
        )
        for e in rows
        if viewer.sees_records_of(e.organisation_id, DataCategory.CARE_PLAN) is not None
    ]


def no_plan_text(found: PlanAccess) -> str:
    if found.hidden:
        return _(
            "Another organisation keeps this person's care plan. You see it when the person consents "
            "to share their care plan with your organisation."
        )
    return _("There is no care plan yet.")
