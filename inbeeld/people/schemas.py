"""The shapes of the person API.

Input schemas check only types and forbid unknown fields; the rules about values (lengths, control
characters, plausible dates) live in ``people.validation`` and are applied by the write functions,
so the web forms and the API refuse exactly the same things.
Output schemas mirror the dataclasses of ``people.presenters``, which decide what a viewer sees.
"""

from __future__ import annotations

import datetime
import unicodedata
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, StringConstraints

from inbeeld.people.models import (
    Consent,
    ContactFrequency,
    DataCategory,
    Person,
    Status,
    TieKind,
    TieQuality,
)


def _no_control_characters(text: str) -> str:
    # A NUL byte in a search would make PostgreSQL refuse the query (a 500); refuse it as input instead.
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text):
        raise ValueError(_("Contains characters that are not allowed."))
    return text


SearchText = Annotated[str, StringConstraints(max_length=200), AfterValidator(_no_control_characters)]


class StrictIn(Schema):
    # An unknown field is most often a typo; silently ignoring it would lose what the caller meant.
    model_config = ConfigDict(extra="forbid")


# --- persons ----------------------------------------------------------------------------------------


class PersonSummaryOut(Schema):
    """The radar core of a person, as the by-name list shows it."""

    id: int
    roepnaam: str
    aliases: list[str]
    status: Status
    status_since: datetime.date
    lead_organisation_id: int | None
    lead_organisation: str | None
    key_worker_id: int | None
    key_worker: str | None

    @staticmethod
    def resolve_aliases(obj: Person) -> list[str]:
        return obj.alias_names()

    @staticmethod
    def resolve_lead_organisation(obj: Person) -> str | None:
        return obj.lead_organisation.name if obj.lead_organisation else None

    @staticmethod
    def resolve_key_worker(obj: Person) -> str | None:
        return str(obj.key_worker) if obj.key_worker else None


class IdentityOut(Schema):
    legal_name: str
    date_of_birth: datetime.date | None
    birth_year: int | None
    phone: str
    address: str
    languages: list[str]
    nationality: str


class StatusChangeOut(Schema):
    from_status: str
    to_status: Status
    to_status_label: str
    effective_on: datetime.date
    note: str | None = Field(description="null: another organisation's note you may not read")


class InvolvementOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    started_on: datetime.date
    ended_on: datetime.date | None
    reason: str | None = Field(description="null: another organisation's text you may not read")
    may_end: bool


class ConsentOut(Schema):
    id: int
    recipient_id: int
    recipient: str
    purpose: Consent.Purpose
    purpose_label: str
    data_categories: list[DataCategory]
    category_labels: list[str]
    basis: Consent.Basis
    basis_label: str
    how_given: Consent.HowGiven
    how_given_label: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    withdrawn_at: datetime.datetime | None
    is_valid: bool
    recorded_by: str
    recorded_by_organisation: str
    note: str | None = Field(description="null: another organisation's note you may not read")


class PersonOut(Schema):
    """A person as the caller may see them. A section is null when the caller's access does not reach it."""

    id: int
    level: str = Field(description="core, privacy or file: how much of this person the caller sees")
    roepnaam: str
    aliases: list[str]
    status: Status
    status_label: str
    status_since: datetime.date
    lead_organisation_id: int | None
    lead_organisation: str | None
    key_worker_id: int | None
    key_worker: str | None
    version: int = Field(
        description="Send it back with an edit: an edit based on an older version is refused"
    )
    identity: IdentityOut | None
    status_history: list[StatusChangeOut] | None
    involvements: list[InvolvementOut] | None
    consents: list[ConsentOut] | None
    may: dict[str, bool] = Field(description="Which operations the caller may do for this person")


class PersonDetailsIn(StrictIn):
    roepnaam: str = Field(description="The name the person uses; required, at most 80 characters")
    aliases: list[str] = []
    legal_name: str = ""
    date_of_birth: datetime.date | None = None
    birth_year: int | None = None
    phone: str = ""
    address: str = ""
    languages: list[str] = Field([], description="ISO 639 codes such as nl, en, ro")
    nationality: str = Field("", description="ISO 3166 two-letter code such as NL, RO")


class RegisterIn(PersonDetailsIn):
    status: Status = Status.UNKNOWN
    key_worker_id: int | None = None
    reason: str = Field("", description="Why your organisation becomes involved")


class PersonPatchIn(StrictIn):
    """Only the fields sent are changed; null clears an optional field."""

    version: int = Field(description="The version you read; a newer one on the server means 409")
    roepnaam: str | None = None
    aliases: list[str] | None = None
    legal_name: str | None = None
    date_of_birth: datetime.date | None = None
    birth_year: int | None = None
    phone: str | None = None
    address: str | None = None
    languages: list[str] | None = None
    nationality: str | None = None


class ChangedFieldOut(Schema):
    field: str
    current: object
    submitted: object


class ConflictOut(Schema):
    detail: str
    changed: list[ChangedFieldOut]


class StatusIn(StrictIn):
    status: Status
    effective_on: datetime.date
    note: str = ""


class LeadIn(StrictIn):
    lead_organisation_id: int | None = Field(description="null: no lead organisation")
    key_worker_id: int | None = None


# --- involvements and consents ------------------------------------------------------------------


class InvolvementIn(StrictIn):
    organisation_id: int
    started_on: datetime.date
    reason: str = ""


class EndInvolvementIn(StrictIn):
    ended_on: datetime.date
    end_reason: str = ""


class ConsentIn(StrictIn):
    recipient_id: int = Field(description="The organisation that may receive the data")
    purpose: Consent.Purpose
    data_categories: list[DataCategory]
    how_given: Consent.HowGiven
    valid_from: datetime.date
    valid_to: datetime.date | None = None
    basis: Consent.Basis = Consent.Basis.CONSENT
    note: str = ""


class WithdrawIn(StrictIn):
    note: str = ""


# --- the access log ------------------------------------------------------------------------------


class AuditEventOut(Schema):
    id: int
    occurred_at: datetime.datetime
    user: str = Field(alias="user_label")
    organisation: str = Field(alias="organisation_label")
    role: str
    action: str
    data: str
    object_id: str
    basis: str
    emergency: bool
    source: str


class TimelineEntryOut(Schema):
    when: datetime.datetime | datetime.date
    kind: str
    kind_label: str
    title: str
    detail: str
    organisation: str
    url: str


class TimelinePageOut(Schema):
    page: int
    has_next: bool
    items: list[TimelineEntryOut]


# --- the social network map -------------------------------------------------------------------------


class TieIn(StrictIn):
    kind: TieKind
    quality: TieQuality = Field(description="A risk contact is always of quality risk")
    name: str = Field(description="Name or label, e.g. 'sister' or 'Mo (buddy)'; at most 80 characters")
    frequency: ContactFrequency
    started_on: datetime.date | None = Field(None, description="Since when; today when left out")
    note: str = ""


class EndTieIn(StrictIn):
    ended_on: datetime.date


class TieOut(Schema):
    id: int
    kind: TieKind
    kind_label: str
    quality: TieQuality
    quality_label: str
    name: str
    frequency: ContactFrequency
    frequency_label: str
    started_on: datetime.date
    ended_on: datetime.date | None
    note: str
    organisation_id: int
    organisation: str
    may_edit: bool


class NetworkSizeOut(Schema):
    on: datetime.date = Field(description="The last day of the month (today for the current month)")
    size: int = Field(description="Ties open on that day")
    supportive: int
    risk: int
