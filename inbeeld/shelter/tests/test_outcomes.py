"""The shelter's network outcome: averages per year of check-in, small years suppressed, coordinators only."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.core.models import Location
from inbeeld.core.roles import Role
from inbeeld.people.models import NetworkTie
from inbeeld.shelter.models import Stay
from inbeeld.shelter.outcomes import MIN_CELL, network_outcomes
from inbeeld.shelter.tests.grid_shelter_volunteers import resident_at
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date


def _moment(day: D) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _stay(site: Location, by, day_in: D, day_out: D | None, ties: list[tuple[D, D | None, str]]) -> Stay:  # type: ignore[no-untyped-def]
    person = f.PersonFactory(network=site.organisation.network)
    stay = resident_at(site, person, by)
    stay.checked_in_at = _moment(day_in)
    if day_out is not None:
        stay.checked_out_at, stay.checkout_reason = _moment(day_out), "moved_on"
    stay.save()
    for started_on, ended_on, quality in ties:
        NetworkTie.objects.create(
            person=person,
            kind="friend",
            quality=quality,
            name="Vriendin",
            frequency="weekly",
            started_on=started_on,
            ended_on=ended_on,
            organisation=site.organisation,
            recorded_by=by,
        )
    return stay


@pytest.fixture
def site(org_a) -> Location:  # type: ignore[no-untyped-def]
    return Location.objects.create(organisation=org_a, name="Opvang", kind=Location.Kind.SHELTER)


@pytest.fixture
def coordinator(org_a):  # type: ignore[no-untyped-def]
    return f.MembershipFactory(organisation=org_a, role=Role.SHELTER_COORDINATOR)


def test_averages_per_year_count_ties_open_on_the_day_in_and_out(site, coordinator):
    by = coordinator.user
    # Five stays in 2022: each arrives with one (ending) risk tie and leaves with two supportive ties.
    for _ in range(MIN_CELL):
        _stay(
            site,
            by,
            D(2022, 3, 1),
            D(2022, 9, 1),
            [
                (D(2021, 1, 1), D(2022, 5, 1), "risk"),
                (D(2022, 4, 1), None, "supportive"),
                (D(2022, 6, 1), None, "supportive"),
            ],
        )
    # One stay in 2023, still open: too few to show.
    _stay(site, by, D(2023, 2, 1), None, [(D(2023, 3, 1), None, "supportive")])
    rows = network_outcomes(site, today=D(2023, 6, 1))
    assert [(r.year, r.stays, r.suppressed) for r in rows] == [(2023, 0, True), (2022, MIN_CELL, False)]
    year = rows[1]
    assert (year.size_in, year.supportive_in, year.size_out, year.supportive_out) == (1.0, 0.0, 2.0, 2.0)


def test_the_page_is_the_coordinators_and_names_nobody(client, login, site, coordinator, org_a):
    stay = _stay(site, coordinator.user, D(2022, 3, 1), D(2022, 9, 1), [])
    response = login(coordinator).get(reverse("shelter:outcomes", kwargs={"pk": site.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-year="2022"' in html and "suppressed" in html
    assert stay.person.roepnaam not in html
    volunteer = f.MembershipFactory(organisation=org_a, role=Role.VOLUNTEER)
    assert login(volunteer).get(reverse("shelter:outcomes", kwargs={"pk": site.pk})).status_code == 403
