"""What the radar's two permission grids (web pages and API) share: the grid person's signal and who
reads it. Not itself a grid module (those are named grid_*.py)."""

from __future__ import annotations

from django.utils import timezone

from inbeeld.radar.models import Colour, Signal
from inbeeld.testing.grid import World

OK, UNSEEN = 200, 404

RADAR_ROLES = ("caseworker", "outreach", "host", "shelter_coordinator", "coordinator")
# One signal of the grid's person: A's radar roles and the network's coordinators (from B too).
SIGNAL_READERS = {
    "caseworker": (OK, UNSEEN),
    "outreach": (OK, UNSEEN),
    "host": (OK, UNSEEN),
    "shelter_coordinator": (OK, UNSEEN),
    "coordinator": (OK, OK),
}


def grid_signal(w: World) -> Signal:
    """An open red signal about the grid's person, assigned to their key worker."""
    return Signal.objects.create(
        network=w.network,
        person=w.person,
        rule="not_seen_zone",
        anchor="grid",
        severity=Colour.RED,
        facts={"since": "2018-01-01", "last_seen": None, "status": "street_zone"},
        opened_on=timezone.localdate(),
        assigned_to=w.person.key_worker,
        assigned_organisation=w.org_a,
    )
