"""The transition board: the key dates, the countdown, who is on the zone (by the status history, as of
today or a past day), their care plan, exit route and open signals, and setting an exit route (audited;
refused input names the field; another network's key date does not exist).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from inbeeld.care.tests.grid_plans import plan_draft, save_as
from inbeeld.core.models import AuditEvent
from inbeeld.core.roles import Role
from inbeeld.people.models import Person, Status
from inbeeld.radar.actions.run import run_radar
from inbeeld.radar.models import ExitRoute, KeyDate
from inbeeld.radar.tests.test_dashboard import (
    days_ago,
    events_since,
    in_english,
    last_event_id,
    seen,
    status_change,
    today,
    zone_person,
)
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_date(org_a) -> KeyDate:  # type: ignore[no-untyped-def]
    return KeyDate.objects.create(
        network=org_a.network, name="Sluiting tippelzone", date=today() + datetime.timedelta(days=30)
    )


@pytest.fixture
def zone(org_a, org_b, member, readonly_member) -> dict[str, Person]:  # type: ignore[no-untyped-def]
    """A's persons on the zone (seen yesterday, so only the key date rule speaks), one who left the zone
    five days ago, one who came three days ago, one in treatment; and one of B's on the zone."""
    persons = {
        "planned": zone_person(org_a, roepnaam="Met plan", key_worker=member.user),
        "bare": zone_person(org_a, roepnaam="Zonder plan"),
        "left": zone_person(org_a, roepnaam="Vertrokken"),
        "arrived": zone_person(org_a, roepnaam="Nieuwkomer"),
        "elsewhere": zone_person(org_a, roepnaam="Elders"),
        "theirs": zone_person(org_b, roepnaam="Van B"),
    }
    for key, person in persons.items():
        status_change(person, Status.UNKNOWN if key == "arrived" else Status.STREET_ZONE, 100)
        seen(person, readonly_member, 1)
    status_change(persons["left"], Status.IN_SHELTER, 5)
    status_change(persons["arrived"], Status.STREET_ZONE, 3)
    status_change(persons["elsewhere"], Status.IN_TREATMENT, 50)
    return persons


def board_url(key_date: KeyDate) -> str:
    return reverse("radar:transition_board", args=[key_date.pk])


def route_url(key_date: KeyDate, person: Person) -> str:
    return reverse("radar:exit_route", args=[key_date.pk, person.pk])


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row.roepnaam for row in response.context["board"].rows]


def test_the_key_dates_count_down(login, readonly_member, key_date, org_a):
    KeyDate.objects.create(network=org_a.network, name="Oude datum", date=days_ago(3))
    KeyDate.objects.create(network=f.NetworkFactory(), name="Andere stad", date=today())
    html = in_english(login(readonly_member)).get(reverse("radar:transition")).content.decode()
    assert "Sluiting tippelzone" in html and "30 days to go" in html
    assert "Oude datum" in html and "Passed 3 days ago" in html
    assert "Andere stad" not in html


def test_the_board_lists_who_is_on_the_zone_today(login, member, org_a, key_date, zone):
    zone_person(org_a, roepnaam="Zonder historie")  # no status history: the status it has counts
    response = login(member).get(board_url(key_date))
    assert sorted(names(response)) == ["Met plan", "Nieuwkomer", "Zonder historie", "Zonder plan"]
    html = in_english(login(member)).get(board_url(key_date)).content.decode()
    assert "Sluiting tippelzone" in html and "30 days to go" in html


def test_the_board_as_of_a_past_day_follows_the_status_history(login, member, key_date, zone):
    response = login(member).get(board_url(key_date), {"as_of": days_ago(10).isoformat()})
    board = response.context["board"]
    assert not board.live and board.days_to_go == 40
    assert sorted(names(response)) == ["Met plan", "Vertrokken", "Zonder plan"]
    html = response.content.decode()
    assert route_url(key_date, zone["planned"]) not in html  # a past day is not changed from here


def test_a_refused_day_is_named(login, member, key_date, zone):
    response = in_english(login(member)).get(board_url(key_date), {"as_of": "2999-01-01"})
    assert response.status_code == 422
    assert 'id="id_as_of_error"' in response.content.decode()
    assert "Met plan" in response.content.decode()


def test_plan_route_and_signals_per_person_and_the_counts(login, member, readonly_member, key_date, zone):
    save_as(member, zone["planned"], plan_draft("Een eigen kamer", evaluation_in_days=45))
    ExitRoute.objects.create(
        person=zone["planned"],
        key_date=key_date,
        route=ExitRoute.Route.SHELTER,
        organisation=member.organisation,
        recorded_by=member.user,
    )
    run_radar(key_date.network, as_of=today())  # the key date is 30 days away: amber for what is missing
    response = in_english(login(member)).get(board_url(key_date))
    board = response.context["board"]
    assert board.counts == {"on_zone": 3, "with_plan": 1, "with_route": 1, "with_signals": 2}
    rows = {row.roepnaam: row for row in board.rows}
    planned = rows["Met plan"]
    assert planned.has_plan and planned.evaluation_date == today() + datetime.timedelta(days=45)
    assert planned.route_label == "Shelter or housing" and planned.signals == []
    assert [s.rule_label for s in rows["Zonder plan"].signals] == ["Key date approaching"]
    # Those with the most to arrange come first.
    assert names(response)[-1] == "Met plan"
    html = response.content.decode()
    assert "there is neither a care plan nor an exit route yet" in html
    assert reverse("care:plan", args=[zone["planned"].pk]) in html  # the caseworker reads the plan
    # An outreach worker sees that there is a plan, not the plan itself, and sets no exit route.
    html = login(readonly_member).get(board_url(key_date)).content.decode()
    assert reverse("care:plan", args=[zone["planned"].pk]) not in html
    assert route_url(key_date, zone["bare"]) not in html


def test_the_board_is_an_audited_read_of_the_persons_on_it(login, member, key_date, zone):
    before = last_event_id()
    login(member).get(board_url(key_date))
    (event,) = events_since(before, data="radar.transition")
    assert sorted(event.detail["persons"]) == sorted(
        p.pk for p in (zone["planned"], zone["bare"], zone["arrived"])
    )


def test_another_organisation_sees_only_its_own_persons(login, outsider, key_date, zone):
    assert names(login(outsider).get(board_url(key_date))) == ["Van B"]


def test_setting_an_exit_route_is_saved_and_audited(login, member, key_date, zone):
    client = login(member)
    before = last_event_id()
    response = client.post(
        route_url(key_date, zone["bare"]), {"route": "exit_programme", "note": "Via Terwille"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{board_url(key_date)}#person-{zone['bare'].pk}"
    route = ExitRoute.objects.get(person=zone["bare"], key_date=key_date)
    assert (route.route, route.note, route.recorded_by) == ("exit_programme", "Via Terwille", member.user)
    (event,) = events_since(before, data="radar.exit_route")
    assert (event.action, event.person_id_snapshot) == (AuditEvent.Action.CREATE, zone["bare"].pk)
    # Changing the route from the board keeps the note when none is given.
    client.post(route_url(key_date, zone["bare"]), {"route": "other_work"})
    route.refresh_from_db()
    assert (route.route, route.note) == ("other_work", "Via Terwille")
    row = next(
        r for r in client.get(board_url(key_date)).context["board"].rows if r.roepnaam == "Zonder plan"
    )
    assert row.route == "other_work"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"route": ""}, "route"),
        ({"route": "abroad"}, "route"),
        ({"route": "other", "note": "x" * 1001}, "note"),
        ({"route": "other", "note": "stop\x1b"}, "note"),
    ],
)
def test_a_refused_exit_route_names_the_field(login, member, key_date, zone, data, field):
    before = last_event_id()
    response = in_english(login(member)).post(route_url(key_date, zone["bare"]), data)
    assert response.status_code == 422
    assert field in response.context["failed_form"].errors
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert "The exit route of Zonder plan was not saved." in html
    assert not ExitRoute.objects.exists()
    assert events_since(before, data="radar.exit_route") == []


def test_who_may_set_an_exit_route(login, readonly_member, outsider, org_b, key_date, zone):
    assert (
        login(readonly_member).post(route_url(key_date, zone["bare"]), {"route": "other"}).status_code == 403
    )
    assert login(outsider).post(route_url(key_date, zone["bare"]), {"route": "other"}).status_code == 404
    coordinator = f.MembershipFactory(organisation=org_b, role=Role.COORDINATOR)
    assert login(coordinator).post(route_url(key_date, zone["bare"]), {"route": "other"}).status_code == 302
    assert ExitRoute.objects.get().organisation == org_b


def test_a_key_date_of_another_network_does_not_exist(login, member, zone):
    foreign = KeyDate.objects.create(network=f.NetworkFactory(), name="Elders", date=today())
    client = login(member)
    assert client.get(board_url(foreign)).status_code == 404
    assert client.post(route_url(foreign, zone["bare"]), {"route": "other"}).status_code == 404
    assert not ExitRoute.objects.exists()
