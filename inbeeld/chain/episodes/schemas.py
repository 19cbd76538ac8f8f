"""API shapes for episodes."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from inbeeld.chain.episodes.models import EpisodeKind, Outcome, Source
from inbeeld.people.schemas import StrictIn


class EpisodeIn(StrictIn):
    kind: EpisodeKind
    place: str = Field("", description="E.g. the clinic's name; at most 120 characters")
    started_on: datetime.date
    ended_on: datetime.date | None = Field(None, description="Left out while the episode lasts")
    outcome: Outcome | None = Field(None, description="Required when ended_on is given, else left out")
    source: Source = Field(
        description="own_record: the organisation concerned; information_received: told to the key worker"
    )
    note: str = ""


class EpisodeChangeIn(EpisodeIn):
    version: int = Field(description="The version the change is based on; a stale one answers 409")


class EndEpisodeIn(StrictIn):
    ended_on: datetime.date
    outcome: Outcome
    version: int | None = Field(None, description="When given, a stale version answers 409")


class EpisodeOut(Schema):
    id: int
    kind: EpisodeKind
    kind_label: str
    place: str
    started_on: datetime.date
    ended_on: datetime.date | None
    outcome: Outcome | None
    outcome_label: str
    source: Source
    note: str
    organisation_id: int
    organisation: str
    version: int
    may_edit: bool
