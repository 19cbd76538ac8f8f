"""The shapes of the shelter beds, stays and waitlist API. Input schemas forbid unknown fields; the value
rules are ``shelter.stays``'. What a resident's row shows is shelter facts only: roepnaam, bed, dates."""

from __future__ import annotations

import datetime

from ninja import Field, Schema
from pydantic import ConfigDict

from inbeeld.shelter.models import CheckoutReason, Priority, WaitlistEntry
from inbeeld.shelter.stays.common import NOTE_MAX


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class CheckInIn(StrictIn):
    person_id: int
    bed_id: int
    planned_end_on: datetime.date | None = Field(None, description="Optional; not before today")
    house_rules_accepted: bool = Field(False, description="Must be true: the current house rules")
    waitlist_entry_id: int | None = Field(
        None, description="Default: the person's open entry at this site, closed as placed"
    )
    note: str = Field("", description=f"At most {NOTE_MAX} characters; stored encrypted")


class CheckOutIn(StrictIn):
    checkout_reason: CheckoutReason
    checked_out_at: datetime.datetime | None = Field(None, description="Default now; not before check-in")


class WaitlistIn(StrictIn):
    person_id: int
    priority: Priority = Priority.NORMAL
    note: str = Field("", description=f"At most {NOTE_MAX} characters; stored encrypted")


class WaitlistPatchIn(StrictIn):
    """Change the priority, or close the entry with an outcome (not "placed": a check-in places)."""

    priority: Priority | None = None
    outcome: WaitlistEntry.Outcome | None = None


class ResidentOut(Schema):
    id: int
    person_id: int
    roepnaam: str = Field(alias="person.roepnaam")
    room: str = Field(alias="bed.room.name")
    bed_id: int
    bed: str = Field(alias="bed.label")
    checked_in_at: datetime.datetime
    planned_end_on: datetime.date | None


class StayOut(ResidentOut):
    checked_out_at: datetime.datetime | None
    checkout_reason: str
    house_rules_version: int = Field(alias="house_rules.version")
    version: int


class BedOut(Schema):
    id: int
    label: str
    in_use: bool
    stay: ResidentOut | None


class RoomOut(Schema):
    id: int
    name: str
    free: int
    beds: list[BedOut]


class BoardOut(Schema):
    site_id: int
    capacity: int
    occupied: int
    free: int
    rooms: list[RoomOut]


class WaitlistOut(Schema):
    id: int
    person_id: int
    roepnaam: str = Field(alias="person.roepnaam")
    priority: Priority
    added_on: datetime.date
    closed_at: datetime.datetime | None
    outcome: str
