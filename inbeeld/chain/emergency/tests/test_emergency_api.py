"""The emergency access API: search, break the glass, own grants, review; the same rules as the web."""

from __future__ import annotations

import json
from typing import Any

import pytest

from inbeeld.chain.emergency.models import EmergencyAccess
from inbeeld.chain.emergency.tests.conftest import REASON
from inbeeld.core.models import AuditEvent
from inbeeld.core.roles import Role
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1/emergency-access"


def _post(client, url: str, data: dict[str, Any]):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(data), content_type="application/json")


def _fields(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(error["loc"][-1]) for error in response.json()["detail"]}


def test_search_then_break_the_glass(login, outsider, person, travel):
    client = login(outsider)
    found = _post(client, f"{API}/search", {"reason": REASON, "q": person.roepnaam})
    assert found.status_code == 200
    assert found.json() == {
        "too_many": False,
        "results": [
            {"person_id": person.pk, "roepnaam": person.roepnaam, "sees_normally": False, "grant_id": None}
        ],
    }
    made = _post(client, API, {"reason": REASON, "q": person.roepnaam, "person_id": person.pk})
    assert made.status_code == 201
    body = made.json()
    assert body["person_id"] == person.pk and body["active"] is True and body["justified"] is None
    assert client.get(f"/api/v1/persons/{person.pk}").status_code == 200
    assert AuditEvent.objects.get(data="person.api").emergency
    again = _post(client, API, {"reason": REASON, "q": person.roepnaam, "person_id": person.pk})
    assert again.json()["id"] == body["id"] and EmergencyAccess.objects.count() == 1
    own = client.get(API)
    assert [g["id"] for g in own.json()] == [body["id"]]
    with travel(hours=24, seconds=1):
        client = login(outsider)
        assert client.get(f"/api/v1/persons/{person.pk}").status_code == 404
        assert client.get(API).json()[0]["active"] is False


def test_reason_is_required(login, outsider, person):
    client = login(outsider)
    for payload in (
        {"q": person.roepnaam, "person_id": person.pk},
        {"reason": "kort", "q": "x", "person_id": 1},
    ):
        response = _post(client, API, payload)
        assert response.status_code == 422 and "reason" in _fields(response)
    response = _post(client, f"{API}/search", {"reason": "", "q": person.roepnaam})
    assert response.status_code == 422 and "reason" in _fields(response)
    assert not EmergencyAccess.objects.exists()
    assert not AuditEvent.objects.filter(data__startswith="emergency_access").exists()


def test_another_network_never_finds_the_person(login, person):
    client = login(f.MembershipFactory(organisation=f.OrganisationFactory(), role=Role.OUTREACH))
    assert _post(client, f"{API}/search", {"reason": REASON, "q": person.roepnaam}).json()["results"] == []
    made = _post(client, API, {"reason": REASON, "q": person.roepnaam, "person_id": person.pk})
    assert made.status_code == 404


def test_review_by_the_privacy_officer(login, outsider, person, privacy_officer):
    _post(login(outsider), API, {"reason": REASON, "q": person.roepnaam, "person_id": person.pk})
    grant = EmergencyAccess.objects.get()
    client = login(privacy_officer)
    queue = client.get(f"{API}/reviews")
    assert queue.status_code == 200
    assert queue.json()[0]["id"] == grant.pk and queue.json()[0]["reason"] == REASON
    url = f"{API}/{grant.pk}/review"
    refused = _post(client, url, {"justified": False})
    assert refused.status_code == 422 and _fields(refused) == {"review_note"}
    done = _post(client, url, {"justified": False, "review_note": "Had kunnen wachten"})
    assert done.status_code == 200 and done.json()["justified"] is False
    assert done.json()["reviewed_by"] == privacy_officer.user.email
    assert _post(client, url, {"justified": True}).status_code == 409
    assert _post(login(outsider), url, {"justified": True}).status_code == 404
    assert login(outsider).get(f"{API}/reviews").status_code == 404


def test_the_grant_holder_reads_the_core_and_latest_plan_until_it_expires(
    login, outsider, planned_person, travel
):
    from inbeeld.chain.emergency.tests.conftest import ACTION, GOAL

    client = login(outsider)
    made = _post(
        client, API, {"reason": REASON, "q": planned_person.roepnaam, "person_id": planned_person.pk}
    )
    grant_id = made.json()["id"]
    response = client.get(f"{API}/{grant_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["grant"]["id"] == grant_id and body["status"] == planned_person.status
    assert body["latest_plan"]["number"] == 2
    assert body["latest_plan"]["goals"][0]["description"] == GOAL
    assert body["latest_plan"]["goals"][0]["actions"][0]["what"] == ACTION
    read = AuditEvent.objects.filter(data="emergency_access.page").get()
    assert read.emergency and read.person_id_snapshot == planned_person.pk
    # Nobody else, and not the holder once the 24 hours are over.
    other = f.MembershipFactory(organisation=outsider.organisation, role=Role.CASEWORKER)
    assert login(other).get(f"{API}/{grant_id}").status_code == 404
    with travel(hours=24, seconds=1):
        assert login(outsider).get(f"{API}/{grant_id}").status_code == 404
