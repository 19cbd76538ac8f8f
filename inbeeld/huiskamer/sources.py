"""Named huiskamer visits are sightings: they move a person's "last seen" on the radar."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from inbeeld.core.models import Network
from inbeeld.huiskamer.models import Visit
from inbeeld.radar.sources import SightingSource, latest_per_person, register_sighting


def latest_visits(network: Network, until: datetime.datetime) -> dict[int, datetime.datetime]:
    """Each person's latest arrival up to the moment."""
    return latest_per_person(network, Visit.objects.filter(arrived_at__lte=until), "arrived_at")


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
