# ruff: noqa: F811  (the fixtures imported from test_stays are arguments here)
"""Stays on the radar and the timeline; two check-ins racing for the last free bed, and the database
refusing what a race would let through.

Check-in, and a check-out the person was there for, move "last seen" at once and in the daily run; a
check-out without the person (left without notice) opens "discharged without contact" after 3 days.
"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.urls import reverse
from django.utils import timezone

from inbeeld.core import access
from inbeeld.core.access import Need
from inbeeld.core.models import AuditEvent
from inbeeld.people import timeline
from inbeeld.people.models import DataCategory, Involvement, Person
from inbeeld.radar.actions.run import run_radar
from inbeeld.radar.models import PersonState, Signal
from inbeeld.shelter.models import Bed, Stay
from inbeeld.shelter.stays import stays
from inbeeld.shelter.tests.test_stays import (  # noqa: F401  (fixtures)
    actor_of,
    beds,
    checked_in,
    coordinator,
    house_rules,
    resident,
    room,
    shelter_org,
    site,
)
from inbeeld.testing import factories as f


def noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def stay_from(site, coordinator, person, bed, *, days_ago: int) -> Stay:  # type: ignore[no-untyped-def]
    """A stay that began some days ago (a check-in is always now; its start is moved back)."""
    # The person was registered before the stay: the radar as of a past day knows them.
    Person.objects.filter(pk=person.pk).update(
        registered_at=noon(timezone.localdate() - datetime.timedelta(days=90))
    )
    stay = checked_in(site, coordinator, person, bed)
    start = noon(timezone.localdate() - datetime.timedelta(days=days_ago))
    Stay.objects.filter(pk=stay.pk).update(checked_in_at=start, house_rules_accepted_at=start)
    stay.refresh_from_db()
    return stay


@pytest.mark.django_db
def test_check_in_and_check_out_move_last_seen(
    coordinator, site, beds, house_rules, resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        stay = checked_in(site, coordinator, resident, beds[0])
    state = PersonState.objects.get(person=resident)
    assert state.last_seen_at == stay.checked_in_at and state.last_seen_source == "shelter_stay"

    later = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        stays.check_out(stay, actor=actor_of(coordinator), reason="moved_on", checked_out_at=later)
    assert PersonState.objects.get(person=resident).last_seen_at == later


@pytest.mark.django_db
def test_the_daily_run_sees_stays_the_live_hook_missed(coordinator, site, beds, house_rules, resident):
    stay = stay_from(site, coordinator, resident, beds[0], days_ago=4)
    left = noon(timezone.localdate() - datetime.timedelta(days=1))
    Stay.objects.filter(pk=stay.pk).update(checked_out_at=left, checkout_reason="planned_end")
    run_radar(site.organisation.network, as_of=timezone.localdate())
    state = PersonState.objects.get(person=resident)
    assert state.last_seen_at == left and state.last_seen_source == "shelter_stay"


@pytest.mark.django_db
def test_an_open_stay_is_in_view_admitted(coordinator, site, beds, house_rules, resident):
    stay_from(site, coordinator, resident, beds[0], days_ago=40)
    run_radar(site.organisation.network, as_of=timezone.localdate())
    state = PersonState.objects.get(person=resident)
    assert state.admitted_since == timezone.localdate() - datetime.timedelta(days=40)
    assert not Signal.objects.filter(person=resident, rule="not_seen", state=Signal.State.OPEN).exists()


@pytest.mark.django_db
def test_leaving_without_notice_opens_discharged_without_contact_after_three_days(
    coordinator, site, beds, house_rules, resident
):
    stay = stay_from(site, coordinator, resident, beds[0], days_ago=10)
    left_on = timezone.localdate() - datetime.timedelta(days=4)
    stays.check_out(stay, actor=actor_of(coordinator), reason="left", checked_out_at=noon(left_on))
    network = site.organisation.network

    def discharged(days_after: int) -> Signal | None:
        run_radar(network, as_of=left_on + datetime.timedelta(days=days_after))
        return Signal.objects.filter(person=resident, rule="discharged", state=Signal.State.OPEN).first()

    assert discharged(2) is None
    signal = discharged(3)
    assert signal is not None and signal.facts["kind"] == "shelter"
    assert signal.facts["discharged"] == left_on.isoformat()


@pytest.mark.django_db
def test_a_check_out_the_person_was_there_for_is_contact(coordinator, site, beds, house_rules, resident):
    stay = stay_from(site, coordinator, resident, beds[0], days_ago=10)
    left_on = timezone.localdate() - datetime.timedelta(days=4)
    stays.check_out(stay, actor=actor_of(coordinator), reason="planned_end", checked_out_at=noon(left_on))
    run_radar(site.organisation.network, as_of=left_on + datetime.timedelta(days=3))
    assert not Signal.objects.filter(person=resident, rule="discharged").exists()


@pytest.mark.django_db
def test_a_stay_is_an_episode_on_the_timeline_and_the_person_page_by_consent(
    login, coordinator, site, beds, house_rules, resident, org_a, member
):
    Involvement.objects.create(person=resident, organisation=org_a, started_on=datetime.date(2020, 1, 1))
    stay = stay_from(site, coordinator, resident, beds[0], days_ago=3)
    reader = access.person_for(member, resident.pk, Need.READ_FILE)
    assert [e for e in timeline.page(reader, 1)[0] if e.kind == "shelter_stay"] == []
    page = reverse("people:detail", kwargs={"pk": resident.pk})
    assert 'id="shelter-stays"' not in login(member).get(page).content.decode()

    f.ConsentFactory(
        person=resident,
        recipient=org_a,
        recorded_by=coordinator.user,
        recorded_by_organisation=site.organisation,
        data_categories=[DataCategory.EPISODES],
    )
    entries = [e for e in timeline.page(reader, 1)[0] if e.kind == "shelter_stay"]
    assert len(entries) == 1 and entries[0].when == stay.checked_in_at
    assert site.name in entries[0].title and entries[0].organisation == site.organisation.name
    html = login(member).get(page).content.decode()
    assert 'id="shelter-stays"' in html and f'data-stay="{stay.pk}"' in html
    read = AuditEvent.objects.filter(data="shelter.stays.section", person_id_snapshot=resident.pk)
    assert read.filter(basis=AuditEvent.Basis.CONSENT).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_check_ins_racing_for_the_last_free_bed(coordinator, site, room, house_rules):
    last = Bed.objects.create(room=room, label="Laatste")
    persons = [
        Person.objects.create(network=site.organisation.network, roepnaam=name)
        for name in ("Eerste", "Tweede")
    ]
    for person in persons:
        Involvement.objects.create(
            person=person, organisation=site.organisation, started_on=datetime.date(2020, 1, 1)
        )
    start = threading.Barrier(2)
    results: list[object] = []

    def check_in(person: Person) -> None:
        try:
            start.wait()
            results.append(checked_in(site, coordinator, person, last))
        except BaseException as error:  # collected and asserted below
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=check_in, args=(person,)) for person in persons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [r for r in results if isinstance(r, Stay)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(won) == 1 and len(refused) == 1, results
    assert set(refused[0].message_dict) == {"bed"}
    assert Stay.objects.filter(bed=last).count() == 1


@pytest.mark.django_db
def test_the_database_refusing_a_double_booking_names_the_field(
    coordinator, site, beds, house_rules, resident
):
    """What a race slips past the re-check, the unique constraints refuse: the message names the field."""
    stay = checked_in(site, coordinator, resident, beds[0])
    other = f.PersonFactory(network=site.organisation.network)
    copies = {"bed": {"person": other, "bed": stay.bed}, "person": {"person": resident, "bed": beds[1]}}
    for field, change in copies.items():
        with pytest.raises(IntegrityError) as raised, transaction.atomic():
            Stay.objects.create(
                location=site,
                organisation=site.organisation,
                house_rules=house_rules,
                house_rules_accepted_at=timezone.now(),
                checked_in_by=coordinator.user,
                **change,
            )
        assert set(stays._taken(raised.value).message_dict) == {field}
