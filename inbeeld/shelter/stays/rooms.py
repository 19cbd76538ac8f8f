"""Rooms, beds and house rules of a shelter site: the coordinator's writes, each with its audit event.

A bed out of use is no part of the capacity and cannot be taken; a bed someone sleeps in cannot be taken
out of use (the check runs under a lock on the bed, so a check-in cannot slip in between).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.core import audit
from inbeeld.core.models import Location
from inbeeld.shelter.models import Bed, HouseRules, Room, Stay
from inbeeld.shelter.stays.common import (
    Action,
    clean_name,
    record,
    require_site_coordinator,
    unique_conflict,
)

HOUSE_RULES_MAX = 20_000


def beds_with_occupancy(site: Location) -> QuerySet[Bed]:
    """The site's beds, each annotated ``occupied``: whether an open stay holds it."""
    open_stay = Stay.objects.open().filter(bed=OuterRef("pk"))
    return Bed.objects.at(site).select_related("room").annotate(occupied=Exists(open_stay))


def free_beds(site: Location, *, keeping: int | None = None) -> QuerySet[Bed]:
    """The site's beds in use that nobody holds (and the bed ``keeping``, a stay's own, when given)."""
    taken = Stay.objects.open().filter(bed=OuterRef("pk"))
    if keeping is not None:
        taken = taken.exclude(bed_id=keeping)
    return Bed.objects.at(site).in_use().exclude(Exists(taken)).select_related("room")


def add_room(site: Location, *, actor: audit.Actor, name: str, note: str = "") -> Room:
    require_site_coordinator(actor, site)
    name = clean_name(name, field="name")
    note = clean_name(note, field="note", max_length=200) if note else ""
    try:
        with transaction.atomic():
            room = Room.objects.create(location=site, name=name, note=note)
            record(actor, action=Action.CREATE, data="shelter.room", object_id=room.pk)
    except IntegrityError as error:
        raise unique_conflict(
            error,
            dict.fromkeys(
                ("room_name_per_site", "shelter_room."),
                ("name", _("This site already has a room with this name.")),
            ),
        ) from None
    return room


def add_bed(room: Room, *, actor: audit.Actor, label: str) -> Bed:
    require_site_coordinator(actor, room.location)
    label = clean_name(label, field="label", max_length=30)
    try:
        with transaction.atomic():
            bed = Bed.objects.create(room=room, label=label)
            record(actor, action=Action.CREATE, data="shelter.bed", object_id=bed.pk)
    except IntegrityError as error:
        raise unique_conflict(
            error,
            dict.fromkeys(
                ("bed_label_per_room", "shelter_bed."),
                ("label", _("This room already has a bed with this name.")),
            ),
        ) from None
    return bed


def set_bed_in_use(bed: Bed, *, actor: audit.Actor, in_use: bool) -> Bed:
    require_site_coordinator(actor, bed.room.location)
    with transaction.atomic():
        locked = Bed.objects.select_for_update().get(pk=bed.pk)
        if not in_use and Stay.objects.open().filter(bed=locked).exists():
            raise ValidationError(
                {"in_use": _("Someone is staying in this bed: check them out or move them first.")}
            )
        if locked.in_use != in_use:
            locked.in_use = in_use
            locked.save(update_fields=["in_use"])
            record(
                actor,
                action=Action.UPDATE,
                data="shelter.bed",
                object_id=locked.pk,
                detail={"in_use": in_use},
            )
    return locked


def publish_house_rules(site: Location, *, actor: audit.Actor, text: str) -> HouseRules:
    """A new version of the site's house rules (the previous number + 1), in force from now."""
    require_site_coordinator(actor, site)
    if not isinstance(text, str) or not text.strip():
        raise ValidationError({"text": _("Write the house rules.")})
    if len(text) > HOUSE_RULES_MAX:
        raise ValidationError({"text": _("At most %(max)d characters.") % {"max": HOUSE_RULES_MAX}})
    assert actor.user is not None  # require_site_coordinator refuses an actor without a user
    try:
        with transaction.atomic():
            latest = HouseRules.objects.filter(location=site).order_by("-version").first()
            rules = HouseRules.objects.create(
                location=site,
                version=(latest.version + 1) if latest else 1,
                text=text.strip(),
                published_at=timezone.now(),
                published_by=actor.user,
            )
            record(
                actor,
                action=Action.CREATE,
                data="shelter.house_rules",
                object_id=rules.pk,
                detail={"version": rules.version},
            )
    except IntegrityError as error:
        raise unique_conflict(
            error,
            dict.fromkeys(
                ("house_rules_version", "shelter_houserules."),
                ("text", _("Someone published a version at the same moment: try again.")),
            ),
        ) from None
    return rules
