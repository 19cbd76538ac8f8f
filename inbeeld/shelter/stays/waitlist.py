"""The waitlist of a shelter site: who comes first (priority, then who has waited longest), adding a
person the coordinator may see, changing a priority, closing an entry with its outcome.

A check-in closes the person's open entry as placed (``stays.checkin``); an entry is closed by hand with
any other outcome.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.core import access, audit
from inbeeld.core.models import Location, Membership
from inbeeld.people.models import Person
from inbeeld.shelter.models import Priority, WaitlistEntry
from inbeeld.shelter.stays.common import (
    Action,
    clean_choice,
    clean_note,
    record,
    require_site_coordinator,
    unique_conflict,
)

Outcome = WaitlistEntry.Outcome
# "Placed" is what a check-in writes; by hand an entry closes with one of these.
CLOSING_OUTCOMES = [o for o in Outcome.values if o != Outcome.PLACED]


def waiting_at(site: Location) -> QuerySet[WaitlistEntry]:
    return WaitlistEntry.objects.filter(location=site).waiting().in_order().select_related("person")


def visible_person(membership: Membership | None, person_id: object, *, field: str = "person") -> Person:
    """A person from the coordinator's search (``access.visible_persons``); anyone else names the field."""
    try:
        found = access.visible_persons(membership).filter(pk=int(str(person_id))).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise ValidationError({field: _("Choose a person from the search results.")})
    return found


def add_to_waitlist(
    site: Location,
    *,
    actor: audit.Actor,
    person: Person,
    priority: int = Priority.NORMAL,
    note: str = "",
) -> WaitlistEntry:
    membership = require_site_coordinator(actor, site)
    assert actor.user is not None
    priority = clean_choice(priority, Priority.values, field="priority")
    note = clean_note(note)
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(
                location=site,
                person=person,
                priority=priority,
                requested_by_organisation_id=membership.organisation_id,
                organisation_id=membership.organisation_id,
                note=note,
                added_by=actor.user,
            )
            record(
                actor,
                action=Action.CREATE,
                data="shelter.waitlist_entry",
                person_id=person.pk,
                object_id=entry.pk,
                detail={"site": site.pk, "priority": priority},
            )
    except IntegrityError as error:
        raise unique_conflict(
            error,
            dict.fromkeys(
                ("waitlist_one_open_per_person", "shelter_waitlistentry."),
                ("person", _("This person is already on the waitlist.")),
            ),
        ) from None
    return entry


def _locked_waiting(entry: WaitlistEntry) -> WaitlistEntry:
    locked = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.closed_at is not None:
        raise ValidationError({"outcome": _("This entry is already closed.")})
    return locked


def change_priority(entry: WaitlistEntry, *, actor: audit.Actor, priority: int) -> WaitlistEntry:
    require_site_coordinator(actor, entry.location)
    priority = clean_choice(priority, Priority.values, field="priority")
    with transaction.atomic():
        locked = _locked_waiting(entry)
        locked.priority = priority
        locked.save(update_fields=["priority"])
        record(
            actor,
            action=Action.UPDATE,
            data="shelter.waitlist_entry",
            person_id=locked.person_id,
            object_id=locked.pk,
            detail={"priority": priority},
        )
    return locked


def close_entry(entry: WaitlistEntry, *, actor: audit.Actor, outcome: str) -> WaitlistEntry:
    require_site_coordinator(actor, entry.location)
    outcome = clean_choice(outcome, CLOSING_OUTCOMES, field="outcome")
    with transaction.atomic():
        locked = _locked_waiting(entry)
        locked.closed_at = timezone.now()
        locked.outcome = outcome
        locked.save(update_fields=["closed_at", "outcome"])
        record(
            actor,
            action=Action.UPDATE,
            data="shelter.waitlist_entry",
            person_id=locked.person_id,
            object_id=locked.pk,
            detail={"outcome": outcome},
        )
    return locked
