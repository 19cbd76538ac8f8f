"""Between two runs a sighting moves "last seen" at once and ends the signals it answers."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from inbeeld.care.models import Appointment
from inbeeld.people.models import Status
from inbeeld.radar import rules
from inbeeld.radar.actions.run import run_radar
from inbeeld.radar.actions.sightings import seen_since_opened
from inbeeld.radar.models import Colour, PersonState, Signal
from inbeeld.radar.rules import reason_for
from inbeeld.radar.tests.test_rules import at_noon, contact, make_person
from inbeeld.testing import factories as f


@pytest.mark.django_db
def test_a_new_person_has_a_radar_line_at_once(org_a):
    person = f.PersonFactory(network=org_a.network)
    state = PersonState.objects.get(person=person)
    assert state.last_seen_at is None and state.network_id == org_a.network_id


@pytest.mark.django_db
def test_a_recorded_contact_moves_last_seen_at_once_and_leaves_the_signal_to_the_worker(
    org_a, member, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    person = make_person(org_a, member.user)
    person.registered_at = at_noon(today - datetime.timedelta(days=30))
    person.save()
    run_radar(org_a.network, as_of=today)
    signal = Signal.objects.get(person=person, rule="not_seen_zone", state=Signal.State.OPEN)
    assert not seen_since_opened(signal, PersonState.objects.get(person=person).last_seen_at)
    with django_capture_on_commit_callbacks(execute=True):
        seen = contact(person, member.user, 0)
        seen.occurred_at = timezone.now()
        seen.save()
    state = PersonState.objects.get(person=person)
    assert state.last_seen_at == seen.occurred_at and state.last_seen_source == "contact"
    signal.refresh_from_db()
    assert signal.state == Signal.State.OPEN, "the key worker resolves it, or the next run clears it"
    assert seen_since_opened(signal, state.last_seen_at)
    run_radar(org_a.network, as_of=today)
    signal.refresh_from_db()
    assert signal.state == Signal.State.CLEARED
    assert PersonState.objects.get(person=person).colour == Colour.GREEN


@pytest.mark.django_db
def test_an_old_contact_entered_late_does_not_answer_a_newer_signal(
    org_a, member, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    person = make_person(org_a, member.user, status=Status.STREET_ZONE)
    with django_capture_on_commit_callbacks(execute=True):
        first = contact(person, member.user, 0)
        first.occurred_at = at_noon(today - datetime.timedelta(days=20))
        first.save()
    run_radar(org_a.network, as_of=today)
    signal = Signal.objects.get(person=person, rule="not_seen_zone")
    with django_capture_on_commit_callbacks(execute=True):
        older = contact(person, member.user, 0)
        older.occurred_at = at_noon(today - datetime.timedelta(days=25))
        older.save()
    state = PersonState.objects.get(person=person)
    assert state.last_seen_at == first.occurred_at
    assert not seen_since_opened(signal, older.occurred_at)


@pytest.mark.django_db
def test_a_planned_appointment_is_not_a_sighting(org_a, member, django_capture_on_commit_callbacks):
    person = make_person(org_a, member.user)
    starts_at = timezone.now() + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        Appointment.objects.create(
            person=person,
            organisation=org_a,
            worker=member.user,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=1),
            status=Appointment.Status.ATTENDED,
            created_by=member.user,
        )
    assert PersonState.objects.get(person=person).last_seen_at is None


@pytest.mark.django_db
def test_a_run_as_of_an_earlier_day_leaves_out_persons_registered_later(org_a, member):
    today = timezone.localdate()
    person = make_person(org_a, member.user)
    person.registered_at = timezone.now()
    person.save()
    result = run_radar(org_a.network, as_of=today - datetime.timedelta(days=10))
    assert result.persons == 0
    assert not Signal.objects.filter(person=person).exists()


@pytest.mark.django_db
def test_the_reason_reads_in_the_readers_language_and_counts_to_the_day_asked(org_a, member):
    person = make_person(org_a, member.user)
    contact(person, member.user, 0)
    run_radar(org_a.network, as_of=datetime.date(2025, 3, 20))
    signal = Signal.objects.get(person=person, rule="not_seen_zone")
    rule = rules.get(signal.rule)
    assert rule is not None
    with translation.override("en"):
        english = rule.reason(signal.facts, datetime.date(2025, 3, 20))
    with translation.override("nl"):
        dutch = rule.reason(signal.facts, datetime.date(2025, 3, 20))
    assert english == "On the street zone and not seen for 17 days (last seen 03/03/2025)."
    assert dutch == "Op de tippelzone en 17 dagen niet gezien (laatst gezien 3-3-2025)."
    # An open signal counts to today; a resolved one to the day it was resolved.
    today = timezone.localdate()
    with translation.override("en"):
        assert f"{(today - datetime.date(2025, 3, 3)).days} days" in reason_for(signal)
        Signal.objects.filter(pk=signal.pk).update(
            state=Signal.State.RESOLVED, outcome="seen", resolved_at=at_noon(datetime.date(2025, 3, 25))
        )
        signal.refresh_from_db()
        assert "22 days" in reason_for(signal)
