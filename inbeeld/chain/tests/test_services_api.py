"""The partner services API: list and filters, one service, adding, changing with a version, errors."""

from __future__ import annotations

import json

import pytest

from inbeeld.chain.models import Category, Service
from inbeeld.chain.tests.helpers import office, service
from inbeeld.core.roles import Role
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1/services"


def _send(client, method: str, url: str, body: dict):  # type: ignore[no-untyped-def]
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def _fields(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.content
    return [error["loc"][-1] for error in response.json()["detail"]]


def test_list_and_filters(login, readonly_member, org_a, org_b):
    debt = service(org_a)
    sti = service(org_b, name="Soa-spreekuur", category=Category.STI_CLINIC, languages=["ro"])
    service(org_b, name="Gesloten", status=Service.Status.INACTIVE)
    service(f.OrganisationFactory(network=f.NetworkFactory(), name="Elders"), name="Elders hulp")
    client = login(readonly_member)
    body = client.get(API).json()
    assert body["count"] == 2 and [s["id"] for s in body["items"]] == [debt.pk, sti.pk]
    assert body["items"][0]["location_ids"] == [office(org_a).pk]
    assert [s["id"] for s in client.get(API, {"language": "ro"}).json()["items"]] == [sti.pk]
    assert [s["id"] for s in client.get(API, {"category": "debt_help"}).json()["items"]] == [debt.pk]
    assert [s["id"] for s in client.get(API, {"organisation_id": org_b.pk}).json()["items"]] == [sti.pk]
    assert client.get(API, {"inactive": "true"}).json()["count"] == 3
    assert client.get(API, {"category": "sauna"}).status_code == 422
    assert client.get(f"{API}/{sti.pk}").json()["organisation_name"] == org_b.name


def test_another_networks_service_is_404(login, member):
    theirs = service(f.OrganisationFactory(network=f.NetworkFactory(), name="Elders"), name="Elders hulp")
    client = login(member)
    assert client.get(f"{API}/{theirs.pk}").status_code == 404
    response = _send(client, "PATCH", f"{API}/{theirs.pk}", {"version": 1, "fees": "x"})
    assert response.status_code == 404


def test_add_a_service(login, member, org_a):
    location = office(org_a)
    body = {
        "name": "Budgetcoaching",
        "category": "debt_help",
        "languages": ["nl", "pl"],
        "location_ids": [location.pk],
    }
    response = _send(login(member), "POST", API, body)
    assert response.status_code == 201, response.content
    made = Service.objects.get(pk=response.json()["id"])
    assert (made.organisation, made.languages, list(made.locations.all())) == (
        org_a,
        ["nl", "pl"],
        [location],
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"category": "sauna"}, "category"),
        ({"languages": ["nl", "xx"]}, "languages"),
        ({"email": "no-at-sign"}, "email"),
        ({"url": "ftp://example.test/"}, "url"),
        ({"colour": "blue"}, "colour"),
        ({"organisation_id": 999999}, "organisation_id"),
    ],
)
def test_bad_input_names_the_field(login, member, changes, field):
    response = _send(
        login(member), "POST", API, {"name": "Budgetcoaching", "category": "debt_help", **changes}
    )
    assert field in _fields(response)
    assert not Service.objects.exists()


def test_adding_for_another_organisation_is_the_admins(login, member, org_a, org_b):
    body = {"name": "Voor B", "category": "housing", "organisation_id": org_b.pk}
    assert _send(login(member), "POST", API, body).status_code == 403
    admin = f.MembershipFactory(organisation=org_a, role=Role.ADMIN, user__is_staff=True)
    response = _send(login(admin), "POST", API, body)
    assert response.status_code == 201
    assert response.json()["organisation_id"] == org_b.pk


def test_change_with_a_version_and_a_stale_one_is_409(login, member, org_a):
    made = service(org_a)
    client = login(member)
    url = f"{API}/{made.pk}"
    response = _send(client, "PATCH", url, {"version": 1, "fees": "Gratis", "status": "inactive"})
    assert response.status_code == 200, response.content
    assert (response.json()["fees"], response.json()["status"], response.json()["version"]) == (
        "Gratis",
        "inactive",
        2,
    )
    assert response.json()["languages"] == ["nl", "en"]  # fields not sent stay as they are
    stale = _send(client, "PATCH", url, {"version": 1, "fees": "€ 10"})
    assert stale.status_code == 409
    assert stale.json()["changed"] == [{"field": "fees", "current": "Gratis", "submitted": "€ 10"}]
    made.refresh_from_db()
    assert (made.fees, made.version) == ("Gratis", 2)
    assert "name" in _fields(_send(client, "PATCH", url, {"version": 2, "name": None}))
    assert "languages" in _fields(_send(client, "PATCH", url, {"version": 2, "languages": ["eng"]}))
    assert "version" in _fields(_send(client, "PATCH", url, {"fees": "x"}))


def test_only_editors_change(login, readonly_member, outsider, org_a):
    made = service(org_a)
    for membership in (readonly_member, outsider):
        response = _send(login(membership), "PATCH", f"{API}/{made.pk}", {"version": 1, "fees": "x"})
        assert response.status_code == 403
    made.refresh_from_db()
    assert made.version == 1
