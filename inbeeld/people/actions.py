"""Writes to the person register. Each is one transaction that also writes its audit event.

Callers have already asked ``core.access`` for a ``PersonAccess`` allowing the write.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.core import audit
from inbeeld.core.access import PersonAccess
from inbeeld.core.crypto import phone_index
from inbeeld.core.models import AuditEvent, Membership, Organisation, User
from inbeeld.core.roles import Role
from inbeeld.people import validation as v
from inbeeld.people.models import Alias, Consent, DataCategory, Involvement, Person, Status, StatusChange

Action = AuditEvent.Action


@dataclass
class PersonDetails:
    """What a worker may fill in about a person (everything but roepnaam optional)."""

    roepnaam: str
    aliases: list[str] = field(default_factory=list)
    legal_name: str = ""
    date_of_birth: datetime.date | None = None
    birth_year: int | None = None
    phone: str = ""
    address: str = ""
    languages: list[str] = field(default_factory=list)
    nationality: str = ""

    def cleaned(self) -> PersonDetails:
        errors: dict[str, Any] = {}
        out = PersonDetails(roepnaam="")
        steps = [
            ("roepnaam", lambda: v.clean_name(self.roepnaam, field="roepnaam")),
            ("aliases", lambda: v.clean_aliases(self.aliases)),
            ("legal_name", lambda: v.clean_name(self.legal_name, field="legal_name", required=False)),
            ("phone", lambda: v.clean_phone(self.phone)),
            ("address", lambda: v.clean_text(self.address, field="address", max_length=300)),
            ("languages", lambda: v.clean_languages(self.languages)),
            ("nationality", lambda: v.clean_country(self.nationality)),
        ]
        for name, step in steps:
            try:
                setattr(out, name, step())
            except ValidationError as error:
                errors.update(error.message_dict)
        try:
            out.date_of_birth, out.birth_year = v.clean_birth(self.date_of_birth, self.birth_year)
        except ValidationError as error:
            errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)
        return out


DETAIL_FIELDS = ("legal_name", "date_of_birth", "birth_year", "phone", "address", "languages", "nationality")


class EditConflict(Exception):
    """Someone saved the person after the editor loaded it; nothing was written."""

    def __init__(self, person: Person, changed: list[tuple[str, Any, Any]]):
        self.person = person
        self.changed = changed  # (field, value now stored, value submitted)
        super().__init__(_("Someone else changed this person while you were editing."))


def _record(actor: audit.Actor, access: PersonAccess | None, person: Person, **kwargs: Any) -> None:
    basis = access.basis if access else AuditEvent.Basis.INVOLVEMENT
    audit.record(actor, person_id=person.pk, basis=basis, **kwargs)


def _key_worker_in(organisation: Organisation | None, key_worker: User | None, *, field: str) -> None:
    if key_worker is None:
        return
    if organisation is None:
        raise ValidationError({field: _("Choose a lead organisation before a key worker.")})
    ok = Membership.objects.active().filter(
        user=key_worker, organisation=organisation, role__in=[Role.CASEWORKER, Role.OUTREACH]
    )
    if not ok.exists():
        raise ValidationError({field: _("The key worker must be a caseworker of the lead organisation.")})


def _set_aliases(person: Person, names: list[str]) -> None:
    person.aliases.exclude(name__in=names).delete()
    existing = set(person.aliases.values_list("name", flat=True))
    Alias.objects.bulk_create([Alias(person=person, name=n) for n in names if n not in existing])


def register_person(
    details: PersonDetails,
    *,
    actor: audit.Actor,
    status: str = Status.UNKNOWN,
    key_worker: User | None = None,
    reason: str = "",
) -> Person:
    """Register a person; the registering organisation becomes involved and leads."""
    membership = actor.membership
    if membership is None:
        raise ValueError("Registering needs an acting member.")
    clean = details.cleaned()
    if status not in Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    reason = v.clean_text(reason, field="reason", max_length=500)
    organisation = membership.organisation
    _key_worker_in(organisation, key_worker, field="key_worker")
    today = timezone.localdate()
    with transaction.atomic():
        person = Person.objects.create(
            network=organisation.network,
            roepnaam=clean.roepnaam,
            legal_name=clean.legal_name,
            date_of_birth=clean.date_of_birth,
            birth_year=clean.birth_year,
            phone=clean.phone,
            phone_index=phone_index(clean.phone) if clean.phone else "",
            address=clean.address,
            languages=clean.languages,
            nationality=clean.nationality,
            status=status,
            status_since=today,
            lead_organisation=organisation,
            key_worker=key_worker,
        )
        _set_aliases(person, clean.aliases)
        StatusChange.objects.create(
            person=person,
            to_status=status,
            effective_on=today,
            recorded_by=actor.user,
            recorded_by_organisation=organisation,
        )
        Involvement.objects.create(
            person=person, organisation=organisation, started_on=today, reason=reason, created_by=actor.user
        )
        _record(actor, None, person, action=Action.CREATE, data="person", object_id=person.pk)
    return person


def _current_values(person: Person) -> dict[str, Any]:
    values = {name: getattr(person, name) for name in ("roepnaam", *DETAIL_FIELDS)}
    values["aliases"] = sorted(person.alias_names())
    return values


def update_person(
    access: PersonAccess, details: PersonDetails, *, actor: audit.Actor, expected_version: int
) -> Person:
    clean = details.cleaned()
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=access.person.pk)
        before = _current_values(person)
        submitted = {name: getattr(clean, name) for name in ("roepnaam", *DETAIL_FIELDS)}
        submitted["aliases"] = sorted(clean.aliases)
        changed = [name for name in submitted if submitted[name] != before[name]]
        if person.version != expected_version:
            raise EditConflict(person, [(n, before[n], submitted[n]) for n in changed])
        if not changed:
            return person
        for name in ("roepnaam", *DETAIL_FIELDS):
            setattr(person, name, getattr(clean, name))
        person.phone_index = phone_index(clean.phone) if clean.phone else ""
        person.version += 1
        person.save()
        _set_aliases(person, clean.aliases)
        _record(
            actor,
            access,
            person,
            action=Action.UPDATE,
            data="person",
            object_id=person.pk,
            detail={"fields": changed},
        )
    return person


def change_status(
    access: PersonAccess, *, actor: audit.Actor, status: str, effective_on: datetime.date, note: str = ""
) -> Person:
    if status not in Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    effective_on = v.clean_record_date(effective_on, field="effective_on")
    note = v.clean_text(note, field="note", max_length=1000)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=access.person.pk)
        if effective_on < person.status_since:
            raise ValidationError(
                {"effective_on": _("The current status started later; enter a date on or after it.")}
            )
        StatusChange.objects.create(
            person=person,
            from_status=person.status,
            to_status=status,
            effective_on=effective_on,
            recorded_by=actor.user,
            recorded_by_organisation=access.membership.organisation,
            note=note,
        )
        person.status = status
        person.status_since = effective_on
        person.version += 1
        person.save(update_fields=["status", "status_since", "version", "updated_at"])
        _record(
            actor,
            access,
            person,
            action=Action.UPDATE,
            data="person.status",
            object_id=person.pk,
            detail={"status": status},
        )
    return person


def assign_lead(
    access: PersonAccess,
    *,
    actor: audit.Actor,
    lead_organisation: Organisation | None,
    key_worker: User | None,
) -> Person:
    network_id = access.person.network_id
    if lead_organisation is not None and lead_organisation.network_id != network_id:
        raise ValidationError({"lead_organisation": _("Choose an organisation of this network.")})
    _key_worker_in(lead_organisation, key_worker, field="key_worker")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=access.person.pk)
        person.lead_organisation = lead_organisation
        person.key_worker = key_worker
        person.version += 1
        person.save(update_fields=["lead_organisation", "key_worker", "version", "updated_at"])
        _record(actor, access, person, action=Action.UPDATE, data="person.lead", object_id=person.pk)
    return person


def add_involvement(
    access: PersonAccess,
    *,
    actor: audit.Actor,
    organisation: Organisation,
    started_on: datetime.date,
    reason: str = "",
) -> Involvement:
    if organisation.network_id != access.person.network_id:
        raise ValidationError({"organisation": _("Choose an organisation of this network.")})
    if not access.may_add_involvement_of(organisation.pk):
        raise PermissionDenied(_("Only the network coordinator may involve another organisation."))
    started_on = v.clean_record_date(started_on, field="started_on")
    reason = v.clean_text(reason, field="reason", max_length=500)
    try:
        with transaction.atomic():
            involvement = Involvement.objects.create(
                person=access.person,
                organisation=organisation,
                started_on=started_on,
                reason=reason,
                created_by=actor.user,
            )
            _record(
                actor,
                access,
                access.person,
                action=Action.CREATE,
                data="involvement",
                object_id=involvement.pk,
            )
    except IntegrityError:
        raise ValidationError(
            {"organisation": _("This organisation is already involved with this person.")}
        ) from None
    return involvement


def end_involvement(
    access: PersonAccess,
    involvement: Involvement,
    *,
    actor: audit.Actor,
    ended_on: datetime.date,
    end_reason: str = "",
) -> Involvement:
    ended_on = v.clean_record_date(ended_on, field="ended_on")
    end_reason = v.clean_text(end_reason, field="end_reason", max_length=500)
    if involvement.person_id != access.person.pk or not access.may_end_involvement_of(
        involvement.organisation_id
    ):
        raise PermissionDenied(_("Your role may not do this for this person."))
    if involvement.ended_on is not None:
        raise ValidationError({"ended_on": _("This involvement has already ended.")})
    if ended_on < involvement.started_on:
        raise ValidationError({"ended_on": _("The end cannot be before the start.")})
    with transaction.atomic():
        involvement.ended_on = ended_on
        involvement.end_reason = end_reason
        involvement.save(update_fields=["ended_on", "end_reason"])
        _record(
            actor,
            access,
            access.person,
            action=Action.UPDATE,
            data="involvement",
            object_id=involvement.pk,
            detail={"ended": True},
        )
    return involvement


@dataclass
class ConsentInput:
    recipient: Organisation | None
    purpose: str
    data_categories: list[str]
    how_given: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None = None
    basis: str = Consent.Basis.CONSENT
    note: str = ""


def _clean_consent(person: Person, data: ConsentInput) -> ConsentInput:
    errors: dict[str, Any] = {}
    if data.recipient is None or data.recipient.network_id != person.network_id:
        errors["recipient"] = _("Choose an organisation of this network.")
    if data.purpose not in Consent.Purpose.values:
        errors["purpose"] = _("Choose a valid purpose.")
    categories = list(dict.fromkeys(data.data_categories or []))
    if not categories:
        errors["data_categories"] = _("Choose at least one data category.")
    elif any(c not in DataCategory.values for c in categories):
        errors["data_categories"] = _("Choose valid data categories.")
    if data.basis not in Consent.Basis.values:
        errors["basis"] = _("Choose a valid basis.")
    if data.how_given not in Consent.HowGiven.values:
        errors["how_given"] = _("Choose how the consent was given.")
    elif data.basis == Consent.Basis.CONSENT and data.how_given == Consent.HowGiven.NOT_APPLICABLE:
        errors["how_given"] = _("Say how the person gave consent.")
    try:
        valid_from = v.clean_record_date(data.valid_from, field="valid_from", allow_future_days=366)
    except ValidationError as error:
        errors.update(error.message_dict)
        valid_from = None
    valid_to = data.valid_to
    if valid_to is not None and valid_from is not None:
        if valid_to < valid_from:
            errors["valid_to"] = _("The end of validity cannot be before its start.")
        elif valid_to > valid_from + datetime.timedelta(days=5 * 366):
            errors["valid_to"] = _("A consent is valid for at most five years.")
    try:
        note = v.clean_text(data.note, field="note", max_length=1000)
    except ValidationError as error:
        errors.update(error.message_dict)
        note = ""
    if errors:
        raise ValidationError(errors)
    return ConsentInput(
        data.recipient, data.purpose, categories, data.how_given, valid_from, valid_to, data.basis, note
    )


def record_consent(access: PersonAccess, data: ConsentInput, *, actor: audit.Actor) -> Consent:
    clean = _clean_consent(access.person, data)
    if actor.user is None or clean.recipient is None or clean.valid_from is None:
        raise ValueError("A consent is recorded by a person, for a recipient, from a date.")
    with transaction.atomic():
        consent = Consent.objects.create(
            person=access.person,
            recipient=clean.recipient,
            purpose=clean.purpose,
            data_categories=clean.data_categories,
            basis=clean.basis,
            how_given=clean.how_given,
            valid_from=clean.valid_from,
            valid_to=clean.valid_to,
            note=clean.note,
            recorded_by=actor.user,
            recorded_by_organisation=access.membership.organisation,
        )
        _record(
            actor,
            access,
            access.person,
            action=Action.CREATE,
            data="consent",
            object_id=consent.pk,
            detail={"basis": clean.basis, "categories": clean.data_categories},
        )
    return consent


def withdraw_consent(
    access: PersonAccess, consent: Consent, *, actor: audit.Actor, note: str = ""
) -> Consent:
    note = v.clean_text(note, field="note", max_length=1000)
    if consent.withdrawn_at is not None:
        raise ValidationError({"consent": _("This consent has already been withdrawn.")})
    with transaction.atomic():
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = actor.user
        consent.withdrawal_note = note
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
        _record(
            actor,
            access,
            access.person,
            action=Action.UPDATE,
            data="consent",
            object_id=consent.pk,
            detail={"withdrawn": True},
        )
    return consent
