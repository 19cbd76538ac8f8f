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

from inbeeld.radar.tests.radar_grid import RADAR_ROLES, SIGNAL_READERS, grid_signal
from inbeeld.testing.grid import GridRoute, World, by_role

API = "/api/v1"
OK, FORBIDDEN, UNSEEN = 200, 403, 404

# The list and the rules: every radar role, whichever organisation.
EVERY_RADAR_ROLE = dict.fromkeys(RADAR_ROLES, (OK, OK))
SIGNAL_ACTORS = {
    **SIGNAL_READERS,
    "host": (FORBIDDEN, UNSEEN),
    "shelter_coordinator": (FORBIDDEN, UNSEEN),
}


def api(expect: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    return by_role(anonymous=401, **expect)


def signal_path(suffix: str = "") -> Callable[[World], str]:
    def path(w: World) -> str:
        return f"{API}/radar/signals/{grid_signal(w).pk}{suffix}"

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
