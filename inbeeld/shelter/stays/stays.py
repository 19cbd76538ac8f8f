"""Stays: check-in, changing the planned end or the bed, check-out; the bed board and the residents list.

Two people never hold one bed and nobody is checked in twice: the check-in locks the bed row and looks
again, and the database's partial unique constraints refuse what a race lets through; either way the
caller gets a ValidationError naming ``bed`` or ``person``. A check-in also closes the person's open
waitlist entry at the site as placed and makes the shelter's organisation involved with the person.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.care.actions.contacts import FUTURE_GRACE, aware, collect
from inbeeld.core import audit
from inbeeld.core.models import Location, Membership
from inbeeld.people.models import Involvement, Person
from inbeeld.shelter.models import Bed, CheckoutReason, HouseRules, Room, Stay, WaitlistEntry
from inbeeld.shelter.stays.common import (
    Action,
    clean_choice,
    clean_note,
    clean_planned_end,
    record,
    require_site_coordinator,
    unique_conflict,
)
from inbeeld.shelter.stays.rooms import beds_with_occupancy

Outcome = WaitlistEntry.Outcome
# Reasons for leaving the person was there for: the check-out is a sighting. Someone who left without
# notice, was admitted or detained elsewhere was not seen by the shelter: the radar's "discharged
# without contact" rule asks someone to look for them.
PRESENT_AT_CHECKOUT = frozenset(
    {CheckoutReason.PLANNED_END, CheckoutReason.MOVED_ON, CheckoutReason.HOUSE_RULES, CheckoutReason.OTHER}
)


def _taken(error: IntegrityError) -> ValidationError:
    bed = ("bed", _("This bed was just taken: choose another one."))
    person = ("person", _("This person is already checked in."))
    return unique_conflict(
        error,
        {
            "stay_one_open_per_bed": bed,
            "shelter_stay.bed_id": bed,
            "stay_one_open_per_person": person,
            "shelter_stay.person_id": person,
        },
    )


def person_to_check_in(membership: Membership | None, site: Location, person_id: object) -> Person:
    """Whom the coordinator may check in: a person they see, or one waiting at this site (a caseworker
    of another organisation may have put them on the list)."""
    from inbeeld.shelter.stays.waitlist import visible_person

    try:
        return visible_person(membership, person_id)
    except ValidationError:
        entry = waiting_entry(site, person_id)
        if entry is None:
            raise
        return entry.person


def waiting_entry(site: Location, person_id: object) -> WaitlistEntry | None:
    try:
        pk = int(str(person_id))
    except (TypeError, ValueError):
        return None
    return (
        WaitlistEntry.objects.waiting().filter(location=site, person_id=pk).select_related("person").first()
    )


def _lock_free_bed(site: Location, bed: Bed) -> Bed:
    locked = Bed.objects.select_for_update().filter(pk=bed.pk, room__location=site).first()
    if locked is None or not locked.in_use:
        raise ValidationError({"bed": _("Choose a free bed in use at this site.")})
    if Stay.objects.open().filter(bed=locked).exists():
        raise ValidationError({"bed": _("This bed was just taken: choose another one.")})
    return locked


def _involve(actor: audit.Actor, membership: Membership, person: Person) -> None:
    organisation_id = membership.organisation_id
    if Involvement.objects.filter(
        person=person, organisation_id=organisation_id, ended_on__isnull=True
    ).exists():
        return
    involvement = Involvement.objects.create(
        person=person,
        organisation_id=organisation_id,
        started_on=timezone.localdate(),
        reason=_("Shelter stay"),
        created_by=actor.user,
    )
    record(actor, action=Action.CREATE, data="involvement", person_id=person.pk, object_id=involvement.pk)


def check_in(
    site: Location,
    *,
    actor: audit.Actor,
    person: Person,
    bed: Bed,
    planned_end_on: datetime.date | None,
    house_rules_accepted: bool,
    waitlist_entry: WaitlistEntry | None = None,
    note: str = "",
) -> Stay:
    membership = require_site_coordinator(actor, site)
    assert actor.user is not None
    rules = HouseRules.objects.current_at(site)

    def accepted() -> HouseRules:
        if rules is None:
            raise ValidationError(
                {"house_rules_accepted": _("This site has no house rules yet: publish them first.")}
            )
        if house_rules_accepted is not True:
            raise ValidationError({"house_rules_accepted": _("The resident must accept the house rules.")})
        return rules

    def entry() -> WaitlistEntry | None:
        if waitlist_entry is None:
            return waiting_entry(site, person.pk)
        if (
            waitlist_entry.location_id != site.pk
            or waitlist_entry.person_id != person.pk
            or waitlist_entry.closed_at is not None
        ):
            raise ValidationError({"waitlist_entry": _("Choose an open waitlist entry of this person here.")})
        return waitlist_entry

    values = collect(
        {
            "person": lambda: person_to_check_in(membership, site, person.pk),
            "planned_end_on": lambda: clean_planned_end(planned_end_on),
            "house_rules": accepted,
            "note": lambda: clean_note(note),
            "waitlist_entry": entry,
        }
    )
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = _lock_free_bed(site, bed)
            if Stay.objects.open().filter(person=person).exists():
                raise ValidationError({"person": _("This person is already checked in.")})
            stay = Stay.objects.create(
                person=person,
                location=site,
                bed=locked,
                organisation_id=membership.organisation_id,
                checked_in_at=now,
                planned_end_on=values["planned_end_on"],
                house_rules=values["house_rules"],
                house_rules_accepted_at=now,
                note=values["note"],
                checked_in_by=actor.user,
            )
            placed = values["waitlist_entry"]
            if placed is not None:
                closed = WaitlistEntry.objects.filter(pk=placed.pk, closed_at__isnull=True).update(
                    closed_at=now, outcome=Outcome.PLACED, stay=stay
                )
                if not closed:
                    raise ValidationError({"waitlist_entry": _("This waitlist entry was just closed.")})
            record(
                actor,
                action=Action.CREATE,
                data="shelter.stay",
                person_id=person.pk,
                object_id=stay.pk,
                detail={
                    "site": site.pk,
                    "bed": locked.pk,
                    "house_rules_version": values["house_rules"].version,
                    "waitlist_entry": placed.pk if placed else None,
                },
            )
            _involve(actor, membership, person)
    except IntegrityError as error:
        raise _taken(error) from None
    return stay


def change_stay(
    stay: Stay,
    *,
    actor: audit.Actor,
    version: int,
    bed: Bed,
    planned_end_on: datetime.date | None,
) -> Stay:
    """Change the planned end and/or move to another free bed; refused when someone saved the stay since
    the form was loaded (``version``), so nobody's change is silently overwritten."""
    require_site_coordinator(actor, stay.location)
    try:
        with transaction.atomic():
            locked = Stay.objects.select_for_update().get(pk=stay.pk)
            if locked.version != version:
                raise ValidationError(
                    {
                        "version": _(
                            "Someone else changed this stay while you were editing. "
                            "Check the values shown now and save again."
                        )
                    }
                )
            if not locked.is_open:
                raise ValidationError({"bed": _("This stay has ended.")})
            changed: list[str] = []
            if planned_end_on != locked.planned_end_on:
                locked.planned_end_on = clean_planned_end(planned_end_on)
                changed.append("planned_end_on")
            if bed.pk != locked.bed_id:
                locked.bed = _lock_free_bed(locked.location, bed)
                changed.append("bed")
            if changed:
                locked.version += 1
                locked.save(update_fields=[*changed, "version"])
                record(
                    actor,
                    action=Action.UPDATE,
                    data="shelter.stay",
                    person_id=locked.person_id,
                    object_id=locked.pk,
                    detail={"changed": changed},
                )
    except IntegrityError as error:
        raise _taken(error) from None
    return locked


def check_out(
    stay: Stay, *, actor: audit.Actor, reason: str, checked_out_at: datetime.datetime | None = None
) -> Stay:
    require_site_coordinator(actor, stay.location)
    values = collect(
        {
            "checkout_reason": lambda: clean_choice(reason, CheckoutReason.values, field="checkout_reason"),
            "checked_out_at": lambda: aware(checked_out_at or timezone.now(), field="checked_out_at"),
        }
    )
    moment = values["checked_out_at"]
    if moment > timezone.now() + FUTURE_GRACE:
        raise ValidationError({"checked_out_at": _("A check-out cannot be in the future.")})
    with transaction.atomic():
        locked = Stay.objects.select_for_update().get(pk=stay.pk)
        if not locked.is_open:
            raise ValidationError({"checked_out_at": _("This stay has already ended.")})
        if moment < locked.checked_in_at:
            raise ValidationError({"checked_out_at": _("A check-out cannot be before the check-in.")})
        locked.checked_out_at = moment
        locked.checkout_reason = values["checkout_reason"]
        locked.checked_out_by = actor.user
        locked.version += 1
        locked.save(update_fields=["checked_out_at", "checkout_reason", "checked_out_by", "version"])
        record(
            actor,
            action=Action.UPDATE,
            data="shelter.stay",
            person_id=locked.person_id,
            object_id=locked.pk,
            detail={"checked_out": True, "reason": locked.checkout_reason},
        )
    return locked


# --- reads ------------------------------------------------------------------------------------------


def open_stays(site: Location) -> list[Stay]:
    return list(
        Stay.objects.open()
        .at(site)
        .select_related("person", "bed__room")
        .order_by("bed__room__name", "bed__label", "id")
    )


@dataclass
class BedRow:
    bed: Bed
    stay: Stay | None

    @property
    def overdue(self) -> bool:
        end = self.stay.planned_end_on if self.stay else None
        return end is not None and end < timezone.localdate()


@dataclass
class RoomRow:
    room: Room
    beds: list[BedRow] = field(default_factory=list)

    @property
    def free(self) -> int:
        return sum(1 for row in self.beds if row.bed.in_use and row.stay is None)


@dataclass
class Board:
    rooms: list[RoomRow]
    capacity: int
    occupied: int

    @property
    def free(self) -> int:
        return self.capacity - self.occupied

    @property
    def person_ids(self) -> list[int]:
        return [row.stay.person_id for room in self.rooms for row in room.beds if row.stay is not None]


def board(site: Location) -> Board:
    """Per room each bed and who is in it; capacity counts the beds in use."""
    stays = {stay.bed_id: stay for stay in open_stays(site)}
    rooms: dict[int, RoomRow] = {
        room.pk: RoomRow(room) for room in Room.objects.filter(location=site).order_by("name", "id")
    }
    for bed in beds_with_occupancy(site).order_by("room__name", "label", "id"):
        rooms[bed.room_id].beds.append(BedRow(bed, stays.get(bed.pk)))
    rows = list(rooms.values())
    capacity = sum(1 for room in rows for row in room.beds if row.bed.in_use)
    return Board(rows, capacity=capacity, occupied=len(stays))
