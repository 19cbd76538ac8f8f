"""The house log: entries newest first, writing one about a current resident during a shift, refusals
naming the field, the notice about what does not belong, and the audit of reads and writes."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from inbeeld.core.models import AuditEvent, Location
from inbeeld.shelter.actions_houselog import TEXT_MAX
from inbeeld.shelter.models import HouseLogEntry, Shift, ShiftSignup
from inbeeld.shelter.tests.grid_shelter_volunteers import Shelter, build_shelter, slot_at
from inbeeld.testing import factories as f

API = "/api/v1/shelter/sites"


@pytest.fixture
def shelter(org_a, person) -> Shelter:
    return build_shelter(org_a, person)


def post_json(client: Any, url: str, body: object) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def on_shift_now(shelter: Shelter) -> Shift:
    now = timezone.now()
    slot = slot_at(shelter.site, name="Nu")
    shift = Shift.objects.create(
        location=shelter.site,
        slot=slot,
        date=timezone.localdate(),
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=1),
        needed=1,
    )
    ShiftSignup.objects.create(
        shift=shift, volunteer=shelter.volunteer.volunteer_profile, signed_up_by=shelter.volunteer.user
    )
    return shift


@pytest.mark.django_db
def test_a_volunteer_writes_an_entry_about_a_resident_during_their_shift(login, shelter):
    shift = on_shift_now(shelter)
    client = login(shelter.volunteer)
    url = reverse("shelter:house_log", kwargs={"pk": shelter.site.pk})
    page = client.get(url)
    assert page.status_code == 200 and 'id="house-log-notice"' in page.content.decode()
    assert f'data-shift="{shift.pk}"' in page.content.decode()
    response = client.post(url, {"text": "Samen gekookt.", "person": shelter.resident.pk})
    assert response.status_code == 302
    entry = HouseLogEntry.objects.get()
    assert (entry.person, entry.shift, entry.author) == (shelter.resident, shift, shelter.volunteer.user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM shelter_houselogentry")
        assert "gekookt" not in cursor.fetchone()[0]  # encrypted at rest
    created = AuditEvent.objects.get(data="shelter.house_log", action=AuditEvent.Action.CREATE)
    assert created.person_id_snapshot == shelter.resident.pk and created.basis == AuditEvent.Basis.SHELTER

    listed = client.get(url)
    assert f'data-entry="{entry.pk}" data-person="{shelter.resident.pk}"' in listed.content.decode()
    read = AuditEvent.objects.filter(data="shelter.house_log", action=AuditEvent.Action.READ)
    assert list(read.values_list("person_id_snapshot", flat=True)) == [shelter.resident.pk]


@pytest.mark.django_db
def test_entries_are_newest_first_and_of_the_site_only(login, shelter, org_b):
    elsewhere = Location.objects.create(organisation=org_b, name="Andere opvang", kind=Location.Kind.SHELTER)
    now = timezone.now()
    old = HouseLogEntry.objects.create(
        location=shelter.site,
        text="oud",
        author=shelter.coordinator.user,
        written_at=now - datetime.timedelta(days=1),
    )
    new = HouseLogEntry.objects.create(location=shelter.site, text="nieuw", author=shelter.coordinator.user)
    HouseLogEntry.objects.create(location=elsewhere, text="elders", author=shelter.coordinator.user)
    body = login(shelter.coordinator).get(f"{API}/{shelter.site.pk}/house-log").json()
    assert [e["id"] for e in body] == [new.pk, old.pk] and body[0]["text"] == "nieuw"
    assert login(shelter.volunteer).get(f"{API}/{elsewhere.pk}/house-log").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * (TEXT_MAX + 1)}, "text"),
        ({"text": "Rustig", "person": "stranger"}, "person"),
    ],
)
@pytest.mark.django_db
def test_bad_entries_are_refused_naming_the_field(login, shelter, org_a, body, field):
    stranger = f.PersonFactory(network=org_a.network, involved=[org_a], lead_organisation=org_a)
    if body.get("person") == "stranger":
        body = {**body, "person": stranger.pk}
    client = login(shelter.volunteer)
    web = client.post(reverse("shelter:house_log", kwargs={"pk": shelter.site.pk}), body)
    assert web.status_code == 422 and field in web.context["form"].errors
    api = post_json(client, f"{API}/{shelter.site.pk}/house-log", body)
    assert api.status_code == 422
    assert field in {[p for p in item["loc"] if isinstance(p, str)][-1] for item in api.json()["detail"]}
    assert not HouseLogEntry.objects.exists()


@pytest.mark.django_db
def test_the_api_writes_an_entry_without_a_shift_for_the_coordinator(login, shelter):
    response = post_json(
        login(shelter.coordinator),
        f"{API}/{shelter.site.pk}/house-log",
        {"text": "Brandoefening.", "person": None},
    )
    assert response.status_code == 201
    assert response.json()["shift"] is None and response.json()["person"] is None
    unknown = post_json(
        login(shelter.coordinator), f"{API}/{shelter.site.pk}/house-log", {"text": "x", "mood": 1}
    )
    assert unknown.status_code == 422
    assert HouseLogEntry.objects.count() == 1
