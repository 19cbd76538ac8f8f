"""A person's status on any day, from the status history: what the radar and monitoring count."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import OuterRef, QuerySet, Subquery

from inbeeld.core.models import Network
from inbeeld.people.models import Person, Status, StatusChange


def status_on(day: datetime.date) -> Subquery:
    """A person's status on a day according to their status history (None before their first)."""
    latest = StatusChange.objects.filter(person=OuterRef("pk"), effective_on__lte=day).order_by(
        "-effective_on", "-recorded_at", "-id"
    )
    return Subquery(latest.values("to_status")[:1])


def persons_with_status_on(
    day: datetime.date, status: str, network: Network | None = None
) -> QuerySet[Person]:
    persons = Person.objects.all() if network is None else Person.objects.in_network(network)
    return persons.annotate(status_on=status_on(day)).filter(status_on=status)


def status_counts_on(day: datetime.date, network: Network | None = None) -> Counter[str]:
    persons = Person.objects.all() if network is None else Person.objects.in_network(network)
    rows = (
        persons.annotate(status_on=status_on(day)).exclude(status_on=None).values_list("status_on", flat=True)
    )
    return Counter(rows)


def street_zone_count(day: datetime.date, network: Network | None = None) -> int:
    """How many persons were on the street zone on this day, from the status histories."""
    return persons_with_status_on(day, Status.STREET_ZONE, network).count()
