"""The shelter API for beds, stays and the waitlist. The same rules as the pages (``views_stays``):
another organisation's site or row, and every role but the shelter's, is 404; a volunteer may list the
residents and gets 403 on the rest; refused input is 422 naming the field (``person_id``, ``bed_id`` …).
"""

# No "from __future__ import annotations": ninja reads the views' annotations at runtime.

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from inbeeld.core.api import actor, errors, membership_of
from inbeeld.shelter import sites
from inbeeld.shelter.models import Bed, Stay, WaitlistEntry
from inbeeld.shelter.schemas_stays import (
    BoardOut,
    CheckInIn,
    CheckOutIn,
    ResidentOut,
    StayOut,
    WaitlistIn,
    WaitlistOut,
    WaitlistPatchIn,
)
from inbeeld.shelter.stays import stays, waitlist
from inbeeld.shelter.stays.common import coordinated_row, record_list

router = Router(tags=["shelter"])
ERRORS = errors(401, 403, 404, 422)
API_FIELDS = {"person": "person_id", "bed": "bed_id", "waitlist_entry": "waitlist_entry_id"}


@contextmanager
def api_field_names() -> Iterator[None]:
    """The write functions name form fields (``bed``); the API's are ``bed_id``."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {API_FIELDS.get(name, name): messages for name, messages in error.message_dict.items()}
        ) from None


@router.get(
    "/shelter/sites/{site_id}/beds",
    response={200: BoardOut, **ERRORS},
    summary="The bed board: per room each bed and who is in it; capacity, occupied and free",
)
def bed_board(request: HttpRequest, site_id: int) -> BoardOut:
    site = sites.coordinated_site(membership_of(request), site_id)
    board = stays.board(site)
    record_list(actor(request), board.person_ids, data="shelter.beds.api")
    return BoardOut.model_validate(
        {
            "site_id": site.pk,
            "capacity": board.capacity,
            "occupied": board.occupied,
            "free": board.free,
            "rooms": [
                {
                    "id": room.room.pk,
                    "name": room.room.name,
                    "free": room.free,
                    "beds": [
                        {"id": row.bed.pk, "label": row.bed.label, "in_use": row.bed.in_use, "stay": row.stay}
                        for row in room.beds
                    ],
                }
                for room in board.rooms
            ],
        }
    )


@router.get(
    "/shelter/sites/{site_id}/stays",
    response={200: list[ResidentOut], **ERRORS},
    summary="The residents: open stays with roepnaam, room and bed, check-in and planned end",
)
def list_stays(request: HttpRequest, site_id: int) -> list[Stay]:
    site = sites.site_for(membership_of(request), site_id)
    found = stays.open_stays(site)
    record_list(actor(request), [stay.person_id for stay in found], data="shelter.residents.api")
    return found


@router.post(
    "/shelter/sites/{site_id}/stays",
    response={201: StayOut, **ERRORS},
    summary="Check a person in to a free bed; they accept the current house rules",
)
def check_in(request: HttpRequest, site_id: int, payload: CheckInIn) -> Status[Stay]:
    membership = membership_of(request)
    site = sites.coordinated_site(membership, site_id)
    with api_field_names():
        person = stays.person_to_check_in(membership, site, payload.person_id)
        bed = Bed.objects.filter(pk=payload.bed_id, room__location=site).first()
        if bed is None:
            raise ValidationError({"bed": _("Choose a free bed in use at this site.")})
        entry = None
        if payload.waitlist_entry_id is not None:
            entry = WaitlistEntry.objects.filter(pk=payload.waitlist_entry_id, location=site).first()
            if entry is None:
                raise ValidationError(
                    {"waitlist_entry": _("Choose an open waitlist entry of this person here.")}
                )
        stay = stays.check_in(
            site,
            actor=actor(request),
            person=person,
            bed=bed,
            planned_end_on=payload.planned_end_on,
            house_rules_accepted=payload.house_rules_accepted,
            waitlist_entry=entry,
            note=payload.note,
        )
    return Status(201, Stay.objects.select_related("person", "bed__room", "house_rules").get(pk=stay.pk))


@router.post(
    "/shelter/stays/{stay_id}/check-out",
    response={200: StayOut, **ERRORS},
    summary="Check a resident out with a reason (default now; not in the future, not before check-in)",
)
def check_out(request: HttpRequest, stay_id: int, payload: CheckOutIn) -> Stay:
    rows = Stay.objects.select_related("person", "bed__room", "house_rules", "location")
    stay = coordinated_row(membership_of(request), rows, stay_id, site_field="location")
    done = stays.check_out(
        stay, actor=actor(request), reason=str(payload.checkout_reason), checked_out_at=payload.checked_out_at
    )
    return rows.get(pk=done.pk)


@router.get(
    "/shelter/sites/{site_id}/waitlist",
    response={200: list[WaitlistOut], **ERRORS},
    summary="Who is waiting, in order: priority, then who has waited longest",
)
def list_waitlist(request: HttpRequest, site_id: int) -> list[WaitlistEntry]:
    site = sites.coordinated_site(membership_of(request), site_id)
    entries = list(waitlist.waiting_at(site))
    record_list(actor(request), [entry.person_id for entry in entries], data="shelter.waitlist.api")
    return entries


@router.post(
    "/shelter/sites/{site_id}/waitlist",
    response={201: WaitlistOut, **ERRORS},
    summary="Put a person the coordinator may see on the waitlist",
)
def add_to_waitlist(request: HttpRequest, site_id: int, payload: WaitlistIn) -> Status[WaitlistEntry]:
    membership = membership_of(request)
    site = sites.coordinated_site(membership, site_id)
    with api_field_names():
        person = waitlist.visible_person(membership, payload.person_id)
        entry = waitlist.add_to_waitlist(
            site, actor=actor(request), person=person, priority=int(payload.priority), note=payload.note
        )
    return Status(201, entry)


@router.patch(
    "/shelter/waitlist/{entry_id}",
    response={200: WaitlistOut, **ERRORS},
    summary="Change an entry's priority, or close it with an outcome",
)
def change_entry(request: HttpRequest, entry_id: int, payload: WaitlistPatchIn) -> WaitlistEntry:
    rows = WaitlistEntry.objects.select_related("person", "location")
    entry = coordinated_row(membership_of(request), rows, entry_id, site_field="location")
    if (payload.priority is None) == (payload.outcome is None):
        raise ValidationError({"priority": _("Send a priority or an outcome, one of the two.")})
    if payload.priority is not None:
        return waitlist.change_priority(entry, actor=actor(request), priority=int(payload.priority))
    return waitlist.close_entry(entry, actor=actor(request), outcome=str(payload.outcome))
