"""Permission grid for the huiskamer register (web and API).

Policy (``roles.HUISKAMER``, ``access.may_use_huiskamer``): hosts, caseworkers and outreach workers use
the huiskamer locations of their own organisation. Every other role gets 404 on every route (rule 1:
volunteers, analysts, privacy officers and admins see no register; shelter coordinators and network
coordinators do not work in the huiskamer either: the radar shows them who was seen there). A location
or visit of another organisation is 404 too: the grid's location and visit belong to organisation A, so
members of B get 404 everywhere except the location index, which lists their own (none: 200).
Named visits follow ``Need.RECORD_CONTACT``; the grid registers an anonymous visit, so the cell does not
depend on the person.
"""

from __future__ import annotations

from django.utils import timezone

from inbeeld.core.models import Location
from inbeeld.huiskamer.models import Visit
from inbeeld.testing.grid import GridRoute, World, by_role

API = "/api/v1"
OK, CREATED, CHANGED, UNSEEN = 200, 201, 302, 404
USERS = ("caseworker", "outreach", "host")


def location(w: World) -> Location:
    found = Location.objects.filter(organisation=w.org_a, kind=Location.Kind.HUISKAMER).first()
    return found or Location.objects.create(
        organisation=w.org_a, name="Huiskamer A", kind=Location.Kind.HUISKAMER
    )


def visit(w: World) -> Visit:
    host = w.member("host", "own")
    return Visit.objects.create(
        location=location(w), organisation=w.org_a, recorded_by=host.user, arrived_at=timezone.now()
    )


def users(expect: tuple[int, int], *, anonymous: int = 302) -> dict[str, tuple[int, int]]:
    return by_role(anonymous=anonymous, **dict.fromkeys(USERS, expect))


ROUTES: list[GridRoute] = [
    # --- web ---
    GridRoute(
        "huiskamer:index",
        # One location in A: straight to its "today"; B has none: the (empty) list.
        users((CHANGED, OK)),
        kwargs=lambda w: (location(w), {})[1],
    ),
    GridRoute("huiskamer:today", users((OK, UNSEEN)), kwargs=lambda w: {"pk": location(w).pk}),
    GridRoute(
        "huiskamer:visit_new",
        users((CHANGED, UNSEEN)),
        method="POST",
        kwargs=lambda w: {"pk": location(w).pk},
        data=lambda w: {"person": "anonymous", "intent": "info_only"},
    ),
    GridRoute("huiskamer:totals", users((OK, UNSEEN)), kwargs=lambda w: {"pk": location(w).pk}),
    GridRoute(
        "huiskamer:visit_left", users((CHANGED, UNSEEN)), method="POST", kwargs=lambda w: {"pk": visit(w).pk}
    ),
    # --- API ---
    GridRoute(
        "GET /api/v1/huiskamer/locations/{location_id}/visits",
        users((OK, UNSEEN), anonymous=401),
        path=lambda w: f"{API}/huiskamer/locations/{location(w).pk}/visits",
    ),
    GridRoute(
        "POST /api/v1/huiskamer/locations/{location_id}/visits",
        users((CREATED, UNSEEN), anonymous=401),
        method="POST",
        json=True,
        path=lambda w: f"{API}/huiskamer/locations/{location(w).pk}/visits",
        data=lambda w: {"anonymous": True, "services": ["food"]},
    ),
    GridRoute(
        "POST /api/v1/huiskamer/visits/{visit_id}/left",
        users((OK, UNSEEN), anonymous=401),
        method="POST",
        json=True,
        path=lambda w: f"{API}/huiskamer/visits/{visit(w).pk}/left",
        data=lambda w: {},
    ),
    GridRoute(
        "GET /api/v1/huiskamer/locations/{location_id}/totals",
        users((OK, UNSEEN), anonymous=401),
        path=lambda w: f"{API}/huiskamer/locations/{location(w).pk}/totals",
    ),
]
