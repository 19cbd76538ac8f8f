"""Permission grid for assessments: web pages and API operations.

Worked out from the policy (``core.access``) for the grid world (``testing.grid``): the person is
involved with and led by organisation A; B is not involved (its consent does not make it involved).
Assessments are part of the file: READ_CARE needs the file level, which only A's caseworker has;
EDIT_CARE also needs the caseworker role. So:
- A's caseworker reads (200) and records (302 on the web, 201 in the API);
- who sees the person's radar core but not the file (outreach, host, shelter coordinator of A;
  coordinators and privacy officers of A and B) gets 404 on the reads (the file does not exist for
  them, rule 1) and 403 on the writes (visible person, role may not);
- everyone else, B's caseworker included, and volunteers, analysts and admins: 404.
The instrument list holds no person data; it is for caseworkers (of any organisation), 404 for others.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from inbeeld.care.models import Assessment, Instrument, Score
from inbeeld.core.roles import Role
from inbeeld.testing.grid import GridRoute, World, by_role

API = "/api/v1"
OK, CREATED, CHANGED, FORBIDDEN, UNSEEN = 200, 201, 302, 403, 404

# Reads: the file of A's person, for A's caseworker only.
_READ = {"caseworker": (OK, UNSEEN)}
# Writes: A's caseworker; roles that see the core get 403, the rest 404.
_SEES_CORE_ONLY = {
    "outreach": (FORBIDDEN, UNSEEN),
    "host": (FORBIDDEN, UNSEEN),
    "shelter_coordinator": (FORBIDDEN, UNSEEN),
    "coordinator": (FORBIDDEN, FORBIDDEN),
    "privacy_officer": (FORBIDDEN, FORBIDDEN),
}
_WEB_WRITE = {"caseworker": (CHANGED, UNSEEN), **_SEES_CORE_ONLY}
_API_WRITE = {"caseworker": (CREATED, UNSEEN), **_SEES_CORE_ONLY}


def _zrm() -> Instrument:
    return Instrument.objects.get(network=None, code="zrm-2017")


def _assessment(w: World) -> Assessment:
    """An assessment of A's person recorded by A (made per cell: each cell has its own world)."""
    zrm = _zrm()
    assessment = Assessment.objects.create(
        person=w.person,
        instrument=zrm,
        organisation=w.org_a,
        assessed_on=datetime.date(2019, 1, 1),
        assessed_by=w.member(Role.CASEWORKER, "own").user,
    )
    Score.objects.bulk_create([Score(assessment=assessment, domain=d, value=3) for d in zrm.domains.all()])
    return assessment


def _person(w: World) -> dict[str, int]:
    return {"pk": w.person.pk}


def _web_form(w: World) -> dict[str, Any]:
    zrm = _zrm()
    data: dict[str, Any] = {"instrument": zrm.pk, "assessed_on": timezone.localdate().isoformat()}
    data.update({f"score_{d.code}": "3" for d in zrm.domains.all()})
    return data


def _api_body(w: World) -> dict[str, Any]:
    domain = _zrm().domains.first()
    assert domain is not None
    return {"assessed_on": timezone.localdate().isoformat(), "scores": [{"domain_id": domain.pk, "value": 2}]}


def _on_person(suffix: str = "") -> Any:
    return lambda w: f"{API}/persons/{w.person.pk}/assessments{suffix}"


def api(expect: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    return by_role(anonymous=401, **expect)


ROUTES = [
    # --- web pages ---
    GridRoute("care:assessment_list", by_role(**_READ), kwargs=_person),
    GridRoute(
        "care:assessment_detail",
        by_role(**_READ),
        kwargs=lambda w: {"pk": w.person.pk, "assessment_pk": _assessment(w).pk},
    ),
    GridRoute("care:assessment_add", by_role(**_WEB_WRITE), method="POST", kwargs=_person, data=_web_form),
    # --- API ---
    GridRoute(
        "GET /api/v1/instruments",
        path=lambda w: f"{API}/instruments",
        expect=api({"caseworker": (OK, OK)}),
    ),
    GridRoute("GET /api/v1/persons/{person_id}/assessments", path=_on_person(), expect=api(_READ)),
    GridRoute(
        "POST /api/v1/persons/{person_id}/assessments",
        method="POST",
        json=True,
        path=_on_person(),
        data=_api_body,
        expect=api(_API_WRITE),
    ),
    GridRoute(
        "GET /api/v1/persons/{person_id}/assessments/summary",
        path=_on_person("/summary"),
        expect=api(_READ),
    ),
    GridRoute(
        "GET /api/v1/persons/{person_id}/assessments/{assessment_id}",
        path=lambda w: f"{API}/persons/{w.person.pk}/assessments/{_assessment(w).pk}",
        expect=api(_READ),
    ),
]
