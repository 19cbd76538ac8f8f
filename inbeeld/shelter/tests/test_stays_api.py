"""The beds, stays and waitlist API: the bed board, residents, check-in and check-out, the waitlist;
refused input is 422 naming the API's field and writes nothing; volunteers 403, others 404."""

# ruff: noqa: F811  (the fixtures imported from test_stays are arguments here)
from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbeeld.api import api
from inbeeld.core.models import AuditEvent
from inbeeld.core.tests.test_openapi import body_for
from inbeeld.shelter.models import Stay, WaitlistEntry
from inbeeld.shelter.tests.test_stays import (  # noqa: F401  (fixtures)
    beds,
    caseworkers_person,
    checked_in,
    coordinator,
    house_rules,
    resident,
    room,
    shelter_org,
    site,
    volunteer,
    wait,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/shelter"


def send(client: Any, method: str, path: str, body: object) -> Any:
    return client.generic(method, f"{API}{path}", json.dumps(body), content_type="application/json")


def error_fields(response: Any) -> set[str]:
    named = [[part for part in item["loc"] if isinstance(part, str)] for item in response.json()["detail"]]
    return {parts[-1] for parts in named}


def test_check_in_the_bed_board_residents_and_check_out(
    login, coordinator, volunteer, site, beds, house_rules, resident
):
    client = login(coordinator)
    end = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    body = {
        "person_id": resident.pk,
        "bed_id": beds[0].pk,
        "house_rules_accepted": True,
        "planned_end_on": end,
    }
    created = send(client, "POST", f"/sites/{site.pk}/stays", body)
    assert created.status_code == 201, created.content
    stay = created.json()
    assert stay["roepnaam"] == resident.roepnaam and stay["bed_id"] == beds[0].pk
    assert stay["house_rules_version"] == 1 and stay["planned_end_on"] == end

    board = client.get(f"{API}/sites/{site.pk}/beds").json()
    assert (board["capacity"], board["occupied"], board["free"]) == (2, 1, 1)
    assert board["rooms"][0]["beds"][0]["stay"]["person_id"] == resident.pk

    listed = login(volunteer).get(f"{API}/sites/{site.pk}/stays")
    assert listed.status_code == 200 and [s["id"] for s in listed.json()] == [stay["id"]]
    assert "note" not in listed.json()[0]
    assert AuditEvent.objects.filter(data="shelter.residents.api", basis=AuditEvent.Basis.SHELTER).exists()

    client = login(coordinator)
    out = send(client, "POST", f"/stays/{stay['id']}/check-out", {"checkout_reason": "moved_on"})
    assert out.status_code == 200 and out.json()["checked_out_at"] is not None
    again = send(client, "POST", f"/stays/{stay['id']}/check-out", {"checkout_reason": "moved_on"})
    assert again.status_code == 422 and error_fields(again) == {"checked_out_at"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"house_rules_accepted": False}, "house_rules_accepted"),
        ({"planned_end_on": "2020-01-01"}, "planned_end_on"),
        ({"bed_id": 999999}, "bed_id"),
        ({"person_id": 999999}, "person_id"),
        ({"person_id": "caseworkers"}, "person_id"),
        ({"waitlist_entry_id": 999999}, "waitlist_entry_id"),
        ({"note": "x" * 1001}, "note"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_check_in_is_422_naming_the_field(
    login, coordinator, site, beds, house_rules, resident, caseworkers_person, change, field
):
    body = {"person_id": resident.pk, "bed_id": beds[0].pk, "house_rules_accepted": True, **change}
    if body["person_id"] == "caseworkers":
        body["person_id"] = caseworkers_person.pk
    response = send(login(coordinator), "POST", f"/sites/{site.pk}/stays", body)
    assert response.status_code == 422, response.content
    assert field in error_fields(response)
    assert not Stay.objects.exists()


def test_a_taken_bed_and_a_second_check_in_name_the_field(
    login, coordinator, site, beds, house_rules, resident
):
    checked_in(site, coordinator, resident, beds[0])
    client = login(coordinator)
    other = resident.__class__.objects.create(network=resident.network, roepnaam="Anders")
    wait(site, coordinator, other)  # seen through the waitlist
    taken = send(
        client,
        "POST",
        f"/sites/{site.pk}/stays",
        {"person_id": other.pk, "bed_id": beds[0].pk, "house_rules_accepted": True},
    )
    assert taken.status_code == 422 and error_fields(taken) == {"bed_id"}
    twice = send(
        client,
        "POST",
        f"/sites/{site.pk}/stays",
        {"person_id": resident.pk, "bed_id": beds[1].pk, "house_rules_accepted": True},
    )
    assert twice.status_code == 422 and error_fields(twice) == {"person_id"}
    assert Stay.objects.count() == 1


def test_the_waitlist_api(login, coordinator, volunteer, site, resident):
    client = login(coordinator)
    created = send(client, "POST", f"/sites/{site.pk}/waitlist", {"person_id": resident.pk, "priority": 2})
    assert created.status_code == 201 and created.json()["priority"] == 2
    entry_id = created.json()["id"]
    twice = send(client, "POST", f"/sites/{site.pk}/waitlist", {"person_id": resident.pk})
    assert twice.status_code == 422 and error_fields(twice) == {"person_id"}
    assert send(client, "PATCH", f"/waitlist/{entry_id}", {"priority": 1}).json()["priority"] == 1
    assert [e["id"] for e in client.get(f"{API}/sites/{site.pk}/waitlist").json()] == [entry_id]
    for body, field in (
        ({}, "priority"),
        ({"priority": 1, "outcome": "withdrawn"}, "priority"),
        ({"outcome": "placed"}, "outcome"),
        ({"priority": 7}, "priority"),
    ):
        refused = send(client, "PATCH", f"/waitlist/{entry_id}", body)
        assert refused.status_code == 422 and field in error_fields(refused), body
    closed = send(client, "PATCH", f"/waitlist/{entry_id}", {"outcome": "withdrawn"})
    assert closed.status_code == 200 and closed.json()["outcome"] == "withdrawn"
    assert WaitlistEntry.objects.waiting().count() == 0
    assert send(login(volunteer), "PATCH", f"/waitlist/{entry_id}", {"priority": 1}).status_code == 403
    assert login(volunteer).get(f"{API}/sites/{site.pk}/waitlist").status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"checkout_reason": "bored"}, "checkout_reason"),
        ({}, "checkout_reason"),
        ({"checkout_reason": "left", "checked_out_at": "2001-01-01T10:00:00+01:00"}, "checked_out_at"),
        ({"checkout_reason": "left", "checked_out_at": "2999-01-01T10:00:00+01:00"}, "checked_out_at"),
    ],
)
def test_bad_check_out_is_422_naming_the_field(
    login, coordinator, site, beds, house_rules, resident, body, field
):
    stay = checked_in(site, coordinator, resident, beds[0])
    response = send(login(coordinator), "POST", f"/stays/{stay.pk}/check-out", body)
    assert response.status_code == 422 and field in error_fields(response)
    stay.refresh_from_db()
    assert stay.is_open


STAY_WRITES = [
    ("post", "/api/v1/shelter/sites/{site_id}/stays"),
    ("post", "/api/v1/shelter/stays/{stay_id}/check-out"),
    ("post", "/api/v1/shelter/sites/{site_id}/waitlist"),
    ("patch", "/api/v1/shelter/waitlist/{entry_id}"),
]


@pytest.mark.parametrize(("method", "path"), STAY_WRITES)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_bodies_never_cause_a_server_error(
    login, coordinator, site, beds, house_rules, resident, method, path, data
):
    """As ``core.tests.test_openapi`` does for every operation, here as the coordinator who gets past 404."""
    doc = api.get_openapi_schema()
    stay = Stay.objects.open().filter(person=resident).first() or checked_in(
        site, coordinator, resident, beds[0]
    )
    entry = WaitlistEntry.objects.waiting().first() or wait(
        site, coordinator, resident.__class__.objects.create(network=resident.network, roepnaam="Wacht")
    )
    ids = {"site_id": site.pk, "stay_id": stay.pk, "entry_id": entry.pk}
    url = re.sub(r"{(\w+)}", lambda m: str(ids[m.group(1)]), path)
    schema = doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    body = data.draw(body_for(doc, schema))
    response = send(login(coordinator), method.upper(), url.removeprefix(API), body)
    assert response.status_code < 500, (method, url, body)
