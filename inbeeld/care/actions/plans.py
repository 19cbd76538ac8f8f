"""Writes to a person's care plan (zorgplan op maat): saving a version and recording an evaluation.

Each write is one transaction that also writes its audit event. Callers have asked ``core.access``
for a ``PersonAccess`` allowing ``Need.EDIT_CARE``; these functions check it again, because the intake
calls ``save_plan`` too.

Decisions:
- A plan belongs to the organisation that made it. Another organisation may read it with the person's
  consent, but only the owning organisation changes it (saves versions, records evaluations).
- Every save is a new, immutable version (``PlanVersion``) numbered ``current_number + 1``. An edit
  names the version it started from (``based_on``); if that is no longer the current one, nothing is
  written and ``PlanConflict`` says what changed in between.
- Goals keep a stable number across versions (stored as ``Goal.position``): goal 3 of version 5 is
  goal 3 of version 6. New goals get the next unused number; removed numbers are never reused. The
  same holds for actions within their goal. That is how status transitions are checked and how the
  conflict message can say "goal 3: status open → achieved".
- Goal and action status: open → any; a closed status (achieved, partly, not achieved, dropped; done,
  cancelled) → open only (reopen). A new goal or action counts as coming from open.
- Dates are checked when they are new or changed in this save, so an old plan can be saved without
  rewriting its history: target and due dates from today up to five years ahead, the evaluation date
  after today up to five years ahead; "agreed on" never in the future.
- An evaluation records what went well, what changed and the next evaluation date, and moves the
  plan's evaluation date: that is a change of the plan, so it saves a new version (a copy of the
  current one with the new evaluation date, summary "evaluation"). The radar and the person page
  therefore read the evaluation date from the current version only.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.care.actions.plan_drafts import (
    ActionDraft,
    ActionStatus,
    GoalDraft,
    GoalStatus,
    PlanChange,
    PlanConflict,
    PlanDraft,
    Who,
    changes_between,
)
from inbeeld.care.models import CarePlan, Domain, Evaluation, Goal, PlanAction, PlanVersion
from inbeeld.core import audit
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.models import AuditEvent, Organisation, User
from inbeeld.core.roles import Role
from inbeeld.people import validation as v

TEXT_MAX = 2000
NAME_MAX = v.NAME_MAX
MAX_GOALS = 30
MAX_ACTIONS = 20
YEARS_AHEAD = 5
# Who can be named as the worker of an action: people of the network who work with persons.
WORKER_ROLES = (
    Role.CASEWORKER,
    Role.OUTREACH,
    Role.HOST,
    Role.SHELTER_COORDINATOR,
    Role.COORDINATOR,
    Role.VOLUNTEER,
)
# The intake and the views import the drafts and the conflict from here, with the writes.
__all__ = [
    "ActionDraft",
    "GoalDraft",
    "PlanChange",
    "PlanConflict",
    "PlanDraft",
    "record_evaluation",
    "save_plan",
]


# --- validation ---------------------------------------------------------------------------------


def _years_ahead(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class _Errors(dict[str, str]):
    def check(self, key: str, step: Any) -> Any:
        """Run one cleaning step; its ValidationError becomes an error under ``key``."""
        try:
            return step()
        except ValidationError as error:
            self[key] = error.messages[0]
            return None

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError({key: [message] for key, message in self.items()})


def _text(errors: _Errors, key: str, value: str, *, required: str = "", max_length: int = TEXT_MAX) -> str:
    cleaned = errors.check(key, lambda: v.clean_text(value, field=key, max_length=max_length))
    if cleaned is None:
        return value
    if required and not cleaned:
        errors[key] = required
    return str(cleaned)


def _future_date(errors: _Errors, key: str, value: datetime.date | None, *, strictly: bool) -> None:
    """A date set in this save: from today (or after it) to five years ahead."""
    if value is None:
        return
    today = timezone.localdate()
    if strictly and value <= today:
        errors[key] = _("This date must be in the future.")
    elif value < today:
        errors[key] = _("This date cannot be before the plan's date (today).")
    elif value > _years_ahead(today, YEARS_AHEAD):
        errors[key] = _("This date can be at most five years ahead.")


def _allowed_transition(before: str, after: str, open_value: str) -> bool:
    """Open → any status; a closed status → itself or open (reopen)."""
    return before in (after, open_value) or after == open_value


def _storable(ids: set[int | None]) -> set[int]:
    # An id no database column can hold is not the id of anything (and SQLite would refuse to look).
    return {pk for pk in ids if pk is not None and 0 < pk < 2**63}


def _known_ids(network_id: int, draft: PlanDraft) -> tuple[set[int], set[int], set[int]]:
    """The domain, worker and organisation ids of the draft that are valid in this network."""
    actions = [a for g in draft.goals for a in g.actions]
    domains = _storable({g.domain_id for g in draft.goals})
    workers = _storable({a.worker_id for a in actions})
    orgs = _storable({a.organisation_id for a in actions})
    valid_domains = set(
        Domain.objects.filter(pk__in=domains, instrument__is_active=True)
        .filter(Q(instrument__network__isnull=True) | Q(instrument__network_id=network_id))
        .values_list("pk", flat=True)
    )
    valid_workers = set(
        User.objects.filter(
            pk__in=workers,
            is_active=True,
            memberships__ended_on__isnull=True,
            memberships__organisation__network_id=network_id,
            memberships__role__in=WORKER_ROLES,
        ).values_list("pk", flat=True)
    )
    valid_orgs = set(
        Organisation.objects.filter(pk__in=orgs, network_id=network_id).values_list("pk", flat=True)
    )
    return valid_domains, valid_workers, valid_orgs


def _clean_action(errors: _Errors, key: str, action: ActionDraft, known: tuple[set[int], ...]) -> ActionDraft:
    workers, orgs = known[1], known[2]
    what = _text(errors, f"{key}-what", action.what, required=_("Say what will be done."))
    who_name = _text(errors, f"{key}-who_name", action.who_name, max_length=NAME_MAX)
    if action.who not in Who.values:
        errors[f"{key}-who"] = _("Choose who does this.")
    if action.status not in ActionStatus.values:
        errors[f"{key}-status"] = _("Choose a valid status.")
    needed = {Who.WORKER: "worker_id", Who.ORGANISATION: "organisation_id", Who.NETWORK_MEMBER: "who_name"}
    wanted = needed.get(action.who)  # type: ignore[call-overload]
    values = {"worker_id": action.worker_id, "organisation_id": action.organisation_id, "who_name": who_name}
    for name, value in values.items():
        if name == wanted and not value:
            errors[f"{key}-{name}"] = {
                "worker_id": _("Choose the worker who does this."),
                "organisation_id": _("Choose the organisation that does this."),
                "who_name": _("Name the person from their own network who does this."),
            }[name]
        elif name != wanted and value:
            errors[f"{key}-{name}"] = _("Leave this empty for the chosen “who”.")
    if action.worker_id is not None and action.worker_id not in workers:
        errors[f"{key}-worker_id"] = _("The worker must be a member of this network.")
    if action.organisation_id is not None and action.organisation_id not in orgs:
        errors[f"{key}-organisation_id"] = _("Choose an organisation of this network.")
    return replace(action, what=what, who_name=who_name)


def _clean_goal(errors: _Errors, key: str, goal: GoalDraft, known: tuple[set[int], ...]) -> GoalDraft:
    description = _text(
        errors,
        f"{key}-description",
        goal.description,
        required=_("Describe the goal in the person's own words."),
    )
    if goal.status not in GoalStatus.values:
        errors[f"{key}-status"] = _("Choose a valid status.")
    if goal.domain_id is not None and goal.domain_id not in known[0]:
        errors[f"{key}-domain_id"] = _("Choose a valid domain.")
    if len(goal.actions) > MAX_ACTIONS:
        errors[f"{key}-actions"] = _("At most %(max)d actions per goal.") % {"max": MAX_ACTIONS}
    actions = [_clean_action(errors, f"{key}-actions-{j}", a, known) for j, a in enumerate(goal.actions)]
    return replace(goal, description=description, actions=actions)


def clean_draft(draft: PlanDraft, *, network_id: int) -> tuple[PlanDraft, _Errors]:
    """Checks that need no earlier version: texts, choices, ids, limits. Errors are returned, not raised."""
    errors = _Errors()
    own_words = _text(errors, "own_words", draft.own_words)
    if draft.evaluation_date is None:
        errors["evaluation_date"] = _("Set the date of the next evaluation.")
    if draft.agreed_how not in PlanVersion.AgreedHow.values:
        errors["agreed_how"] = _("Choose how the person agreed.")
    elif draft.agreed_on is not None:
        errors.check("agreed_on", lambda: v.clean_record_date(draft.agreed_on, field="agreed_on"))
        if draft.agreed_how == PlanVersion.AgreedHow.NOT_YET:
            errors["agreed_how"] = _("Say how the person agreed, or leave the date empty.")
    elif draft.agreed_how != PlanVersion.AgreedHow.NOT_YET:
        errors["agreed_on"] = _("Say when the person agreed.")
    if len(draft.goals) > MAX_GOALS:
        errors["goals"] = _("At most %(max)d goals.") % {"max": MAX_GOALS}
        return draft, errors
    if not draft.goals:
        errors["goals"] = _("A plan needs at least one goal, in the person's own words.")
    known = _known_ids(network_id, draft)
    goals = [_clean_goal(errors, f"goals-{i}", g, known) for i, g in enumerate(draft.goals)]
    return replace(draft, own_words=own_words, goals=goals), errors


def _numbered(errors: _Errors, key: str, items: list[Any], known: set[int]) -> None:
    seen: set[int] = set()
    for index, item in enumerate(items):
        if item.number is None:
            continue
        if item.number not in known:
            errors[f"{key}-{index}-number"] = _("Unknown number: it is not part of this plan.")
        elif item.number in seen:
            errors[f"{key}-{index}-number"] = _("This number appears twice.")
        seen.add(item.number)


def _check_against(errors: _Errors, draft: PlanDraft, current: PlanDraft, plan: CarePlan) -> None:
    """Checks that compare the draft with the current version: numbers, transitions, changed dates."""
    used = list(PlanAction.objects.filter(goal__version__plan=plan).values_list("goal__position", "position"))
    goal_numbers = set(Goal.objects.filter(version__plan=plan).values_list("position", flat=True))
    _numbered(errors, "goals", draft.goals, goal_numbers)
    if draft.evaluation_date != current.evaluation_date:
        _future_date(errors, "evaluation_date", draft.evaluation_date, strictly=True)
    before_goals = {g.number: g for g in current.goals}
    for i, goal in enumerate(draft.goals):
        key = f"goals-{i}"
        before = before_goals.get(goal.number) if goal.number is not None else None
        previous = before.status if before else GoalStatus.OPEN
        if goal.status in GoalStatus.values and not _allowed_transition(
            previous, goal.status, GoalStatus.OPEN
        ):
            errors[f"{key}-status"] = _("A goal that is “%(status)s” can only be reopened.") % {
                "status": dict(GoalStatus.choices)[previous]
            }
        if before is None or before.target_date != goal.target_date:
            _future_date(errors, f"{key}-target_date", goal.target_date, strictly=False)
        action_numbers = {a for g, a in used if g == goal.number}
        _numbered(errors, f"{key}-actions", goal.actions, action_numbers)
        before_actions = {a.number: a for a in before.actions} if before else {}
        for j, action in enumerate(goal.actions):
            old = before_actions.get(action.number) if action.number is not None else None
            was = old.status if old else ActionStatus.OPEN
            if action.status in ActionStatus.values and not _allowed_transition(
                was, action.status, ActionStatus.OPEN
            ):
                errors[f"{key}-actions-{j}-status"] = _(
                    "An action that is “%(status)s” can only be reopened."
                ) % {"status": dict(ActionStatus.choices)[was]}
            if old is None or old.due_date != action.due_date:
                _future_date(errors, f"{key}-actions-{j}-due_date", action.due_date, strictly=False)


# --- writes -------------------------------------------------------------------------------------


def _require_editor(person_access: PersonAccess, actor: audit.Actor) -> User:
    if actor.user is None:
        raise ValueError("A care plan is changed by a person.")
    if not person_access.allows(Need.EDIT_CARE):
        raise PermissionDenied(_("Your role may not do this for this person."))
    return actor.user


def _require_owner(person_access: PersonAccess, plan: CarePlan) -> None:
    if plan.organisation_id != person_access.own_organisation_id:
        raise PermissionDenied(_("This care plan is kept by another organisation; only they change it."))


def _lock_plan(person_access: PersonAccess, user: User) -> CarePlan:
    """The person's plan, locked for this transaction; made (with no versions yet) if there is none."""
    person = person_access.person
    plan = CarePlan.objects.select_for_update().filter(person=person).first()
    if plan is not None:
        return plan
    try:
        with transaction.atomic():
            CarePlan.objects.create(
                person=person,
                organisation_id=person_access.own_organisation_id,
                created_by=user,
            )
    except IntegrityError:
        pass  # made by someone else a moment ago: lock theirs
    return CarePlan.objects.select_for_update().get(person=person)


def _write_version(plan: CarePlan, draft: PlanDraft, *, user: User, summary: str) -> PlanVersion:
    """Store the draft as the plan's next version; new goals and actions get the next free numbers."""
    numbers = list(Goal.objects.filter(version__plan=plan).values_list("position", flat=True))
    used = list(PlanAction.objects.filter(goal__version__plan=plan).values_list("goal__position", "position"))
    next_goal = max(numbers, default=0) + 1
    plan.current_number += 1
    version = PlanVersion.objects.create(
        plan=plan,
        number=plan.current_number,
        saved_by=user,
        own_words=draft.own_words,
        evaluation_date=draft.evaluation_date,
        agreed_on=draft.agreed_on,
        agreed_how=draft.agreed_how,
        change_summary=summary,
    )
    for g in draft.goals:
        number = g.number
        if number is None:
            number, next_goal = next_goal, next_goal + 1
        goal = Goal.objects.create(
            version=version,
            position=number,
            domain_id=g.domain_id,
            description=g.description,
            target_date=g.target_date,
            status=g.status,
        )
        next_action = max((a for gn, a in used if gn == number), default=0) + 1
        for a in g.actions:
            a_number = a.number
            if a_number is None:
                a_number, next_action = next_action, next_action + 1
            PlanAction.objects.create(
                goal=goal,
                position=a_number,
                who=a.who,
                worker_id=a.worker_id,
                organisation_id=a.organisation_id,
                who_name=a.who_name,
                what=a.what,
                due_date=a.due_date,
                status=a.status,
            )
    plan.save(update_fields=["current_number"])
    return version


def save_plan(
    person_access: PersonAccess, draft: PlanDraft, *, actor: audit.Actor, based_on: int
) -> PlanVersion:
    """Save the draft as the plan's next version (the first save makes the plan).

    ``based_on`` is the version number the editor started from (0 for a new plan). If someone saved
    another version since, raise ``PlanConflict`` with what changed and write nothing.
    """
    user = _require_editor(person_access, actor)
    clean, errors = clean_draft(draft, network_id=person_access.person.network_id)
    with transaction.atomic():
        plan = _lock_plan(person_access, user)
        _require_owner(person_access, plan)
        if not 0 <= based_on <= plan.current_number:
            raise ValidationError({"based_on": [_("There is no such version of this plan.")]})
        current = PlanDraft.of(plan.current_version())
        if based_on != plan.current_number:
            start = PlanDraft.of(plan.versions.filter(number=based_on).first())
            raise PlanConflict(plan, based_on, changes_between(start, current))
        if not errors.get("goals"):
            _check_against(errors, clean, current, plan)
        errors.raise_if_any()
        version = _write_version(
            plan, clean, user=user, summary="created" if plan.current_number == 0 else "edited"
        )
        audit.record(
            actor,
            action=AuditEvent.Action.CREATE if version.number == 1 else AuditEvent.Action.UPDATE,
            data="care_plan",
            basis=person_access.basis,
            person_id=person_access.person.pk,
            object_id=plan.pk,
            detail={"version": version.number, "goals": len(clean.goals)},
        )
    return version


def record_evaluation(
    person_access: PersonAccess,
    *,
    actor: audit.Actor,
    evaluated_on: datetime.date | None,
    went_well: str,
    changed: str,
    next_evaluation_date: datetime.date | None,
) -> Evaluation:
    """Record an evaluation of the current version; the next evaluation date becomes a new version."""
    user = _require_editor(person_access, actor)
    errors = _Errors()
    errors.check("evaluated_on", lambda: v.clean_record_date(evaluated_on, field="evaluated_on"))
    went_well = _text(errors, "went_well", went_well)
    changed = _text(errors, "changed", changed)
    if next_evaluation_date is None:
        errors["next_evaluation_date"] = _("Set the date of the next evaluation.")
    else:
        _future_date(errors, "next_evaluation_date", next_evaluation_date, strictly=True)
    with transaction.atomic():
        plan = CarePlan.objects.select_for_update().filter(person=person_access.person).first()
        if plan is None or plan.current_number == 0:
            raise ValidationError({"plan": [_("There is no care plan to evaluate yet.")]})
        _require_owner(person_access, plan)
        made_on = timezone.localdate(plan.created_at)
        if evaluated_on is not None and "evaluated_on" not in errors and evaluated_on < made_on:
            errors["evaluated_on"] = _("The plan was made later; an evaluation cannot be before it.")
        errors.raise_if_any()
        evaluated = plan.current_version()
        assert evaluated is not None and evaluated_on is not None
        evaluation = Evaluation.objects.create(
            plan=plan,
            version=evaluated,
            evaluated_on=evaluated_on,
            went_well=went_well,
            changed=changed,
            next_evaluation_date=next_evaluation_date,
            recorded_by=user,
            organisation_id=person_access.own_organisation_id,
        )
        new_number = None
        if evaluated.evaluation_date != next_evaluation_date:
            draft = replace(PlanDraft.of(evaluated), evaluation_date=next_evaluation_date)
            new_number = _write_version(plan, draft, user=user, summary="evaluation").number
        audit.record(
            actor,
            action=AuditEvent.Action.CREATE,
            data="care_plan.evaluation",
            basis=person_access.basis,
            person_id=person_access.person.pk,
            object_id=evaluation.pk,
            detail={"version": evaluated.number, "new_version": new_number},
        )
    return evaluation
