"""The shapes of the huiskamer API. Input schemas forbid unknown fields; the value rules are the actions'."""

from __future__ import annotations

import datetime

from ninja import Field, Schema
from pydantic import ConfigDict

from inbeeld.care.models import Topic
from inbeeld.huiskamer.actions import NOTE_MAX
from inbeeld.huiskamer.models import Intent, Service


class StrictIn(Schema):
    # An unknown field is most often a typo; silently ignoring it would lose what the caller meant.
    model_config = ConfigDict(extra="forbid")


class VisitIn(StrictIn):
    """A visit of a known person (``person_id``) or an anonymous one (``anonymous: true``): one of the two."""

    person_id: int | None = None
    anonymous: bool = False
    arrived_at: datetime.datetime | None = Field(None, description="Default now; not in the future")
    first_visit: bool | None = None
    intent: Intent = Intent.UNKNOWN
    language: str = Field("", description="A two-letter language code, or empty")
    questions: list[Topic] = []
    services: list[Service] = []
    note: str = Field("", description=f"At most {NOTE_MAX} characters; stored encrypted")


class LeftIn(StrictIn):
    left_at: datetime.datetime | None = Field(None, description="Default now")


class VisitOut(Schema):
    id: int
    location_id: int
    person_id: int | None = Field(description="null: an anonymous visit")
    roepnaam: str | None
    arrived_at: datetime.datetime
    left_at: datetime.datetime | None
    first_visit: bool | None
    intent: Intent
    language: str
    questions: list[Topic]
    services: list[Service]

    @staticmethod
    def resolve_roepnaam(obj: object) -> str | None:
        person = getattr(obj, "person", None)
        return person.roepnaam if person is not None else None


class TotalsOut(Schema):
    visits: int
    named: int
    anonymous: int
    first_visits: int
    intents: dict[str, int]
    services: dict[str, int]
    questions: dict[str, int]


class DayTotalsOut(Schema):
    location_id: int
    day: datetime.date
    day_totals: TotalsOut
    month_totals: TotalsOut
