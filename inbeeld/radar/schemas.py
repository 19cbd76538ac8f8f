"""The shapes of the radar API.

Colours and severities are words (``green``, ``amber``, ``red``), not the numbers they are stored as.
Query filters check their own values, so a bad filter is a 422 naming the parameter; input bodies
forbid unknown fields, as everywhere in the API.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints, WithJsonSchema

from inbeeld.people.models import Status
from inbeeld.people.schemas import StrictIn
from inbeeld.radar import queries, rules
from inbeeld.radar.actions.signals import NOTE_MAX
from inbeeld.radar.models import Colour, Signal

ColourName = Literal["green", "amber", "red"]
SignalState = Signal.State
SignalStateFilter = Literal["open", "resolved", "cleared", "all"]
STATUS_FILTERS = ("", queries.ALL_STATUSES, *Status.values)


def _known_status(value: str) -> str:
    if value not in STATUS_FILTERS:
        raise ValueError(_("Choose a status, 'all', or leave it empty for the statuses the radar follows."))
    return value


# "" follows the statuses the radar follows by default; "all" every status; or one status.
StatusFilter = Annotated[
    str,
    StringConstraints(max_length=20),
    AfterValidator(_known_status),
    WithJsonSchema({"type": "string", "enum": list(STATUS_FILTERS)}),
]


def _known_rule(key: str) -> str:
    if key and rules.get(key) is None:
        raise ValueError(_("Choose one of the radar's rules (see /radar/rules)."))
    return key


RuleKey = Annotated[str, StringConstraints(max_length=40), AfterValidator(_known_rule)]


class UserRefOut(Schema):
    id: int
    name: str


class OrganisationRefOut(Schema):
    id: int
    name: str


# --- the radar list ---------------------------------------------------------------------------------


class LineSignalOut(Schema):
    """An open signal as a radar line shows it."""

    id: int
    rule: str
    rule_label: str
    severity: ColourName
    reason: str = Field(description="Why it fired, in the reader's language")
    opened_on: datetime.date
    escalated: bool = Field(description="Not acknowledged in time: gone to the network's coordinator")
    acknowledged: bool


class RadarLineOut(Schema):
    """One person's radar core: who, status, key worker, when last seen, and their open signals."""

    person_id: int
    roepnaam: str
    status: Status
    status_label: str
    key_worker: UserRefOut | None
    last_seen_at: datetime.datetime | None = Field(description="null: never seen by anyone in the network")
    in_view_at: datetime.datetime = Field(
        description="The sort key: last seen (never seen: registered), or the day of the run while admitted"
    )
    admitted_since: datetime.date | None = Field(description="In view because admitted since this day")
    colour: ColourName = Field(description="The colour of the worst open signal; green without any")
    signals: list[LineSignalOut]


class ColourCountsOut(Schema):
    green: int
    amber: int
    red: int


class RadarPageOut(Schema):
    counts: ColourCountsOut = Field(
        description="Persons per colour over the filtered radar, leaving the colour filter out"
    )
    items: list[RadarLineOut]
    count: int = Field(description="Persons on the filtered radar (all pages)")


# --- signals ----------------------------------------------------------------------------------------


class SignalSummaryOut(Schema):
    id: int
    person_id: int
    roepnaam: str
    rule: str
    rule_label: str
    severity: ColourName
    reason: str
    state: SignalState
    opened_on: datetime.date
    escalated: bool
    acknowledged: bool
    assigned_to: UserRefOut | None

    @staticmethod
    def resolve_roepnaam(obj: Signal) -> str:
        return obj.person.roepnaam

    @staticmethod
    def resolve_rule_label(obj: Signal) -> str:
        return rules.label_for(obj.rule)

    @staticmethod
    def resolve_severity(obj: Signal) -> str:
        return Colour(obj.severity).name.lower()

    @staticmethod
    def resolve_reason(obj: Signal) -> str:
        return rules.reason_for(obj)

    @staticmethod
    def resolve_escalated(obj: Signal) -> bool:
        return obj.is_escalated

    @staticmethod
    def resolve_acknowledged(obj: Signal) -> bool:
        return obj.acknowledged_at is not None

    @staticmethod
    def resolve_assigned_to(obj: Signal) -> dict[str, object] | None:
        user = obj.assigned_to
        return {"id": user.pk, "name": str(user)} if user is not None else None


class SignalOut(Schema):
    """One signal. ``outcome_note`` is null when it is not yours to read."""

    id: int
    person_id: int
    roepnaam: str
    rule: str
    rule_label: str
    severity: ColourName
    reason: str
    state: SignalState
    state_label: str
    opened_on: datetime.date
    assigned_to: UserRefOut | None
    assigned_organisation: OrganisationRefOut | None
    escalated: bool
    escalated_on: datetime.date | None
    acknowledged: bool
    acknowledged_at: datetime.datetime | None
    acknowledged_by: UserRefOut | None
    resolved_at: datetime.datetime | None
    resolved_by: UserRefOut | None
    resolved_by_organisation: OrganisationRefOut | None
    outcome: Signal.Outcome | None = Field(description="null: not resolved")
    outcome_label: str | None
    outcome_note: str | None = Field(
        description="null: not resolved, or the note is not yours to read (only the resolving "
        "organisation and those who read the person's file see it)"
    )
    cleared_on: datetime.date | None = Field(description="The day the condition ended by itself")
    previous_id: int | None = Field(description="The signal of the same rule before this one")
    may: dict[str, bool] = Field(description="What the caller may do with this signal now")


class ResolveIn(StrictIn):
    outcome: Signal.Outcome = Field(description="What became of the person")
    note: str = Field(
        "", description=f"Required for 'other'; at most {NOTE_MAX} characters; stored encrypted"
    )


# --- rules ------------------------------------------------------------------------------------------


class RuleOut(Schema):
    key: str
    label: str
    description: str = Field(description="What the rule watches, with this network's thresholds")
    unit: Literal["days_since", "days_before", "in_a_row"]
    enabled: bool
    amber_at: int
    red_at: int | None
    escalate_after_days: int
