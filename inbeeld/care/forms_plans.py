"""The care-plan edit form (goals and their actions as nested formsets) and the evaluation form.

Forms only turn text into typed values; the rules (dates, transitions, who may be named, lengths) live
in ``care.actions.plans`` so the web and the API refuse the same input. Errors those raise name fields
like ``goals-0-target_date`` or ``goals-1-actions-0-worker_id``: the position in the draft. The editor
maps them back onto the form that produced that goal or action (blank and removed rows are skipped).

Rows are added without JavaScript: "add a goal" and "add an action" submit the form, which comes back
with one more empty row and nothing saved.
"""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import formset_factory
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from inbeeld.care.actions.plan_drafts import translation_language
from inbeeld.care.actions.plans import (
    MAX_ACTIONS,
    MAX_GOALS,
    NAME_MAX,
    TEXT_MAX,
    WORKER_ROLES,
    ActionDraft,
    GoalDraft,
    PlanDraft,
)
from inbeeld.care.models import Domain, Goal, PlanAction, PlanVersion
from inbeeld.core.models import Network, Organisation, User
from inbeeld.people.forms import date_field, text_area

NUMBER_MAX = 32767  # goal and action numbers are small integers


def _id_choice(label: Any, choices: list[Any]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=[("", "—"), *choices], coerce=int, empty_value=None, required=False
    )


def _number() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=NUMBER_MAX)


class Choices:
    """The domains, workers and organisations a plan of this network may name, read once per page."""

    def __init__(self, network: Network) -> None:
        language = translation_language()
        domains = (
            Domain.objects.filter(instrument__is_active=True)
            .filter(Q(instrument__network__isnull=True) | Q(instrument__network=network))
            .select_related("instrument")
            .order_by("instrument__name", "position")
        )
        grouped: dict[str, list[tuple[int, str]]] = {}
        for domain in domains:
            grouped.setdefault(domain.instrument.name, []).append((domain.pk, domain.label(language)))
        self.domains: list[Any] = list(grouped.items())
        workers = (
            User.objects.filter(
                is_active=True,
                memberships__ended_on__isnull=True,
                memberships__organisation__network=network,
                memberships__role__in=WORKER_ROLES,
            )
            .distinct()
            .order_by("full_name", "email")
        )
        self.workers = [(user.pk, str(user)) for user in workers]
        organisations = Organisation.objects.filter(network=network).order_by("name")
        self.organisations = [(org.pk, org.name) for org in organisations]


class _QuietForm(forms.Form):
    """A form that can be shown with what was typed but without validating it (an added row)."""

    quiet = False

    def full_clean(self) -> None:
        if not self.quiet:
            super().full_clean()
            return
        self._errors = ErrorDict()
        self.cleaned_data = {}


class _QuietFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    quiet = False

    def full_clean(self) -> None:
        if not self.quiet:
            super().full_clean()
            return
        self._errors: list[Any] = []
        self._non_form_errors = self.error_class()


class PlanForm(_QuietForm):
    # Optimistic locking: the version the editor started from (0: a new plan).
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=10**9)
    own_words = text_area(
        _("In the person's own words: what do they want?"),
        TEXT_MAX,
        help_text=_("Write it down the way the person says it."),
    )
    evaluation_date = date_field(_("Evaluation date"))
    agreed_on = date_field(_("Agreed with the person on"), required=False)
    agreed_how = forms.ChoiceField(
        label=_("How the person agreed"),
        choices=PlanVersion.AgreedHow.choices,
        initial=PlanVersion.AgreedHow.NOT_YET,
    )


class GoalForm(_QuietForm):
    number = _number()
    # Required, yet an empty extra row is skipped: formsets let unchanged extra rows be empty.
    description = forms.CharField(
        label=_("Goal, in the person's own words"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    domain = forms.TypedChoiceField(required=False)
    target_date = date_field(_("Target date"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Goal.Status.choices, initial=Goal.Status.OPEN)

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"] = _id_choice(_("Domain"), choices.domains)
        self.actions: Any = None  # the ActionFormSet of this goal
        self.action_errors: list[str] = []


class ActionForm(_QuietForm):
    number = _number()
    what = forms.CharField(label=_("What"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    who = forms.ChoiceField(label=_("Who"), choices=PlanAction.Who.choices, initial=PlanAction.Who.PERSON)
    worker = forms.TypedChoiceField(required=False)
    organisation = forms.TypedChoiceField(required=False)
    who_name = forms.CharField(
        label=_("Name (someone from their own network)"), required=False, max_length=NAME_MAX
    )
    due_date = date_field(_("Due date"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=PlanAction.Status.choices, initial=PlanAction.Status.OPEN
    )

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"] = _id_choice(_("Worker"), choices.workers)
        self.fields["organisation"] = _id_choice(_("Organisation"), choices.organisations)

    def has_changed(self) -> bool:
        # The "who" and "status" selects always send a value; an added row is only filled in when
        # something is written or chosen beyond them.
        filled = ("what", "worker", "organisation", "who_name", "due_date")
        return any(self[name].value() not in (None, "") for name in filled)


GoalFormSet = formset_factory(
    GoalForm,
    formset=_QuietFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_GOALS,
    validate_max=True,
    absolute_max=MAX_GOALS,
)
ActionFormSet = formset_factory(
    ActionForm,
    formset=_QuietFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_ACTIONS,
    validate_max=True,
    absolute_max=MAX_ACTIONS,
)


def _goal_initial(goal: GoalDraft) -> dict[str, Any]:
    return {
        "number": goal.number,
        "description": goal.description,
        "domain": goal.domain_id,
        "target_date": goal.target_date,
        "status": goal.status,
    }


def _action_initial(action: ActionDraft) -> dict[str, Any]:
    return {
        "number": action.number,
        "what": action.what,
        "who": action.who,
        "worker": action.worker_id,
        "organisation": action.organisation_id,
        "who_name": action.who_name,
        "due_date": action.due_date,
        "status": action.status,
    }


_ACTION_KEY = re.compile(r"^goals-(\d+)-actions-(\d+)-(\w+)$")
_ACTIONS_KEY = re.compile(r"^goals-(\d+)-actions$")
_GOAL_KEY = re.compile(r"^goals-(\d+)-(\w+)$")


class PlanEditor:
    """The whole edit page: the plan's own fields, its goals, and each goal's actions."""

    def __init__(
        self,
        data: QueryDict | None,
        *,
        draft: PlanDraft,
        based_on: int,
        network: Network,
        quiet: bool = False,
    ) -> None:
        choices = Choices(network)
        initial = {
            "based_on": based_on,
            "own_words": draft.own_words,
            "evaluation_date": draft.evaluation_date,
            "agreed_on": draft.agreed_on,
            "agreed_how": draft.agreed_how,
        }
        self.form = PlanForm(data, initial=initial)
        kwargs: dict[str, Any] = {"form_kwargs": {"choices": choices}}
        if data is None:
            self.goals = GoalFormSet(
                prefix="goals", initial=[_goal_initial(g) for g in draft.goals], **kwargs
            )
            self.goals.extra = 0 if draft.goals else 1
        else:
            self.goals = GoalFormSet(data, prefix="goals", **kwargs)
        for index, goal_form in enumerate(self.goals.forms):
            prefix = f"goals-{index}-actions"
            if data is None:
                known = draft.goals[index].actions if index < len(draft.goals) else []
                goal_form.actions = ActionFormSet(
                    prefix=prefix, initial=[_action_initial(a) for a in known], **kwargs
                )
                goal_form.actions.extra = 1
            else:
                goal_form.actions = ActionFormSet(data, prefix=prefix, **kwargs)
        self.goals_errors: list[str] = []
        # Draft position → the form it came from, filled by ``draft()``.
        self._goal_forms: list[GoalForm] = []
        self._action_forms: list[list[ActionForm]] = []
        if quiet:
            for part in self._parts():
                part.quiet = True

    def _parts(self) -> list[Any]:
        parts: list[Any] = [self.form, self.goals, *self.goals.forms]
        for goal_form in self.goals.forms:
            parts += [goal_form.actions, *goal_form.actions.forms]
        return parts

    def is_valid(self) -> bool:
        results = [self.form.is_valid(), self.goals.is_valid()]
        # The actions of a goal being removed go with it, whatever they hold.
        results += [g.actions.is_valid() for g in self.goals.forms if not g.cleaned_data.get("DELETE")]
        return all(results)

    @staticmethod
    def _blank(form: forms.Form) -> bool:
        return not form.cleaned_data or bool(form.cleaned_data.get("DELETE"))

    def draft(self) -> PlanDraft:
        data = self.form.cleaned_data
        goals: list[GoalDraft] = []
        for goal_form in self.goals.forms:
            if self._blank(goal_form):
                continue
            actions, action_forms = [], []
            for action_form in goal_form.actions.forms:
                if self._blank(action_form):
                    continue
                a = action_form.cleaned_data
                actions.append(
                    ActionDraft(
                        what=a["what"],
                        who=a["who"],
                        worker_id=a["worker"],
                        organisation_id=a["organisation"],
                        who_name=a["who_name"],
                        due_date=a["due_date"],
                        status=a["status"],
                        number=a["number"],
                    )
                )
                action_forms.append(action_form)
            g = goal_form.cleaned_data
            goals.append(
                GoalDraft(
                    description=g["description"],
                    domain_id=g["domain"],
                    target_date=g["target_date"],
                    status=g["status"],
                    actions=actions,
                    number=g["number"],
                )
            )
            self._goal_forms.append(goal_form)
            self._action_forms.append(action_forms)
        return PlanDraft(
            goals=goals,
            own_words=data["own_words"],
            evaluation_date=data["evaluation_date"],
            agreed_on=data["agreed_on"],
            agreed_how=data["agreed_how"],
        )

    @property
    def based_on(self) -> int:
        return int(self.form.cleaned_data["based_on"])

    def attach(self, error: ValidationError) -> None:
        """Put a write function's errors next to the fields they name."""
        if not hasattr(error, "error_dict"):
            self.form.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            self._attach_one(key, messages)

    def _attach_one(self, key: str, messages: list[str]) -> None:
        target: forms.Form = self.form
        name: str | None = key.removesuffix("_id")
        if match := _ACTION_KEY.match(key):
            g, a, name = int(match[1]), int(match[2]), match[3].removesuffix("_id")
            if g < len(self._action_forms) and a < len(self._action_forms[g]):
                target = self._action_forms[g][a]
        elif match := _ACTIONS_KEY.match(key):
            if int(match[1]) < len(self._goal_forms):
                self._goal_forms[int(match[1])].action_errors += messages
                return
        elif match := _GOAL_KEY.match(key):
            g, name = int(match[1]), match[2].removesuffix("_id")
            if g < len(self._goal_forms):
                target = self._goal_forms[g]
        elif key == "goals":
            self.goals_errors += messages
            return
        target.add_error(name if name in target.fields else None, messages)

    def set_based_on(self, number: int) -> None:
        """After a conflict: saving again is a deliberate choice to replace the version stored now."""
        data = cast(QueryDict, self.form.data).copy()
        data["based_on"] = str(number)
        self.form.data = data

    def error_keys(self) -> set[str]:
        """Every field that carries an error, by its name in the page (``goals-0-target_date``)."""
        keys = {"goals"} if self.goals_errors or self.goals.non_form_errors() else set()
        for part in self._parts():
            if isinstance(part, forms.Form) and part.is_bound:
                keys |= {part.add_prefix(name) if name != "__all__" else "__all__" for name in part.errors}
        for goal_form in self.goals.forms:
            if goal_form.action_errors or goal_form.actions.non_form_errors():
                keys.add(f"{goal_form.prefix}-actions")
        return keys


def with_extra_row(data: QueryDict, target: str) -> QueryDict:
    """The submission with one more empty goal (``goal``) or action row (the goal's index)."""
    data = data.copy()
    if target != "goal" and not (target.isdigit() and int(target) < MAX_GOALS):
        return data
    prefix = "goals" if target == "goal" else f"goals-{int(target)}-actions"
    total = data.get(f"{prefix}-TOTAL_FORMS", "0")
    count = int(total) if total.isdigit() else 0
    limit = MAX_GOALS if target == "goal" else MAX_ACTIONS
    data[f"{prefix}-TOTAL_FORMS"] = str(min(count + 1, limit))
    if target == "goal" and count < limit:
        data[f"goals-{count}-actions-TOTAL_FORMS"] = "1"
        data[f"goals-{count}-actions-INITIAL_FORMS"] = "0"
    return data


class EvaluationForm(forms.Form):
    evaluated_on = date_field(_("Evaluated on"), today=True)
    went_well = text_area(_("What went well"), TEXT_MAX)
    changed = text_area(_("What changed"), TEXT_MAX)
    next_evaluation_date = date_field(_("Next evaluation"))
