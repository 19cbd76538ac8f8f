"""Street counts: recording on the web and through the API, the input rules (errors name the field), who
may correct and delete which count, the audit events, and the indicator's carried-forward series."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.core.models import AuditEvent, Location
from inbeeld.core.roles import Role
from inbeeld.reports import actions_street as actions
from inbeeld.reports.cube import Scope
from inbeeld.reports.indicators.street import INDICATORS, compute
from inbeeld.reports.models import StreetCount
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db

API = "/api/v1/reports/street-counts"
D = datetime.date


@pytest.fixture
def zone(org_a):
    return Location.objects.create(
        organisation=org_a, name="Zone A", kind=Location.Kind.STREET_ZONE, opened_on=D(2010, 1, 1)
    )


@pytest.fixture
def outreach_a(org_a):
    return f.MembershipFactory(organisation=org_a, role=Role.OUTREACH)


@pytest.fixture
def outreach_b(org_b):
    return f.MembershipFactory(organisation=org_b, role=Role.OUTREACH)


def send(client: Any, method: str, url: str, body: object | None = None) -> Any:
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, url, data, content_type="application/json")


def error_fields(response: Any) -> set[str]:
    named = [[part for part in item["loc"] if isinstance(part, str)] for item in response.json()["detail"]]
    return {parts[-1] for parts in named}


def make_count(zone: Location, member: Any, day: D, count: int, **extra: Any) -> StreetCount:
    return StreetCount.objects.create(
        location=zone,
        counted_on=day,
        count=count,
        organisation=member.organisation,
        recorded_by=member.user,
        **extra,
    )


# --- the web ------------------------------------------------------------------------------------------


def test_an_outreach_worker_records_a_count_on_the_web_and_sees_it_listed(login, outreach_a, zone):
    client = login(outreach_a)
    response = client.post(
        reverse("reports:street_counts"),
        {
            "location": zone.pk,
            "counted_on": "2018-03-01",
            "count": "41",
            "method": "estimated",
            "note": "Regen",
        },
    )
    assert response.status_code == 302
    made = StreetCount.objects.get()
    assert (made.location, made.counted_on, made.count, made.method) == (zone, D(2018, 3, 1), 41, "estimated")
    assert made.organisation == outreach_a.organisation and made.recorded_by == outreach_a.user
    event = AuditEvent.objects.get(data=actions.DATA)
    assert event.action == AuditEvent.Action.CREATE and event.object_id == str(made.pk)
    assert event.person_id_snapshot is None and event.basis == AuditEvent.Basis.INVOLVEMENT
    assert event.detail == {
        "location": zone.pk,
        "counted_on": "2018-03-01",
        "count": 41,
        "method": "estimated",
    }

    page = client.get(reverse("reports:street_counts"))
    assert page.status_code == 200
    rows = list(page.context["rows"])
    assert rows == [(made, True)]
    assert reverse("reports:street_count_edit", kwargs={"pk": made.pk}) in page.content.decode()


def test_the_list_is_the_networks_newest_first_and_paginated(login, outreach_a, outreach_b, zone):
    for number in range(27):
        make_count(
            zone,
            outreach_b if number % 2 else outreach_a,
            D(2016, 1, 1) + datetime.timedelta(days=number),
            number,
        )
    other_network_zone = Location.objects.create(
        organisation=f.OrganisationFactory(), name="Elsewhere", kind=Location.Kind.STREET_ZONE
    )
    make_count(other_network_zone, f.MembershipFactory(role=Role.OUTREACH), D(2017, 1, 1), 99)
    client = login(outreach_a)
    first = client.get(reverse("reports:street_counts"))
    counts = [count.count for count, _ in first.context["rows"]]
    assert counts == list(range(26, 1, -1))  # 25 on the first page, newest first, not the other network's
    mine = {count.count: may for count, may in first.context["rows"]}
    assert mine[26] is True and mine[25] is False  # only its own organisation's counts are correctable
    second = client.get(reverse("reports:street_counts"), {"page": 2})
    assert [count.count for count, _ in second.context["rows"]] == [1, 0]

    listed = client.get(API).json()
    assert listed["count"] == 27 and listed["items"][0]["count"] == 26
    assert listed["items"][0]["location_name"] == "Zone A"


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("count", {"count": "-1"}),
        ("count", {"count": "veel"}),
        ("counted_on", {"counted_on": ""}),
        ("method", {"method": "guessed"}),
        ("location", {"location": "999999"}),
    ],
)
def test_the_form_refuses_bad_input_naming_the_field(login, outreach_a, zone, field, changes):
    client = login(outreach_a)
    data = {"location": zone.pk, "counted_on": "2018-03-01", "count": "12", "method": "counted", **changes}
    response = client.post(reverse("reports:street_counts"), data)
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {field}
    assert not StreetCount.objects.exists() and not AuditEvent.objects.filter(data=actions.DATA).exists()


def test_dates_outside_the_zones_opening_and_in_the_future_are_refused(login, outreach_a, zone, org_b):
    zone.closed_on = D(2019, 3, 31)
    zone.save()
    client = login(outreach_a)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for day in ("2009-12-31", "2019-04-01", tomorrow.isoformat()):
        data = {"location": zone.pk, "counted_on": day, "count": "3", "method": "counted"}
        response = client.post(reverse("reports:street_counts"), data)
        assert response.status_code == 422, day
        assert set(response.context["form"].errors) == {"counted_on"}, day
    # The opening and closing days themselves are fine.
    for day in ("2010-01-01", "2019-03-31"):
        data = {"location": zone.pk, "counted_on": day, "count": "3", "method": "counted"}
        assert client.post(reverse("reports:street_counts"), data).status_code == 302
    # Only street zones: a huiskamer of the network is not a choice.
    huiskamer = Location.objects.create(organisation=org_b, name="Huiskamer", kind=Location.Kind.HUISKAMER)
    data = {"location": huiskamer.pk, "counted_on": "2018-01-01", "count": "3", "method": "counted"}
    response = client.post(reverse("reports:street_counts"), data)
    assert response.status_code == 422 and set(response.context["form"].errors) == {"location"}
    assert StreetCount.objects.count() == 2


def test_a_count_is_corrected_and_deleted_only_by_its_own_organisation(
    login, client, outreach_a, outreach_b, zone, org_a
):
    made = make_count(zone, outreach_a, D(2018, 5, 1), 30)
    edit = reverse("reports:street_count_edit", kwargs={"pk": made.pk})
    delete = reverse("reports:street_count_delete", kwargs={"pk": made.pk})
    correction = {"location": zone.pk, "counted_on": "2018-05-02", "count": "31", "method": "counted"}

    # Another organisation's recorder sees the count in the list but may not change it.
    login(outreach_b)
    assert client.get(edit).status_code == 403
    assert client.post(edit, correction).status_code == 403
    assert client.post(delete).status_code == 403
    api_body = {"location_id": zone.pk, "counted_on": "2018-05-02", "count": 31}
    assert send(client, "PUT", f"{API}/{made.pk}", api_body).status_code == 403
    assert send(client, "DELETE", f"{API}/{made.pk}").status_code == 403
    made.refresh_from_db()
    assert made.count == 30

    # A colleague of the same organisation (the coordinator role too) may.
    coordinator = f.MembershipFactory(organisation=org_a, role=Role.COORDINATOR)
    login(coordinator)
    assert client.get(edit).status_code == 200
    assert client.post(edit, {**correction, "count": "-4"}).status_code == 422
    assert client.post(edit, correction).status_code == 302
    made.refresh_from_db()
    assert (made.counted_on, made.count, made.recorded_by) == (D(2018, 5, 2), 31, outreach_a.user)
    updated = AuditEvent.objects.get(data=actions.DATA, action=AuditEvent.Action.UPDATE)
    assert updated.detail["changed"] == ["count", "counted_on"]
    assert updated.basis == AuditEvent.Basis.NETWORK_ROLE and updated.person_id_snapshot is None

    assert client.post(delete).status_code == 302
    assert not StreetCount.objects.exists()
    deleted = AuditEvent.objects.get(data=actions.DATA, action=AuditEvent.Action.DELETE)
    assert deleted.object_id == str(made.pk) and deleted.detail["count"] == 31
    assert client.post(delete).status_code == 404  # gone


@pytest.mark.parametrize(
    "role",
    [
        Role.CASEWORKER,
        Role.HOST,
        Role.SHELTER_COORDINATOR,
        Role.VOLUNTEER,
        Role.ANALYST,
        Role.PRIVACY_OFFICER,
        Role.ADMIN,
    ],
)
def test_other_roles_find_nothing(login, client, org_a, zone, outreach_a, role):
    made = make_count(zone, outreach_a, D(2018, 5, 1), 30)
    login(f.MembershipFactory(organisation=org_a, role=role))
    assert client.get(reverse("reports:street_counts")).status_code == 404
    assert client.get(reverse("reports:street_count_edit", kwargs={"pk": made.pk})).status_code == 404
    assert client.get(API).status_code == 404
    body = {"location_id": zone.pk, "counted_on": "2018-05-01", "count": 3}
    assert send(client, "POST", API, body).status_code == 404
    assert send(client, "DELETE", f"{API}/{made.pk}").status_code == 404
    assert StreetCount.objects.count() == 1


def test_a_recorder_of_another_network_finds_nothing(login, client, zone, outreach_a):
    made = make_count(zone, outreach_a, D(2018, 5, 1), 30)
    stranger = f.MembershipFactory(role=Role.OUTREACH)  # a network of its own
    login(stranger)
    assert client.get(reverse("reports:street_count_edit", kwargs={"pk": made.pk})).status_code == 404
    assert send(client, "DELETE", f"{API}/{made.pk}").status_code == 404
    body = {"location_id": zone.pk, "counted_on": "2018-05-01", "count": 3}
    response = send(client, "POST", API, body)
    assert response.status_code == 422 and error_fields(response) == {"location_id"}
    assert StreetCount.objects.count() == 1


# --- the API ------------------------------------------------------------------------------------------


def test_the_api_records_corrects_and_deletes_a_count(login, client, outreach_b, zone):
    login(outreach_b)  # organisation B records on A's zone: the zones are the network's
    body = {"location_id": zone.pk, "counted_on": "2018-06-30", "count": 38, "method": "counted"}
    created = send(client, "POST", API, body)
    assert created.status_code == 201, created.content
    out = created.json()
    assert out["count"] == 38 and out["organisation_id"] == outreach_b.organisation_id
    assert out["location_id"] == zone.pk and out["method"] == "counted"
    assert AuditEvent.objects.filter(data=actions.DATA, action=AuditEvent.Action.CREATE).count() == 1

    changed = send(client, "PUT", f"{API}/{out['id']}", {**body, "count": 37, "method": "estimated"})
    assert changed.status_code == 200 and changed.json()["count"] == 37
    assert StreetCount.objects.get().method == "estimated"

    assert send(client, "DELETE", f"{API}/{out['id']}").status_code == 204
    assert not StreetCount.objects.exists()
    actions_written = AuditEvent.objects.filter(data=actions.DATA).values_list("action", flat=True)
    assert list(actions_written) == ["create", "update", "delete"]


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("count", {"count": -3}),
        ("count", {"count": actions.COUNT_MAX + 1}),
        ("counted_on", {"counted_on": "2009-06-01"}),
        ("location_id", {"location_id": 999999}),
        ("method", {"method": "guessed"}),
        ("note", {"note": "x" * (actions.NOTE_MAX + 1)}),
        ("note", {"note": "twee\nregels"}),
        ("colour", {"colour": "red"}),
    ],
)
def test_the_api_refuses_bad_input_with_422_naming_the_field(login, client, outreach_a, zone, field, changes):
    login(outreach_a)
    body = {"location_id": zone.pk, "counted_on": "2018-06-30", "count": 38, **changes}
    response = send(client, "POST", API, body)
    assert response.status_code == 422, response.content
    assert field in error_fields(response)
    assert not StreetCount.objects.exists()


# --- the indicator ------------------------------------------------------------------------------------


def _scope(network_id: int, orgs: tuple[int, ...], data_date: D) -> Scope:
    return Scope(
        network_id=network_id, first_year=2018, last_year=2019, data_date=data_date, organisation_ids=orgs
    )


def test_the_indicator_carries_the_latest_count_forward_and_drops_to_zero_once_closed(
    network, org_a, org_b, outreach_a, outreach_b
):
    zone = Location.objects.create(
        organisation=org_a,
        name="Zone A",
        kind=Location.Kind.STREET_ZONE,
        opened_on=D(2000, 1, 1),
        closed_on=D(2018, 5, 31),
    )
    late = Location.objects.create(
        organisation=org_b, name="Zone B", kind=Location.Kind.STREET_ZONE, opened_on=D(2018, 3, 1)
    )
    Location.objects.create(organisation=org_a, name="Huiskamer", kind=Location.Kind.HUISKAMER)
    make_count(zone, outreach_a, D(2017, 12, 20), 20)  # before the scope: carried into January
    make_count(zone, outreach_a, D(2018, 2, 28), 18)  # the month's last day counts for that month
    moment = timezone.now()
    # Two counts on one day: the one recorded last stands.
    make_count(zone, outreach_a, D(2018, 4, 10), 15, recorded_at=moment)
    make_count(zone, outreach_b, D(2018, 4, 10), 14, recorded_at=moment + datetime.timedelta(hours=1))
    make_count(late, outreach_b, D(2018, 3, 15), 4)
    make_count(late, outreach_b, D(2018, 7, 2), 0)
    make_count(late, outreach_b, D(2018, 9, 1), 2)
    make_count(late, outreach_b, D(2018, 9, 20), 3)  # after the data date: not yet
    other = Location.objects.create(
        organisation=f.OrganisationFactory(), name="Elsewhere", kind=Location.Kind.STREET_ZONE
    )
    make_count(other, f.MembershipFactory(role=Role.OUTREACH), D(2018, 1, 5), 50)

    cube = compute(_scope(network.pk, (org_a.pk, org_b.pk), D(2018, 9, 10)))
    assert (cube.indicator, cube.flow, cube.org_additive) == ("street_counts", False, True)
    assert [c.key for c in cube.categories] == ["counted"]

    def series(org: int) -> list[int]:
        return [cube.counts.get((org, "counted", D(2018, m, 1)), 0) for m in range(1, 10)]

    # Zone A (org A, whoever recorded): Jan 20 (carried), Feb 18, Mar 18, Apr 14 (the later one), May 14
    # (closes on the 31st, the stock day itself), June on 0: closed.
    assert series(org_a.pk) == [20, 18, 18, 14, 14, 0, 0, 0, 0]
    # Zone B opens in March: 4, carried; 0 in July; September as of the data date (the 10th): 2.
    assert series(org_b.pk) == [0, 0, 4, 4, 4, 4, 0, 0, 2]
    assert not any(key[0] not in (org_a.pk, org_b.pk) for key in cube.counts)
    assert len(INDICATORS) == 1 and INDICATORS[0].code == "street_counts" and INDICATORS[0].compute is compute


def test_the_indicator_takes_two_queries(django_assert_max_num_queries, network, org_a, outreach_a):
    zone = Location.objects.create(organisation=org_a, name="Zone", kind=Location.Kind.STREET_ZONE)
    for month in range(1, 13):
        make_count(zone, outreach_a, D(2018, month, 3), month)
    with django_assert_max_num_queries(2):
        cube = compute(_scope(network.pk, (org_a.pk,), D(2019, 12, 31)))
    assert cube.counts[(org_a.pk, "counted", D(2019, 12, 1))] == 12
