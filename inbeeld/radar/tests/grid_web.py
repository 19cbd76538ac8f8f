"""Permission grid for the radar's web pages: the dashboard, the rules, signals, the transition board.

Worked out from ``core.access`` for the grid world (``testing.grid``): organisation A is involved with
the person and leads; B is not involved. The radar (``roles.RADAR_VIEW``) is for caseworkers, outreach
workers, hosts, shelter coordinators and coordinators; volunteers, analysts, privacy officers and
admins have none: 404 on every radar page (rule 1).

- The dashboard, my signals, the rules and the key dates: every radar role, in A and in B (a member of
  B sees a radar without A's person, not a refusal).
- A signal of A's person: the radar roles of A and the network's coordinators (also from B) read it;
  the radar roles of B do not see the person: 404.
- Acting on it (``RADAR_ACT``): caseworker and outreach of A and the coordinators; host and shelter
  coordinator of A see it but may not act: 403.
- The transition board: a key date of the member's network, for every radar role.
- An exit route (``Need.SET_EXIT_ROUTE``): A's caseworker (the file level) and the coordinators; the
  other radar roles of A see the person but may not: 403; B's (except the coordinator) do not: 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from inbeeld.radar.models import KeyDate, Signal
from inbeeld.radar.tests.radar_grid import RADAR_ROLES, SIGNAL_READERS, grid_signal
from inbeeld.testing.grid import GridRoute, World, by_role

OK, CHANGED, FORBIDDEN, UNSEEN = 200, 302, 403, 404

RADAR = dict.fromkeys(RADAR_ROLES, (OK, OK))
SIGNAL_ACTORS = {
    "caseworker": (CHANGED, UNSEEN),
    "outreach": (CHANGED, UNSEEN),
    "host": (FORBIDDEN, UNSEEN),
    "shelter_coordinator": (FORBIDDEN, UNSEEN),
    "coordinator": (CHANGED, CHANGED),
}
EXIT_ROUTE_SETTERS = {
    "caseworker": (CHANGED, UNSEEN),
    "outreach": (FORBIDDEN, UNSEEN),
    "host": (FORBIDDEN, UNSEEN),
    "shelter_coordinator": (FORBIDDEN, UNSEEN),
    "coordinator": (CHANGED, CHANGED),
}


def _signal(w: World) -> dict[str, int]:
    return {"pk": grid_signal(w).pk}


def _key_date(w: World) -> KeyDate:
    return KeyDate.objects.create(
        network=w.network, name="Sluiting tippelzone", date=timezone.localdate() + datetime.timedelta(days=30)
    )


def _board(w: World) -> dict[str, int]:
    return {"key_date_pk": _key_date(w).pk}


def _route(w: World) -> dict[str, int]:
    return {"key_date_pk": _key_date(w).pk, "person_pk": w.person.pk}


def _resolution(w: World) -> dict[str, Any]:
    return {"outcome": Signal.Outcome.SEEN, "note": ""}


ROUTES: list[GridRoute] = [
    GridRoute("radar:dashboard", by_role(**RADAR)),
    GridRoute("radar:rules", by_role(**RADAR)),
    GridRoute("radar:signals", by_role(**RADAR)),
    GridRoute("radar:signal", by_role(**SIGNAL_READERS), kwargs=_signal),
    GridRoute(
        "radar:signal_acknowledge", by_role(**SIGNAL_ACTORS), method="POST", kwargs=_signal, data=lambda w: {}
    ),
    GridRoute(
        "radar:signal_resolve", by_role(**SIGNAL_ACTORS), method="POST", kwargs=_signal, data=_resolution
    ),
    GridRoute("radar:transition", by_role(**RADAR)),
    GridRoute("radar:transition_board", by_role(**RADAR), kwargs=_board),
    GridRoute(
        "radar:exit_route",
        by_role(**EXIT_ROUTE_SETTERS),
        method="POST",
        kwargs=_route,
        data=lambda w: {"route": "exit_programme"},
    ),
]
