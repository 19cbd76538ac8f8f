"""Permission grid for the radar API: the radar list, signals (read, acknowledge, resolve) and the rules.

Worked out from ``core.access`` for the grid world (``testing.grid``): organisation A is involved with
the person and leads; B is not involved.

- The radar (RADAR_VIEW): caseworkers, outreach workers, hosts, shelter coordinators and coordinators,
  in any organisation; a member of B gets the list, without A's person in it (test_api checks that).
  Volunteers, analysts, privacy officers and admins have no radar: 404 everywhere.
- A signal is read by those who see its person's radar core: the radar roles of A and the coordinators
  of the network; for B's other radar roles it does not exist (404, rule 1).
- Acknowledging and resolving (RADAR_ACT): caseworkers, outreach workers and coordinators who see the
  signal; hosts and shelter coordinators of A see it but may not act on it (403).
- The rules hold no person data: every radar role, in any organisation.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from inbeeld.radar.models import Colour, Signal
from inbeeld.testing.grid import GridRoute, World, by_role

API = "/api/v1"
OK, FORBIDDEN, UNSEEN = 200, 403, 404

RADAR_ROLES = ("caseworker", "outreach", "host", "shelter_coordinator", "coordinator")
# The list and the rules: every radar role, whichever organisation.
EVERY_RADAR_ROLE = dict.fromkeys(RADAR_ROLES, (OK, OK))
# One signal of the grid's person: A's radar roles and the network's coordinators.
SIGNAL_READERS = {
    "caseworker": (OK, UNSEEN),
    "outreach": (OK, UNSEEN),
    "host": (OK, UNSEEN),
    "shelter_coordinator": (OK, UNSEEN),
    "coordinator": (OK, OK),
}
SIGNAL_ACTORS = {
    **SIGNAL_READERS,
    "host": (FORBIDDEN, UNSEEN),
    "shelter_coordinator": (FORBIDDEN, UNSEEN),
}


def api(expect: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    return by_role(anonymous=401, **expect)


def make_signal(w: World) -> Signal:
    return Signal.objects.create(
        network=w.network,
        person=w.person,
        rule="not_seen_zone",
        anchor="x",
        severity=Colour.RED,
        facts={"days": 20, "since": "2018-01-01", "last_seen": None, "status": "street_zone"},
        opened_on=timezone.localdate(),
        assigned_to=w.person.key_worker,
        assigned_organisation=w.org_a,
    )


def signal_path(suffix: str = "") -> Callable[[World], str]:
    def path(w: World) -> str:
        return f"{API}/radar/signals/{make_signal(w).pk}{suffix}"

    return path


ROUTES: list[GridRoute] = [
    GridRoute("GET /api/v1/radar", path=lambda w: f"{API}/radar", expect=api(EVERY_RADAR_ROLE)),
    GridRoute(
        "GET /api/v1/radar/signals",
        path=lambda w: f"{API}/radar/signals",
        expect=api(EVERY_RADAR_ROLE),
    ),
    GridRoute(
        "GET /api/v1/radar/signals/{signal_id}",
        path=signal_path(),
        expect=api(SIGNAL_READERS),
    ),
    GridRoute(
        "POST /api/v1/radar/signals/{signal_id}/acknowledge",
        method="POST",
        json=True,
        path=signal_path("/acknowledge"),
        expect=api(SIGNAL_ACTORS),
    ),
    GridRoute(
        "POST /api/v1/radar/signals/{signal_id}/resolve",
        method="POST",
        json=True,
        path=signal_path("/resolve"),
        data=lambda w: {"outcome": "seen"},
        expect=api(SIGNAL_ACTORS),
    ),
    GridRoute("GET /api/v1/radar/rules", path=lambda w: f"{API}/radar/rules", expect=api(EVERY_RADAR_ROLE)),
]
