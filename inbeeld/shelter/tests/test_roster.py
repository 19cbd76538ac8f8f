"""The roster: slots, shifts made on demand, gaps, signing up under the VOG and capacity rules, cancelling,
swapping, racing for the last place, and the roster API."""

from __future__ import annotations

import datetime
import json
import threading
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from inbeeld.core.audit import Actor
from inbeeld.core.models import AuditEvent
from inbeeld.core.roles import Role
from inbeeld.shelter import actions_roster as roster
from inbeeld.shelter.models import Shift, ShiftSignup, ShiftSlot, SwapOffer
from inbeeld.shelter.tests.grid_shelter_volunteers import (
    Shelter,
    build_shelter,
    second_volunteer,
    shift_at,
    slot_at,
    with_vog,
)
from inbeeld.testing import factories as f

API = "/api/v1/shelter/sites"


@pytest.fixture
def shelter(org_a, person) -> Shelter:
    return build_shelter(org_a, person)


def actor_of(membership: Any) -> Actor:
    return Actor(user=membership.user, membership=membership)


def post_json(client: Any, url: str, body: object) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def error_fields(response: Any) -> set[str]:
    return {[p for p in item["loc"] if isinstance(p, str)][-1] for item in response.json()["detail"]}


def refused_field(call: Any) -> set[str]:
    with pytest.raises(ValidationError) as refused:
        call()
    return set(refused.value.message_dict)


@pytest.mark.django_db
def test_shifts_are_made_on_demand_for_active_slots_and_overnight_shifts_end_the_next_day(shelter):
    night = slot_at(shelter.site, name="Nacht", starts=datetime.time(22), ends=datetime.time(7), needed=1)
    ShiftSlot.objects.filter(pk=slot_at(shelter.site, name="Oud").pk).update(active=False)
    start = timezone.localdate()
    shifts = roster.ensure_shifts(shelter.site, start, 14)
    assert len(shifts) == 14 and {s.slot_id for s in shifts} == {night.pk}
    assert roster.ensure_shifts(shelter.site, start, 14) == shifts  # idempotent
    first = shifts[0]
    assert first.ends_at - first.starts_at == datetime.timedelta(hours=9)
    assert timezone.localtime(first.ends_at).date() == start + datetime.timedelta(days=1)
    assert Shift.objects.count() == 14


@pytest.mark.django_db
def test_the_roster_counts_and_marks_gaps(login, shelter):
    slot_at(shelter.site, needed=1)
    full = shift_at(shelter.site, days_ahead=2)
    roster.sign_up(actor=actor_of(shelter.volunteer), site=shelter.site, shift_id=full.pk)
    assert roster.roster(shelter.site).gaps == 13
    page = login(shelter.coordinator).get(reverse("shelter:roster", kwargs={"pk": shelter.site.pk}))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-gaps="13"' in html
    assert html.count('class="shift gap"') == 13 and f'class="shift" data-shift="{full.pk}"' in html


@pytest.mark.django_db
def test_a_volunteer_signs_up_and_cancels_on_the_web(login, shelter):
    shift = shift_at(shelter.site)
    client = login(shelter.volunteer)
    response = client.post(reverse("shelter:signup", kwargs={"pk": shelter.site.pk}), {"shift": shift.pk})
    assert response.status_code == 302
    signup = ShiftSignup.objects.get()
    assert signup.volunteer.membership == shelter.volunteer and signup.shift == shift
    assert AuditEvent.objects.filter(data="shelter.signup", action=AuditEvent.Action.CREATE).count() == 1
    cancel = reverse("shelter:signup_cancel", kwargs={"pk": shelter.site.pk, "signup": signup.pk})
    assert client.post(cancel).status_code == 302
    signup.refresh_from_db()
    assert signup.cancelled_at is not None


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("no_profile", "volunteer"),
        ("expired", "volunteer"),
        ("full", "shift"),
        ("twice", "volunteer"),
        ("past", "shift"),
    ],
)
@pytest.mark.django_db
def test_signing_up_is_refused_naming_the_field(shelter, case, field):
    volunteer = shelter.volunteer
    shift = shift_at(shelter.site, days_ahead=-1 if case == "past" else 3, needed=1)
    if case == "no_profile":
        volunteer = f.MembershipFactory(organisation=shelter.site.organisation, role=Role.VOLUNTEER)
    elif case == "expired":
        with_vog(volunteer, valid_until=timezone.localdate() + datetime.timedelta(days=2))
    elif case == "full":
        roster.sign_up(
            actor=actor_of(second_volunteer(volunteer.organisation)), site=shelter.site, shift_id=shift.pk
        )
    elif case == "twice":
        Shift.objects.filter(pk=shift.pk).update(needed=2)
        roster.sign_up(actor=actor_of(volunteer), site=shelter.site, shift_id=shift.pk)
    before = ShiftSignup.objects.count()
    assert refused_field(
        lambda: roster.sign_up(actor=actor_of(volunteer), site=shelter.site, shift_id=shift.pk)
    ) == {field}
    assert ShiftSignup.objects.count() == before


@pytest.mark.django_db
def test_refusals_on_the_web_and_api_name_the_field_and_store_nothing(login, shelter):
    with_vog(shelter.volunteer, valid_until=timezone.localdate())
    shift = shift_at(shelter.site, days_ahead=3)
    client = login(shelter.volunteer)
    page = client.post(reverse("shelter:signup", kwargs={"pk": shelter.site.pk}), {"shift": shift.pk})
    assert page.status_code == 422 and 'data-field="volunteer"' in page.content.decode()
    assert page.context["errors"].keys() == {"volunteer"}
    bad = client.post(reverse("shelter:signup", kwargs={"pk": shelter.site.pk}), {"shift": "x"})
    assert bad.status_code == 422 and bad.context["errors"].keys() == {"shift"}
    api = post_json(client, f"{API}/{shelter.site.pk}/signups", {"shift": shift.pk})
    assert api.status_code == 422 and error_fields(api) == {"volunteer"}
    for body, field in [
        ({"shift": 0}, "shift"),
        ({"shift": shift.pk, "colour": "red"}, "colour"),
        ({}, "shift"),
    ]:
        response = post_json(client, f"{API}/{shelter.site.pk}/signups", body)
        assert response.status_code == 422 and field in error_fields(response), body
    assert not ShiftSignup.objects.exists()


@pytest.mark.django_db
def test_the_coordinator_schedules_anyone_with_a_valid_vog_and_a_volunteer_only_themselves(login, shelter):
    shift = shift_at(shelter.site, days_ahead=3)
    other = second_volunteer(shelter.site.organisation)
    url = reverse("shelter:signup", kwargs={"pk": shelter.site.pk})
    coordinator = login(shelter.coordinator)
    assert coordinator.post(url, {"shift": shift.pk, "volunteer": other.pk}).status_code == 302
    with_vog(shelter.volunteer, valid_until=timezone.localdate())
    refused = coordinator.post(url, {"shift": shift.pk, "volunteer": shelter.volunteer.pk})
    assert refused.status_code == 422 and refused.context["errors"].keys() == {"volunteer"}
    with pytest.raises(PermissionDenied):
        roster.sign_up(
            actor=actor_of(shelter.volunteer), site=shelter.site, shift_id=shift.pk, volunteer_id=other.pk
        )
    assert list(ShiftSignup.objects.values_list("volunteer__membership", flat=True)) == [other.pk]


@pytest.mark.django_db
def test_a_volunteer_cannot_cancel_anothers_shift(login, shelter):
    other = second_volunteer(shelter.site.organisation)
    signup = roster.sign_up(actor=actor_of(other), site=shelter.site, shift_id=shift_at(shelter.site).pk)
    url = reverse("shelter:signup_cancel", kwargs={"pk": shelter.site.pk, "signup": signup.pk})
    assert login(shelter.volunteer).post(url).status_code == 403
    assert (
        post_json(
            login(shelter.volunteer), f"{API}/{shelter.site.pk}/signups/{signup.pk}/cancel", {}
        ).status_code
        == 403
    )
    assert ShiftSignup.objects.active().count() == 1


@pytest.mark.django_db
def test_a_swap_hands_the_place_over_in_one_go(login, shelter):
    shift = shift_at(shelter.site, days_ahead=3)
    mine = roster.sign_up(actor=actor_of(shelter.volunteer), site=shelter.site, shift_id=shift.pk)
    client = login(shelter.volunteer)
    assert (
        client.post(
            reverse("shelter:swap_offer", kwargs={"pk": shelter.site.pk, "signup": mine.pk})
        ).status_code
        == 302
    )
    offer = SwapOffer.objects.get()

    expired = second_volunteer(shelter.site.organisation)
    with_vog(expired, valid_until=timezone.localdate())
    take = reverse("shelter:swap_take", kwargs={"pk": shelter.site.pk, "offer": offer.pk})
    refused = login(expired).post(take)
    assert refused.status_code == 422 and refused.context["errors"].keys() == {"volunteer"}
    assert ShiftSignup.objects.active().get() == mine

    taker = second_volunteer(shelter.site.organisation)
    assert login(taker).post(take).status_code == 302
    mine.refresh_from_db()
    offer.refresh_from_db()
    assert mine.cancelled_at is not None and offer.taken_at is not None
    assert offer.taken_by is not None and offer.taken_by.membership == taker
    assert ShiftSignup.objects.active().get().volunteer.membership == taker
    assert AuditEvent.objects.filter(data="shelter.swap").count() == 2


@pytest.mark.django_db
def test_an_offer_is_withdrawn_by_the_offerer_only(login, shelter):
    mine = roster.sign_up(
        actor=actor_of(shelter.volunteer), site=shelter.site, shift_id=shift_at(shelter.site).pk
    )
    offer = roster.offer_swap(actor=actor_of(shelter.volunteer), signup=mine)
    assert refused_field(lambda: roster.offer_swap(actor=actor_of(shelter.volunteer), signup=mine)) == {
        "signup"
    }
    url = reverse("shelter:swap_withdraw", kwargs={"pk": shelter.site.pk, "offer": offer.pk})
    assert login(second_volunteer(shelter.site.organisation)).post(url).status_code == 403
    assert login(shelter.volunteer).post(url).status_code == 302
    offer.refresh_from_db()
    assert offer.withdrawn_at is not None and not offer.is_open


@pytest.mark.django_db(transaction=True)
def test_two_volunteers_racing_for_the_last_place_one_wins(org_a, person):
    shelter = build_shelter(org_a, person)
    shift = shift_at(shelter.site, days_ahead=2, name="Race", needed=1)
    racers = [shelter.volunteer, second_volunteer(org_a)]
    start = threading.Barrier(len(racers))
    won: list[int] = []
    refused: list[set[str]] = []
    errors: list[BaseException] = []

    def race(membership: Any) -> None:
        try:
            start.wait()
            roster.sign_up(actor=actor_of(membership), site=shelter.site, shift_id=shift.pk)
            won.append(membership.pk)
        except ValidationError as error:
            refused.append(set(error.message_dict))
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(m,)) for m in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(won) == 1 and refused == [{"shift"}]
    assert ShiftSignup.objects.active().filter(shift=shift).count() == 1


@pytest.mark.django_db
def test_slots_are_added_and_changed_and_bad_input_names_the_field(login, shelter):
    client = login(shelter.coordinator)
    url = reverse("shelter:slots", kwargs={"pk": shelter.site.pk})
    good = {"name": "Nacht", "starts_at": "22:00", "ends_at": "07:00", "needed": "1", "active": "on"}
    for bad, field in [
        ({**good, "name": ""}, "name"),
        ({**good, "ends_at": "22:00"}, "ends_at"),
        ({**good, "needed": "0"}, "needed"),
        ({**good, "starts_at": "late"}, "starts_at"),
    ]:
        response = client.post(url, bad)
        assert response.status_code == 422 and field in response.context["form"].errors, field
    assert not ShiftSlot.objects.exists()
    assert client.post(url, good).status_code == 302
    slot = ShiftSlot.objects.get()
    assert client.post(url, good).status_code == 422  # the name is taken
    shift = shift_at(shelter.site, name="Nacht")
    edit = reverse("shelter:slot_edit", kwargs={"pk": shelter.site.pk, "slot": slot.pk})
    assert client.post(edit, {**good, "needed": "3"}).status_code == 302
    shift.refresh_from_db()
    assert shift.needed == 3
    assert login(shelter.volunteer).post(url, good).status_code == 403


@pytest.mark.django_db
def test_the_roster_api_lists_shifts_sign_ups_and_gaps(login, shelter):
    shift = shift_at(shelter.site, days_ahead=1, needed=1)
    client = login(shelter.volunteer)
    created = post_json(client, f"{API}/{shelter.site.pk}/signups", {"shift": shift.pk})
    assert created.status_code == 201 and created.json()["volunteer"] == shelter.volunteer.pk
    body = client.get(f"{API}/{shelter.site.pk}/roster").json()
    assert body["days"] == 14 and body["gaps"] == 13 and len(body["shifts"]) == 14
    listed = next(s for s in body["shifts"] if s["id"] == shift.pk)
    assert (
        listed["free"] == 0 and listed["gap"] is False and listed["signups"][0]["id"] == created.json()["id"]
    )
    cancelled = post_json(client, f"{API}/{shelter.site.pk}/signups/{created.json()['id']}/cancel", {})
    assert cancelled.status_code == 200 and cancelled.json()["cancelled_at"] is not None
