"""Volunteers: the coordinator's list with VOG warnings, profiles with optimistic locking, a volunteer's own
profile, trainings, availability, buddy pairs and the buddy's network map."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.core.models import AuditEvent
from inbeeld.people.models import DataCategory, NetworkTie
from inbeeld.shelter.models import (
    VOG_WARNING_DAYS,
    Availability,
    BuddyPair,
    Training,
    TrainingRecord,
    VolunteerProfile,
)
from inbeeld.shelter.tests.grid_shelter_volunteers import (
    Shelter,
    build_shelter,
    second_volunteer,
    slot_at,
    with_vog,
)
from inbeeld.testing import factories as f

API = "/api/v1/shelter/sites"
TODAY = timezone.localdate


@pytest.fixture
def shelter(org_a, person) -> Shelter:
    return build_shelter(org_a, person)


def post_json(client: Any, url: str, body: object) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def error_fields(response: Any) -> set[str]:
    return {[p for p in item["loc"] if isinstance(p, str)][-1] for item in response.json()["detail"]}


def days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


@pytest.mark.parametrize(
    ("valid_until", "warning"),
    [
        (None, True),
        (-1, True),
        (0, True),
        (VOG_WARNING_DAYS - 1, True),
        (VOG_WARNING_DAYS, False),
        (200, False),
    ],
)
@pytest.mark.django_db
def test_the_vog_warning_covers_missing_expired_and_expiring_within_30_days(shelter, valid_until, warning):
    profile = VolunteerProfile.objects.get(membership=shelter.volunteer)
    if valid_until is None:
        profile.vog_issued_on = profile.vog_valid_until = None
    else:
        profile.vog_valid_until = days(valid_until)
    profile.save()
    assert profile.vog_warning() is warning


@pytest.mark.django_db
def test_the_volunteers_page_lists_every_volunteer_with_warnings(login, shelter):
    expiring = second_volunteer(shelter.site.organisation)
    with_vog(expiring, valid_until=days(10))
    without = f.MembershipFactory(organisation=shelter.site.organisation, role="volunteer")
    page = login(shelter.coordinator).get(reverse("shelter:volunteers", kwargs={"pk": shelter.site.pk}))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-count="2"' in html
    assert f'data-volunteer="{shelter.volunteer.pk}" class=""' in html
    for member in (expiring, without):
        assert f'data-volunteer="{member.pk}" class="vog-warning"' in html
    listed = login(shelter.coordinator).get(f"{API}/{shelter.site.pk}/volunteers").json()
    assert {v["id"]: v["vog_warning"] for v in listed} == {
        shelter.volunteer.pk: False,
        expiring.pk: True,
        without.pk: True,
    }
    roster = login(shelter.coordinator).get(reverse("shelter:roster", kwargs={"pk": shelter.site.pk}))
    assert f'<li data-volunteer="{without.pk}">' in roster.content.decode()


@pytest.mark.django_db
def test_the_coordinator_edits_a_profile_made_on_first_edit(login, shelter):
    member = f.MembershipFactory(organisation=shelter.site.organisation, role="volunteer")
    url = reverse("shelter:volunteer_edit", kwargs={"pk": shelter.site.pk, "member": member.pk})
    client = login(shelter.coordinator)
    assert client.get(url).status_code == 200
    body = {
        "phone": "06 1234 5678",
        "languages": "nl, ro",
        "vog_issued_on": days(-10),
        "vog_valid_until": days(300),
    }
    assert client.post(url, body).status_code == 302
    profile = VolunteerProfile.objects.get(membership=member)
    assert profile.vog_valid_until == days(300) and profile.languages == "nl, ro" and profile.version == 1
    event = AuditEvent.objects.get(data="shelter.volunteer", action=AuditEvent.Action.CREATE)
    assert event.person_id_snapshot is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"vog_valid_until": -20}, "vog_valid_until"),
        ({"vog_issued_on": None}, "vog_issued_on"),
        ({"vog_issued_on": 5}, "vog_issued_on"),
        ({"phone": "call me"}, "phone"),
        ({"languages": "x" * 121}, "languages"),
        ({"note": "x" * 301}, "note"),
        ({"vog_issued_on": "yesterday"}, "vog_issued_on"),
    ],
)
@pytest.mark.django_db
def test_bad_profile_input_is_422_naming_the_field(login, shelter, change, field):
    url = reverse("shelter:volunteer_edit", kwargs={"pk": shelter.site.pk, "member": shelter.volunteer.pk})
    before = VolunteerProfile.objects.get(membership=shelter.volunteer)
    body: dict[str, Any] = {
        "phone": "",
        "languages": "",
        "vog_issued_on": days(-10),
        "vog_valid_until": days(300),
    }
    body.update({k: days(v) if isinstance(v, int) else v for k, v in change.items()})
    body = {k: v for k, v in body.items() if v is not None}
    body["version"] = before.version
    response = login(shelter.coordinator).post(url, body)
    assert response.status_code == 422 and field in response.context["form"].errors
    after = VolunteerProfile.objects.get(pk=before.pk)
    assert (after.version, after.vog_valid_until, after.phone) == (
        before.version,
        before.vog_valid_until,
        before.phone,
    )


@pytest.mark.django_db
def test_a_stale_profile_form_is_a_conflict_and_saves_nothing(login, shelter):
    url = reverse("shelter:volunteer_edit", kwargs={"pk": shelter.site.pk, "member": shelter.volunteer.pk})
    profile = VolunteerProfile.objects.get(membership=shelter.volunteer)
    client = login(shelter.coordinator)
    body = {
        "phone": "0611111111",
        "vog_issued_on": days(-10),
        "vog_valid_until": days(300),
        "version": profile.version,
    }
    assert client.post(url, body).status_code == 302
    stale = client.post(url, {**body, "phone": "0622222222"})
    assert stale.status_code == 409 and 'id="conflict"' in stale.content.decode()
    profile.refresh_from_db()
    assert profile.phone == "0611111111" and profile.version == 2
    assert stale.context["form"]["version"].value() == "2"  # saving again overwrites, deliberately


@pytest.mark.django_db
def test_a_volunteer_edits_their_own_phone_and_languages_but_not_their_vog(login, shelter):
    url = reverse("shelter:my_profile", kwargs={"pk": shelter.site.pk})
    client = login(shelter.volunteer)
    profile = VolunteerProfile.objects.get(membership=shelter.volunteer)
    page = client.get(url)
    assert page.status_code == 200 and "vog_valid_until" not in page.context["form"].fields
    body = {
        "phone": "0633333333",
        "languages": "en",
        "vog_valid_until": days(3000),
        "version": profile.version,
    }
    assert client.post(url, body).status_code == 302
    after = VolunteerProfile.objects.get(pk=profile.pk)
    assert after.phone == "0633333333" and after.vog_valid_until == profile.vog_valid_until
    assert client.post(url, {"phone": "bad phone!"}).status_code == 422
    edit = reverse("shelter:volunteer_edit", kwargs={"pk": shelter.site.pk, "member": shelter.volunteer.pk})
    assert client.get(edit).status_code == 403
    assert login(shelter.coordinator).get(url).status_code == 404


@pytest.mark.django_db
def test_trainings_are_added_and_recorded(login, shelter):
    client = login(shelter.coordinator)
    url = reverse("shelter:trainings", kwargs={"pk": shelter.site.pk})
    assert client.post(url, {"name": "EHBO", "valid_months": "24"}).status_code == 302
    for bad, field in [
        ({"name": "ehbo"}, "name"),
        ({"name": ""}, "name"),
        ({"name": "X", "valid_months": "0"}, "valid_months"),
    ]:
        response = client.post(url, bad)
        assert response.status_code == 422 and field in response.context["form"].errors
    training = Training.objects.get()
    record_url = reverse(
        "shelter:training_record", kwargs={"pk": shelter.site.pk, "member": shelter.volunteer.pk}
    )
    bad_records: list[tuple[dict[str, object], str]] = [
        ({"training": "999", "completed_on": TODAY()}, "training"),
        ({"training": training.pk, "completed_on": days(5)}, "completed_on"),
    ]
    for body, field in bad_records:
        response = client.post(record_url, body)
        assert response.status_code == 422 and field in response.context["form"].errors
    assert not TrainingRecord.objects.exists()
    assert client.post(record_url, {"training": training.pk, "completed_on": TODAY()}).status_code == 302
    assert TrainingRecord.objects.get().volunteer.membership == shelter.volunteer
    page = client.get(reverse("shelter:volunteers", kwargs={"pk": shelter.site.pk}))
    assert "EHBO" in page.content.decode()


@pytest.mark.django_db
def test_availability_is_set_per_weekday_and_slot(login, shelter):
    slot = slot_at(shelter.site)
    url = reverse("shelter:availability", kwargs={"pk": shelter.site.pk, "member": shelter.volunteer.pk})
    client = login(shelter.volunteer)
    assert client.get(url).status_code == 200
    assert client.post(url, {"availability": [f"0-{slot.pk}", f"5-{slot.pk}"]}).status_code == 302
    assert set(Availability.objects.values_list("weekday", "slot")) == {(0, slot.pk), (5, slot.pk)}
    bad = client.post(url, {"availability": ["9-1"]})
    assert bad.status_code == 422 and "availability" in bad.context["form"].errors
    assert Availability.objects.count() == 2
    other = second_volunteer(shelter.site.organisation)
    other_url = reverse("shelter:availability", kwargs={"pk": shelter.site.pk, "member": other.pk})
    assert client.post(other_url, {"availability": [f"1-{slot.pk}"]}).status_code == 403
    assert login(shelter.coordinator).post(other_url, {"availability": [f"1-{slot.pk}"]}).status_code == 302
    assert Availability.objects.count() == 3


@pytest.mark.django_db
def test_the_coordinator_pairs_buddies_with_current_residents_only(login, shelter, org_a):
    client = login(shelter.coordinator)
    url = reverse("shelter:buddies", kwargs={"pk": shelter.site.pk})
    stranger = f.PersonFactory(network=org_a.network, involved=[org_a], lead_organisation=org_a)
    web = client.post(url, {"volunteer": shelter.volunteer.pk, "person": stranger.pk})
    assert web.status_code == 422 and "person" in web.context["form"].errors
    api = post_json(
        client, f"{API}/{shelter.site.pk}/buddies", {"volunteer": shelter.volunteer.pk, "person": stranger.pk}
    )
    assert api.status_code == 422 and error_fields(api) == {"person"}
    api = post_json(
        client, f"{API}/{shelter.site.pk}/buddies", {"volunteer": 0, "person": shelter.resident.pk}
    )
    assert api.status_code == 422 and error_fields(api) == {"volunteer"}
    assert not BuddyPair.objects.exists()
    assert (
        client.post(url, {"volunteer": shelter.volunteer.pk, "person": shelter.resident.pk}).status_code
        == 302
    )
    pair = BuddyPair.objects.get()
    twice = post_json(
        client,
        f"{API}/{shelter.site.pk}/buddies",
        {"volunteer": shelter.volunteer.pk, "person": shelter.resident.pk},
    )
    assert twice.status_code == 422 and error_fields(twice) == {"person"}
    assert [p["id"] for p in client.get(f"{API}/{shelter.site.pk}/buddies").json()] == [pair.pk]
    created = AuditEvent.objects.get(data="shelter.buddy_pair", action=AuditEvent.Action.CREATE)
    assert created.person_id_snapshot == shelter.resident.pk
    assert (
        client.post(reverse("shelter:buddy_end", kwargs={"pk": shelter.site.pk, "pair": pair.pk})).status_code
        == 302
    )
    pair.refresh_from_db()
    assert pair.ended_on == TODAY()
    assert (
        login(shelter.volunteer)
        .post(url, {"volunteer": shelter.volunteer.pk, "person": shelter.resident.pk})
        .status_code
        == 403
    )


def tie(person: Any, organisation: Any, name: str, **extra: Any) -> NetworkTie:
    by = f.MembershipFactory(organisation=organisation, role="caseworker").user
    values = {"kind": "friend", "quality": "supportive", "frequency": "weekly", "note": "NOTE-" + name}
    return NetworkTie.objects.create(
        person=person, organisation=organisation, recorded_by=by, name=name, **{**values, **extra}
    )


@pytest.mark.django_db
def test_a_buddy_sees_the_map_of_own_and_consented_ties_without_notes(login, shelter, org_b):
    resident = shelter.resident
    BuddyPair.objects.create(
        volunteer=shelter.volunteer.volunteer_profile,
        person=resident,
        location=shelter.site,
        matched_by=shelter.coordinator.user,
    )
    tie(resident, shelter.site.organisation, "ZusAnna")
    tie(resident, org_b, "OomBert")
    tie(resident, shelter.site.organisation, "ExCarl", ended_on=TODAY(), started_on=days(-10))
    client = login(shelter.volunteer)
    listed = client.get(reverse("shelter:buddies", kwargs={"pk": shelter.site.pk}))
    url = reverse("shelter:buddy_map", kwargs={"pk": shelter.site.pk, "person": resident.pk})
    assert url in listed.content.decode()

    page = client.get(url)
    html = page.content.decode()
    assert (
        page.status_code == 200
        and "ZusAnna" in html
        and "OomBert" not in html
        and "ExCarl" not in html
        and "NOTE-" not in html
    )
    read = AuditEvent.objects.get(data="shelter.buddy_map")
    assert read.basis == AuditEvent.Basis.BUDDY and read.person_id_snapshot == resident.pk

    consent = f.ConsentFactory(
        person=resident,
        recipient=shelter.site.organisation,
        recorded_by_organisation=org_b,
        data_categories=[DataCategory.NETWORK_MAP],
    )
    html = client.get(url).content.decode()
    assert "ZusAnna" in html and "OomBert" in html and "NOTE-" not in html
    shared = AuditEvent.objects.filter(data="shelter.buddy_map", consent_id_snapshot=consent.pk)
    assert shared.get().basis == AuditEvent.Basis.CONSENT


@pytest.mark.django_db
def test_no_map_without_a_pairing_nor_of_another_volunteers_buddy(login, shelter):
    other = second_volunteer(shelter.site.organisation)
    BuddyPair.objects.create(
        volunteer=other.volunteer_profile,
        person=shelter.resident,
        location=shelter.site,
        matched_by=shelter.coordinator.user,
    )
    url = reverse("shelter:buddy_map", kwargs={"pk": shelter.site.pk, "person": shelter.resident.pk})
    assert login(shelter.volunteer).get(url).status_code == 404
    assert login(shelter.coordinator).get(url).status_code == 404
    assert login(other).get(url).status_code == 200
    BuddyPair.objects.update(ended_on=TODAY())
    assert login(other).get(url).status_code == 404
    assert not AuditEvent.objects.filter(
        data="shelter.buddy_map", user_id_snapshot=shelter.volunteer.user_id
    ).exists()


@pytest.mark.parametrize(
    ("name", "who", "extra"),
    [
        ("shelter:volunteers", "coordinator", {}),
        ("shelter:trainings", "coordinator", {}),
        ("shelter:slots", "coordinator", {}),
        ("shelter:slot_edit", "coordinator", {"slot": "slot"}),
        ("shelter:training_record", "coordinator", {"member": "volunteer"}),
        ("shelter:availability", "coordinator", {"member": "volunteer"}),
        ("shelter:availability", "volunteer", {"member": "volunteer"}),
        ("shelter:my_profile", "volunteer", {}),
        ("shelter:roster", "coordinator", {}),
        ("shelter:roster", "volunteer", {}),
        ("shelter:house_log", "coordinator", {}),
        ("shelter:house_log", "volunteer", {}),
        ("shelter:buddies", "coordinator", {}),
        ("shelter:buddies", "volunteer", {}),
    ],
)
@pytest.mark.django_db
def test_every_page_renders(login, shelter, name, who, extra):
    objects = {"slot": slot_at(shelter.site).pk, "volunteer": shelter.volunteer.pk}
    kwargs = {"pk": shelter.site.pk, **{key: objects[value] for key, value in extra.items()}}
    response = login(getattr(shelter, who)).get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
