"""Named huiskamer visits are sightings: they move a person's "last seen" on the radar."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from inbeeld.core.models import Network
from inbeeld.huiskamer.models import Visit
from inbeeld.people.models import Person
from inbeeld.radar.sources import SightingSource, register_sighting


def latest_visits(network: Network, until: datetime.datetime) -> dict[int, datetime.datetime]:
    """Each person's latest arrival up to the moment: one backward index probe per person."""
    visits = Visit.objects.filter(arrived_at__lte=until, person=OuterRef("pk")).order_by("-arrived_at")
    latest = visits.values("arrived_at")[:1]
    persons = Person.objects.filter(network=network).annotate(seen=Subquery(latest)).exclude(seen=None)
    return dict(persons.values_list("pk", "seen").iterator(chunk_size=5000))


def visit_seen(visit: Any) -> tuple[int, datetime.datetime] | None:
    if visit.person_id is None:
        return None
    # The arrival, as in the daily run's ``latest_visits``: the two must agree.
    return visit.person_id, visit.arrived_at


register_sighting(
    SightingSource(
        key="huiskamer_visit",
        label=lambda: str(_("Huiskamer visit")),
        latest=latest_visits,
        model=Visit,
        seen_at=visit_seen,
    )
)
