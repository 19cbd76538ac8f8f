"""The shapes of the intake API (see ``schemas_contacts`` for the conventions).

Input schemas check types and forbid unknown fields; the rules about values are the write functions'
(``care.actions.intake`` and the actions it calls), so the wizard and the API refuse the same things.
A draft's answers are the web form's fields as typed, so a draft kept on the web resumes in the API and
the other way round.
"""

from __future__ import annotations

import datetime
from typing import Literal, cast

from ninja import Field, Schema

from inbeeld.care.actions.appointments import PLACE_MAX
from inbeeld.care.actions.intake import FIRST_ASSESSMENT_MINUTES
from inbeeld.care.models import Intake
from inbeeld.care.schemas_contacts import ContactIn
from inbeeld.people.schemas import ConsentIn, StrictIn

Step = Intake.Step
# The steps a draft can be kept for (a done intake keeps none).
DraftStep = Literal["person", "first_contact", "consent", "key_worker", "assessment"]
# The durations the wizard offers for the first assessment.
Duration = Literal[30, 45, 60, 90, 120]
Answer = str | list[str]


# --- input ----------------------------------------------------------------------------------------


class IntakePersonIn(StrictIn):
    """A walk-in: what a first conversation tells (the rest of the details can wait)."""

    roepnaam: str = Field(description="The name the person uses; required, at most 80 characters")
    aliases: list[str] = []
    languages: list[str] = Field([], description="ISO 639 codes such as nl, en, ro")
    nationality: str = Field("", description="ISO 3166 two-letter code such as NL, RO")
    phone: str = ""


class IntakePersonStepIn(StrictIn):
    """The person step: someone you see (``person_id``) or someone new (``person``), one of the two."""

    person_id: int | None = Field(None, description="A person you see, without an intake in progress")
    person: IntakePersonIn | None = Field(None, description="Register someone new")


class FirstContactIn(ContactIn):
    """The first contact with the intake's person (as recording a contact, without the person)."""


class IntakeConsentIn(StrictIn):
    consent: ConsentIn | None = Field(description="null: the person has not decided yet (no consent)")


class KeyWorkerIn(StrictIn):
    languages: list[str] | None = Field(
        None, description="ISO 639 codes the person speaks; omitted or null: keep those recorded"
    )
    key_worker_id: int = Field(description="A caseworker of your organisation; your organisation leads")


class FirstAssessmentIn(StrictIn):
    starts_at: datetime.datetime = Field(
        description="Not in the past, at most two years ahead. Without a time zone, the network's."
    )
    duration_minutes: Duration = Field(
        cast(Duration, FIRST_ASSESSMENT_MINUTES), description="30, 45, 60, 90 or 120"
    )
    location_id: int | None = Field(None, description="A location of your network")
    place: str = Field("", description=f"Or the place in words, at most {PLACE_MAX} characters")


class DraftIn(StrictIn):
    step: DraftStep = Field(description="The step the intake is at; another step answers 409")
    answers: dict[str, Answer] = Field(
        description="The step's web form fields as typed (e.g. recipient, key_worker, location as ids, "
        "occurred_at as 2026-05-01T10:30, languages as 'nl, ro'); any may be left out."
    )


# --- output ---------------------------------------------------------------------------------------


class IntakeSummaryOut(Schema):
    id: int
    step: Step
    step_label: str
    person_id: int | None = Field(description="null: the person step is not done yet")
    roepnaam: str | None = Field(
        description="The person's roepnaam; before the person step, the name kept in the draft"
    )
    started_at: datetime.datetime
    started_by: str
    may_continue: bool = Field(
        description="Whether you may do the current step (from consent on: a caseworker)"
    )


class IntakeOut(IntakeSummaryOut):
    completed_at: datetime.datetime | None
    done: list[Step] = Field(description="The steps completed, in order")
    draft: dict[str, Answer] = Field(description="The answers kept for the current step")
    first_contact_id: int | None
    first_assessment_id: int | None


class StepMovedOut(Schema):
    detail: str
    step: Step = Field(description="The step the intake is at now")
