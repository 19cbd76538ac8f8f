"""The radar dashboard: counts and order, every filter, who sees whom, the what-if view of a past day,
the rules page, and the audit of the list. Signals come from real runs (``run_radar``) where practical.

Which role may open which radar page is the grid's job (grid_web.py); the tests here check what the
pages say. Helpers at the top are shared with the other radar page tests.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from inbeeld.care.models import Contact
from inbeeld.core.models import AuditEvent, Membership, Organisation
from inbeeld.core.roles import Role
from inbeeld.people.models import Person, Status, StatusChange
from inbeeld.radar.actions.run import run_radar
from inbeeld.radar.models import Colour, KeyDate, PersonState, Signal
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return today() - datetime.timedelta(days=n)


def moment(days: int) -> datetime.datetime:
    """Noon, ``days`` days ago (local time)."""
    return timezone.make_aware(datetime.datetime.combine(days_ago(days), datetime.time(12)))


def zone_person(organisation: Organisation, *, registered: int = 100, **extra: Any) -> Person:
    """A person on the street zone that ``organisation`` is involved with and leads."""
    values: dict[str, Any] = {
        "network": organisation.network,
        "involved": [organisation],
        "lead_organisation": organisation,
        "registered_at": moment(registered),
        **extra,
    }
    return f.PersonFactory(**values)


def seen(person: Person, by: Membership, days: int) -> Contact:
    return Contact.objects.create(
        person=person,
        organisation=by.organisation,
        recorded_by=by.user,
        occurred_at=moment(days),
        channel="street_zone",
        kind="sighting",
    )


def status_change(person: Person, status: str, days: int) -> None:
    StatusChange.objects.create(person=person, to_status=status, effective_on=days_ago(days))
    person.refresh_from_db()
    person.status, person.status_since = status, days_ago(days)
    person.save(update_fields=["status", "status_since"])  # as people.actions does: the radar line follows


def make_signal(person: Person, rule: str = "not_seen_zone", **fields: Any) -> Signal:
    values: dict[str, Any] = {
        "network": person.network,
        "person": person,
        "rule": rule,
        "anchor": "test",
        "severity": Colour.RED,
        "facts": {"days": 20, "since": "2018-01-01", "last_seen": None, "status": "street_zone"},
        "opened_on": today(),
        "assigned_to": person.key_worker,
        "assigned_organisation": person.lead_organisation,
    }
    values.update(fields)
    return Signal.objects.create(**values)


def last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def events_since(before: int, **filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=before, **filters).order_by("id"))


def in_english(client: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def order_of(html: str, *names: str) -> list[int]:
    return [html.index(f">{name}<") for name in names]


@pytest.fixture
def coordinator(org_b) -> Membership:  # type: ignore[no-untyped-def]
    """The network's coordinator, working for B: sees the whole network's radar."""
    return f.MembershipFactory(organisation=org_b, role=Role.COORDINATOR)


@pytest.fixture
def radar(org_a, member, readonly_member) -> dict[str, Person]:  # type: ignore[no-untyped-def]
    """Four of A's persons after today's run: never seen (red), seen 10 days ago (amber), seen
    yesterday (green) and admitted to a clinic (green, in view)."""
    persons = {
        "never": zone_person(org_a, roepnaam="Nina", registered=20),
        "amber": zone_person(org_a, roepnaam="Olga", key_worker=member.user),
        "green": zone_person(org_a, roepnaam="Greet"),
        "admitted": zone_person(org_a, roepnaam="Olivia"),
    }
    seen(persons["amber"], readonly_member, 10)
    seen(persons["green"], readonly_member, 1)
    seen(persons["admitted"], readonly_member, 50)
    status_change(persons["admitted"], Status.IN_TREATMENT, 5)
    run_radar(org_a.network, as_of=today())
    return persons


def page(client: Any, **params: Any) -> Any:
    return client.get(reverse("radar:dashboard"), params)


# --- counts, order, reasons ---------------------------------------------------------------------------


def test_counts_and_longest_unseen_first(login, readonly_member, radar):
    response = page(login(readonly_member))
    assert response.status_code == 200
    assert response.context["view"].counts == {"green": 2, "amber": 1, "red": 1}
    assert [row.roepnaam for row in response.context["view"].rows] == [
        "Nina",
        "Olga",
        "Greet",
        "Olivia",
    ]
    html = response.content.decode()
    assert order_of(html, "Nina", "Olga", "Greet", "Olivia") == sorted(
        order_of(html, "Nina", "Olga", "Greet", "Olivia")
    )


def test_each_line_says_why_and_when_last_seen(login, readonly_member, radar):
    client = in_english(login(readonly_member))
    html = page(client).content.decode()
    assert "Never seen" in html
    assert "never seen since registration" in html  # the reason of the red signal
    assert "not seen for 10 days" in html  # the reason of the amber signal
    assert "10 days" in html
    assert "In view, admitted since" in html
    # The colour never stands alone: its word is on the badge.
    assert '<span class="radar-badge radar-red">Red</span>' in html
    assert '<span class="radar-badge radar-amber">Amber</span>' in html


def test_one_click_to_record_a_contact_for_those_who_record_contacts(
    login, readonly_member, coordinator, radar
):
    contact_url = f"{reverse('care:contact_new')}?person={radar['never'].pk}"
    assert contact_url in page(login(readonly_member)).content.decode()
    # A coordinator does not record contacts: no button.
    assert contact_url not in page(login(coordinator)).content.decode()


def test_the_list_is_an_audited_read_of_the_persons_on_it(login, readonly_member, radar):
    before = last_event_id()
    page(login(readonly_member))
    (event,) = events_since(before, data="radar.list")
    assert event.action == AuditEvent.Action.READ
    assert sorted(event.detail["persons"]) == sorted(p.pk for p in radar.values())


def test_the_list_pages_by_25(login, readonly_member, org_a):
    for n in range(27):
        zone_person(org_a, roepnaam=f"Persoon{n:02d}")
    client = login(readonly_member)
    first = page(client)
    assert len(first.context["view"].rows) == 25
    second = page(client, page=2)
    assert len(second.context["view"].rows) == 2


# --- filters ------------------------------------------------------------------------------------------


def names(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {row.roepnaam for row in response.context["view"].rows}


def test_filter_by_colour_keeps_the_counts(login, readonly_member, radar):
    response = page(login(readonly_member), colour="red")
    assert names(response) == {"Nina"}
    assert response.context["view"].counts == {"green": 2, "amber": 1, "red": 1}


def test_filter_by_status(login, readonly_member, org_a, radar):
    exited = zone_person(org_a, roepnaam="Uitgestapt")
    status_change(exited, Status.EXITED, 3)
    client = login(readonly_member)
    assert names(page(client, status=Status.IN_TREATMENT)) == {"Olivia"}
    assert "Uitgestapt" not in names(page(client))  # not followed by default
    assert "Uitgestapt" in names(page(client, status="all"))


def test_filter_by_organisation(login, coordinator, org_b, outsider, radar):
    theirs = zone_person(org_b, roepnaam="VanB")
    client = login(coordinator)
    assert names(page(client, organisation=org_b.pk)) == {"VanB"}
    assert "VanB" not in names(page(client, organisation=radar["never"].lead_organisation_id))
    assert theirs.pk


def test_filter_by_key_worker(login, readonly_member, member, radar):
    assert names(page(login(readonly_member), key_worker=member.user.pk)) == {"Olga"}


def test_filter_by_rule(login, readonly_member, radar):
    client = login(readonly_member)
    assert names(page(client, rule="not_seen_zone")) == {"Nina", "Olga"}
    assert names(page(client, rule="no_shows")) == set()


def test_filter_escalated(login, readonly_member, radar):
    Signal.objects.filter(person=radar["amber"]).update(escalated_on=today())
    response = page(login(readonly_member), escalated="on")
    assert names(response) == {"Olga"}
    html = in_english(login(readonly_member)).get(reverse("radar:dashboard")).content.decode()
    assert '<span class="badge">escalated</span>' in html


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("as_of", "gisteren"),
        ("as_of", "2999-01-01"),
        ("as_of", "1999-12-31"),
        ("colour", "purple"),
        ("status", "nowhere"),
        ("organisation", "abc"),
        ("key_worker", "999999999"),
        ("rule", "no_such_rule"),
    ],
)
def test_a_refused_filter_value_is_named_and_the_page_still_shows(
    login, readonly_member, radar, field, value
):
    response = page(in_english(login(readonly_member)), **{field: value})
    assert response.status_code == 422
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert "Nina" in html  # the other filters (none) still apply


def test_an_organisation_of_another_network_is_refused(login, coordinator, radar):
    elsewhere = f.OrganisationFactory()
    response = page(login(coordinator), organisation=elsewhere.pk)
    assert response.status_code == 422
    assert "organisation" in response.context["form"].errors


# --- who sees whom ------------------------------------------------------------------------------------


def test_an_organisation_not_involved_never_sees_the_person_or_their_signal(login, outsider, radar):
    client = in_english(login(outsider))
    response = page(client, status="all")
    assert names(response) == set()
    html = response.content.decode()
    assert "Nina" not in html and "never seen since registration" not in html
    for filters in ({"rule": "not_seen_zone"}, {"colour": "red"}, {"as_of": days_ago(1).isoformat()}):
        assert "Nina" not in page(client, **filters).content.decode()


def test_the_coordinator_sees_the_whole_network(login, coordinator, org_b, radar):
    zone_person(org_b, roepnaam="VanB")
    assert names(page(login(coordinator))) == {"Nina", "Olga", "Greet", "Olivia", "VanB"}


def test_a_volunteer_gets_404_on_every_radar_page(login, org_a, radar):
    volunteer = f.MembershipFactory(organisation=org_a, role=Role.VOLUNTEER)
    signal = Signal.objects.filter(person=radar["never"]).first()
    assert signal is not None
    key_date = KeyDate.objects.create(network=org_a.network, name="Sluiting", date=today())
    client = login(volunteer)
    gets = [
        reverse("radar:dashboard"),
        reverse("radar:rules"),
        reverse("radar:signals"),
        reverse("radar:signal", args=[signal.pk]),
        reverse("radar:transition"),
        reverse("radar:transition_board", args=[key_date.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        (reverse("radar:signal_acknowledge", args=[signal.pk]), {}),
        (reverse("radar:signal_resolve", args=[signal.pk]), {"outcome": "seen"}),
        (reverse("radar:exit_route", args=[key_date.pk, radar["never"].pk]), {"route": "other"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    # Nothing changed, and no radar link in the menu.
    assert Signal.objects.get(pk=signal.pk).acknowledged_at is None
    assert reverse("radar:dashboard") not in client.get(reverse("home"), follow=True).content.decode()


def test_the_menu_links_the_radar_for_radar_roles(login, readonly_member):
    html = login(readonly_member).get(reverse("people:list")).content.decode()
    assert f'href="{reverse("radar:dashboard")}"' in html


# --- what-if ------------------------------------------------------------------------------------------


def test_the_what_if_view_shows_a_signal_that_was_open_on_a_past_day(login, readonly_member, org_a):
    person = zone_person(org_a, roepnaam="Terug", registered=200)
    seen(person, readonly_member, 40)
    seen(person, readonly_member, 0)
    run_radar(org_a.network, as_of=today())
    assert not Signal.objects.filter(person=person, state=Signal.State.OPEN).exists()
    client = in_english(login(readonly_member))
    assert PersonState.objects.get(person=person).colour == Colour.GREEN

    before = last_event_id()
    signals_before = Signal.objects.count()
    response = page(client, as_of=days_ago(10).isoformat())
    assert response.status_code == 200
    view = response.context["view"]
    assert view.whatif and view.as_of == days_ago(10)
    (row,) = [row for row in view.rows if row.roepnaam == "Terug"]
    assert row.colour == Colour.RED
    assert row.days_unseen == 30
    html = response.content.decode()
    assert "computed, nothing stored" in html
    assert "not seen for 30 days" in html
    # Nothing was stored: no signal, the radar line unchanged; the read is audited as a what-if.
    assert Signal.objects.count() == signals_before
    assert PersonState.objects.get(person=person).colour == Colour.GREEN
    (event,) = events_since(before, data="radar.whatif")
    assert event.detail["persons"] == [person.pk]


def test_the_what_if_view_applies_the_filters_to_that_day(login, readonly_member, org_a):
    person = zone_person(org_a, roepnaam="Toen", registered=200)
    seen(person, readonly_member, 40)
    seen(person, readonly_member, 0)
    other = zone_person(org_a, roepnaam="Altijd", registered=200)
    seen(other, readonly_member, 11)
    client = login(readonly_member)
    past = days_ago(10).isoformat()
    assert names(page(client, as_of=past, colour="red")) == {"Toen"}
    assert names(page(client, as_of=past, rule="not_seen_zone")) == {"Toen"}
    response = page(client, as_of=past)
    assert response.context["view"].counts == {"green": 1, "amber": 0, "red": 1}
    # Statuses as they were that day: on the zone then, in treatment now; exited long ago.
    moved = zone_person(org_a, roepnaam="Kliniek", registered=200)
    status_change(moved, Status.STREET_ZONE, 200)
    status_change(moved, Status.IN_TREATMENT, 2)
    exited = zone_person(org_a, roepnaam="Weg", registered=200)
    status_change(exited, Status.EXITED, 100)
    assert names(page(client, as_of=past, status=Status.STREET_ZONE)) == {"Toen", "Altijd", "Kliniek"}
    assert names(page(client, status=Status.STREET_ZONE)) == {"Toen", "Altijd"}
    assert "Weg" not in names(page(client, as_of=past))
    assert "Weg" in names(page(client, as_of=past, status="all"))
    # Who was there that day: a person registered since does not show.
    zone_person(org_a, roepnaam="Nieuw", registered=2)
    assert "Nieuw" not in names(page(client, as_of=past))


# --- the rules ----------------------------------------------------------------------------------------


def test_the_rules_page_shows_this_networks_thresholds(login, readonly_member, org_a):
    from inbeeld.radar.models import RuleSetting

    RuleSetting.objects.create(
        network=org_a.network, rule="not_seen_zone", enabled=True, amber_at=5, red_at=9, escalate_after_days=1
    )
    RuleSetting.objects.create(
        network=org_a.network, rule="no_shows", enabled=False, amber_at=2, red_at=3, escalate_after_days=3
    )
    html = in_english(login(readonly_member)).get(reverse("radar:rules")).content.decode()
    assert "amber after 5 days, red after 9 days" in html
    assert "application manager" in html
    no_shows = html[html.index('id="rule-no_shows"') :]
    assert "badge-off" in no_shows[: no_shows.index("</article>")]
