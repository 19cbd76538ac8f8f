"""The shelter's house log: what happened in the house, written by the coordinator and the volunteers.

An entry may be about one current resident (an open stay at the site) and is linked to the shift the
writer is on at that moment, if any. The text is encrypted at rest; health, addiction, sex-work and plan
details do not belong in it (the form says so). Writing an entry and reading entries that name a
resident are audited on the shelter basis.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inbeeld.core import access, audit
from inbeeld.core.models import AuditEvent, Location
from inbeeld.people import validation as v
from inbeeld.shelter.actions_roster import current_shift
from inbeeld.shelter.actions_volunteers import resident_of
from inbeeld.shelter.models import BuddyPair, HouseLogEntry, Stay

Action = AuditEvent.Action
TEXT_MAX = 2000
PAGE_SIZE = 50


def entries_of(site: Location, *, limit: int = PAGE_SIZE) -> list[HouseLogEntry]:
    """The site's latest entries, newest first."""
    return list(
        HouseLogEntry.objects.filter(location=site)
        .select_related("person", "author", "shift__slot")
        .order_by("-written_at", "-id")[:limit]
    )


def record_read(actor: audit.Actor, entries: list[HouseLogEntry], *, data: str = "shelter.house_log") -> None:
    """Entries about a resident are a read of that resident's data: one event per resident shown."""
    person_ids = sorted({entry.person_id for entry in entries if entry.person_id is not None})
    if not person_ids:
        return
    with transaction.atomic():
        for person_id in person_ids:
            audit.record(
                actor,
                action=Action.READ,
                data=data,
                basis=AuditEvent.Basis.SHELTER,
                person_id=person_id,
                object_id=person_id,
            )


def record_residents_read(actor: audit.Actor, rows: Iterable[Stay | BuddyPair], *, data: str) -> None:
    """A list of residents' roepnamen (stays, buddy pairs) is a read of each of them."""
    person_ids = sorted({row.person_id for row in rows})
    if not person_ids:
        return
    with transaction.atomic():
        audit.record(
            actor,
            action=Action.READ,
            data=data,
            basis=AuditEvent.Basis.SHELTER,
            detail={"persons": person_ids},
        )


def clean_entry_text(value: Any) -> str:
    text = v.clean_text(value if isinstance(value, str) else "", field="text", max_length=TEXT_MAX)
    if not text:
        raise ValidationError({"text": _("Write what happened.")})
    return text


def write_entry(*, actor: audit.Actor, site: Location, text: Any, person_id: Any = None) -> HouseLogEntry:
    membership = access.require_membership(actor.membership)
    errors: dict[str, list[str]] = {}
    clean_text = ""
    person = None
    try:
        clean_text = clean_entry_text(text)
    except ValidationError as error:
        errors.update(error.message_dict)
    if person_id not in (None, ""):
        try:
            person = resident_of(site, person_id, field="person")
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if actor.user is None or membership.organisation_id != site.organisation_id:
        raise access.not_found()
    with transaction.atomic():
        entry = HouseLogEntry.objects.create(
            location=site,
            shift=current_shift(site, membership),
            person=person,
            text=clean_text,
            author=actor.user,
        )
        audit.record(
            actor,
            action=Action.CREATE,
            data="shelter.house_log",
            basis=AuditEvent.Basis.SHELTER,
            person_id=entry.person_id,
            object_id=entry.pk,
        )
    return entry
