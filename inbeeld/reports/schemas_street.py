"""The shapes of the street counts API. Input forbids unknown fields; the value rules are the actions'."""

from __future__ import annotations

import datetime

from ninja import Field, Schema
from pydantic import ConfigDict

from inbeeld.reports.actions_street import COUNT_MAX, NOTE_MAX
from inbeeld.reports.models import StreetCount


class StreetCountIn(Schema):
    # An unknown field is most often a typo; silently ignoring it would lose what the caller meant.
    model_config = ConfigDict(extra="forbid")

    location_id: int = Field(description="A street-zone location of your network, open on counted_on")
    counted_on: datetime.date = Field(description="Not in the future; within the location's opening")
    count: int = Field(description=f"0 to {COUNT_MAX}")
    method: StreetCount.Method = StreetCount.Method.COUNTED
    note: str = Field("", description=f"At most {NOTE_MAX} characters, one line; no names")


class StreetCountOut(Schema):
    id: int
    location_id: int
    location_name: str
    organisation_id: int = Field(description="The organisation that recorded the count")
    organisation_name: str
    counted_on: datetime.date
    count: int
    method: StreetCount.Method
    note: str
    recorded_by: str
    recorded_at: datetime.datetime

    @staticmethod
    def resolve_location_name(obj: StreetCount) -> str:
        return obj.location.name

    @staticmethod
    def resolve_organisation_name(obj: StreetCount) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_recorded_by(obj: StreetCount) -> str:
        return obj.recorded_by.full_name or obj.recorded_by.email
