"""What of a person a viewer sees, decided once for the web page and the API alike.

Every value here has passed ``core.access``: a field is present only when the viewer's level allows it,
and another organisation's free text only when the person's consent allows it (rule 2).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from inbeeld.core import audit
from inbeeld.core.access import Level, Need, PersonAccess
from inbeeld.core.models import AuditEvent
from inbeeld.people.models import Consent, DataCategory, Involvement, Person, StatusChange


@dataclass
class InvolvementView:
    id: int
    organisation_id: int
    organisation: str
    started_on: datetime.date
    ended_on: datetime.date | None
    reason: str | None  # None: another organisation's text the viewer may not read
    may_end: bool


@dataclass
class ConsentView:
    id: int
    recipient_id: int
    recipient: str
    purpose: str
    purpose_label: str
    data_categories: list[str]
    category_labels: list[str]
    basis: str
    basis_label: str
    how_given: str
    how_given_label: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    withdrawn_at: datetime.datetime | None
    is_valid: bool
    recorded_by: str
    recorded_by_organisation: str
    note: str | None


@dataclass
class StatusChangeView:
    from_status: str
    to_status: str
    to_status_label: str
    effective_on: datetime.date
    note: str | None


@dataclass
class PersonView:
    id: int
    level: str
    roepnaam: str
    aliases: list[str]
    status: str
    status_label: str
    status_since: datetime.date
    lead_organisation: str | None
    key_worker: str | None
    version: int
    # Sections the viewer may not see stay None (absent), which is not the same as empty.
    identity: dict[str, Any] | None = None
    status_history: list[StatusChangeView] | None = None
    involvements: list[InvolvementView] | None = None
    consents: list[ConsentView] | None = None
    may: dict[str, bool] = field(default_factory=dict)


def involvements_of(access: PersonAccess) -> list[InvolvementView]:
    rows = Involvement.objects.filter(person=access.person).select_related("organisation")
    out = []
    for inv in rows:
        visible = access.sees_records_of(inv.organisation_id, DataCategory.CARE_PLAN)
        out.append(
            InvolvementView(
                id=inv.pk,
                organisation_id=inv.organisation_id,
                organisation=inv.organisation.name,
                started_on=inv.started_on,
                ended_on=inv.ended_on,
                reason=inv.reason if visible else None,
                may_end=inv.ended_on is None and access.may_end_involvement_of(inv.organisation_id),
            )
        )
    return out


def consents_of(access: PersonAccess) -> list[ConsentView]:
    rows = Consent.objects.filter(person=access.person).select_related(
        "recipient", "recorded_by", "recorded_by_organisation"
    )
    out = []
    for c in rows:
        note_visible = access.level >= Level.FILE and access.sees_records_of(
            c.recorded_by_organisation_id, DataCategory.CARE_PLAN
        )
        out.append(
            ConsentView(
                id=c.pk,
                recipient_id=c.recipient_id,
                recipient=c.recipient.name,
                purpose=c.purpose,
                purpose_label=str(c.get_purpose_display()),
                data_categories=list(c.data_categories),
                category_labels=c.category_labels(),
                basis=c.basis,
                basis_label=str(c.get_basis_display()),
                how_given=c.how_given,
                how_given_label=str(c.get_how_given_display()),
                valid_from=c.valid_from,
                valid_to=c.valid_to,
                withdrawn_at=c.withdrawn_at,
                is_valid=c.is_valid_on(),
                recorded_by=str(c.recorded_by),
                recorded_by_organisation=c.recorded_by_organisation.name,
                note=c.note if note_visible else None,
            )
        )
    return out


def _status_history(access: PersonAccess) -> list[StatusChangeView]:
    out = []
    for change in StatusChange.objects.filter(person=access.person):
        note_visible = access.sees_records_of(change.recorded_by_organisation_id, DataCategory.CARE_PLAN)
        out.append(
            StatusChangeView(
                from_status=change.from_status,
                to_status=change.to_status,
                to_status_label=str(change.get_to_status_display()),
                effective_on=change.effective_on,
                note=change.note if note_visible else None,
            )
        )
    return out


def person_view(access: PersonAccess) -> PersonView:
    person: Person = access.person
    view = PersonView(
        id=person.pk,
        level=access.level.name.lower(),
        roepnaam=person.roepnaam,
        aliases=person.alias_names(),
        status=person.status,
        status_label=str(person.get_status_display()),
        status_since=person.status_since,
        lead_organisation=person.lead_organisation.name if person.lead_organisation else None,
        key_worker=str(person.key_worker) if person.key_worker else None,
        version=person.version,
        may={need.value: access.allows(need) for need in Need},
    )
    if access.level >= Level.FILE:
        view.identity = {
            "legal_name": person.legal_name,
            "date_of_birth": person.date_of_birth,
            "birth_year": person.birth_year,
            "phone": person.phone,
            "address": person.address,
            "languages": person.languages,
            "nationality": person.nationality,
        }
        view.status_history = _status_history(access)
    if access.allows(Need.READ_INVOLVEMENTS):
        view.involvements = involvements_of(access)
    if access.allows(Need.READ_CONSENTS):
        view.consents = consents_of(access)
    return view


def access_log(access: PersonAccess, actor: audit.Actor) -> QuerySet[AuditEvent]:
    """Who read or changed this person's data. Reading it is itself recorded."""
    with transaction.atomic():
        audit.record(
            actor,
            action=AuditEvent.Action.READ,
            data="audit_log",
            basis=access.basis,
            person_id=access.person.pk,
            object_id=access.person.pk,
        )
    return AuditEvent.objects.filter(person_id_snapshot=access.person.pk).order_by("-id")
