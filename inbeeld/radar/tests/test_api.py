"""The radar API: what each organisation sees of the radar and its signals, the filters and counts,
acknowledging and resolving (with their audit events and the colour that follows), the rules, and the
radar of a real run.

Which role may call which operation is the permission grid's job (grid_api.py); here are the rest.
Bad input (422 naming the field or parameter) is in test_api_bad_input.py.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.utils import timezone

from inbeeld.core.models import AuditEvent, Membership
from inbeeld.core.roles import Role
from inbeeld.people.models import Person, Status, StatusChange
from inbeeld.radar import rules
from inbeeld.radar.actions.run import run_radar
from inbeeld.radar.models import Colour, PersonState, RuleSetting, Signal
from inbeeld.testing import factories as f

API = "/api/v1"
TODAY = timezone.localdate


def post_json(client, url: str, body: object = None, **kwargs: Any):  # type: ignore[no-untyped-def]
    return client.post(
        url, json.dumps(body) if body is not None else "", content_type="application/json", **kwargs
    )


def make_state(person: Person, colour: int = Colour.GREEN, days_ago: int | None = 3) -> PersonState:
    seen = timezone.now() - datetime.timedelta(days=days_ago) if days_ago is not None else None
    # Every person has a radar line from registration on ("never seen"); set it as the test needs.
    if seen is None:
        # Never seen: in view only since registration, long ago here, so the line tops the list.
        person.registered_at = timezone.now() - datetime.timedelta(days=400)
        person.save(update_fields=["registered_at"])
    in_view = seen or person.registered_at
    state, _created = PersonState.objects.update_or_create(
        person=person,
        defaults={"network": person.network, "last_seen_at": seen, "in_view_at": in_view, "colour": colour},
    )
    return state


def make_signal(person: Person, rule: str = "not_seen_zone", **fields: Any) -> Signal:
    values: dict[str, Any] = {
        "network": person.network,
        "person": person,
        "rule": rule,
        "anchor": "x",
        "severity": Colour.RED,
        "facts": {
            "since": (TODAY() - datetime.timedelta(days=20)).isoformat(),
            "last_seen": None,
            "status": "street_zone",
        },
        "opened_on": TODAY(),
        "assigned_to": person.key_worker,
        "assigned_organisation": person.lead_organisation,
    }
    values.update(fields)
    return Signal.objects.create(**values)


def lines(response) -> dict[int, dict[str, Any]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return {line["person_id"]: line for line in response.json()["items"]}


@pytest.fixture
def person(org_a, member) -> Person:  # type: ignore[no-untyped-def]
    """A's person on the street zone, with A's caseworker as key worker."""
    return f.PersonFactory(
        network=org_a.network, involved=[org_a], lead_organisation=org_a, key_worker=member.user
    )


@pytest.fixture
def coordinator_b(org_b) -> Membership:  # type: ignore[no-untyped-def]
    """The network's coordinator, working for B (not involved with A's persons)."""
    return f.MembershipFactory(organisation=org_b, role=Role.COORDINATOR)


@pytest.fixture
def b_person(org_b, outsider) -> Person:  # type: ignore[no-untyped-def]
    return f.PersonFactory(
        network=org_b.network,
        involved=[org_b],
        lead_organisation=org_b,
        key_worker=outsider.user,
        status=Status.IN_TREATMENT,
    )


# --- who sees what ----------------------------------------------------------------------------------


@pytest.mark.django_db
class TestWhoSeesWhat:
    def test_the_involved_organisation_sees_its_person_with_open_signals(self, login, member, person):
        make_state(person, Colour.RED)
        signal = make_signal(person)
        make_signal(person, rule="status_unknown", anchor="y", state=Signal.State.CLEARED)  # not open
        line = lines(login(member).get(f"{API}/radar", HTTP_ACCEPT_LANGUAGE="en"))[person.pk]
        assert line["roepnaam"] == person.roepnaam
        assert line["status"] == "street_zone"
        assert line["key_worker"] == {"id": member.user_id, "name": str(member.user)}
        assert line["colour"] == "red"
        assert [s["id"] for s in line["signals"]] == [signal.pk]
        assert line["signals"][0] == {
            "id": signal.pk,
            "rule": "not_seen_zone",
            "rule_label": "Not seen (street zone)",
            "severity": "red",
            "reason": rules.reason_for(signal),
            "opened_on": TODAY().isoformat(),
            "escalated": False,
            "acknowledged": False,
        }
        assert "never seen" in line["signals"][0]["reason"]

    def test_an_organisation_not_involved_never_sees_the_signal(self, login, outsider, person):
        make_state(person, Colour.RED)
        signal = make_signal(person)
        client = login(outsider)
        radar = client.get(f"{API}/radar")
        assert radar.status_code == 200
        assert radar.json() == {"counts": {"green": 0, "amber": 0, "red": 0}, "items": [], "count": 0}
        listed = client.get(f"{API}/radar/signals", {"state": "all", "person_id": person.pk})
        assert listed.status_code == 200 and listed.json() == {"items": [], "count": 0}
        missing = client.get(f"{API}/radar/signals/987654321")
        for response in (
            client.get(f"{API}/radar/signals/{signal.pk}"),
            post_json(client, f"{API}/radar/signals/{signal.pk}/acknowledge"),
            post_json(client, f"{API}/radar/signals/{signal.pk}/resolve", {"outcome": "seen"}),
        ):
            assert response.status_code == 404
            assert response.json() == missing.json()  # not visible looks like not existing
        signal.refresh_from_db()
        assert signal.state == Signal.State.OPEN and signal.acknowledged_at is None
        assert not AuditEvent.objects.filter(data="radar.signal", person_id_snapshot=person.pk).exists()

    def test_the_coordinator_sees_every_person_of_the_network(
        self, login, member, coordinator_b, person, b_person
    ):
        make_state(person, Colour.RED)
        make_state(b_person)
        make_signal(person)
        elsewhere = f.PersonFactory()  # another network
        make_state(elsewhere, Colour.RED)
        make_signal(elsewhere)
        assert set(lines(login(coordinator_b).get(f"{API}/radar"))) == {person.pk, b_person.pk}
        signals = login(coordinator_b).get(f"{API}/radar/signals").json()
        assert [s["person_id"] for s in signals["items"]] == [person.pk]
        assert set(lines(login(member).get(f"{API}/radar"))) == {person.pk}

    @pytest.mark.parametrize(
        "role", [Role.VOLUNTEER, Role.ANALYST, Role.PRIVACY_OFFICER, Role.ADMIN], ids=lambda r: r.value
    )
    def test_roles_without_a_radar_get_404_everywhere(self, login, org_a, person, role):
        make_state(person, Colour.RED)
        signal = make_signal(person)
        client = login(f.MembershipFactory(organisation=org_a, role=role))
        responses = [
            client.get(f"{API}/radar"),
            client.get(f"{API}/radar/signals"),
            client.get(f"{API}/radar/rules"),
            client.get(f"{API}/radar/signals/{signal.pk}"),
            post_json(client, f"{API}/radar/signals/{signal.pk}/acknowledge"),
            post_json(client, f"{API}/radar/signals/{signal.pk}/resolve", {"outcome": "seen"}),
        ]
        assert [r.status_code for r in responses] == [404] * 6
        assert len({r.content for r in responses}) == 1
        signal.refresh_from_db()
        assert signal.state == Signal.State.OPEN
        assert not AuditEvent.objects.filter(data__startswith="radar.").exists()

    def test_a_person_of_another_network_is_404_even_for_the_coordinator(self, login, coordinator_b):
        signal = make_signal(f.PersonFactory())
        assert login(coordinator_b).get(f"{API}/radar/signals/{signal.pk}").status_code == 404

    def test_the_list_is_audited_as_a_read_of_the_persons_on_the_page(self, login, member, person, org_a):
        other = f.PersonFactory(network=org_a.network, involved=[org_a], lead_organisation=org_a)
        make_state(person)
        make_state(other, days_ago=None)
        login(member).get(f"{API}/radar")
        event = AuditEvent.objects.get(data="radar.list")
        assert event.action == AuditEvent.Action.READ
        assert event.basis == AuditEvent.Basis.INVOLVEMENT
        assert event.source == "api"
        assert event.user_id_snapshot == member.user_id
        assert event.detail == {"persons": [other.pk, person.pk]}  # never seen first

    def test_the_signals_list_is_audited(self, login, coordinator_b, person):
        make_signal(person)
        make_signal(person, rule="status_unknown", anchor="y")
        login(coordinator_b).get(f"{API}/radar/signals")
        event = AuditEvent.objects.get(data="radar.signals")
        assert event.detail == {"persons": [person.pk]}
        assert event.basis == AuditEvent.Basis.NETWORK_ROLE


# --- the radar list: filters, counts, pages ---------------------------------------------------------


@pytest.mark.django_db
class TestRadarFilters:
    @pytest.fixture
    def radar(self, org_a, org_b, member, readonly_member) -> dict[str, Person]:  # type: ignore[no-untyped-def]
        def person(name: str, status: str, colour: int, days_ago: int | None, **kw: Any) -> Person:
            p = f.PersonFactory(
                network=org_a.network,
                roepnaam=name,
                status=status,
                lead_organisation=org_a,
                key_worker=kw.pop("key_worker", member.user),
                involved=kw.pop("involved", [org_a]),
            )
            make_state(p, colour, days_ago)
            return p

        people = {
            "red": person("Rood", Status.STREET_ZONE, Colour.RED, 20),
            "amber": person("Oranje", Status.UNKNOWN, Colour.AMBER, 9, key_worker=readonly_member.user),
            "green": person("Groen", Status.IN_SHELTER, Colour.GREEN, 1, involved=[org_a, org_b]),
            "never": person("Nooit", Status.STREET_ZONE, Colour.RED, None),
            "exited": person("Weg", Status.EXITED, Colour.GREEN, 100),
        }
        make_signal(people["red"], escalated_on=TODAY())
        make_signal(people["never"], acknowledged_at=timezone.now())
        make_signal(people["amber"], rule="status_unknown", severity=Colour.AMBER)
        return people

    def get(self, client, **params: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        response = client.get(f"{API}/radar", params)
        assert response.status_code == 200, response.content
        return response.json()

    def names(self, body: dict[str, Any]) -> list[str]:
        return [line["roepnaam"] for line in body["items"]]

    def test_followed_statuses_longest_unseen_first_with_counts(self, login, member, radar):
        body = self.get(login(member))
        assert self.names(body) == ["Nooit", "Rood", "Oranje", "Groen"]
        assert body["count"] == 4
        assert body["counts"] == {"green": 1, "amber": 1, "red": 2}

    def test_status(self, login, member, radar):
        client = login(member)
        assert "Weg" in self.names(self.get(client, status="all"))
        assert self.get(client, status="all")["count"] == 5
        assert self.names(self.get(client, status="exited")) == ["Weg"]
        assert self.names(self.get(client, status="street_zone")) == ["Nooit", "Rood"]

    def test_colour_filters_the_lines_but_not_the_counts(self, login, member, radar):
        body = self.get(login(member), colour="red")
        assert self.names(body) == ["Nooit", "Rood"]
        assert body["count"] == 2
        assert body["counts"] == {"green": 1, "amber": 1, "red": 2}
        assert self.names(self.get(login(member), colour="amber")) == ["Oranje"]

    def test_counts_follow_the_other_filters(self, login, member, radar):
        body = self.get(login(member), status="street_zone", colour="green")
        assert body["items"] == [] and body["count"] == 0
        assert body["counts"] == {"green": 0, "amber": 0, "red": 2}

    def test_organisation_key_worker_rule_escalated(self, login, member, readonly_member, org_b, radar):
        client = login(member)
        assert self.names(self.get(client, organisation=org_b.pk)) == ["Groen"]
        assert self.names(self.get(client, key_worker=readonly_member.user_id)) == ["Oranje"]
        assert self.names(self.get(client, rule="status_unknown")) == ["Oranje"]
        assert self.names(self.get(client, rule="not_seen_zone")) == ["Nooit", "Rood"]
        assert self.names(self.get(client, escalated="true")) == ["Rood"]
        line = self.get(client, escalated="true")["items"][0]
        assert line["signals"][0]["escalated"] is True
        never = self.get(client, rule="not_seen_zone")["items"][0]
        assert never["signals"][0]["acknowledged"] is True and never["last_seen_at"] is None

    def test_filters_never_widen_what_an_organisation_sees(self, login, outsider, org_a, radar):
        # B is involved with "Groen" only; filtering on A does not reveal A's other persons.
        client = login(outsider)
        assert self.names(self.get(client)) == ["Groen"]
        assert self.names(self.get(client, organisation=org_a.pk)) == ["Groen"]
        assert self.names(self.get(client, status="all", rule="not_seen_zone")) == []
        assert self.get(client)["counts"] == {"green": 1, "amber": 0, "red": 0}

    def test_pages(self, login, member, radar, settings):
        settings.API_PAGE_SIZE = 3
        client = login(member)
        first, second = self.get(client), self.get(client, page=2)
        assert self.names(first) == ["Nooit", "Rood", "Oranje"]
        assert self.names(second) == ["Groen"]
        assert first["count"] == second["count"] == 4
        assert self.get(client, page=3)["items"] == []
        persons = [e.detail["persons"] for e in AuditEvent.objects.filter(data="radar.list").order_by("id")]
        assert persons == [[radar["never"].pk, radar["red"].pk, radar["amber"].pk], [radar["green"].pk], []]

    def test_admitted_person_shows_since_when(self, login, member, person):
        state = make_state(person)
        state.admitted_since = TODAY() - datetime.timedelta(days=40)
        state.save()
        line = lines(login(member).get(f"{API}/radar"))[person.pk]
        assert line["admitted_since"] == state.admitted_since.isoformat()


# --- signals ----------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestSignals:
    def test_list_filters(self, login, member, readonly_member, coordinator_b, person, b_person):
        mine = make_signal(person)
        theirs = make_signal(person, rule="status_unknown", anchor="y", assigned_to=readonly_member.user)
        resolved = make_signal(
            person,
            anchor="old",
            state=Signal.State.RESOLVED,
            outcome="seen",
            opened_on=TODAY() - datetime.timedelta(days=9),
        )
        cleared = make_signal(person, anchor="older", state=Signal.State.CLEARED, cleared_on=TODAY())
        b_signal = make_signal(b_person, severity=Colour.AMBER)
        client = login(member)

        def ids(**params: Any) -> list[int]:
            response = client.get(f"{API}/radar/signals", params)
            assert response.status_code == 200, response.content
            return [s["id"] for s in response.json()["items"]]

        assert ids() == [mine.pk, theirs.pk]
        assert ids(mine="true") == [mine.pk]
        assert ids(rule="status_unknown") == [theirs.pk]
        assert ids(state="resolved") == [resolved.pk]
        assert ids(state="cleared") == [cleared.pk]
        assert set(ids(state="all")) == {mine.pk, theirs.pk, resolved.pk, cleared.pk}
        assert ids(person_id=b_person.pk) == []
        client = login(coordinator_b)
        assert set(ids()) == {mine.pk, theirs.pk, b_signal.pk}
        assert ids(person_id=b_person.pk) == [b_signal.pk]
        assert ids(mine="true") == []

    def test_list_item(self, login, member, person):
        signal = make_signal(person, escalated_on=TODAY())
        item = login(member).get(f"{API}/radar/signals", HTTP_ACCEPT_LANGUAGE="en").json()["items"][0]
        assert item == {
            "id": signal.pk,
            "person_id": person.pk,
            "roepnaam": person.roepnaam,
            "rule": "not_seen_zone",
            "rule_label": "Not seen (street zone)",
            "severity": "red",
            "reason": item["reason"],
            "state": "open",
            "opened_on": TODAY().isoformat(),
            "escalated": True,
            "acknowledged": False,
            "assigned_to": {"id": member.user_id, "name": str(member.user)},
        }
        assert "never seen" in item["reason"]

    def test_detail_is_audited_as_a_read_of_the_person(self, login, readonly_member, person):
        previous = make_signal(person, anchor="before", state=Signal.State.CLEARED, cleared_on=TODAY())
        signal = make_signal(person, previous=previous)
        response = login(readonly_member).get(f"{API}/radar/signals/{signal.pk}", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        body = response.json()
        assert body["previous_id"] == previous.pk
        since = TODAY() - datetime.timedelta(days=20)
        assert body["reason"] == (
            f"On the street zone and never seen since registration on {since:%d/%m/%Y} (20 days)."
        )
        assert body["state"] == "open" and body["state_label"] == "Open"
        assert body["outcome"] is None and body["outcome_note"] is None
        assert body["assigned_organisation"] == {
            "id": person.lead_organisation_id,
            "name": "Stichting Test A",
        }
        assert body["may"] == {"acknowledge": True, "resolve": True}
        event = AuditEvent.objects.get(data="radar.signal")
        assert event.action == AuditEvent.Action.READ
        assert event.person_id_snapshot == person.pk
        assert event.object_id == str(signal.pk)
        assert event.basis == AuditEvent.Basis.INVOLVEMENT

    def test_a_host_reads_a_signal_but_may_not_act_on_it(self, login, org_a, person):
        signal = make_signal(person)
        client = login(f.MembershipFactory(organisation=org_a, role=Role.HOST))
        assert client.get(f"{API}/radar/signals/{signal.pk}").json()["may"] == {
            "acknowledge": False,
            "resolve": False,
        }
        assert post_json(client, f"{API}/radar/signals/{signal.pk}/acknowledge").status_code == 403
        assert (
            post_json(client, f"{API}/radar/signals/{signal.pk}/resolve", {"outcome": "seen"}).status_code
            == 403
        )
        signal.refresh_from_db()
        assert signal.state == Signal.State.OPEN and signal.acknowledged_at is None
        assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()


@pytest.mark.django_db
class TestAcknowledgeAndResolve:
    def test_acknowledge(self, login, member, person):
        signal = make_signal(person)
        response = post_json(login(member), f"{API}/radar/signals/{signal.pk}/acknowledge")
        assert response.status_code == 200
        body = response.json()
        assert body["acknowledged"] is True
        assert body["acknowledged_by"] == {"id": member.user_id, "name": str(member.user)}
        assert body["may"] == {"acknowledge": False, "resolve": True}
        signal.refresh_from_db()
        assert signal.acknowledged_by == member.user and signal.acknowledged_at is not None
        assert signal.state == Signal.State.OPEN
        event = AuditEvent.objects.get(data="radar.signal")
        assert event.action == AuditEvent.Action.UPDATE
        assert event.detail == {"acknowledged": True, "rule": "not_seen_zone"}
        assert event.person_id_snapshot == person.pk and event.source == "api"

    def test_acknowledging_twice_keeps_the_first(self, login, member, readonly_member, person):
        signal = make_signal(person)
        post_json(login(member), f"{API}/radar/signals/{signal.pk}/acknowledge")
        response = post_json(login(readonly_member), f"{API}/radar/signals/{signal.pk}/acknowledge")
        assert response.status_code == 200
        assert response.json()["acknowledged_by"]["id"] == member.user_id

    def test_the_coordinator_acknowledges_an_escalated_signal(self, login, coordinator_b, person):
        signal = make_signal(person, escalated_on=TODAY())
        response = post_json(login(coordinator_b), f"{API}/radar/signals/{signal.pk}/acknowledge")
        assert response.status_code == 200
        assert AuditEvent.objects.get(data="radar.signal").basis == AuditEvent.Basis.NETWORK_ROLE

    def test_resolve_turns_the_person_green_when_nothing_else_is_open(self, login, member, person):
        make_state(person, Colour.RED)
        signal = make_signal(person)
        response = post_json(
            login(member),
            f"{API}/radar/signals/{signal.pk}/resolve",
            {"outcome": "seen", "note": "Gezien bij de huiskamer."},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["state"] == "resolved"
        assert body["outcome"] == "seen" and body["outcome_label"] == "Seen"
        assert body["outcome_note"] == "Gezien bij de huiskamer."
        assert body["resolved_by"]["id"] == member.user_id
        assert body["resolved_by_organisation"]["id"] == member.organisation_id
        assert body["acknowledged"] is True  # resolving acknowledges
        assert body["may"] == {"acknowledge": False, "resolve": False}
        signal.refresh_from_db()
        assert (signal.state, signal.outcome, signal.resolved_by) == ("resolved", "seen", member.user)
        assert PersonState.objects.get(person=person).colour == Colour.GREEN
        event = AuditEvent.objects.get(data="radar.signal")
        assert event.action == AuditEvent.Action.UPDATE
        assert event.detail == {"resolved": "seen", "rule": "not_seen_zone"}
        assert lines(login(member).get(f"{API}/radar"))[person.pk]["colour"] == "green"

    def test_resolve_leaves_the_colour_of_what_is_still_open(self, login, member, person):
        make_state(person, Colour.RED)
        signal = make_signal(person)
        make_signal(person, rule="status_unknown", anchor="y", severity=Colour.AMBER)
        post_json(login(member), f"{API}/radar/signals/{signal.pk}/resolve", {"outcome": "admitted"})
        assert PersonState.objects.get(person=person).colour == Colour.AMBER

    def test_other_with_a_note(self, login, readonly_member, person):
        signal = make_signal(person)
        response = post_json(
            login(readonly_member),
            f"{API}/radar/signals/{signal.pk}/resolve",
            {"outcome": "other", "note": "  Teruggegaan naar familie.  "},
        )
        assert response.status_code == 200
        signal.refresh_from_db()
        assert (signal.outcome, signal.outcome_note) == ("other", "Teruggegaan naar familie.")

    def test_the_note_is_for_the_resolving_organisation_and_file_readers(
        self, login, member, readonly_member, coordinator_b, org_a, person
    ):
        signal = make_signal(person)
        post_json(
            login(readonly_member),
            f"{API}/radar/signals/{signal.pk}/resolve",
            {"outcome": "refused_contact", "note": "Wil geen contact met B."},
        )

        def seen_by(membership: Membership) -> dict[str, Any]:
            response = login(membership).get(f"{API}/radar/signals/{signal.pk}")
            assert response.status_code == 200
            return response.json()

        coordinator_a = f.MembershipFactory(organisation=org_a, role=Role.COORDINATOR)
        assert seen_by(readonly_member)["outcome_note"] == "Wil geen contact met B."  # resolving org
        assert seen_by(coordinator_a)["outcome_note"] == "Wil geen contact met B."  # resolving org
        assert seen_by(member)["outcome_note"] == "Wil geen contact met B."  # reads the file
        hidden = seen_by(coordinator_b)
        assert hidden["outcome_note"] is None
        assert hidden["outcome"] == "refused_contact"  # what became of the person is radar core

    def test_a_note_of_another_organisation_is_read_by_those_who_read_the_file(
        self, login, member, coordinator_b, person
    ):
        signal = make_signal(person)
        response = post_json(
            login(coordinator_b),
            f"{API}/radar/signals/{signal.pk}/resolve",
            {"outcome": "seen", "note": "Op straat."},
        )
        assert response.json()["outcome_note"] == "Op straat."
        assert login(member).get(f"{API}/radar/signals/{signal.pk}").json()["outcome_note"] == "Op straat."


# --- rules ------------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestRules:
    def test_every_rule_with_the_network_thresholds(self, login, readonly_member, network):
        RuleSetting.objects.create(
            network=network, rule="not_seen_zone", enabled=False, amber_at=5, red_at=10, escalate_after_days=4
        )
        other_network = f.NetworkFactory()
        RuleSetting.objects.create(
            network=other_network, rule="not_seen", amber_at=1, red_at=2, escalate_after_days=1
        )
        response = login(readonly_member).get(f"{API}/radar/rules", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        body = {r["key"]: r for r in response.json()}
        assert list(body) == [rule.key for rule in rules.all_rules()]
        assert body["not_seen_zone"] == {
            "key": "not_seen_zone",
            "label": "Not seen (street zone)",
            "description": rules.get("not_seen_zone").describe(rules.Threshold(False, 5, 10, 4)),  # type: ignore[union-attr]
            "unit": "days_since",
            "enabled": False,
            "amber_at": 5,
            "red_at": 10,
            "escalate_after_days": 4,
        }
        assert "amber after 5 days, red after 10 days" in body["not_seen_zone"]["description"]
        assert (body["not_seen"]["amber_at"], body["not_seen"]["red_at"], body["not_seen"]["enabled"]) == (
            30,
            60,
            True,
        )
        assert body["consent_expiring"]["unit"] == "days_before"
        assert body["no_shows"]["unit"] == "in_a_row"
        assert not AuditEvent.objects.exists()  # rules hold no person data

    def test_rules_in_dutch(self, login, readonly_member):
        english = login(readonly_member).get(f"{API}/radar/rules", HTTP_ACCEPT_LANGUAGE="en")
        dutch = login(readonly_member).get(f"{API}/radar/rules", HTTP_ACCEPT_LANGUAGE="nl")
        assert english["Content-Language"] == "en" and dutch["Content-Language"] == "nl"
        assert [r["key"] for r in english.json()] == [r["key"] for r in dutch.json()]


# --- a real run -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_radar_of_a_real_run(login, member, coordinator_b, outsider, org_a, network):
    """A street-zone person nobody has seen for three weeks turns red in the run; resolving them in the
    API makes them green, and the next run leaves the resolved occurrence alone."""
    registered = timezone.now() - datetime.timedelta(days=21)
    person = f.PersonFactory(
        network=network,
        roepnaam="Zonder Zicht",
        lead_organisation=org_a,
        key_worker=member.user,
        involved=[org_a],
        registered_at=registered,
    )
    StatusChange.objects.create(person=person, to_status=Status.STREET_ZONE, effective_on=registered.date())
    result = run_radar(network, as_of=TODAY())
    assert result.opened == 1

    line = lines(login(member).get(f"{API}/radar", HTTP_ACCEPT_LANGUAGE="en"))[person.pk]
    assert line["colour"] == "red" and line["last_seen_at"] is None
    [signal] = line["signals"]
    assert signal["rule"] == "not_seen_zone" and signal["severity"] == "red"
    assert "never seen since registration" in signal["reason"]
    assert login(coordinator_b).get(f"{API}/radar", {"colour": "red"}).json()["count"] == 1
    assert lines(login(outsider).get(f"{API}/radar")) == {}

    mine = login(member).get(f"{API}/radar/signals", {"mine": "true"}).json()
    assert [s["id"] for s in mine["items"]] == [signal["id"]]
    response = post_json(login(member), f"{API}/radar/signals/{signal['id']}/resolve", {"outcome": "seen"})
    assert response.status_code == 200
    assert lines(login(member).get(f"{API}/radar"))[person.pk]["colour"] == "green"

    again = run_radar(network, as_of=TODAY())
    assert again.opened == 0
    assert login(member).get(f"{API}/radar/signals").json()["count"] == 0
    assert lines(login(member).get(f"{API}/radar"))[person.pk]["colour"] == "green"
