"""Permission grid for the street counts (web and API).

Policy (``roles.RECORD_STREET_COUNTS``, ``access.may_record_street_counts``): the network's outreach
workers and coordinators list its street counts and record one on any of its street-zone locations, so
members of A and of B alike may record on A's zone (302 / 201). A count is corrected or deleted only by a
recorder of the organisation that recorded it: the grid's count is A's, so recorders of B, who see it in
the list, get 403. Every other role gets 404 everywhere (rule 1): analysts see the counts only through
disclosure control in the reports, since a raw count of 3 is a small number.
The grid world has no street zone: the entries make one in A.
"""

from __future__ import annotations

import datetime

from inbeeld.core.models import Location
from inbeeld.reports.models import StreetCount
from inbeeld.testing.grid import GridRoute, World, by_role

API = "/api/v1/reports/street-counts"
OK, CREATED, CHANGED, GONE, FORBIDDEN = 200, 201, 302, 204, 403
RECORDERS = ("outreach", "coordinator")
DAY = "2018-06-30"


def zone(w: World) -> Location:
    found = Location.objects.filter(organisation=w.org_a, kind=Location.Kind.STREET_ZONE).first()
    return found or Location.objects.create(
        organisation=w.org_a,
        name="Zone A",
        kind=Location.Kind.STREET_ZONE,
        opened_on=datetime.date(2010, 1, 1),
    )


def street_count(w: World) -> StreetCount:
    outreach = w.member("outreach", "own")
    return StreetCount.objects.create(
        location=zone(w),
        counted_on=datetime.date(2018, 6, 1),
        count=38,
        organisation=w.org_a,
        recorded_by=outreach.user,
    )


def recorders(expect: tuple[int, int], *, anonymous: int = 302) -> dict[str, tuple[int, int]]:
    return by_role(anonymous=anonymous, **dict.fromkeys(RECORDERS, expect))


def form(w: World) -> dict[str, object]:
    return {"location": zone(w).pk, "counted_on": DAY, "count": "37", "method": "counted"}


def body(w: World) -> dict[str, object]:
    return {"location_id": zone(w).pk, "counted_on": DAY, "count": 37, "method": "estimated"}


ROUTES: list[GridRoute] = [
    # --- web ---
    # The list page's policy is its write's: recording from A and B alike (the GET is in the tests).
    GridRoute("reports:street_counts", recorders((CHANGED, CHANGED)), method="POST", data=form),
    GridRoute(
        "reports:street_count_edit",
        recorders((CHANGED, FORBIDDEN)),
        method="POST",
        kwargs=lambda w: {"pk": street_count(w).pk},
        data=form,
    ),
    GridRoute(
        "reports:street_count_delete",
        recorders((CHANGED, FORBIDDEN)),
        method="POST",
        kwargs=lambda w: {"pk": street_count(w).pk},
    ),
    # --- API ---
    GridRoute(
        "GET /api/v1/reports/street-counts",
        recorders((OK, OK), anonymous=401),
        path=lambda w: (street_count(w), API)[1],
    ),
    GridRoute(
        "POST /api/v1/reports/street-counts",
        recorders((CREATED, CREATED), anonymous=401),
        method="POST",
        json=True,
        path=lambda w: API,
        data=body,
    ),
    GridRoute(
        "PUT /api/v1/reports/street-counts/{count_id}",
        recorders((OK, FORBIDDEN), anonymous=401),
        method="PUT",
        json=True,
        path=lambda w: f"{API}/{street_count(w).pk}",
        data=body,
    ),
    GridRoute(
        "DELETE /api/v1/reports/street-counts/{count_id}",
        recorders((GONE, FORBIDDEN), anonymous=401),
        method="DELETE",
        json=True,
        path=lambda w: f"{API}/{street_count(w).pk}",
    ),
]
