"""Disclosure control by example: each rule on a small hand-made cube, the outcome worked out here."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from inbeeld.reports.cube import (
    NETWORK,
    TOTAL,
    Category,
    CountCube,
    Group,
    GroupCube,
    Period,
    Policy,
    ProtectedCounts,
    Scope,
)
from inbeeld.reports.disclosure import (
    policy_for,
    protect_counts,
    protect_groups,
    protect_share,
    protect_value,
    protect_year_rows,
)
from inbeeld.reports.models import ReportSettings
from inbeeld.reports.tests.attacker import attack

POLICY = Policy()  # threshold 5, groups of 10


def year_scope(*orgs: int, until: datetime.date = datetime.date(2024, 12, 31)) -> Scope:
    return Scope(network_id=1, first_year=2024, last_year=2024, data_date=until, organisation_ids=orgs)


def cube_of(*, flow: bool, org_additive: bool, categories: str, category_additive: bool = True) -> CountCube:
    return CountCube(
        "test", flow, org_additive, [Category(key, key.upper()) for key in categories], category_additive
    )


def months(cube: CountCube, org: int | str, category: str, *counts: int) -> None:
    for month, count in enumerate(counts, start=1):
        cube.add(org, category, datetime.date(2024, month, 1), count)


def shown(protected: ProtectedCounts, org: int | str, category: str) -> dict[str, int | None]:
    """One row of the protected cube by period key ("2024-01", "2024-Q1", "2024")."""
    return {
        period.key: value for (o, c, period), value in protected.values.items() if o == org and c == category
    }


def test_lone_counts_hide_only_one_to_below_the_threshold() -> None:
    assert [protect_value(n, POLICY) for n in (0, 1, 4, 5, 62)] == [0, None, None, 5, 62]
    with pytest.raises(ValueError):
        protect_value(-1, POLICY)


def test_threshold_is_configurable() -> None:
    three = Policy(threshold=3)
    assert [protect_value(n, three) for n in (1, 2, 3, 4)] == [None, None, 3, 4]
    cube = cube_of(flow=False, org_additive=True, categories="ab")
    months(cube, 7, "a", 3)
    months(cube, 7, "b", 4)
    row = protect_counts(cube, year_scope(7, until=datetime.date(2024, 1, 31)), three)
    assert row.value(7, "a", next(iter(row.values))[2]) == 3
    assert shown(row, 7, "b") == {"2024-01": 4, "2024-Q1": 4, "2024": 4}
    assert shown(row, 7, TOTAL)["2024"] == 7


def test_output_covers_every_organisation_category_and_period() -> None:
    cube = cube_of(flow=True, org_additive=True, categories="ab")
    months(cube, 7, "a", 20)
    protected = protect_counts(cube, year_scope(7, 8, until=datetime.date(2024, 5, 10)), POLICY)
    assert protected.org_keys == [NETWORK, 7, 8]
    assert [c.key for c in protected.categories] == ["a", "b", TOTAL]
    with translation.override("en"):
        assert str(protected.categories[-1].label) == "Total"
    # Five months, two (running) quarters, one year; missing counts are zeros and zeros are shown.
    assert len(protected.values) == 3 * 3 * (5 + 2 + 1)
    assert shown(protected, 8, "b") == dict.fromkeys(["2024-01", "2024-02", "2024-03", "2024-04", "2024-05",
                                                       "2024-Q1", "2024-Q2", "2024"], 0)  # fmt: skip
    assert shown(protected, NETWORK, TOTAL)["2024"] == 20


def test_a_row_with_one_small_cell_hides_the_smallest_suitable_other() -> None:
    # One organisation, one month: a single row a=2, b=8, c=20, total 30. Hiding only a lets
    # total - b - c give it back; b is the smallest other that can carry it (a + b = 10 is no small
    # number, and b could be 5 less for a to reach 5).
    cube = cube_of(flow=False, org_additive=True, categories="abc")
    for key, count in {"a": 2, "b": 8, "c": 20}.items():
        months(cube, 7, key, count)
    scope = year_scope(7, until=datetime.date(2024, 1, 31))
    protected = protect_counts(cube, scope, POLICY)
    assert {key: shown(protected, 7, key)["2024-01"] for key in ("a", "b", "c", TOTAL)} == {
        "a": None,
        "b": None,
        "c": 20,
        TOTAL: 30,
    }
    ranges = attack(cube, scope, protected)
    a = next(r for (org, key, _period), r in ranges.items() if key == "a")
    assert (a.low, a.high) == (0, 10)


def test_a_small_month_is_not_recoverable_from_its_quarter() -> None:
    # Jan 2, Feb 7, Mar 9: hiding January alone, Q1 - Feb - Mar gives it back. February (the smallest
    # other month of the quarter) is hidden with it; Q1 and the year stay shown.
    cube = cube_of(flow=True, org_additive=True, categories="a")
    months(cube, 7, "a", 2, 7, 9, *[10] * 9)
    scope = year_scope(7)
    protected = protect_counts(cube, scope, POLICY)
    row = shown(protected, 7, "a")
    assert (row["2024-01"], row["2024-02"], row["2024-03"], row["2024-Q1"], row["2024"]) == (
        None,
        None,
        9,
        18,
        108,
    )
    assert sum(value is None for value in row.values()) == 2
    # One organisation and one category are the network and the total: the same cells, protected alike.
    assert shown(protected, NETWORK, TOTAL) == row
    january = next(
        r for (_o, _c, period), r in attack(cube, scope, protected).items() if period.key == "2024-01"
    )
    assert january.low == 0 and january.high == 9


def test_a_small_quarter_is_not_recoverable_from_the_year() -> None:
    # Jan 1 and nothing else in Q1: Q1 itself is 1. Year - Q3 - Q4 - Q2 would give it back, so a second
    # quarter is hidden, with a month in it (April, 6: January could be 4 more, April 4 less).
    cube = cube_of(flow=True, org_additive=True, categories="a")
    months(cube, 7, "a", 1, 0, 0, 6, *[10] * 8)
    protected = protect_counts(cube, year_scope(7), POLICY)
    row = shown(protected, 7, "a")
    assert [key for key, value in row.items() if value is None] == [
        "2024-01",
        "2024-04",
        "2024-Q1",
        "2024-Q2",
    ]
    assert (row["2024-02"], row["2024-03"], row["2024"]) == (0, 0, 87)


def test_the_network_of_additive_organisations_is_their_sum_and_protects_them() -> None:
    # Organisation 7 has 3, 8 has 20, 9 has 8: the network's 31 is shown, so hiding 7 alone would
    # give it back; 9 (the smallest other that can carry it) is hidden with it.
    cube = cube_of(flow=False, org_additive=True, categories="a")
    for org, count in {7: 3, 8: 20, 9: 8}.items():
        months(cube, org, "a", count)
    protected = protect_counts(cube, year_scope(7, 8, 9, until=datetime.date(2024, 1, 31)), POLICY)
    assert {org: shown(protected, org, "a")["2024"] for org in protected.org_keys} == {
        NETWORK: 31,
        7: None,
        8: 20,
        9: None,
    }


def test_an_organisation_a_few_short_of_the_network_is_hidden() -> None:
    # Persons may be in several organisations, so the network is counted on its own. Organisation 7
    # counts 10 of the network's 12: showing both would single out 2 persons.
    cube = cube_of(flow=False, org_additive=False, categories="a")
    months(cube, NETWORK, "a", 12)
    months(cube, 7, "a", 10)
    months(cube, 8, "a", 6)
    protected = protect_counts(cube, year_scope(7, 8, until=datetime.date(2024, 1, 31)), POLICY)
    assert {org: shown(protected, org, "a")["2024"] for org in protected.org_keys} == {
        NETWORK: 12,
        7: None,
        8: 6,
    }


def test_stock_quarters_and_years_are_their_last_month() -> None:
    cube = cube_of(flow=False, org_additive=True, categories="a")
    months(cube, 7, "a", 30, 31, 3, 33, 34)
    protected = protect_counts(cube, year_scope(7, until=datetime.date(2024, 5, 20)), POLICY)
    # March is small, so Q1 (the same cell) is hidden too; the running Q2 and the year are May's.
    assert shown(protected, 7, "a") == {
        "2024-01": 30,
        "2024-02": 31,
        "2024-03": None,
        "2024-04": 33,
        "2024-05": 34,
        "2024-Q1": None,
        "2024-Q2": 34,
        "2024": 34,
    }


def test_a_small_yearly_total_hides_every_cell_it_adds_up_from() -> None:
    # Organisation 7 had 3 events all year (1 in January, 2 in March, different categories): each
    # combination under the threshold is hidden as a whole, at every period.
    cube = cube_of(flow=True, org_additive=True, categories="ab")
    cube.add(7, "a", datetime.date(2024, 1, 5))
    cube.add(7, "b", datetime.date(2024, 3, 5), 2)
    for key in "ab":
        months(cube, 8, key, *[20] * 12)
    protected = protect_counts(cube, year_scope(7, 8), POLICY)
    for key in ("a", "b", TOTAL):
        assert all(value in (0, None) for value in shown(protected, 7, key).values())
    assert shown(protected, 7, TOTAL)["2024"] is None
    assert shown(protected, 7, "a")["2024-01"] is None


def test_the_same_cube_is_always_protected_alike_whatever_the_range() -> None:
    cube = cube_of(flow=True, org_additive=True, categories="ab")
    for month in range(1, 13):
        cube.add(7, "a", datetime.date(2023, month, 1), month % 5)
        cube.add(8, "b", datetime.date(2023, month, 1), (month * 7) % 11)
        cube.add(8, "a", datetime.date(2024, month, 1), month % 3)
    both = Scope(1, 2023, 2024, datetime.date(2024, 12, 31), (7, 8))
    one = Scope(1, 2023, 2023, datetime.date(2024, 12, 31), (7, 8))
    first, second = protect_counts(cube, both, POLICY), protect_counts(cube, both, POLICY)
    assert first.values == second.values
    alone = protect_counts(cube, one, POLICY)
    assert alone.values == {key: value for key, value in first.values.items() if key[2].start.year == 2023}


def test_bad_keys_are_refused_not_dropped() -> None:
    cube = cube_of(flow=True, org_additive=True, categories="a")
    cube.add(NETWORK, "a", datetime.date(2024, 1, 1))
    with pytest.raises(ValueError):
        protect_counts(cube, year_scope(7), POLICY)
    cube = cube_of(flow=True, org_additive=True, categories="a")
    cube.add(7, "other", datetime.date(2024, 1, 1))
    with pytest.raises(ValueError):
        protect_counts(cube, year_scope(7), POLICY)


def group_cube(groups: dict[int | str, Group]) -> GroupCube:
    cube = GroupCube(
        "stay",
        [Category("all", "All")],
        "days",
        [Category("improved", "Improved"), Category("worse", "Worse")],
    )
    for org, group in groups.items():
        cube.groups[(org, "all", 2024)] = group
    return cube


def test_a_mean_needs_a_group_of_ten() -> None:
    cube = group_cube({NETWORK: Group(9, 90.0, {"improved": 5, "worse": 0}), 7: Group(3, 3.0)})
    protected = protect_groups(cube, year_scope(7, 8), POLICY)
    assert protected.value(NETWORK, "all", 2024).n == 9
    assert protected.value(NETWORK, "all", 2024).mean is None
    assert protected.value(NETWORK, "all", 2024).shares == {"improved": None, "worse": None}
    assert protected.value(7, "all", 2024).n is None
    assert protected.value(8, "all", 2024).n == 0  # no group at all: zero is shown, nothing else
    assert protected.value(8, "all", 2024).mean is None


def test_a_share_hides_when_its_persons_or_the_others_are_few() -> None:
    cube = group_cube({NETWORK: Group(20, 200.0, {"improved": 17, "worse": 5})})
    network = protect_groups(cube, year_scope(7), POLICY).value(NETWORK, "all", 2024)
    assert network.n == 20
    assert network.mean == 10.0
    # 17 of 20 improved: the 3 who did not would be singled out. 5 of 20 got worse: 25%.
    assert network.shares == {"improved": None, "worse": 25.0}
    assert protect_share(0, 20, POLICY) == 0.0
    assert protect_share(20, 20, POLICY) == 100.0
    assert protect_share(7, 21, POLICY) == 33.3
    assert protect_share(3, 20, POLICY) is None
    assert protect_share(5, 9, POLICY) is None
    assert protect_share(None, 20, POLICY) is None
    assert protect_share(10, None, POLICY) is None


def test_an_organisation_group_just_short_of_the_network_hides_its_mean() -> None:
    cube = group_cube(
        {
            NETWORK: Group(24, 240.0, {"improved": 12, "worse": 0}),
            7: Group(20, 190.0, {"improved": 10, "worse": 0}),  # 4 persons outside: even n would tell
            8: Group(18, 170.0, {"improved": 6, "worse": 0}),  # 6 outside: n is fine, the mean is not
            9: Group(12, 120.0, {"improved": 6, "worse": 0}),  # 12 outside: all shown
        }
    )
    protected = protect_groups(cube, year_scope(7, 8, 9), POLICY)
    assert protected.value(7, "all", 2024).n is None
    assert protected.value(7, "all", 2024).mean is None
    assert protected.value(8, "all", 2024).n == 18
    assert protected.value(8, "all", 2024).mean is None
    assert protected.value(8, "all", 2024).shares == {"improved": None, "worse": None}
    nine = protected.value(9, "all", 2024)
    assert (nine.n, nine.mean, nine.shares) == (12, 10.0, {"improved": 50.0, "worse": 0.0})


def test_an_organisation_share_hides_when_few_outside_it_differ() -> None:
    # 30 in the network, 15 in organisation 7: of the 15 outside, 2 improved (12 - 10). Organisation
    # 7's 66.7% next to the network's 40% would tell; it is hidden, the network's is not.
    cube = group_cube(
        {NETWORK: Group(30, 300.0, {"improved": 12, "worse": 0}), 7: Group(15, 150.0, {"improved": 10})}
    )
    protected = protect_groups(cube, year_scope(7), POLICY)
    assert protected.value(NETWORK, "all", 2024).shares["improved"] == 40.0
    assert protected.value(7, "all", 2024).shares == {"improved": None, "worse": 0.0}
    assert protected.value(7, "all", 2024).mean == 10.0


@pytest.mark.django_db
def test_policy_follows_the_network_settings(network) -> None:
    assert policy_for(network) == Policy(threshold=5, min_group=10)
    ReportSettings.objects.create(network=network, suppression_threshold=3, min_group=15)
    assert policy_for(network) == Policy(threshold=3, min_group=15)


def test_a_headline_category_stays_shown_where_the_total_will_do() -> None:
    """In view by status, one month: three small statuses beside 58 on the street zone. Hiding them
    alone would leave them recoverable from the total; the street zone or the total must go too."""
    scope = Scope(1, 2017, 2017, datetime.date(2017, 1, 31), (7,))
    statuses = [Category(key, key) for key in ("street_zone", "other", "exiting", "in_treatment")]
    counts = {"street_zone": 58, "other": 2, "exiting": 1, "in_treatment": 1}

    def protected(headline: frozenset[str]) -> dict[str, int | None]:
        cube = CountCube("in_view", False, False, statuses, True, headline=headline)
        for key, count in counts.items():
            cube.counts[(NETWORK, key, datetime.date(2017, 1, 1))] = count
            cube.counts[(7, key, datetime.date(2017, 1, 1))] = count
        shown = protect_counts(cube, scope, Policy())
        month = Period(datetime.date(2017, 1, 1), "month")
        return {key: shown.value(NETWORK, key, month) for key in [*counts, TOTAL]}

    plain = protected(frozenset())
    assert plain["street_zone"] is None and plain[TOTAL] == 62
    headline = protected(frozenset({"street_zone"}))
    assert headline["street_zone"] == 58 and headline[TOTAL] is None
    assert headline["other"] is headline["exiting"] is headline["in_treatment"] is None


def test_a_second_breakdown_shows_whole_network_years_only_where_the_first_shows_the_total() -> None:
    """Referrals by outcome beside referrals by service: the same events, the same totals."""
    scope = Scope(1, 2022, 2024, datetime.date(2024, 12, 31), (7, 8))
    services = [Category("debt", "debt"), Category("housing", "housing")]
    outcomes = [Category("accepted", "accepted"), Category("declined", "declined")]
    by_service = CountCube("by_service", True, True, services, True)
    by_outcome = CountCube("by_outcome", True, True, outcomes, True)
    # 2022: 12 referrals, 6 + 6 by service, 7 accepted + 5 declined: shown.
    # 2023: 12 referrals, outcomes 10 + 2: a small outcome, so the whole year is hidden.
    # 2024: 7 + 2 by service hides the service total; outcomes 5 + 4... are hidden with it.
    for year, service_counts, outcome_counts in (
        (2022, (6, 6), (7, 5)),
        (2023, (6, 6), (10, 2)),
        (2024, (7, 2), (5, 4)),
    ):
        for org, month, key, count in [
            (7, 3, "debt", service_counts[0]),
            (8, 5, "housing", service_counts[1]),
            (7, 3, "accepted", outcome_counts[0]),
            (8, 5, "declined", outcome_counts[1]),
        ]:
            cube = by_service if key in ("debt", "housing") else by_outcome
            cube.counts[(org, key, datetime.date(year, month, 1))] = count
    totals = protect_counts(by_service, scope, Policy())
    shown = protect_year_rows(by_outcome, scope, Policy(), totals)

    def year_of(y: int) -> Period:
        return Period(datetime.date(y, 1, 1), "year")

    assert totals.value(NETWORK, TOTAL, year_of(2022)) == 12
    assert [shown.value(NETWORK, k, year_of(2022)) for k in ("accepted", "declined", TOTAL)] == [7, 5, 12]
    assert totals.value(NETWORK, TOTAL, year_of(2023)) == 12
    assert {shown.value(NETWORK, k, year_of(2023)) for k in ("accepted", "declined", TOTAL)} == {None}
    assert (
        totals.value(NETWORK, TOTAL, year_of(2024)) is None
        or totals.value(NETWORK, "housing", year_of(2024)) is None
    )
    # Months, quarters and single organisations are never shown: they would open the hidden years.
    never = [
        key
        for key, value in shown.values.items()
        if value is not None and (key[0] != NETWORK or key[2].granularity != "year")
    ]
    assert never == []
