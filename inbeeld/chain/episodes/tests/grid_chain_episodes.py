"""Permission grid for episodes (admissions and stays elsewhere): their pages and API operations.

Policy (``chain.episodes.actions``): episodes are part of the file. The caseworker of an involved
organisation reads them (``Need.READ_FILE``) and records, changes and ends their own organisation's
(``Need.EDIT_CARE``); another organisation's episodes show only with the person's consent for episodes,
read only (``test_sharing.py``). Everyone else who sees the person (outreach, hosts and shelter
coordinators of an involved organisation, coordinators, privacy officers) does not see episodes (404,
rule 1) and is refused a write on the person's pages (403); volunteers, analysts and admins see no person
(404). An API operation on one episode first asks whether the caller may read it: if not, it does not
exist (404).

In the grid world organisation A is involved and leads; B is not involved, so B's members see no episode.
"""

from __future__ import annotations

import datetime

from inbeeld.chain.episodes.models import Episode
from inbeeld.testing.grid import GridRoute, World, by_role

API = "/api/v1"
OK, CREATED, CHANGED, FORBIDDEN, UNSEEN = 200, 201, 302, 403, 404


def _episode(w: World) -> Episode:
    return Episode.objects.create(
        person=w.person,
        kind="clinic",
        place="Grid clinic",
        started_on=datetime.date(2024, 1, 1),
        organisation=w.org_a,
        source="own_record",
        recorded_by=w.member("caseworker", "own").user,
    )


def _data(w: World) -> dict[str, object]:
    return {
        "kind": "detox",
        "place": "Grid detox",
        "started_on": "2024-02-01",
        "source": "information_received",
    }


def _end(w: World) -> dict[str, object]:
    return {"ended_on": "2024-03-01", "outcome": "completed"}


def _person(w: World) -> dict[str, int]:
    return {"pk": w.person.pk}


def _person_episode(w: World) -> dict[str, int]:
    return {"pk": w.person.pk, "episode_pk": _episode(w).pk}


_READ = {"caseworker": (OK, UNSEEN)}
_WRITE = {
    "caseworker": (CHANGED, UNSEEN),
    "outreach": (FORBIDDEN, UNSEEN),
    "host": (FORBIDDEN, UNSEEN),
    "shelter_coordinator": (FORBIDDEN, UNSEEN),
    "coordinator": (FORBIDDEN, FORBIDDEN),
    "privacy_officer": (FORBIDDEN, FORBIDDEN),
}
_API_CREATE = {role: (CREATED if own == CHANGED else own, other) for role, (own, other) in _WRITE.items()}

ROUTES = [
    GridRoute("chain:episodes", by_role(**_READ), kwargs=_person),
    GridRoute("chain:episode_add", by_role(**_WRITE), method="POST", kwargs=_person, data=_data),
    GridRoute(
        "chain:episode_edit",
        by_role(**_WRITE),
        method="POST",
        kwargs=_person_episode,
        data=lambda w: {**_data(w), "version": 1},
    ),
    GridRoute("chain:episode_end", by_role(**_WRITE), method="POST", kwargs=_person_episode, data=_end),
    GridRoute(
        "GET /api/v1/persons/{person_id}/episodes",
        by_role(anonymous=401, **_READ),
        path=lambda w: f"{API}/persons/{w.person.pk}/episodes",
    ),
    GridRoute(
        "POST /api/v1/persons/{person_id}/episodes",
        by_role(anonymous=401, **_API_CREATE),
        method="POST",
        json=True,
        path=lambda w: f"{API}/persons/{w.person.pk}/episodes",
        data=_data,
    ),
    GridRoute(
        "PUT /api/v1/episodes/{episode_id}",
        by_role(anonymous=401, **_READ),
        method="PUT",
        json=True,
        path=lambda w: f"{API}/episodes/{_episode(w).pk}",
        data=lambda w: {**_data(w), "version": 1},
    ),
    GridRoute(
        "POST /api/v1/episodes/{episode_id}/end",
        by_role(anonymous=401, **_READ),
        method="POST",
        json=True,
        path=lambda w: f"{API}/episodes/{_episode(w).pk}/end",
        data=_end,
    ),
]
