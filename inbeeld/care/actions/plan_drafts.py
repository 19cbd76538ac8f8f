"""The shape of a care plan as an editor submits it, and what changed between two versions.

``PlanDraft`` is what ``actions.plans.save_plan`` takes (from the web form, the API and the intake)
and what a saved version reads back as. ``changes_between`` says in words what changed from one
version to another; ``PlanConflict`` carries it when an edit started from an outdated version.
Goals and actions are matched across versions by their stable numbers (see ``actions.plans``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from inbeeld.care.models import CarePlan, Domain, Goal, PlanAction, PlanVersion
from inbeeld.core.models import Organisation, User

GoalStatus = Goal.Status
ActionStatus = PlanAction.Status
Who = PlanAction.Who


# --- what an editor submits ---------------------------------------------------------------------


@dataclass
class ActionDraft:
    what: str
    who: str = Who.PERSON
    worker_id: int | None = None
    organisation_id: int | None = None
    who_name: str = ""
    due_date: datetime.date | None = None
    status: str = ActionStatus.OPEN
    number: int | None = None  # None: a new action


@dataclass
class GoalDraft:
    description: str
    domain_id: int | None = None
    target_date: datetime.date | None = None
    status: str = GoalStatus.OPEN
    actions: list[ActionDraft] = field(default_factory=list)
    number: int | None = None  # None: a new goal


@dataclass
class PlanDraft:
    goals: list[GoalDraft]
    own_words: str = ""
    evaluation_date: datetime.date | None = None
    agreed_on: datetime.date | None = None
    agreed_how: str = PlanVersion.AgreedHow.NOT_YET

    @classmethod
    def of(cls, version: PlanVersion | None) -> PlanDraft:
        """A saved version as a draft: the starting point of an edit, and what a conflict compares."""
        if version is None:
            return cls(goals=[])
        goals = []
        for goal in version.goals.prefetch_related("actions"):
            actions = [
                ActionDraft(
                    what=a.what,
                    who=a.who,
                    worker_id=a.worker_id,
                    organisation_id=a.organisation_id,
                    who_name=a.who_name,
                    due_date=a.due_date,
                    status=a.status,
                    number=a.position,
                )
                for a in goal.actions.all()
            ]
            goals.append(
                GoalDraft(
                    description=goal.description,
                    domain_id=goal.domain_id,
                    target_date=goal.target_date,
                    status=goal.status,
                    actions=actions,
                    number=goal.position,
                )
            )
        return cls(
            goals=goals,
            own_words=version.own_words,
            evaluation_date=version.evaluation_date,
            agreed_on=version.agreed_on,
            agreed_how=version.agreed_how,
        )


# --- conflicts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanChange:
    """One difference between two versions, for people (``text``) and programs (the rest)."""

    kind: str  # "added", "removed" or "changed"
    field: str  # the plan field, "goal" or "action" (added/removed), or the goal/action field
    goal: int | None = None
    action: int | None = None
    before: str | None = None
    after: str | None = None
    text: str = ""


class PlanConflict(Exception):
    """Someone saved the plan after the editor opened it; nothing was written."""

    def __init__(self, plan: CarePlan, based_on: int, changes: list[PlanChange]):
        self.plan = plan
        self.based_on = based_on
        self.current_number = plan.current_number
        self.changes = changes
        super().__init__(
            _("Someone else saved version %(number)d of this plan while you were editing. Nothing was saved.")
            % {"number": plan.current_number}
        )

    def body(self) -> dict[str, Any]:
        """The 409 answer of the API (and of any handler registered for this exception)."""
        return {
            "detail": str(self),
            "based_on": self.based_on,
            "current_number": self.current_number,
            "changes": [change.__dict__ for change in self.changes],
        }


class _Labels:
    """Display values for the words of a change, looked up once per id."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, int], str] = {}

    def _name(self, kind: str, pk: int | None) -> str:
        if pk is None:
            return "—"
        if (kind, pk) not in self._cache:
            obj: Any
            if kind == "domain":
                obj = Domain.objects.filter(pk=pk).first()
                label = obj.label(translation_language()) if obj else str(pk)
            elif kind == "worker":
                obj = User.objects.filter(pk=pk).first()
                label = str(obj) if obj else str(pk)
            else:
                obj = Organisation.objects.filter(pk=pk).first()
                label = obj.name if obj else str(pk)
            self._cache[(kind, pk)] = label
        return self._cache[(kind, pk)]

    def show(self, name: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if name in ("domain_id", "worker_id", "organisation_id"):
            return self._name(name.removesuffix("_id"), value)
        if isinstance(value, datetime.date):
            return formats.date_format(value, "SHORT_DATE_FORMAT")
        choices = {
            "agreed_how": PlanVersion.AgreedHow,
            "who": Who,
            "goal_status": GoalStatus,
            "action_status": ActionStatus,
        }
        if name in choices:
            return str(dict(choices[name].choices).get(value, value))
        return quoted(str(value))


def translation_language() -> str:
    """The active language's code ("nl" or "en"), for data that carries both (domain names)."""
    return (get_language() or "nl")[:2]


def quoted(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f"“{text[: limit - 1]}…”" if len(text) > limit else f"“{text}”"


def _raw(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


_PLAN_FIELDS = ("own_words", "evaluation_date", "agreed_on", "agreed_how")
_GOAL_FIELDS = ("description", "domain_id", "target_date", "status")
_ACTION_FIELDS = ("who", "worker_id", "organisation_id", "who_name", "what", "due_date", "status")


def _field_label(model: Any, name: str) -> str:
    return str(model._meta.get_field(name.removesuffix("_id")).verbose_name)


def _field_changes(
    labels: _Labels,
    old: Any,
    new: Any,
    model: Any,
    names: Iterable[str],
    *,
    prefix: str = "",
    goal: int | None = None,
    action: int | None = None,
) -> list[PlanChange]:
    out = []
    status_kind = "action_status" if action is not None else "goal_status"
    for name in names:
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        shown = status_kind if name == "status" else name
        text = _("%(what)s: %(before)s → %(after)s") % {
            "what": prefix + _field_label(model, name),
            "before": labels.show(shown, before),
            "after": labels.show(shown, after),
        }
        out.append(PlanChange("changed", name, goal, action, _raw(before), _raw(after), text))
    return out


def _added_or_removed(
    what: str, number: int | None, goal: int | None, text: str, *, added: bool
) -> PlanChange:
    words = {
        ("goal", True): _("Goal %(number)s added: %(text)s"),
        ("goal", False): _("Goal %(number)s removed: %(text)s"),
        ("action", True): _("Goal %(goal)s, action %(number)s added: %(text)s"),
        ("action", False): _("Goal %(goal)s, action %(number)s removed: %(text)s"),
    }[(what, added)]
    sentence = words % {"goal": goal, "number": number, "text": quoted(text)}
    if what == "goal":
        return PlanChange("added" if added else "removed", "goal", number, None, text=sentence)
    return PlanChange("added" if added else "removed", "action", goal, number, text=sentence)


def _by_number(items: list[Any]) -> dict[int, Any]:
    return {item.number: item for item in items if item.number is not None}


def changes_between(old: PlanDraft, new: PlanDraft) -> list[PlanChange]:
    """What changed from ``old`` to ``new`` (two saved versions), in the active language."""
    labels = _Labels()
    out = _field_changes(labels, old, new, PlanVersion, _PLAN_FIELDS)
    old_goals, new_goals = _by_number(old.goals), _by_number(new.goals)
    for number in sorted(set(old_goals) | set(new_goals)):
        before, after = old_goals.get(number), new_goals.get(number)
        if before is None or after is None:
            description = after.description if after is not None else before.description  # type: ignore[union-attr]
            out.append(_added_or_removed("goal", number, None, description, added=before is None))
            continue
        prefix = _("Goal %(number)s, ") % {"number": number}
        out += _field_changes(labels, before, after, Goal, _GOAL_FIELDS, prefix=prefix, goal=number)
        old_actions, new_actions = _by_number(before.actions), _by_number(after.actions)
        for a_number in sorted(set(old_actions) | set(new_actions)):
            was, now = old_actions.get(a_number), new_actions.get(a_number)
            if was is None or now is None:
                what = now.what if now is not None else was.what  # type: ignore[union-attr]
                out.append(_added_or_removed("action", a_number, number, what, added=was is None))
                continue
            prefix = _("Goal %(goal)s, action %(number)s, ") % {"goal": number, "number": a_number}
            out += _field_changes(
                labels, was, now, PlanAction, _ACTION_FIELDS, prefix=prefix, goal=number, action=a_number
            )
    return out
