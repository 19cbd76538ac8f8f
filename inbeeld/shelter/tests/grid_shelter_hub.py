"""Permission grid for the shelter's front door (``shelter.views``).

Policy (``roles.SHELTER``, ``shelter.sites``): shelter coordinators and volunteers use the shelter sites
of their own organisation; every other role gets 404 (rule 1). The grid's site belongs to organisation
A: members of B get 404 on it, and an empty list (200) on the index.
"""

from __future__ import annotations

from inbeeld.core.models import Location
from inbeeld.testing.grid import GridRoute, World, by_role

OK, CHANGED, FORBIDDEN = 200, 302, 403
SHELTER_USERS = ("shelter_coordinator", "volunteer")


def site(w: World) -> Location:
    found = Location.objects.filter(organisation=w.org_a, kind=Location.Kind.SHELTER).first()
    return found or Location.objects.create(organisation=w.org_a, name="Opvang A", kind=Location.Kind.SHELTER)


def shelter_users(expect: tuple[int, int], **others: tuple[int, int]) -> dict[str, tuple[int, int]]:
    return by_role(**dict.fromkeys(SHELTER_USERS, expect), **others)


ROUTES: list[GridRoute] = [
    # One site in A: straight to it; B has none: the (empty) list.
    GridRoute("shelter:index", shelter_users((CHANGED, OK)), kwargs=lambda w: (site(w), {})[1]),
    GridRoute("shelter:site", shelter_users((OK, 404)), kwargs=lambda w: {"pk": site(w).pk}),
    # Figures only, but the coordinator's: a volunteer of the site is refused.
    GridRoute(
        "shelter:outcomes",
        by_role(shelter_coordinator=(OK, 404), volunteer=(FORBIDDEN, 404)),
        kwargs=lambda w: {"pk": site(w).pk},
    ),
]
