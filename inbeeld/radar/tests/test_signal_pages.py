"""Signal pages: my signals, one signal, acknowledging and resolving it (audited; the colour follows),
refused input (422 naming the field, in English and in Dutch), a signal no longer open, who reads the
outcome note, and the radar section on the person page.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from inbeeld.core.models import AuditEvent, Membership
from inbeeld.core.roles import Role
from inbeeld.people.models import Person
from inbeeld.radar.actions.run import run_radar
from inbeeld.radar.models import Colour, PersonState, Signal
from inbeeld.radar.tests.test_dashboard import (
    days_ago,
    events_since,
    in_english,
    last_event_id,
    make_signal,
    today,
    zone_person,
)
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(org_a, member) -> Person:  # type: ignore[no-untyped-def]
    """A's person on the street zone, with A's caseworker as key worker."""
    return zone_person(org_a, roepnaam="Sanne", key_worker=member.user)


@pytest.fixture
def coordinator(org_b) -> Membership:  # type: ignore[no-untyped-def]
    return f.MembershipFactory(organisation=org_b, role=Role.COORDINATOR)


@pytest.fixture
def signal(person) -> Signal:  # type: ignore[no-untyped-def]
    signal = make_signal(person)
    PersonState.objects.filter(person=person).update(colour=Colour.RED)
    return signal


def detail(client: Any, signal: Signal) -> Any:
    return client.get(reverse("radar:signal", args=[signal.pk]))


def resolve(client: Any, signal: Signal, **data: Any) -> Any:
    return client.post(reverse("radar:signal_resolve", args=[signal.pk]), data)


def acknowledge(client: Any, signal: Signal) -> Any:
    return client.post(reverse("radar:signal_acknowledge", args=[signal.pk]))


# --- my signals ---------------------------------------------------------------------------------------


def test_my_signals_are_those_assigned_to_me(login, member, readonly_member, signal):
    client = in_english(login(member))
    before = last_event_id()
    response = client.get(reverse("radar:signals"))
    assert response.status_code == 200
    (mine,) = response.context["groups"]
    assert [s.pk for s, _line in mine.items] == [signal.pk]
    html = response.content.decode()
    assert "Sanne" in html and "never seen since registration" in html
    (event,) = events_since(before, data="radar.signals")
    assert event.detail["persons"] == [signal.person_id]
    # A colleague sees the person's radar, but the signal is not theirs.
    (theirs,) = login(readonly_member).get(reverse("radar:signals")).context["groups"]
    assert theirs.items == []


def test_the_coordinator_also_sees_escalated_and_unassigned_signals(
    login, member, coordinator, person, org_a
):
    escalated = make_signal(person, anchor="a", escalated_on=today())
    unassigned = make_signal(zone_person(org_a, roepnaam="Zonder"), anchor="b", assigned_to=None)
    mine = make_signal(zone_person(org_a, roepnaam="Voor mij"), anchor="c", assigned_to=coordinator.user)
    quiet = zone_person(org_a, roepnaam="Rustig", key_worker=member.user)
    make_signal(quiet, anchor="d")  # assigned, not escalated: not the coordinator's
    groups = {g.key: g for g in login(coordinator).get(reverse("radar:signals")).context["groups"]}
    assert [s.pk for s, _ in groups["mine"].items] == [mine.pk]
    assert [s.pk for s, _ in groups["escalated"].items] == [escalated.pk]
    assert [s.pk for s, _ in groups["unassigned"].items] == [unassigned.pk]


def test_another_organisation_never_sees_the_signal(login, outsider, org_b, signal):
    signal.assigned_to = outsider.user  # even when (wrongly) assigned to one of them
    signal.save()
    client = login(outsider)
    response = client.get(reverse("radar:signals"))
    assert all(group.items == [] for group in response.context["groups"])
    assert "Sanne" not in response.content.decode()
    assert detail(client, signal).status_code == 404
    assert acknowledge(client, signal).status_code == 404
    assert resolve(client, signal, outcome="seen").status_code == 404
    assert client.get(reverse("people:detail", args=[signal.person_id])).status_code == 404
    assert Signal.objects.get(pk=signal.pk).state == Signal.State.OPEN


# --- one signal ---------------------------------------------------------------------------------------


def test_the_signal_page_says_why_and_is_an_audited_read(login, readonly_member, signal):
    before = last_event_id()
    response = detail(in_english(login(readonly_member)), signal)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not seen (street zone)" in html
    assert "never seen since registration" in html
    assert '<span class="radar-badge radar-red">Red</span>' in html
    assert reverse("radar:signal_acknowledge", args=[signal.pk]) in html
    assert reverse("radar:signal_resolve", args=[signal.pk]) in html
    (event,) = events_since(before, data="radar.signal")
    assert (event.action, event.person_id_snapshot, event.object_id) == (
        AuditEvent.Action.READ,
        signal.person_id,
        str(signal.pk),
    )


def test_a_host_sees_the_signal_but_gets_no_forms_and_may_not_act(login, org_a, signal):
    host = f.MembershipFactory(organisation=org_a, role=Role.HOST)
    client = login(host)
    html = detail(client, signal).content.decode()
    assert reverse("radar:signal_resolve", args=[signal.pk]) not in html
    assert acknowledge(client, signal).status_code == 403
    assert resolve(client, signal, outcome="seen").status_code == 403


def test_the_earlier_signal_is_linked(login, readonly_member, person):
    earlier = make_signal(person, anchor="old", state=Signal.State.CLEARED, cleared_on=days_ago(20))
    later = make_signal(person, anchor="new", previous=earlier)
    html = detail(login(readonly_member), later).content.decode()
    assert f'href="{reverse("radar:signal", args=[earlier.pk])}"' in html


def test_a_signal_from_a_real_run(login, member, org_a):
    person = zone_person(org_a, roepnaam="Echt", registered=30, key_worker=member.user)
    run_radar(org_a.network, as_of=today())
    signal = Signal.objects.get(person=person, rule="not_seen_zone")
    assert signal.assigned_to == member.user
    response = detail(in_english(login(member)), signal)
    assert "never seen since registration" in response.content.decode()


# --- acknowledge and resolve --------------------------------------------------------------------------


def test_acknowledging_is_recorded_and_audited(login, readonly_member, signal):
    before = last_event_id()
    response = acknowledge(login(readonly_member), signal)
    assert response.status_code == 302
    assert response["Location"] == reverse("radar:signal", args=[signal.pk])
    signal.refresh_from_db()
    assert signal.acknowledged_by == readonly_member.user and signal.is_open
    (event,) = events_since(before, data="radar.signal")
    assert event.action == AuditEvent.Action.UPDATE
    assert event.detail["acknowledged"] is True


def test_resolving_turns_the_person_green_when_nothing_else_is_open(login, member, signal):
    before = last_event_id()
    response = resolve(login(member), signal, outcome="seen", note="Op de zone gesproken.")
    assert response.status_code == 302
    signal.refresh_from_db()
    assert (signal.state, signal.outcome, signal.outcome_note) == (
        "resolved",
        "seen",
        "Op de zone gesproken.",
    )
    assert signal.resolved_by_organisation_id == member.organisation_id
    assert PersonState.objects.get(person_id=signal.person_id).colour == Colour.GREEN
    (event,) = events_since(before, data="radar.signal")
    assert (event.action, event.detail["resolved"]) == (AuditEvent.Action.UPDATE, "seen")


def test_resolving_one_of_two_keeps_the_colour_of_the_other(login, member, person, signal):
    make_signal(person, rule="status_unknown", anchor="other", severity=Colour.AMBER)
    resolve(login(member), signal, outcome="seen")
    assert PersonState.objects.get(person=person).colour == Colour.AMBER


def test_resolving_without_an_outcome_names_the_field_in_english(login, member, signal):
    before = last_event_id()
    response = resolve(in_english(login(member)), signal, note="")
    assert response.status_code == 422
    assert "outcome" in response.context["resolve_form"].errors
    html = response.content.decode()
    assert 'id="id_outcome_error"' in html
    assert "Choose an outcome." in html
    assert Signal.objects.get(pk=signal.pk).is_open
    assert events_since(before) == []


def test_resolving_without_an_outcome_in_dutch_still_renders(login, member, signal):
    response = resolve(login(member), signal)
    assert response.status_code == 422
    assert response["Content-Language"] == "nl"
    assert 'id="id_outcome_error"' in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"outcome": "other", "note": ""}, "note"),
        ({"outcome": "vanished"}, "outcome"),
        ({"outcome": "seen", "note": "x" * 2001}, "note"),
        ({"outcome": "seen", "note": "stop\x1b"}, "note"),
    ],
)
def test_refused_resolutions_name_the_field(login, member, signal, data, field):
    response = resolve(in_english(login(member)), signal, **data)
    assert response.status_code == 422
    assert field in response.context["resolve_form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Signal.objects.get(pk=signal.pk).is_open


def test_a_resolved_signal_refuses_both_actions_naming_its_state(login, member, signal):
    client = in_english(login(member))
    resolve(client, signal, outcome="detained")
    for response in (acknowledge(client, signal), resolve(client, signal, outcome="seen")):
        assert response.status_code == 422
        assert response.context["state_error"] == "This signal is no longer open."
        assert 'id="id_state_error"' in response.content.decode()
    assert Signal.objects.get(pk=signal.pk).outcome == "detained"


def test_the_outcome_note_is_for_the_file_and_the_resolving_organisation(
    login, member, readonly_member, coordinator, signal
):
    resolve(login(member), signal, outcome="other", note="Naar familie in Zwolle.")
    for reader in (member, readonly_member):  # A's caseworker reads the file; A resolved it
        assert "Naar familie in Zwolle." in detail(login(reader), signal).content.decode()
    html = detail(in_english(login(coordinator)), signal).content.decode()
    assert "Other" in html and "Naar familie in Zwolle." not in html


# --- the person page ----------------------------------------------------------------------------------


def test_the_person_page_shows_the_radar_and_its_open_signals(login, readonly_member, coordinator, signal):
    url = reverse("people:detail", args=[signal.person_id])
    for reader in (readonly_member, coordinator):
        html = in_english(login(reader)).get(url).content.decode()
        assert 'id="radar-heading"' in html
        assert "never seen since registration" in html
        assert f'href="{reverse("radar:signal", args=[signal.pk])}"' in html
        assert '<span class="radar-badge radar-red">Red</span>' in html


def test_the_person_page_shows_admitted_persons_in_view(login, readonly_member, person):
    PersonState.objects.filter(person=person).update(admitted_since=days_ago(4))
    html = in_english(login(readonly_member)).get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "In view, admitted since" in html
    assert "No open signals" in html


def test_no_radar_section_for_a_privacy_officer(login, org_a, signal):
    officer = f.MembershipFactory(organisation=org_a, role=Role.PRIVACY_OFFICER)
    response = login(officer).get(reverse("people:detail", args=[signal.person_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="radar-heading"' not in html
    assert reverse("radar:signal", args=[signal.pk]) not in html
