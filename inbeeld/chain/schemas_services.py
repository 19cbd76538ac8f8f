"""The shapes of the partner services API. Input schemas forbid unknown fields; the value rules are the
actions' (``chain.actions_services``), so the API refuses exactly what the web form refuses."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from inbeeld.chain.models import Category, Service


class StrictIn(Schema):
    # An unknown field is most often a typo; silently ignoring it would lose what the caller meant.
    model_config = ConfigDict(extra="forbid")


class ServiceFieldsIn(StrictIn):
    description: str = ""
    eligibility: str = Field("", description="Who the service is for")
    application_process: str = Field("", description="How to apply")
    fees: str = Field("", description="What it costs, in words")
    languages: list[str] = Field([], description="ISO 639-1 codes such as nl, en, ro, bg")
    phone: str = ""
    email: str = ""
    url: str = Field("", description="A web address starting with https:// or http://")
    location_ids: list[int] = Field([], description="Locations of the service's own organisation")


class ServiceIn(ServiceFieldsIn):
    organisation_id: int | None = Field(
        None,
        description="Omitted: the caller's own organisation. Only the application manager adds for others.",
    )
    name: str
    category: Category


class ServicePatchIn(StrictIn):
    """Only the fields sent change. ``version`` is the one you read: a stale one is refused with 409."""

    version: int
    name: str | None = None
    category: Category | None = None
    status: Service.Status | None = None
    description: str | None = None
    eligibility: str | None = None
    application_process: str | None = None
    fees: str | None = None
    languages: list[str] | None = None
    phone: str | None = None
    email: str | None = None
    url: str | None = None
    location_ids: list[int] | None = None


class ServiceOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    name: str
    category: Category
    status: Service.Status
    description: str
    eligibility: str
    application_process: str
    fees: str
    languages: list[str]
    phone: str
    email: str
    url: str
    location_ids: list[int]
    version: int
    updated_at: datetime.datetime

    @staticmethod
    def resolve_organisation_name(obj: Service) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_location_ids(obj: Service) -> list[int]:
        return sorted(location.pk for location in obj.locations.all())


class ChangedFieldOut(Schema):
    field: str
    current: Any
    submitted: Any


class ConflictOut(Schema):
    detail: str
    changed: list[ChangedFieldOut]
