"""The shapes of the volunteers, roster, house log and buddies API. Inputs forbid unknown fields; the
value rules are the actions'. Nothing here carries more of a resident than roepnaam."""

from __future__ import annotations

import datetime

from ninja import Field, Schema
from pydantic import ConfigDict

from inbeeld.shelter.actions_houselog import TEXT_MAX


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class SignupIn(StrictIn):
    shift: int
    volunteer: int | None = Field(
        None, description="The volunteer's membership id; only the coordinator names another volunteer"
    )


class SignupOut(Schema):
    id: int
    shift_id: int
    volunteer: int = Field(description="The volunteer's membership id")
    name: str
    cancelled_at: datetime.datetime | None

    @staticmethod
    def resolve_volunteer(obj: object) -> int:
        return obj.volunteer.membership_id  # type: ignore[attr-defined,no-any-return]

    @staticmethod
    def resolve_name(obj: object) -> str:
        return str(obj.volunteer)  # type: ignore[attr-defined]


class ShiftOut(Schema):
    id: int
    slot: str
    date: datetime.date
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    needed: int
    free: int
    gap: bool
    signups: list[SignupOut]


class RosterOut(Schema):
    start: datetime.date
    days: int
    gaps: int = Field(description="Shifts with fewer sign-ups than needed")
    shifts: list[ShiftOut]


class VolunteerOut(Schema):
    id: int = Field(description="The volunteer's membership id")
    name: str
    phone: str
    languages: str
    vog_issued_on: datetime.date | None
    vog_valid_until: datetime.date | None
    vog_warning: bool = Field(description="VOG missing, expired or expiring within 30 days")
    trainings: list[str]


class HouseLogIn(StrictIn):
    text: str = Field(
        description=f"At most {TEXT_MAX} characters; no health, addiction, sex-work or plan details"
    )
    person: int | None = Field(None, description="A current resident the entry is about")


class HouseLogOut(Schema):
    id: int
    written_at: datetime.datetime
    author: str
    text: str
    person: int | None = Field(alias="person_id")
    roepnaam: str | None
    shift: int | None = Field(alias="shift_id")

    @staticmethod
    def resolve_author(obj: object) -> str:
        author = obj.author  # type: ignore[attr-defined]
        return str(author.full_name or author.email)

    @staticmethod
    def resolve_roepnaam(obj: object) -> str | None:
        person = getattr(obj, "person", None)
        return person.roepnaam if person is not None else None


class BuddyIn(StrictIn):
    volunteer: int = Field(description="The volunteer's membership id")
    person: int = Field(description="A current resident")


class BuddyOut(Schema):
    id: int
    volunteer: int
    volunteer_name: str
    person: int = Field(alias="person_id")
    roepnaam: str
    started_on: datetime.date

    @staticmethod
    def resolve_volunteer(obj: object) -> int:
        return obj.volunteer.membership_id  # type: ignore[attr-defined,no-any-return]

    @staticmethod
    def resolve_volunteer_name(obj: object) -> str:
        return str(obj.volunteer)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_roepnaam(obj: object) -> str:
        return str(obj.person.roepnaam)  # type: ignore[attr-defined]
