"""The contacts API: a person's contacts, recording one with a person or anonymously.

As in ``people.api``: ``core.access`` decides first (404 not visible, 403 not allowed), the write functions
of ``care.actions.contacts`` refuse bad values (422 naming the field) and write the audit event; reads
are audited by ``read_contacts``. Ids in a body that name nothing the caller may use are a 422, not a 404.
"""

# No "from __future__ import annotations": ninja reads the views' annotations at runtime.

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from inbeeld.care.actions import contacts
from inbeeld.care.models import Contact
from inbeeld.care.schemas_contacts import ContactIn, ContactOut, NewContactIn
from inbeeld.core import access
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.api import Page, actor, errors, membership_of
from inbeeld.core.models import Location, Membership

router = Router(tags=["contacts"])

# 403 also answers a user without the two-factor authentication their role requires.
ERRORS = errors(401, 403, 404, 422)


def location_of(membership: Membership, location_id: int | None) -> Location | None:
    """A location of the member's network; any other id is refused alike (ids elsewhere are not news)."""
    if location_id is None:
        return None
    network_id = membership.organisation.network_id
    location = contacts.locations_of(network_id).filter(pk=location_id).select_related("organisation").first()
    if location is None:
        raise ValidationError({"location_id": _("Choose a location of this network.")})
    return location


def _record(
    request: HttpRequest, membership: Membership, found: PersonAccess | None, payload: Any
) -> Contact:
    return contacts.record_contact(
        actor=actor(request),
        person_access=found,
        occurred_at=payload.occurred_at or timezone.now(),
        channel=str(payload.channel),
        kind=str(payload.kind),
        topics=[str(topic) for topic in payload.topics],
        duration_minutes=payload.duration_minutes,
        note=payload.note,
        location=location_of(membership, payload.location_id),
    )


@router.get(
    "/persons/{person_id}/contacts",
    response={200: list[ContactOut], **ERRORS},
    summary="A person's contacts you may see, newest first",
    description="Your organisation's contacts, and another organisation's only as the person's consent "
    "for contacts and appointments allows.",
)
@paginate(Page)
def list_person_contacts(request: HttpRequest, person_id: int) -> QuerySet[Contact]:
    found, scope = contacts.read_contacts(actor(request), person_id, data="contacts.api")
    return contacts.contacts_of(found, scope)


@router.post(
    "/persons/{person_id}/contacts",
    response={201: ContactOut, **ERRORS},
    summary="Record a contact with a person",
)
def record_person_contact(request: HttpRequest, person_id: int, payload: ContactIn) -> Status[Contact]:
    found = access.person_for(membership_of(request), person_id, Need.RECORD_CONTACT)
    return Status(201, _record(request, found.membership, found, payload))


@router.post(
    "/contacts",
    response={201: ContactOut, **ERRORS},
    summary="Record a contact: with a person (person_id) or anonymous (anonymous: true)",
)
def record_contact(request: HttpRequest, payload: NewContactIn) -> Status[Contact]:
    membership = contacts.require_recorder(membership_of(request))
    if payload.anonymous and payload.person_id is not None:
        raise ValidationError({"anonymous": _("Send a person_id or anonymous: true, not both.")})
    found = None
    if payload.person_id is None:
        if not payload.anonymous:
            raise ValidationError({"person_id": _("Send the person's id, or anonymous: true.")})
    else:
        try:
            found = access.person_for(membership, payload.person_id, Need.RECORD_CONTACT)
        except Http404:
            raise ValidationError({"person_id": _("Choose a person you work with.")}) from None
    return Status(201, _record(request, membership, found, payload))
