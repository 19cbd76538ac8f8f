"""The shapes of the care-plan API.

Input schemas check types and forbid unknown fields; the rules about values (lengths, control
characters, dates, transitions, who may be named) live in ``care.actions.plans``, so the web form and
the API refuse the same things. Output schemas mirror the dataclasses of ``care.presenters_plans``.
"""

from __future__ import annotations

import datetime

from ninja import Field, Schema
from pydantic import ConfigDict

from inbeeld.care.actions.plans import MAX_ACTIONS, MAX_GOALS
from inbeeld.care.models import Goal, PlanAction, PlanVersion

NUMBER_MAX = 32767


class StrictIn(Schema):
    # An unknown field is most often a typo; silently ignoring it would lose what the caller meant.
    model_config = ConfigDict(extra="forbid")


# --- input ------------------------------------------------------------------------------------------


class ActionIn(StrictIn):
    number: int | None = Field(
        None, ge=1, le=NUMBER_MAX, description="The action's number from the version you read; null: new"
    )
    what: str
    who: PlanAction.Who = Field(description="Who does it; name them in the matching field")
    worker_id: int | None = Field(None, description="When who is `worker`: a member of the network")
    organisation_id: int | None = Field(None, description="When who is `organisation`")
    who_name: str = Field("", description="When who is `network_member`: their name")
    due_date: datetime.date | None = None
    status: PlanAction.Status = PlanAction.Status.OPEN


class GoalIn(StrictIn):
    number: int | None = Field(
        None, ge=1, le=NUMBER_MAX, description="The goal's number from the version you read; null: new"
    )
    description: str = Field(description="The goal, in the person's own words")
    domain_id: int | None = Field(None, description="A domain of an instrument of the network")
    target_date: datetime.date | None = None
    status: Goal.Status = Goal.Status.OPEN
    actions: list[ActionIn] = Field([], max_length=MAX_ACTIONS)


class PlanIn(StrictIn):
    based_on: int = Field(
        ge=0,
        le=10**9,
        description="The version number you read (0 for a new plan); a newer one on the server means 409",
    )
    own_words: str = Field("", description="What the person wants, in their own words")
    evaluation_date: datetime.date
    agreed_on: datetime.date | None = None
    agreed_how: PlanVersion.AgreedHow = PlanVersion.AgreedHow.NOT_YET
    goals: list[GoalIn] = Field(max_length=MAX_GOALS)


class EvaluationIn(StrictIn):
    evaluated_on: datetime.date
    went_well: str = ""
    changed: str = ""
    next_evaluation_date: datetime.date = Field(description="Becomes the plan's evaluation date")


# --- output -----------------------------------------------------------------------------------------


class ActionOut(Schema):
    number: int
    who: PlanAction.Who
    who_label: str
    who_text: str = Field(
        description="The worker's or organisation's name, the network member, or the person"
    )
    worker_id: int | None
    organisation_id: int | None
    who_name: str
    what: str
    due_date: datetime.date | None
    status: PlanAction.Status
    status_label: str


class GoalOut(Schema):
    number: int = Field(description="Stable across versions: goal 3 stays goal 3")
    domain_id: int | None
    domain: str | None
    description: str
    target_date: datetime.date | None
    status: Goal.Status
    status_label: str
    actions: list[ActionOut]


class VersionSummaryOut(Schema):
    number: int
    saved_at: datetime.datetime
    saved_by: str
    summary: str = Field(description="created, edited or evaluation")
    summary_label: str


class PlanVersionOut(VersionSummaryOut):
    own_words: str
    evaluation_date: datetime.date | None
    evaluation_overdue: bool
    agreed_on: datetime.date | None
    agreed_how: PlanVersion.AgreedHow
    agreed_how_label: str
    goals: list[GoalOut]


class PlanOut(Schema):
    person_id: int
    organisation_id: int = Field(description="The organisation that keeps the plan (and alone changes it)")
    organisation: str
    created_at: datetime.datetime
    current_number: int = Field(description="Send it back as `based_on` with an edit")
    current: PlanVersionOut
    may_edit: bool


class EvaluationOut(Schema):
    id: int
    evaluated_on: datetime.date
    went_well: str
    changed: str
    next_evaluation_date: datetime.date | None
    version_number: int = Field(description="The version that was evaluated")
    recorded_by: str
    organisation: str
    recorded_at: datetime.datetime


class PlanChangeOut(Schema):
    kind: str = Field(description="added, removed or changed")
    field: str = Field(description="A plan field, `goal` or `action` (added/removed), or a goal/action field")
    goal: int | None
    action: int | None
    before: str | None
    after: str | None
    text: str = Field(description="The change in words, in the request's language")


class PlanConflictOut(Schema):
    detail: str
    based_on: int
    current_number: int
    changes: list[PlanChangeOut] = Field(description="What changed from `based_on` to the current version")
