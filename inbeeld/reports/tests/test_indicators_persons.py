"""The person indicators on small hand-made histories, with the expected figures worked out by hand, and
the street-zone series of the demo network against the published figures."""

from __future__ import annotations

import datetime
import io
import random
from collections.abc import Sequence

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from inbeeld.care.models import Intake
from inbeeld.core.demo import NETWORK_SLUG
from inbeeld.core.models import Network, Organisation
from inbeeld.people.demo import STREET_ZONE_FIGURES
from inbeeld.people.models import Involvement, Person, Status, StatusChange
from inbeeld.reports.cube import NETWORK, CountCube, Scope
from inbeeld.reports.indicators import persons
from inbeeld.reports.indicators.coverage import coverage_table
from inbeeld.reports.indicators.persons import INDICATORS, add_months
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
S = Status


def at(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def make_person(
    network: Network,
    history: Sequence[tuple[datetime.date, str]],
    involved: Sequence[tuple[Organisation, datetime.date, datetime.date | None]] = (),
    registered: datetime.date | None = None,
) -> Person:
    """A person with a status history ((effective on, status), oldest first) and involvements."""
    first = registered or (history[0][0] if history else D(2020, 1, 1))
    person = f.PersonFactory(network=network, registered_at=at(first))
    previous = ""
    for number, (day, status) in enumerate(history):
        StatusChange.objects.create(
            person=person,
            from_status=previous,
            to_status=status,
            effective_on=day,
            recorded_at=at(day, 9, number),
        )
        previous = status
    for org, start, end in involved:
        Involvement.objects.create(person=person, organisation=org, started_on=start, ended_on=end)
    return person


DATA_DATE = D(2021, 3, 31)


def scope_of(network: Network, *orgs: Organisation, data_date=DATA_DATE, year=2020, hold=6) -> Scope:
    """The year 2020 of ``network`` (complete: the data date is in 2021)."""
    return Scope(network.pk, year, year, data_date, tuple(o.pk for o in orgs), exit_hold_months=hold)


def series(cube: CountCube, org, category: str, year: int = 2020) -> list[int]:
    """The twelve monthly values of one cell row (0 where missing)."""
    return [cube.counts.get((org, category, D(year, m, 1)), 0) for m in range(1, 13)]


@pytest.fixture
def people(network, org_a, org_b):
    """The persons of the stock tests (year 2020, as-of days are the months' last days):

    p1: street zone from 5 Jan, exiting from 15 March (mid-month); involved with A throughout.
    p2: registered 10 Feb on the street zone; A from 10 Feb to 30 April (the last day still counts),
        B from 1 April to 15 June (gone by 30 June).
    p3: on the street zone all year, no organisation involved.
    p5: involvement with B dated back to 1 June but registered only 20 July; in treatment.
    p6: involved with A all year, first status (other sex work) only on 10 March: unknown before.
    A stranger of another network on the street zone is never counted.
    """
    make_person(
        network, [(D(2020, 1, 5), S.STREET_ZONE), (D(2020, 3, 15), S.EXITING)], [(org_a, D(2020, 1, 5), None)]
    )
    make_person(
        network,
        [(D(2020, 2, 10), S.STREET_ZONE)],
        [(org_a, D(2020, 2, 10), D(2020, 4, 30)), (org_b, D(2020, 4, 1), D(2020, 6, 15))],
    )
    make_person(network, [(D(2019, 12, 1), S.STREET_ZONE)])
    make_person(
        network, [(D(2020, 6, 1), S.IN_TREATMENT)], [(org_b, D(2020, 6, 1), None)], registered=D(2020, 7, 20)
    )
    make_person(
        network,
        [(D(2020, 3, 10), S.OTHER_SEX_WORK)],
        [(org_a, D(2020, 1, 1), None)],
        registered=D(2020, 1, 1),
    )
    other = f.OrganisationFactory()
    make_person(other.network, [(D(2019, 1, 1), S.STREET_ZONE)], [(other, D(2019, 1, 1), None)])


def test_in_view_by_status_network_and_organisations(people, network, org_a, org_b):
    cube = persons.in_view(scope_of(network, org_a, org_b))
    assert not cube.flow and not cube.org_additive and cube.category_additive
    assert {c.key for c in cube.categories} == set(S.values)
    # Network: p1 street zone Jan–Feb then exiting (15 March is before 31 March); p2 on the zone from
    # February while A or B is involved, i.e. until May (B ended 15 June); p6 unknown until February,
    # then other sex work; p5 from July (registered 20 July, although the involvement is dated June).
    assert series(cube, NETWORK, S.STREET_ZONE) == [1, 2, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    assert series(cube, NETWORK, S.EXITING) == [0, 0] + [1] * 10
    assert series(cube, NETWORK, S.UNKNOWN) == [1, 1] + [0] * 10
    assert series(cube, NETWORK, S.OTHER_SEX_WORK) == [0, 0] + [1] * 10
    assert series(cube, NETWORK, S.IN_TREATMENT) == [0] * 6 + [1] * 6
    # A: p1, p6 all year and p2 February–April (its involvement ended on 30 April, which still counts).
    assert series(cube, org_a.pk, S.STREET_ZONE) == [1, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    assert series(cube, org_a.pk, S.EXITING) == [0, 0] + [1] * 10
    # B: p2 in April and May, p5 from July.
    assert series(cube, org_b.pk, S.STREET_ZONE) == [0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    assert series(cube, org_b.pk, S.IN_TREATMENT) == [0] * 6 + [1] * 6
    # Not organisation-additive: in April p2 is with A and B, so A + B (3 + 1) exceeds the network's 3.
    april = D(2020, 4, 1)
    total = {
        org: sum(v for (o, _c, m), v in cube.counts.items() if o == org and m == april)
        for org in (NETWORK, org_a.pk, org_b.pk)
    }
    assert total == {NETWORK: 3, org_a.pk: 3, org_b.pk: 1}


def test_in_view_running_month_is_taken_on_the_data_date(people, network, org_a, org_b):
    # Data date 10 March: p1 is still on the zone that day (exiting from the 15th), p6 just turned
    # other sex work.
    cube = persons.in_view(scope_of(network, org_a, org_b, data_date=D(2020, 3, 10)))
    assert cube.counts[(NETWORK, S.STREET_ZONE, D(2020, 3, 1))] == 2
    assert cube.counts[(NETWORK, S.OTHER_SEX_WORK, D(2020, 3, 1))] == 1
    assert (NETWORK, S.EXITING, D(2020, 3, 1)) not in cube.counts
    assert max(m for _o, _c, m in cube.counts) == D(2020, 3, 1)


def test_same_day_changes_count_the_last_recorded(network, org_a):
    # On the zone and, recorded later the same day, exited: on the month's last day the person is exited.
    make_person(
        network,
        [(D(2020, 5, 10), S.STREET_ZONE), (D(2020, 5, 10), S.EXITED)],
        [(org_a, D(2020, 5, 10), None)],
    )
    cube = persons.in_view(scope_of(network, org_a))
    assert series(cube, NETWORK, S.STREET_ZONE) == [0] * 12
    assert series(cube, NETWORK, S.EXITED) == [0] * 4 + [1] * 8


def test_intakes_by_month_of_completion_in_local_time(network, org_a, org_b):
    worker = f.UserFactory()
    local = timezone.get_current_timezone()

    def intake(org, completed):
        Intake.objects.create(organisation=org, started_by=worker, completed_at=completed)

    intake(org_a, datetime.datetime(2020, 1, 31, 23, 30, tzinfo=local))  # January
    intake(org_b, datetime.datetime(2020, 2, 1, 0, 30, tzinfo=local))  # February here (31 January in UTC)
    intake(org_a, datetime.datetime(2020, 2, 15, 10, 0, tzinfo=local))
    intake(org_a, None)  # still open: not counted
    intake(org_a, datetime.datetime(2019, 12, 20, 10, 0, tzinfo=local))  # before the scope
    intake(f.OrganisationFactory(), datetime.datetime(2020, 2, 15, 10, 0, tzinfo=local))  # another network
    cube = persons.intakes(scope_of(network, org_a, org_b))
    assert cube.flow and cube.org_additive
    assert cube.counts == {
        (org_a.pk, "intakes", D(2020, 1, 1)): 1,
        (org_a.pk, "intakes", D(2020, 2, 1)): 1,
        (org_b.pk, "intakes", D(2020, 2, 1)): 1,
    }


@pytest.fixture
def exits(network, org_a, org_b):
    """e1 exits 10 Jan and stays exited (A involved); e2 exits 1 Feb (A ended the day before) and returns
    to other sex work on 1 Aug (B involved): exactly six months; e3 exits 1 March and goes into
    treatment on 31 July: five months; e4 exits 1 December; e5 exited in 2019 and returns to the zone on
    20 May (B involved); e6 was registered as exited (no change); e7 exited → exited again (not a new exit).
    """
    make_person(
        network,
        [(D(2019, 6, 1), S.OTHER_SEX_WORK), (D(2020, 1, 10), S.EXITED)],
        [(org_a, D(2019, 1, 1), None)],
    )
    make_person(
        network,
        [(D(2019, 6, 1), S.EXITING), (D(2020, 2, 1), S.EXITED), (D(2020, 8, 1), S.OTHER_SEX_WORK)],
        [(org_a, D(2019, 6, 1), D(2020, 1, 31)), (org_b, D(2020, 7, 1), None)],
    )
    make_person(
        network, [(D(2019, 6, 1), S.EXITING), (D(2020, 3, 1), S.EXITED), (D(2020, 7, 31), S.IN_TREATMENT)]
    )
    make_person(network, [(D(2019, 6, 1), S.EXITING), (D(2020, 12, 1), S.EXITED)])
    make_person(
        network,
        [(D(2019, 1, 1), S.EXITING), (D(2019, 2, 1), S.EXITED), (D(2020, 5, 20), S.STREET_ZONE)],
        [(org_b, D(2019, 1, 1), None)],
    )
    make_person(network, [(D(2020, 4, 1), S.EXITED)])
    make_person(network, [(D(2019, 1, 1), S.EXITED), (D(2020, 6, 1), S.EXITED)])


def test_exits_held_six_months_and_returns(exits, network, org_a, org_b):
    cube = persons.exits_and_returns(scope_of(network, org_a, org_b, hold=6))
    assert cube.flow and not cube.org_additive and not cube.category_additive
    # e1 (January, no later change, the data date 31 March 2021 is long after 10 July) and e2 (February:
    # its next change on 1 August is exactly six months later) count; e3 (five months) and e4 (only four
    # months to the data date) do not yet. e2's exit has no organisation: A's involvement ended the day
    # before. Returns: e5 in May and e2 in August, both with B involved that day.
    assert cube.counts == {
        (NETWORK, "exits", D(2020, 1, 1)): 1,
        (org_a.pk, "exits", D(2020, 1, 1)): 1,
        (NETWORK, "exits", D(2020, 2, 1)): 1,
        (NETWORK, "returns", D(2020, 5, 1)): 1,
        (org_b.pk, "returns", D(2020, 5, 1)): 1,
        (NETWORK, "returns", D(2020, 8, 1)): 1,
        (org_b.pk, "returns", D(2020, 8, 1)): 1,
    }


def test_exits_hold_is_configurable(exits, network, org_a, org_b):
    # Three months: e3 (five months) and e4 (1 December to the data date 31 March 2021) count too.
    cube = persons.exits_and_returns(scope_of(network, org_a, org_b, hold=3))
    assert series(cube, NETWORK, "exits") == [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    # With the data date on 28 February 2021 e4 has held less than three months: not counted yet.
    early = persons.exits_and_returns(scope_of(network, org_a, org_b, hold=3, data_date=D(2021, 2, 28)))
    assert series(early, NETWORK, "exits") == [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert add_months(D(2020, 8, 31), 6) == D(2021, 2, 28)


def reference_in_view(scope: Scope) -> dict:
    """in_view straight from its definition, day by day and person by person (what the interval sweep in
    SQL must reproduce)."""
    in_view: dict = {}
    people = Person.objects.filter(network_id=scope.network_id).prefetch_related(
        "status_changes", "involvements"
    )
    for month in scope.months():
        day = scope.as_of(month)
        for person in people:
            history = sorted(person.status_changes.all(), key=lambda c: (c.effective_on, c.recorded_at, c.id))
            status = next((c.to_status for c in reversed(history) if c.effective_on <= day), None)
            orgs = {
                i.organisation_id
                for i in person.involvements.all()
                if i.organisation_id in scope.organisation_ids
                and i.started_on <= day
                and (i.ended_on is None or i.ended_on >= day)
            }
            if orgs and timezone.localdate(person.registered_at) <= day:
                for org in (NETWORK, *orgs):
                    key = (org, status or S.UNKNOWN, month)
                    in_view[key] = in_view.get(key, 0) + 1
    return in_view


def test_stocks_match_their_definition_on_random_histories(network, org_a, org_b):
    # Forty invented persons with random histories (same-day changes, changes before and after the
    # scope) and random, sometimes overlapping involvements with A, B and an organisation outside the
    # scope; the data date falls mid-month.
    rng = random.Random(7)
    outside = f.OrganisationFactory(network=network)
    first = D(2018, 10, 1)
    for _ in range(40):
        days = sorted(first + datetime.timedelta(days=rng.randint(0, 900)) for _ in range(rng.randint(0, 4)))
        history = [(day, rng.choice([S.STREET_ZONE, S.STREET_ZONE, S.EXITING, S.EXITED])) for day in days]
        involved = []
        for _ in range(rng.randint(0, 3)):
            start = first + datetime.timedelta(days=rng.randint(0, 800))
            end = None if rng.random() < 0.4 else start + datetime.timedelta(days=rng.randint(0, 300))
            involved.append((rng.choice([org_a, org_b, outside]), start, end))
        if sum(1 for o, _s, e in involved if e is None) > len({o for o, _s, e in involved if e is None}):
            involved = [(o, s, e or s) for o, s, e in involved]  # one open involvement per organisation
        registered = first + datetime.timedelta(days=rng.randint(0, 700))
        make_person(network, history, involved, registered=registered)
    scope = Scope(network.pk, 2019, 2020, D(2020, 8, 17), (org_a.pk, org_b.pk))
    in_view = reference_in_view(scope)
    street = sum(v for (_o, c, _m), v in in_view.items() if c == S.STREET_ZONE)
    assert sum(in_view.values()) > 100 and street > 50  # the data exercise the sweep
    assert persons.in_view(scope).counts == in_view


def test_in_view_with_more_organisations_than_key_bits(network, org_a, org_b):
    # Past 61 organisations the coverage table keeps one row per organisation key instead of sharing
    # rows between keys: the figures are the same. (Organisations without involvements only widen the
    # scope.)
    rng = random.Random(11)
    for _ in range(15):
        start = D(2019, 1, 1) + datetime.timedelta(days=rng.randint(0, 500))
        involved = [
            (org, start + datetime.timedelta(days=rng.randint(0, 90)), None) for org in (org_a, org_b)
        ]
        make_person(network, [(start, rng.choice([S.STREET_ZONE, S.EXITING]))], involved)
    few = Scope(network.pk, 2019, 2020, D(2020, 8, 17), (org_a.pk, org_b.pk))
    many = Scope(network.pk, 2019, 2020, D(2020, 8, 17), (org_a.pk, *range(10**6, 10**6 + 70), org_b.pk))
    assert sum(persons.in_view(few).counts.values()) > 100
    assert persons.in_view(many).counts == persons.in_view(few).counts


def test_coverage_is_built_once_per_report_and_again_when_gone(people, network, org_a, org_b):
    scope = scope_of(network, org_a, org_b)
    first = persons.in_view(scope)
    name = coverage_table(scope)
    assert coverage_table(scope) == name  # shared by the report's indicators
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {name}")  # as a new database connection would have it
    assert coverage_table(scope) != name
    assert persons.in_view(scope).counts == first.counts


def test_exit_counts_once_for_an_organisation_involved_twice_that_day(network, org_a):
    make_person(
        network,
        [(D(2019, 6, 1), S.STREET_ZONE), (D(2020, 1, 10), S.EXITED)],
        [(org_a, D(2019, 1, 1), D(2020, 3, 1)), (org_a, D(2019, 6, 1), None)],
    )
    cube = persons.exits_and_returns(scope_of(network, org_a))
    assert cube.counts == {(NETWORK, "exits", D(2020, 1, 1)): 1, (org_a.pk, "exits", D(2020, 1, 1)): 1}


def test_indicator_list():
    assert [i.code for i in INDICATORS] == ["in_view", "intakes", "exits_and_returns"]
    assert all(str(i.title) and str(i.definition) for i in INDICATORS)


# --- The demo network -----------------------------------------------------------------------------


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    settings.DEMO_WAIVE_2FA = True
    call_command("load_demo", stdout=io.StringIO())
    return Network.objects.get(slug=NETWORK_SLUG)


def demo_scope(network: Network, data_date: datetime.date, last_year: int = 2019) -> Scope:
    orgs = tuple(Organisation.objects.filter(network=network).order_by("pk").values_list("pk", flat=True))
    return Scope(network.pk, 2017, last_year, data_date, orgs)


def street_zone_series(cube: CountCube, org) -> dict[datetime.date, int]:
    """The street-zone column of in_view for one organisation key, per month (months without a cell are
    0)."""
    return {m: v for (o, c, m), v in cube.counts.items() if o == org and c == S.STREET_ZONE}


def test_demo_street_zone_series_reproduces_the_published_figures(demo):
    # Each published figure is taken on its own day: the scope's data date makes it the running month's
    # as-of day (15 January 2017 → 62, 15 November 2017 → 45, 1 July 2018 → 38, 15 March 2019 → 6,
    # 1 April 2019 → 0).
    for day, expected in STREET_ZONE_FIGURES:
        cube = persons.in_view(demo_scope(demo, day, last_year=day.year))
        assert abs(street_zone_series(cube, NETWORK).get(day.replace(day=1), 0) - expected) <= 3, day
    # The monthly series of in_view's street-zone column (months' last days): the same figures within
    # three, six at the end of March 2019 and none from April 2019 on (the last six left on 1 April).
    cube = persons.in_view(demo_scope(demo, timezone.localdate(), last_year=2025))
    monthly = street_zone_series(cube, NETWORK)
    assert abs(monthly[D(2017, 1, 1)] - 62) <= 3
    assert abs(monthly[D(2017, 11, 1)] - 45) <= 3
    assert abs(monthly[D(2018, 6, 1)] - 38) <= 3 and abs(monthly[D(2018, 7, 1)] - 38) <= 3
    assert abs(monthly[D(2019, 3, 1)] - 6) <= 3
    assert max(monthly) == D(2019, 3, 1)  # 0 (no cell) from April 2019 on
    # Everyone on the zone is with the foundation: its figure is the network's.
    foundation = Organisation.objects.get(network=demo, name__icontains="stichting")
    assert street_zone_series(cube, foundation.pk) == monthly
