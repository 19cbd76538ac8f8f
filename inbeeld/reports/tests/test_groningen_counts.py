"""The demo's street counts reproduce the published Groningen-like figures and stay close to the number of
persons the status histories put on the zone: 62 in January 2017, 45 in November 2017, 38 in 2018, 6 in
March 2019, and 0 once the zone closed on 31 March 2019."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from inbeeld.core.demo import DEMO_EMAIL_DOMAIN, NETWORK_SLUG, STREET_ZONE
from inbeeld.core.models import Location, Network, Organisation
from inbeeld.people.history import street_zone_count
from inbeeld.reports.cube import NETWORK, Scope, month_start, next_month
from inbeeld.reports.demo import load_street_counts
from inbeeld.reports.indicators.street import compute
from inbeeld.reports.models import StreetCount

D = datetime.date
CLOSED_ON = D(2019, 3, 31)


def network_series(network: Network, today: D) -> dict[D, int]:
    """The NETWORK figure per month: the cube is organisation-additive, so the sum of its organisations."""
    orgs = tuple(Organisation.objects.filter(network=network).order_by("pk").values_list("pk", flat=True))
    scope = Scope(
        network_id=network.pk, first_year=2017, last_year=today.year, data_date=today, organisation_ids=orgs
    )
    cube = compute(scope)
    assert cube.org_additive and all(key[0] != NETWORK for key in cube.counts)
    series = dict.fromkeys(scope.months(), 0)
    for (_org, category, month), count in cube.counts.items():
        assert category == "counted"
        series[month] += count
    return series


@pytest.mark.django_db
def test_the_demo_street_counts_give_the_published_figures() -> None:
    call_command("load_demo", force=True, verbosity=0)
    network = Network.objects.get(slug=NETWORK_SLUG)
    zone = Location.objects.get(organisation__network=network, name=STREET_ZONE)
    assert zone.kind == Location.Kind.STREET_ZONE and zone.closed_on == CLOSED_ON

    counts = list(StreetCount.objects.filter(location=zone).order_by("counted_on"))
    assert counts[0].counted_on == D(2017, 1, 15) and counts[-1].counted_on <= CLOSED_ON
    assert {c.recorded_by.email for c in counts} == {f"outreach@{DEMO_EMAIL_DOMAIN}"}
    assert {c.method for c in counts} == {"counted", "estimated"}
    # About every month from January 2017 until the zone closed.
    months = {month_start(c.counted_on) for c in counts}
    month, expected = D(2017, 1, 1), set()
    while month <= CLOSED_ON:
        expected.add(month)
        month = next_month(month)
    assert months == expected

    today = timezone.localdate()
    series = network_series(network, today)
    assert series[D(2017, 1, 1)] == pytest.approx(62, abs=3)
    assert series[D(2017, 11, 1)] == pytest.approx(45, abs=3)
    assert series[D(2018, 6, 1)] == pytest.approx(38, abs=3)
    assert series[D(2018, 7, 1)] == pytest.approx(38, abs=3)
    assert series[D(2019, 3, 1)] == pytest.approx(6, abs=3)
    closed = [n for month, n in series.items() if month >= D(2019, 4, 1)]
    assert closed and set(closed) == {0}

    # Every count is within ±3 of the number of persons whose status was "street zone" that day.
    for count in counts:
        assert abs(count.count - street_zone_count(count.counted_on, network)) <= 3, count
    # And the monthly series within ±3 of the status-derived series at each month's end, until the last
    # month: in March 2019 the count of mid-March (6) stands, while the histories have everyone gone from
    # the zone by its closing day.
    for month, n in series.items():
        if month < D(2019, 3, 1):
            assert abs(n - street_zone_count(next_month(month) - datetime.timedelta(days=1), network)) <= 3
    assert street_zone_count(D(2019, 3, 15), network) == pytest.approx(series[D(2019, 3, 1)], abs=3)

    # Loading again writes nothing.
    assert load_street_counts(network) == 0
    assert StreetCount.objects.count() == len(counts)
