"""The shapes of the assessment API.

Input schemas check types and forbid unknown fields; the rules about values (levels of the instrument,
plausible dates, note lengths, control characters) are the write function's, shared with the web form.
Output schemas mirror the dataclasses of ``care.actions.assessments``.
"""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import Strict

from inbeeld.people.schemas import StrictIn

# A JSON integer: true, 2.0 and "2" are not scores.
StrictInt = Annotated[int, Strict()]


class LevelOut(Schema):
    value: int
    label: str


class DomainOut(Schema):
    id: int
    code: str
    name: str = Field(description="In the language of the request")
    description: str = Field(description="The network's own description; may be empty")


class InstrumentOut(Schema):
    id: int
    code: str
    name: str
    description: str
    network_specific: bool = Field(description="false: available to every network")
    levels: list[LevelOut] = Field(description="Lowest first, named in the language of the request")
    domains: list[DomainOut]


class ScoreOut(Schema):
    domain_id: int
    domain_code: str
    domain: str
    value: int | None = Field(description="null: not assessed")
    level: str = Field(description="The level's name; empty when not assessed")
    note: str


class AssessmentOut(Schema):
    id: int
    person_id: int
    instrument_id: int
    instrument_code: str
    instrument: str
    organisation_id: int = Field(description="The organisation that recorded it and owns it")
    organisation: str
    assessed_on: datetime.date
    assessed_by: str
    recorded_at: datetime.datetime
    note: str
    scored: int = Field(description="How many domains have a score")
    scores: list[ScoreOut]


class ScoreIn(StrictIn):
    domain_id: int = Field(description="A domain of the chosen instrument (see GET /instruments)")
    value: StrictInt | None = Field(None, description="One of the instrument's levels; null: not assessed")
    note: str = Field("", description="At most 1000 characters")


class AssessmentIn(StrictIn):
    instrument_id: int | None = Field(None, description="Omitted: the Zelfredzaamheid-Matrix 2017")
    assessed_on: datetime.date = Field(description="Not in the future, not before 2000")
    note: str = Field("", description="At most 1000 characters")
    scores: list[ScoreIn] = Field(
        description="One entry per domain at most; domains left out are not assessed. "
        "At least one domain needs a score."
    )


class DomainChangeOut(Schema):
    domain_id: int
    domain_code: str
    domain: str
    first: int | None = Field(description="The domain's first score; null: never scored")
    first_on: datetime.date | None
    latest: int | None = Field(description="The score in the latest assessment; null: not assessed")
    latest_level: str
    change: int | None = Field(
        description="latest − first; null when not assessed in the latest assessment, "
        "or when the latest is the first score"
    )


class SummaryOut(Schema):
    """The latest assessment you may see, and per domain the change since the domain's first score."""

    count: int = Field(description="Assessments with the latest one's instrument that you may see")
    instrument_id: int | None
    instrument: str | None
    first_on: datetime.date | None
    latest_id: int | None
    latest_on: datetime.date | None
    domains: list[DomainChangeOut]
