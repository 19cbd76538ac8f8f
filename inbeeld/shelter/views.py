"""The shelter's front door: which site, and what the member can do there.

Coordinators and volunteers of the shelter's organisation (``sites``); everyone else 404.
The pages behind the tiles live in ``views_stays`` (beds, stays, waitlist, house rules) and
``views_volunteers`` (volunteers, roster, house log, buddies).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from inbeeld.core import access
from inbeeld.people.view_support import acting_membership
from inbeeld.shelter import sites
from inbeeld.shelter.outcomes import MIN_CELL, network_outcomes


@dataclass(frozen=True)
class Tile:
    url_name: str
    label: Promise
    coordinator_only: bool = False


TILES = (
    Tile("shelter:beds", _("Bed board"), coordinator_only=True),
    Tile("shelter:residents", _("Residents")),
    Tile("shelter:waitlist", _("Waitlist"), coordinator_only=True),
    Tile("shelter:roster", _("Roster")),
    Tile("shelter:house_log", _("House log")),
    Tile("shelter:buddies", _("Buddies")),
    Tile("shelter:volunteers", _("Volunteers"), coordinator_only=True),
    Tile("shelter:rooms", _("Rooms and beds"), coordinator_only=True),
    Tile("shelter:house_rules", _("House rules")),
    Tile("shelter:outcomes", _("Network outcomes"), coordinator_only=True),
)


@login_required
@never_cache
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    found = list(sites.sites_for(acting_membership(request)))
    if len(found) == 1:
        return redirect("shelter:site", pk=found[0].pk)
    return render(request, "shelter/index.html", {"sites": found})


@login_required
@never_cache
@require_GET
def site(request: HttpRequest, pk: int) -> HttpResponse:
    membership = acting_membership(request)
    location = sites.site_for(membership, pk)
    coordinator = access.may_run_shelter(membership)
    tiles = [
        (tile.label, reverse(tile.url_name, kwargs={"pk": location.pk}))
        for tile in TILES
        if coordinator or not tile.coordinator_only
    ]
    return render(
        request, "shelter/site.html", {"site": location, "tiles": tiles, "coordinator": coordinator}
    )


@login_required
@never_cache
@require_GET
def outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    location = sites.coordinated_site(acting_membership(request), pk)
    context = {"site": location, "rows": network_outcomes(location), "min_cell": MIN_CELL}
    return render(request, "shelter/outcomes.html", context)


urlpatterns: list[URLPattern] = [
    path("", index, name="index"),
    path("sites/<int:pk>/", site, name="site"),
    path("sites/<int:pk>/outcomes/", outcomes, name="outcomes"),
]
