"""Permission grid for the shelter's beds, stays and waitlist (``views_stays``, ``api_stays``).

Policy (``shelter.sites``): the shelter coordinator of the site's organisation (A) does everything;
its volunteers read the residents list and the house rules and get 403 on the rest; every other role,
and every member of B, gets 404 (rule 1). The grid's site, rooms, beds, stays and entries are A's.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from inbeeld.core.roles import Role
from inbeeld.shelter.models import Bed, HouseRules, Room, Stay, WaitlistEntry
from inbeeld.shelter.tests.grid_shelter_hub import site
from inbeeld.testing import factories as f
from inbeeld.testing.grid import GridRoute, World, by_role

API = "/api/v1"
OK, CREATED, CHANGED = 200, 201, 302
_names = itertools.count()


def coordinator_only(expect: tuple[int, int], *, anonymous: int = 302) -> dict[str, tuple[int, int]]:
    return by_role(anonymous=anonymous, shelter_coordinator=expect, volunteer=(403, 404))


def shelter_users(expect: tuple[int, int], *, anonymous: int = 302) -> dict[str, tuple[int, int]]:
    return by_role(anonymous=anonymous, shelter_coordinator=expect, volunteer=expect)


def room(w: World) -> Room:
    return Room.objects.get_or_create(location=site(w), name="Kamer 1")[0]


def free_bed(w: World) -> Bed:
    return Bed.objects.create(room=room(w), label=f"Bed {next(_names)}")


def house_rules(w: World) -> HouseRules:
    found = HouseRules.objects.filter(location=site(w)).first()
    coordinator = w.member(Role.SHELTER_COORDINATOR, "own").user
    return found or HouseRules.objects.create(
        location=site(w), version=1, text="Rust na 23 uur", published_by=coordinator
    )


def stay(w: World) -> Stay:
    coordinator = w.member(Role.SHELTER_COORDINATOR, "own").user
    person = f.PersonFactory(network=w.network, involved=[w.org_a])
    return Stay.objects.create(
        person=person,
        location=site(w),
        bed=free_bed(w),
        organisation=w.org_a,
        checked_in_at=timezone.now() - datetime.timedelta(days=2),
        house_rules=house_rules(w),
        house_rules_accepted_at=timezone.now() - datetime.timedelta(days=2),
        checked_in_by=coordinator,
    )


def entry(w: World) -> WaitlistEntry:
    coordinator = w.member(Role.SHELTER_COORDINATOR, "own").user
    person = f.PersonFactory(network=w.network, involved=[w.org_a])
    return WaitlistEntry.objects.create(
        location=site(w),
        person=person,
        requested_by_organisation=w.org_a,
        organisation=w.org_a,
        added_by=coordinator,
    )


def at_site(w: World) -> dict[str, Any]:
    return {"pk": site(w).pk}


def check_in_body(w: World) -> dict[str, Any]:
    house_rules(w)
    return {"person_id": w.person.pk, "bed_id": free_bed(w).pk, "house_rules_accepted": True}


def site_api(suffix: str) -> Any:
    return lambda w: f"{API}/shelter/sites/{site(w).pk}/{suffix}"


WEB_READS = [
    "shelter:beds",
    "shelter:waitlist",
    "shelter:waitlist_add",
    "shelter:person_search",
    "shelter:check_in",
    "shelter:rooms",
]

ROUTES: list[GridRoute] = [
    *(GridRoute(name, coordinator_only((OK, 404)), kwargs=at_site) for name in WEB_READS),
    GridRoute("shelter:residents", shelter_users((OK, 404)), kwargs=at_site),
    GridRoute("shelter:house_rules", shelter_users((OK, 404)), kwargs=at_site),
    GridRoute(
        "shelter:house_rules_publish",
        coordinator_only((CHANGED, 404)),
        method="POST",
        kwargs=at_site,
        data=lambda w: {"text": "Geen bezoek na 22 uur"},
    ),
    GridRoute(
        "shelter:room_add",
        coordinator_only((CHANGED, 404)),
        method="POST",
        kwargs=at_site,
        data=lambda w: {"name": "Kamer 9"},
    ),
    GridRoute(
        "shelter:bed_add",
        coordinator_only((CHANGED, 404)),
        method="POST",
        kwargs=lambda w: {"pk": room(w).pk},
        data=lambda w: {"label": "Bed 9"},
    ),
    GridRoute(
        "shelter:bed_in_use",
        coordinator_only((CHANGED, 404)),
        method="POST",
        kwargs=lambda w: {"pk": free_bed(w).pk},
        data=lambda w: {"in_use": "0"},
    ),
    GridRoute(
        "shelter:waitlist_priority",
        coordinator_only((CHANGED, 404)),
        method="POST",
        kwargs=lambda w: {"pk": entry(w).pk},
        data=lambda w: {"priority": "1"},
    ),
    GridRoute(
        "shelter:waitlist_close",
        coordinator_only((CHANGED, 404)),
        method="POST",
        kwargs=lambda w: {"pk": entry(w).pk},
        data=lambda w: {"outcome": "withdrawn"},
    ),
    GridRoute("shelter:stay", coordinator_only((OK, 404)), kwargs=lambda w: {"pk": stay(w).pk}),
    GridRoute(
        "shelter:stay_check_out",
        coordinator_only((CHANGED, 404)),
        method="POST",
        kwargs=lambda w: {"pk": stay(w).pk},
        data=lambda w: {
            "checkout_reason": "planned_end",
            "checked_out_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    ),
    # --- API ---
    GridRoute(
        "GET /api/v1/shelter/sites/{site_id}/beds",
        coordinator_only((OK, 404), anonymous=401),
        path=site_api("beds"),
    ),
    GridRoute(
        "GET /api/v1/shelter/sites/{site_id}/stays",
        shelter_users((OK, 404), anonymous=401),
        path=site_api("stays"),
    ),
    GridRoute(
        "POST /api/v1/shelter/sites/{site_id}/stays",
        coordinator_only((CREATED, 404), anonymous=401),
        method="POST",
        json=True,
        path=site_api("stays"),
        data=check_in_body,
    ),
    GridRoute(
        "POST /api/v1/shelter/stays/{stay_id}/check-out",
        coordinator_only((OK, 404), anonymous=401),
        method="POST",
        json=True,
        path=lambda w: f"{API}/shelter/stays/{stay(w).pk}/check-out",
        data=lambda w: {"checkout_reason": "moved_on"},
    ),
    GridRoute(
        "GET /api/v1/shelter/sites/{site_id}/waitlist",
        coordinator_only((OK, 404), anonymous=401),
        path=site_api("waitlist"),
    ),
    GridRoute(
        "POST /api/v1/shelter/sites/{site_id}/waitlist",
        coordinator_only((CREATED, 404), anonymous=401),
        method="POST",
        json=True,
        path=site_api("waitlist"),
        data=lambda w: {"person_id": w.person.pk, "priority": 2},
    ),
    GridRoute(
        "PATCH /api/v1/shelter/waitlist/{entry_id}",
        coordinator_only((OK, 404), anonymous=401),
        method="PATCH",
        json=True,
        path=lambda w: f"{API}/shelter/waitlist/{entry(w).pk}",
        data=lambda w: {"priority": 1},
    ),
]
