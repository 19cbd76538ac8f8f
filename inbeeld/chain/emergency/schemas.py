"""The shapes of the emergency access API. Lengths of the reason are checked by ``actions``."""

from __future__ import annotations

import datetime

from ninja import Field, Schema
from pydantic import ConfigDict

from inbeeld.care.schemas_plans import PlanVersionOut
from inbeeld.people.schemas import SearchText


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class SearchIn(StrictIn):
    reason: str = Field(max_length=2000, description="Why you need this person's data now (20+ characters).")
    q: SearchText = Field(description="Exact roepnaam, alias or phone number.")


class BreakGlassIn(SearchIn):
    person_id: int = Field(description="A person the same search finds.")


class MatchOut(Schema):
    person_id: int
    roepnaam: str
    sees_normally: bool = Field(description="You already see this person: no emergency access needed.")
    grant_id: int | None = Field(description="Your active emergency access to this person, if any.")


class SearchOut(Schema):
    too_many: bool = Field(description="More persons match than are shown: use a more exact term.")
    results: list[MatchOut]


class GrantOut(Schema):
    id: int
    person_id: int
    roepnaam: str
    reason: str
    granted_at: datetime.datetime
    expires_at: datetime.datetime
    active: bool
    justified: bool | None = Field(description="The privacy officer's verdict; null until reviewed.")


class EmergencyViewOut(Schema):
    grant: GrantOut
    status: str
    status_label: str
    lead_organisation: str | None
    key_worker: str | None
    plan_organisation: str | None = Field(description="Who keeps the care plan; null without a plan.")
    latest_plan: PlanVersionOut | None = Field(description="The latest version, read-only; null without one.")


class ReviewItemOut(GrantOut):
    user_email: str
    organisation: str
    role: str
    reviewed_by: str | None
    reviewed_at: datetime.datetime | None
    review_note: str


class ReviewIn(StrictIn):
    justified: bool
    review_note: str = Field("", max_length=2000, description="Required when not justified.")
