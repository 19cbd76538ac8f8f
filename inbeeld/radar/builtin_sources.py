"""The sightings and stays the foundation and care apps already hold.

- contacts: every named contact is a sighting (a sighting contact is one by definition);
- attended appointments: the person came;
- the status history: a spell "in treatment" or "in shelter" is a stay until an episode register
  (chain) or a shelter register (shelter) says more precisely where and until when.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from inbeeld.care.models import Appointment, Contact
from inbeeld.core.models import Network
from inbeeld.people.models import Status, StatusChange
from inbeeld.radar.sources import (
    SightingSource,
    Stay,
    StaySource,
    latest_per_person,
    register_sighting,
    register_stay,
)

STAY_STATUSES: dict[str, str] = {Status.IN_TREATMENT: "clinic", Status.IN_SHELTER: "shelter"}


def _latest_contacts(network: Network, until: datetime.datetime) -> dict[int, datetime.datetime]:
    return latest_per_person(network, Contact.objects.filter(occurred_at__lte=until), "occurred_at")


def _contact_seen(contact: Any) -> tuple[int, datetime.datetime] | None:
    if contact.person_id is None:
        return None
    return contact.person_id, contact.occurred_at


def _latest_attended(network: Network, until: datetime.datetime) -> dict[int, datetime.datetime]:
    attended = Appointment.objects.filter(status=Appointment.Status.ATTENDED, starts_at__lte=until)
    return latest_per_person(network, attended, "starts_at")


def _attended_seen(appointment: Any) -> tuple[int, datetime.datetime] | None:
    if appointment.status != Appointment.Status.ATTENDED:
        return None
    return appointment.person_id, appointment.starts_at


def _status_stays(network: Network, day: datetime.date) -> Iterator[Stay]:
    changes = (
        StatusChange.objects.filter(person__network=network, effective_on__lte=day)
        .order_by("person_id", "effective_on", "recorded_at", "id")
        .values_list("person_id", "to_status", "effective_on")
    )
    current: tuple[int, str, datetime.date] | None = None  # person, stay status, since
    for person_id, status, effective_on in changes.iterator(chunk_size=5000):
        if current is not None and (current[0] != person_id or status != current[1]):
            ended_on = effective_on if current[0] == person_id else None
            yield Stay(current[0], STAY_STATUSES[current[1]], current[2], ended_on)
            current = None
        if current is None and status in STAY_STATUSES:
            current = (person_id, status, effective_on)
    if current is not None:
        yield Stay(current[0], STAY_STATUSES[current[1]], current[2], None)


register_sighting(
    SightingSource(
        key="contact",
        label=lambda: str(_("Contact")),
        latest=_latest_contacts,
        model=Contact,
        seen_at=_contact_seen,
    )
)
register_sighting(
    SightingSource(
        key="appointment",
        label=lambda: str(_("Attended appointment")),
        latest=_latest_attended,
        model=Appointment,
        seen_at=_attended_seen,
    )
)
register_stay(StaySource(key="status", label=lambda: str(_("Status history")), stays=_status_stays))
