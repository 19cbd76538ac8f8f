"""The shapes of the appointments API (see ``schemas_contacts`` for the conventions)."""

from __future__ import annotations

import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from inbeeld.care.actions.appointments import PLACE_MAX, PURPOSE_MAX, parse_week
from inbeeld.care.models import Appointment
from inbeeld.care.schemas_contacts import In

Status = Appointment.Status


def _valid_week(text: str) -> str:
    try:
        parse_week(text)
    except ValidationError as error:
        raise ValueError(error.message_dict["week"][0]) from None
    return text


WeekText = Annotated[str, StringConstraints(max_length=10), AfterValidator(_valid_week)]


class AppointmentIn(In):
    worker_id: int | None = Field(
        None, description="A caseworker or outreach worker of your organisation; default: you"
    )
    starts_at: datetime.datetime = Field(
        description="Not in the past, at most two years ahead. Without a time zone, the network's."
    )
    ends_at: datetime.datetime = Field(description="After the start, at most 24 hours later")
    location_id: int | None = Field(None, description="A location of your network")
    place: str = Field("", description=f"Or the place in words, at most {PLACE_MAX} characters")
    purpose: str = Field(
        "", description=f"At most {PURPOSE_MAX} characters; stored encrypted, never in calendar feeds"
    )


class AppointmentStatusIn(In):
    status: Status = Field(description="attended or no_show (once it has started), or cancelled")


class AppointmentOut(Schema):
    id: int
    person_id: int
    organisation_id: int = Field(description="The organisation that planned it (and owns it)")
    organisation: str
    worker_id: int
    worker: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    location_id: int | None
    place: str
    place_label: str = Field(description="The place, or the location's name")
    purpose: str
    status: Status
    status_label: str
    status_changed_at: datetime.datetime | None

    @staticmethod
    def resolve_organisation(obj: Appointment) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_worker(obj: Appointment) -> str:
        return str(obj.worker)

    @staticmethod
    def resolve_place_label(obj: Appointment) -> str:
        return obj.place_label()

    @staticmethod
    def resolve_status_label(obj: Appointment) -> str:
        return str(obj.get_status_display())


class AgendaItemOut(Schema):
    id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    status: Status
    status_label: str
    place_label: str
    organisation_id: int
    person_id: int | None = Field(description="null: a person you may not see")
    roepnaam: str | None = Field(description="null: a person you may not see")
    purpose: str | None = Field(description="null: not yours to read")
    statuses: list[Status] = Field(description="The outcomes you may give it now")


class AgendaOut(Schema):
    week: str = Field(description="ISO week, e.g. 2026-W48")
    starts_on: datetime.date
    ends_on: datetime.date
    previous_week: str
    next_week: str
    appointments: list[AgendaItemOut]
