"""The shapes of the referral API. Inputs forbid unknown fields; the value rules are the actions'."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Schema

from inbeeld.chain.referrals.actions import DECLINE_MAX, NOTE_MAX, REASON_MAX
from inbeeld.chain.referrals.models import Referral
from inbeeld.chain.transfers.schemas import StrictIn
from inbeeld.people.models import DataCategory


class ReferralIn(StrictIn):
    service: int = Field(description="A partner service of another organisation of this network")
    reason: str = Field(description=f"Required, at most {REASON_MAX} characters; stored encrypted")
    urgency: Referral.Urgency = Referral.Urgency.NORMAL
    shared_categories: list[DataCategory] = Field(description="What is shared; the consent must cover it all")
    consent: int | None = Field(
        description="The consent or recorded legal basis it rests on: for the receiving organisation, "
        "valid today, covering every shared category"
    )
    handover_note: str = Field("", description=f"At most {NOTE_MAX} characters; once sent, receiver only")
    send: bool = Field(False, description="Send at once instead of saving a draft")


class StepIn(StrictIn):
    to: Referral.State = Field(description="The next state; the lifecycle decides which are possible")
    reason: str = Field("", description=f"Required when declining, at most {DECLINE_MAX} characters")


class EventOut(Schema):
    state: Referral.State
    at: datetime.datetime
    actor_id: int
    organisation_id: int


class ReferralOut(Schema):
    id: int
    person_id: int
    roepnaam: str
    direction: Literal["incoming", "outgoing"]
    from_organisation_id: int
    service_id: int
    to_organisation_id: int
    urgency: Referral.Urgency
    reason: str
    shared_categories: list[str]
    consent_id: int
    legal_basis: bool = Field(description="Rests on a recorded legal basis instead of consent")
    state: Referral.State
    state_changed_at: datetime.datetime
    handover_note: str | None = Field(description="Only for the receiver (and the sender of a draft)")
    decline_reason: str
    events: list[EventOut]
