"""Beds, stays and the waitlist through the pages: rooms and beds, house rules, the bed board, the
residents, the waitlist, check-in, changing a stay and check-out; refused input names the field and
writes nothing; double bookings and over-capacity are refused; reads and writes are audited."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inbeeld.core.audit import Actor
from inbeeld.core.models import AuditEvent, Location, Membership
from inbeeld.core.roles import Role
from inbeeld.people.models import Involvement, Person
from inbeeld.shelter.models import Bed, HouseRules, Room, Stay, WaitlistEntry
from inbeeld.shelter.stays import rooms, stays, waitlist
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db


# --- fixtures shared by the other test_stays* modules -----------------------------------------------


@pytest.fixture
def shelter_org(network):  # type: ignore[no-untyped-def]
    return f.OrganisationFactory(network=network, name="Opvang Test", kind="shelter")


@pytest.fixture
def coordinator(shelter_org) -> Membership:  # type: ignore[no-untyped-def]
    return f.MembershipFactory(organisation=shelter_org, role=Role.SHELTER_COORDINATOR)


@pytest.fixture
def volunteer(shelter_org) -> Membership:  # type: ignore[no-untyped-def]
    return f.MembershipFactory(organisation=shelter_org, role=Role.VOLUNTEER)


@pytest.fixture
def site(shelter_org) -> Location:  # type: ignore[no-untyped-def]
    return Location.objects.create(organisation=shelter_org, name="De Opvang", kind=Location.Kind.SHELTER)


@pytest.fixture
def room(site) -> Room:  # type: ignore[no-untyped-def]
    return Room.objects.create(location=site, name="Kamer 1")


@pytest.fixture
def beds(room) -> list[Bed]:  # type: ignore[no-untyped-def]
    return [Bed.objects.create(room=room, label=label) for label in ("A", "B")]


@pytest.fixture
def house_rules(site, coordinator) -> HouseRules:  # type: ignore[no-untyped-def]
    return HouseRules.objects.create(
        location=site, version=1, text="Rust na 23 uur", published_by=coordinator.user
    )


@pytest.fixture
def resident(shelter_org) -> Person:  # type: ignore[no-untyped-def]
    """A person the shelter is involved with (the coordinator sees them in the search)."""
    return f.PersonFactory(network=shelter_org.network, involved=[shelter_org], roepnaam="Roos")


@pytest.fixture
def caseworkers_person(org_a) -> Person:  # type: ignore[no-untyped-def]
    """A person only organisation A works with: the shelter does not see them."""
    return f.PersonFactory(network=org_a.network, involved=[org_a], roepnaam="Iris")


def actor_of(membership: Membership) -> Actor:
    return Actor(user=membership.user, membership=membership)


def checked_in(site: Location, coordinator: Membership, person: Person, bed: Bed, **extra: Any) -> Stay:
    return stays.check_in(
        site,
        actor=actor_of(coordinator),
        person=person,
        bed=bed,
        planned_end_on=extra.pop("planned_end_on", None),
        house_rules_accepted=True,
        **extra,
    )


def wait(site: Location, coordinator: Membership, person: Person, **extra: Any) -> WaitlistEntry:
    return WaitlistEntry.objects.create(
        location=site,
        person=person,
        requested_by_organisation=site.organisation,
        organisation=site.organisation,
        added_by=coordinator.user,
        **extra,
    )


def url(name: str, pk: int) -> str:
    return reverse(f"shelter:{name}", kwargs={"pk": pk})


def events(data: str, action: str | None = None) -> list[AuditEvent]:
    found = AuditEvent.objects.filter(data=data)
    return list(found.filter(action=action) if action else found)


# --- rooms, beds and house rules ---------------------------------------------------------------------


def test_the_coordinator_adds_rooms_and_beds_and_takes_a_bed_out_of_use(login, coordinator, site):
    client = login(coordinator)
    assert client.post(url("room_add", site.pk), {"name": "Kamer 2"}).status_code == 302
    room = Room.objects.get(location=site)
    assert client.post(url("bed_add", room.pk), {"label": "Raam"}).status_code == 302
    bed = Bed.objects.get(room=room)
    assert bed.in_use
    assert client.post(url("bed_in_use", bed.pk), {"in_use": "0"}).status_code == 302
    bed.refresh_from_db()
    assert not bed.in_use
    assert client.post(url("bed_in_use", bed.pk), {"in_use": "1"}).status_code == 302
    bed.refresh_from_db()
    assert bed.in_use
    assert len(events("shelter.room", "create")) == 1 and len(events("shelter.bed", "update")) == 2
    page = client.get(url("rooms", site.pk))
    assert page.status_code == 200 and f'data-bed="{bed.pk}"' in page.content.decode()


@pytest.mark.parametrize(
    ("route", "body", "field"),
    [
        ("room_add", {"name": ""}, "name"),
        ("room_add", {"name": "Kamer 1"}, "name"),  # exists
        ("room_add", {"name": "x" * 61}, "name"),
        ("bed_add", {"label": ""}, "label"),
        ("bed_add", {"label": "A"}, "label"),  # exists
    ],
)
def test_bad_room_and_bed_input_is_422_naming_the_field(login, coordinator, site, beds, route, body, field):
    room = beds[0].room
    target = site.pk if route == "room_add" else room.pk
    before = (Room.objects.count(), Bed.objects.count())
    response = login(coordinator).post(url(route, target), body)
    assert response.status_code == 422
    form = response.context["room_form"] if route == "room_add" else response.context["bed_form"]
    assert field in form.errors
    assert (Room.objects.count(), Bed.objects.count()) == before


def test_an_occupied_bed_cannot_be_taken_out_of_use(login, coordinator, site, beds, house_rules, resident):
    checked_in(site, coordinator, resident, beds[0])
    response = login(coordinator).post(url("bed_in_use", beds[0].pk), {"in_use": "0"})
    assert response.status_code == 422 and response.context["bed_error_bed"] == beds[0].pk
    beds[0].refresh_from_db()
    assert beds[0].in_use


def test_house_rules_are_read_by_everyone_at_the_site_and_published_by_the_coordinator(
    login, coordinator, volunteer, site, house_rules
):
    client = login(coordinator)
    response = client.post(url("house_rules_publish", site.pk), {"text": "Nieuwe regels"})
    assert response.status_code == 302
    current = HouseRules.objects.current_at(site)
    assert current is not None and current.version == 2 and current.text == "Nieuwe regels"
    empty = client.post(url("house_rules_publish", site.pk), {"text": "  "})
    assert empty.status_code == 422 and "text" in empty.context["form"].errors
    assert HouseRules.objects.filter(location=site).count() == 2

    page = login(volunteer).get(url("house_rules", site.pk))
    assert page.status_code == 200 and 'data-version="2"' in page.content.decode()
    assert page.context["form"] is None
    assert login(volunteer).post(url("house_rules_publish", site.pk), {"text": "x"}).status_code == 403


# --- the bed board and the residents -------------------------------------------------------------------


def test_the_bed_board_shows_who_is_where_and_counts_free_beds(
    login, coordinator, site, beds, house_rules, resident
):
    Bed.objects.create(room=beds[0].room, label="C", in_use=False)
    stay = checked_in(site, coordinator, resident, beds[0])
    Stay.objects.filter(pk=stay.pk).update(planned_end_on=timezone.localdate() - datetime.timedelta(days=1))
    response = login(coordinator).get(url("beds", site.pk))
    assert response.status_code == 200
    board = response.context["board"]
    assert (board.capacity, board.occupied, board.free) == (2, 1, 1)
    html = response.content.decode()
    assert f'data-stay="{stay.pk}"' in html and resident.roepnaam in html and 'data-overdue="1"' in html
    assert events("shelter.beds", "read")[-1].detail["persons"] == [resident.pk]


def test_volunteers_see_the_residents_and_nothing_else_of_the_person(
    login, coordinator, volunteer, site, beds, house_rules, resident
):
    stay = checked_in(site, coordinator, resident, beds[0], note="Geheim")
    response = login(volunteer).get(url("residents", site.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-stay="{stay.pk}"' in html and "Geheim" not in html
    assert url("stay", stay.pk) not in html  # the stay page is the coordinator's
    read = events("shelter.residents", "read")[-1]
    assert read.basis == AuditEvent.Basis.SHELTER and read.detail["persons"] == [resident.pk]
    assert login(volunteer).get(url("stay", stay.pk)).status_code == 403
    assert login(volunteer).get(url("beds", site.pk)).status_code == 403


# --- the waitlist --------------------------------------------------------------------------------------


def test_the_waitlist_is_in_order_and_the_coordinator_adds_changes_and_closes(
    login, coordinator, site, resident, shelter_org
):
    early = wait(
        site,
        coordinator,
        f.PersonFactory(network=site.organisation.network),
        added_on=datetime.date(2025, 1, 1),
    )
    urgent = wait(site, coordinator, f.PersonFactory(network=site.organisation.network), priority=1)
    client = login(coordinator)
    added = client.post(url("waitlist_add", site.pk), {"person": resident.pk, "priority": "2"})
    assert added.status_code == 302
    entry = WaitlistEntry.objects.get(person=resident)
    assert entry.priority == 2 and entry.requested_by_organisation == shelter_org
    page = client.get(url("waitlist", site.pk))
    assert [e.pk for e in page.context["entries"]] == [urgent.pk, entry.pk, early.pk]
    assert f"?entry={entry.pk}" in page.content.decode()

    assert client.post(url("waitlist_priority", early.pk), {"priority": "1"}).status_code == 302
    early.refresh_from_db()
    assert early.priority == 1
    assert client.post(url("waitlist_close", urgent.pk), {"outcome": "placed_elsewhere"}).status_code == 302
    urgent.refresh_from_db()
    assert urgent.closed_at is not None and urgent.outcome == "placed_elsewhere"
    assert len(events("shelter.waitlist_entry")) == 3
    assert events("shelter.waitlist", "read")


@pytest.mark.parametrize(
    ("route", "body", "field"),
    [
        ("waitlist_priority", {"priority": "9"}, "priority"),
        ("waitlist_close", {"outcome": "placed"}, "outcome"),  # a check-in places
        ("waitlist_close", {"outcome": ""}, "outcome"),
    ],
)
def test_bad_waitlist_changes_are_422_naming_the_field(
    login, coordinator, site, resident, route, body, field
):
    entry = wait(site, coordinator, resident)
    response = login(coordinator).post(url(route, entry.pk), body)
    assert response.status_code == 422 and field in response.context["failed_form"].errors
    entry.refresh_from_db()
    assert entry.priority == 3 and entry.closed_at is None


def test_only_persons_the_coordinator_sees_go_on_the_waitlist(
    login, coordinator, site, caseworkers_person, resident
):
    client = login(coordinator)
    for body in (
        {"person": caseworkers_person.pk, "priority": "3"},
        {"priority": "3"},
        {"person": "x", "priority": "3"},
    ):
        response = client.post(url("waitlist_add", site.pk), body)
        assert response.status_code == 422 and "person" in response.context["form"].errors
    wait(site, coordinator, resident)
    twice = client.post(url("waitlist_add", site.pk), {"person": resident.pk, "priority": "3"})
    assert twice.status_code == 422 and "person" in twice.context["form"].errors
    assert WaitlistEntry.objects.count() == 1


def test_the_person_search_finds_only_visible_persons(login, coordinator, site, resident, caseworkers_person):
    client = login(coordinator)
    found = client.get(url("person_search", site.pk), {"q": "Roos"})
    assert found.status_code == 200 and f'value="{resident.pk}"' in found.content.decode()
    hidden = client.get(url("person_search", site.pk), {"q": "Iris"})
    assert f'value="{caseworkers_person.pk}"' not in hidden.content.decode()
    assert events("shelter.search", "search")


# --- check-in ------------------------------------------------------------------------------------------


def test_checking_in_from_the_waitlist(login, coordinator, site, beds, house_rules, resident, shelter_org):
    Involvement.objects.filter(person=resident).delete()
    entry = wait(site, coordinator, resident)  # a caseworker's placement: the shelter was not involved
    client = login(coordinator)
    form = client.get(url("check_in", site.pk), {"entry": entry.pk})
    assert form.status_code == 200 and form.context["form"]["person"].value() == resident.pk
    end = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        url("check_in", site.pk),
        {
            "person": resident.pk,
            "bed": beds[1].pk,
            "planned_end_on": end.isoformat(),
            "house_rules_accepted": "on",
        },
    )
    assert response.status_code == 302
    stay = Stay.objects.get()
    assert (stay.person, stay.bed, stay.planned_end_on, stay.house_rules) == (
        resident,
        beds[1],
        end,
        house_rules,
    )
    entry.refresh_from_db()
    assert (
        entry.outcome == WaitlistEntry.Outcome.PLACED and entry.stay == stay and entry.closed_at is not None
    )
    assert Involvement.objects.filter(person=resident, organisation=shelter_org, ended_on=None).exists()
    created = events("shelter.stay", "create")[0]
    assert created.person_id_snapshot == resident.pk and created.basis == AuditEvent.Basis.SHELTER
    assert events("involvement", "create")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"house_rules_accepted": ""}, "house_rules_accepted"),
        ({"planned_end_on": "2020-01-01"}, "planned_end_on"),
        ({"planned_end_on": "soon"}, "planned_end_on"),
        ({"bed": ""}, "bed"),
        ({"bed": "999999"}, "bed"),
        ({"person": ""}, "person"),
        ({"person": "caseworkers"}, "person"),
        ({"note": "x" * 1001}, "note"),
    ],
)
def test_bad_check_in_input_is_422_naming_the_field(
    login, coordinator, site, beds, house_rules, resident, caseworkers_person, change, field
):
    body = {"person": resident.pk, "bed": beds[0].pk, "house_rules_accepted": "on", **change}
    if body["person"] == "caseworkers":
        body["person"] = caseworkers_person.pk
    response = login(coordinator).post(url("check_in", site.pk), body)
    assert response.status_code == 422 and field in response.context["form"].errors
    assert not Stay.objects.exists() and not events("shelter.stay")


def test_no_check_in_without_house_rules(login, coordinator, site, beds, resident):
    body = {"person": resident.pk, "bed": beds[0].pk, "house_rules_accepted": "on"}
    response = login(coordinator).post(url("check_in", site.pk), body)
    assert response.status_code == 422 and "house_rules_accepted" in response.context["form"].errors
    assert not Stay.objects.exists()


def test_a_bed_is_never_double_booked_and_nobody_is_checked_in_twice(
    coordinator, site, beds, house_rules, resident
):
    other = f.PersonFactory(network=site.organisation.network, involved=[site.organisation])
    checked_in(site, coordinator, resident, beds[0])
    with pytest.raises(ValidationError) as taken:
        checked_in(site, coordinator, other, beds[0])
    assert set(taken.value.message_dict) == {"bed"}
    with pytest.raises(ValidationError) as twice:
        checked_in(site, coordinator, resident, beds[1])
    assert set(twice.value.message_dict) == {"person"}
    assert Stay.objects.count() == 1


def test_over_capacity_is_refused(login, coordinator, site, beds, house_rules, resident):
    for bed in beds:
        checked_in(
            site,
            coordinator,
            f.PersonFactory(network=site.organisation.network, involved=[site.organisation]),
            bed,
        )
    client = login(coordinator)
    page = client.get(url("check_in", site.pk))
    assert 'id="no-free-bed"' in page.content.decode()
    response = client.post(
        url("check_in", site.pk), {"person": resident.pk, "bed": beds[0].pk, "house_rules_accepted": "on"}
    )
    assert response.status_code == 422 and "bed" in response.context["form"].errors
    out_of_use = Bed.objects.create(room=beds[0].room, label="Kapot", in_use=False)
    with pytest.raises(ValidationError) as refused:
        checked_in(site, coordinator, resident, out_of_use)
    assert set(refused.value.message_dict) == {"bed"}
    assert Stay.objects.count() == 2


# --- the stay, its changes and check-out ----------------------------------------------------------------


def test_the_stay_page_changes_the_planned_end_and_moves_the_bed(
    login, coordinator, site, beds, house_rules, resident
):
    stay = checked_in(site, coordinator, resident, beds[0], note="Komt van straat")
    client = login(coordinator)
    page = client.get(url("stay", stay.pk))
    assert page.status_code == 200 and "Komt van straat" in page.content.decode()
    assert events("shelter.stay", "read")[0].person_id_snapshot == resident.pk
    end = timezone.localdate() + datetime.timedelta(days=7)
    saved = client.post(
        url("stay", stay.pk), {"version": 1, "bed": beds[1].pk, "planned_end_on": end.isoformat()}
    )
    assert saved.status_code == 302
    stay.refresh_from_db()
    assert (stay.bed, stay.planned_end_on, stay.version) == (beds[1], end, 2)

    # A form loaded before that save is stale: a conflict, not a silent overwrite.
    stale = client.post(url("stay", stay.pk), {"version": 1, "bed": beds[0].pk, "planned_end_on": ""})
    assert stale.status_code == 422 and 'id="stay-conflict"' in stale.content.decode()
    stay.refresh_from_db()
    assert (stay.bed, stay.planned_end_on, stay.version) == (beds[1], end, 2)
    assert stale.context["form"].initial["version"] == 2


def test_check_out_with_a_reason(login, coordinator, site, beds, house_rules, resident):
    stay = checked_in(site, coordinator, resident, beds[0])
    Stay.objects.filter(pk=stay.pk).update(checked_in_at=timezone.now() - datetime.timedelta(days=3))
    client = login(coordinator)
    when = timezone.localtime() - datetime.timedelta(hours=1)
    response = client.post(
        url("stay_check_out", stay.pk),
        {"checkout_reason": "moved_on", "checked_out_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    assert (
        stay.checkout_reason == "moved_on"
        and stay.checked_out_at is not None
        and stay.checked_out_by == coordinator.user
    )
    assert not Stay.objects.open().exists()
    assert events("shelter.stay", "update")[-1].detail["checked_out"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"checkout_reason": "bored"}, "checkout_reason"),
        ({"checkout_reason": ""}, "checkout_reason"),
        ({"checked_out_at": "later"}, "checked_out_at"),
        ({"checked_out_at": "future"}, "checked_out_at"),
        ({"checked_out_at": "before"}, "checked_out_at"),
    ],
)
def test_bad_check_out_input_is_422_naming_the_field(
    login, coordinator, site, beds, house_rules, resident, body, field
):
    stay = checked_in(site, coordinator, resident, beds[0])
    moments = {
        "future": timezone.localtime() + datetime.timedelta(days=1),
        "before": timezone.localtime() - datetime.timedelta(days=1),
    }
    data = {
        "checkout_reason": "planned_end",
        "checked_out_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        **body,
    }
    if data["checked_out_at"] in moments:
        data["checked_out_at"] = moments[data["checked_out_at"]].strftime("%Y-%m-%dT%H:%M")
    response = login(coordinator).post(url("stay_check_out", stay.pk), data)
    assert response.status_code == 422 and field in response.context["out_form"].errors
    stay.refresh_from_db()
    assert stay.is_open and stay.version == 1


def test_another_organisations_stay_and_site_do_not_exist(
    login, site, beds, house_rules, resident, coordinator, org_b
):
    stay = checked_in(site, coordinator, resident, beds[0])
    theirs = f.MembershipFactory(organisation=org_b, role=Role.SHELTER_COORDINATOR)
    client = login(theirs)
    for name, pk in (("beds", site.pk), ("stay", stay.pk), ("check_in", site.pk), ("residents", site.pk)):
        assert client.get(url(name, pk)).status_code == 404
    assert client.post(url("stay_check_out", stay.pk), {"checkout_reason": "left"}).status_code == 404


def test_rooms_and_waitlist_actions_refuse_a_volunteer(volunteer, site):
    with pytest.raises(Exception) as refused:
        rooms.add_room(site, actor=actor_of(volunteer), name="Kamer")
    assert refused.type.__name__ == "PermissionDenied"
    assert not waitlist.waiting_at(site).exists()


def test_the_check_in_action_itself_refuses_a_person_the_coordinator_does_not_see(
    coordinator, site, beds, house_rules, caseworkers_person
):
    with pytest.raises(ValidationError) as refused:
        checked_in(site, coordinator, caseworkers_person, beds[0])
    assert set(refused.value.message_dict) == {"person"}
    wait(site, coordinator, caseworkers_person)  # placed on the list: now the shelter may take them in
    assert checked_in(site, coordinator, caseworkers_person, beds[0]).person == caseworkers_person
