"""Permission grid for the social network map (issue 5): its pages and API operations.

Policy (``Need.READ_NETWORK_MAP`` / ``Need.EDIT_NETWORK_MAP`` in ``core.access``): the map is part of the
file. The caseworker of an involved organisation reads it and records, changes and ends their own
organisation's ties; another involved organisation's caseworker sees those ties only with the person's
consent for the NETWORK_MAP category, read only (``test_ties.py``). Nobody else reads the map: outreach
workers, hosts and shelter coordinators of an involved organisation, network coordinators and privacy
officers see the person but not the map (404, rule 1: a risk contact's name is as sensitive as the file);
volunteers, analysts and admins see no person at all (404). Writes on the person's pages by those who see
the person but not the map are refused (403), as for every file write. An API operation on one tie
(``/ties/{tie_id}``) first asks whether the caller may read the tie: if not, it does not exist (404).

In the grid world organisation A is involved and leads; B is not involved, so B's members see no map.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from inbeeld.people.models import NetworkTie
from inbeeld.testing.grid import GridRoute, World, by_role

API = "/api/v1"
OK, CREATED, CHANGED, FORBIDDEN, UNSEEN = 200, 201, 302, 403, 404


def _tie(w: World) -> NetworkTie:
    caseworker = w.member("caseworker", "own")
    return NetworkTie.objects.create(
        person=w.person,
        kind="friend",
        quality="supportive",
        name="Grid friend",
        frequency="weekly",
        started_on=datetime.date(2024, 1, 1),
        organisation=w.org_a,
        recorded_by=caseworker.user,
    )


def _tie_data(w: World) -> dict[str, object]:
    return {
        "kind": "family",
        "quality": "supportive",
        "name": "zus",
        "frequency": "weekly",
        "started_on": timezone.localdate().isoformat(),
        "note": "",
    }


# Reading the map: only the caseworker of the involved organisation A; everyone else 404.
_READ = {"caseworker": (OK, UNSEEN)}
# Writing through the person's pages: those who see the person but not the map are refused (403).
_WRITE = {
    "caseworker": (CHANGED, UNSEEN),
    "outreach": (FORBIDDEN, UNSEEN),
    "host": (FORBIDDEN, UNSEEN),
    "shelter_coordinator": (FORBIDDEN, UNSEEN),
    "coordinator": (FORBIDDEN, FORBIDDEN),
    "privacy_officer": (FORBIDDEN, FORBIDDEN),
}
_API_CREATE = {role: (CREATED if own == CHANGED else own, other) for role, (own, other) in _WRITE.items()}


def _person_tie(w: World) -> dict[str, int]:
    return {"pk": w.person.pk, "tie_pk": _tie(w).pk}


ROUTES = [
    GridRoute("people:network", by_role(**_READ), kwargs=lambda w: {"pk": w.person.pk}),
    GridRoute(
        "people:tie_add",
        by_role(**_WRITE),
        method="POST",
        kwargs=lambda w: {"pk": w.person.pk},
        data=_tie_data,
    ),
    GridRoute("people:tie_edit", by_role(**_WRITE), method="POST", kwargs=_person_tie, data=_tie_data),
    GridRoute(
        "people:tie_end",
        by_role(**_WRITE),
        method="POST",
        kwargs=_person_tie,
        data=lambda w: {"ended_on": timezone.localdate().isoformat()},
    ),
    GridRoute(
        "GET /api/v1/persons/{person_id}/ties",
        by_role(anonymous=401, **_READ),
        path=lambda w: f"{API}/persons/{w.person.pk}/ties",
    ),
    GridRoute(
        "POST /api/v1/persons/{person_id}/ties",
        by_role(anonymous=401, **_API_CREATE),
        method="POST",
        json=True,
        path=lambda w: f"{API}/persons/{w.person.pk}/ties",
        data=_tie_data,
    ),
    GridRoute(
        "PUT /api/v1/ties/{tie_id}",
        by_role(anonymous=401, **_READ),
        method="PUT",
        json=True,
        path=lambda w: f"{API}/ties/{_tie(w).pk}",
        data=_tie_data,
    ),
    GridRoute(
        "POST /api/v1/ties/{tie_id}/end",
        by_role(anonymous=401, **_READ),
        method="POST",
        json=True,
        path=lambda w: f"{API}/ties/{_tie(w).pk}/end",
        data=lambda w: {"ended_on": timezone.localdate().isoformat()},
    ),
    GridRoute(
        "GET /api/v1/persons/{person_id}/network-size",
        by_role(anonymous=401, **_READ),
        path=lambda w: f"{API}/persons/{w.person.pk}/network-size",
    ),
]
