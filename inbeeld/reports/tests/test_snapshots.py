"""Today's figures are computed once and protected on every read; "compute again" and a new day renew them."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from inbeeld.core.models import AuditEvent, Membership
from inbeeld.core.roles import Role
from inbeeld.people.models import Involvement, Person, Status, StatusChange
from inbeeld.reports.models import ReportSnapshot
from inbeeld.reports.report import compute_report
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PICKED = {"first_year": str(TODAY.year - 1), "last_year": str(TODAY.year), "granularity": "year"}


def _exited(membership: Membership, count: int) -> None:
    since = datetime.date(TODAY.year - 1, 2, 1)
    for _ in range(count):
        person = f.PersonFactory(network=membership.organisation.network, status=Status.EXITED)
        Person.objects.filter(pk=person.pk).update(
            registered_at=datetime.datetime.combine(since, datetime.time(12), tzinfo=datetime.UTC)
        )
        StatusChange.objects.filter(person=person).delete()
        StatusChange.objects.create(
            person=person, from_status="", to_status=Status.EXITED, effective_on=since
        )
        Involvement.objects.create(person=person, organisation=membership.organisation, started_on=since)


@pytest.fixture
def analyst() -> Membership:
    membership = f.MembershipFactory(role=Role.ANALYST)
    _exited(membership, 12)
    return membership


def _exited_this_year(client: Client) -> int | None:
    response = client.get("/reports/", PICKED)
    table = next(t for t in response.context["tables"] if t.code == "in_view")
    return table.rows[-1].values[[c.key for c in table.columns].index("exited")]


def test_the_day_s_figures_are_reused_until_computed_again(login: Any, analyst: Membership) -> None:
    client = login(analyst)
    assert _exited_this_year(client) == 12
    assert ReportSnapshot.objects.filter(network=analyst.organisation.network, data_date=TODAY).count() == 1
    _exited(analyst, 3)
    assert _exited_this_year(client) == 12, "today's stored figures are shown"
    response = client.post("/reports/refresh/", PICKED)
    assert response.status_code == 302
    assert response["Location"].startswith("/reports/?")
    assert AuditEvent.objects.filter(data="reports.dashboard", action=AuditEvent.Action.MAINTENANCE).exists()
    assert _exited_this_year(client) == 15


def test_stored_figures_are_protected_exactly_as_computed_ones(analyst: Membership) -> None:
    network = analyst.organisation.network
    stored = compute_report(network, first_year=TODAY.year - 1, last_year=TODAY.year, reuse_today=True)
    reused = compute_report(network, first_year=TODAY.year - 1, last_year=TODAY.year, reuse_today=True)
    live = compute_report(network, first_year=TODAY.year - 1, last_year=TODAY.year)
    assert reused.computed_at == stored.computed_at != live.computed_at
    assert reused.counts.keys() == live.counts.keys() and reused.groups.keys() == live.groups.keys()
    for code, protected in live.counts.items():
        assert reused.counts[code].values == protected.values, code
    for code, groups in live.groups.items():
        assert reused.groups[code].values == groups.values, code


def test_yesterday_s_figures_or_another_set_of_organisations_are_computed_again(analyst: Membership) -> None:
    network = analyst.organisation.network
    first = compute_report(network, first_year=TODAY.year - 1, last_year=TODAY.year, reuse_today=True)
    f.OrganisationFactory(network=network)
    second = compute_report(network, first_year=TODAY.year - 1, last_year=TODAY.year, reuse_today=True)
    assert second.computed_at != first.computed_at
    ReportSnapshot.objects.update(data_date=TODAY - datetime.timedelta(days=1))
    third = compute_report(network, first_year=TODAY.year - 1, last_year=TODAY.year, reuse_today=True)
    assert third.computed_at not in (first.computed_at, second.computed_at)
    assert ReportSnapshot.objects.get(network=network).data_date == TODAY


def test_the_daily_run_computes_every_network_afresh(analyst: Membership) -> None:
    other = f.NetworkFactory()
    out = io.StringIO()
    call_command("report_snapshots", stdout=out)
    assert ReportSnapshot.objects.filter(data_date=TODAY).count() == 2
    assert str(other) in out.getvalue()
    taken = set(ReportSnapshot.objects.values_list("taken_at", flat=True))
    call_command("report_snapshots", stdout=io.StringIO())
    assert taken.isdisjoint(ReportSnapshot.objects.values_list("taken_at", flat=True))
