"""The shapes of the transfer-of-lead API. Inputs forbid unknown fields; the value rules are the actions'."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from inbeeld.chain.transfers.actions import NOTE_MAX, REASON_MAX
from inbeeld.chain.transfers.models import LeadTransfer


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class ProposeIn(StrictIn):
    to_organisation: int = Field(description="The receiving organisation: of this network, not the lead")
    handover_note: str = Field(description=f"Required, at most {NOTE_MAX} characters; stored encrypted")


class AcceptIn(StrictIn):
    to_key_worker: int = Field(description="The new key worker: a caseworker of the receiving organisation")


class DeclineIn(StrictIn):
    reason: str = Field(description=f"Required, at most {REASON_MAX} characters; stored encrypted")


class WithdrawIn(StrictIn):
    pass


class TransferOut(Schema):
    id: int
    person_id: int
    roepnaam: str
    direction: Literal["incoming", "outgoing", "network"] = Field(description="network: a coordinator's view")
    from_organisation_id: int
    from_key_worker_id: int | None
    to_organisation_id: int
    to_key_worker_id: int | None
    state: LeadTransfer.State
    proposed_at: datetime.datetime
    decided_at: datetime.datetime | None
    handover_note: str | None = Field(description="Only for the two organisations of the transfer")
    decline_reason: str | None = Field(description="Only for the two organisations of the transfer")
