"""Disclosure control against random cubes: what is shown is true and never small, and an independent
linear-programming attacker (``attacker.py``) given everything shown recovers no hidden cell and cannot
prove a hidden small count small."""

from __future__ import annotations

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbeeld.reports.cube import (
    NETWORK,
    TOTAL,
    Category,
    CountCube,
    OrgKey,
    Period,
    Policy,
    ProtectedCounts,
    Scope,
)
from inbeeld.reports.disclosure import protect_counts
from inbeeld.reports.tests.attacker import Shown, attack, true_value

EPSILON = 1e-6
# Mostly zeros and small counts: where protection is hard.
COUNTS = st.sampled_from([0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 8, 12, 30])


@st.composite
def cubes(draw: st.DrawFn, max_cells: int = 150) -> tuple[CountCube, Scope, Policy]:
    # Sizes from lists that start with the largest: Hypothesis favours and shrinks towards the first,
    # and larger cubes are where protection is hard.
    orgs = tuple(range(11, 11 + draw(st.sampled_from([3, 1, 2, 3]))))
    categories = [Category(f"c{i}", f"C{i}") for i in range(draw(st.sampled_from([4, 1, 2, 3, 4])))]
    flow, org_additive, category_additive = draw(st.booleans()), draw(st.booleans()), draw(st.booleans())
    org_keys: list[OrgKey] = list(orgs) if org_additive else [NETWORK, *orgs]
    # Keep the base cells few enough for the attacker: a year is cut short by the data date.
    most_months = max(1, max_cells // (len(org_keys) * len(categories)))
    two_years = most_months > 12 and draw(st.booleans())
    month_count = draw(st.sampled_from(range(min(12, most_months - 12 if two_years else most_months), 0, -1)))
    scope = Scope(
        1,
        2023,
        2024 if two_years else 2023,
        datetime.date(2024 if two_years else 2023, month_count, 28),
        orgs,
    )
    cube = CountCube("random", flow, org_additive, categories, category_additive)
    # A headline category only changes which cells are chosen to hide: every property must still hold.
    if draw(st.booleans()):
        cube.headline = frozenset({draw(st.sampled_from(categories)).key})
    for org in org_keys:
        for category in categories:
            for month in scope.months():
                count = draw(COUNTS)
                if count:
                    cube.counts[(org, category.key, month)] = count
    policy = Policy(threshold=draw(st.sampled_from([3, 5, 5, 5])))
    return cube, scope, policy


def small(value: int, policy: Policy) -> bool:
    return 0 < value < policy.threshold


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ATTACKED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(cubes())
def test_what_is_shown_is_true_complete_and_never_small(case: tuple[CountCube, Scope, Policy]) -> None:
    cube, scope, policy = case
    protected = protect_counts(cube, scope, policy)
    periods = {key[2] for key in protected.values}
    categories = [c.key for c in cube.categories] + ([TOTAL] if cube.category_additive else [])
    assert len(protected.values) == len(protected.org_keys) * len(categories) * len(periods)
    assert protected.org_keys == [NETWORK, *scope.organisation_ids]
    hidden = 0
    for key, value in protected.values.items():
        truth = true_value(cube, scope, key)
        if value is None:
            hidden += 1
            continue
        assert value == truth, key
        assert not small(value, policy), key
    assert hidden >= sum(small(true_value(cube, scope, key), policy) for key in protected.values)


@FAST
@given(cubes())
def test_the_pattern_depends_on_the_data_alone(case: tuple[CountCube, Scope, Policy]) -> None:
    cube, scope, policy = case
    first = protect_counts(cube, scope, policy)
    shuffled = CountCube(
        cube.indicator,
        cube.flow,
        cube.org_additive,
        cube.categories,
        cube.category_additive,
        headline=cube.headline,
    )
    shuffled.counts = dict(reversed(list(cube.counts.items())))
    assert protect_counts(shuffled, scope, policy).values == first.values
    # Each year on its own: asking for one year shows what asking for all of them shows of it.
    year = scope.first_year
    alone = protect_counts(cube, Scope(1, year, year, scope.data_date, scope.organisation_ids), policy)
    assert alone.values == {key: value for key, value in first.values.items() if key[2].start.year == year}


def _lines(cube: CountCube, scope: Scope, protected: ProtectedCounts) -> list[tuple[Shown, list[Shown]]]:
    """Every (parent, children) sum relation between shown keys, worked out from the contract."""
    keys = protected.values.keys()
    by_period: dict[tuple[int, str], list[Period]] = {}
    for _org, _category, period in keys:
        by_period.setdefault((period.start.year, period.granularity), [])
        if period not in by_period[(period.start.year, period.granularity)]:
            by_period[(period.start.year, period.granularity)].append(period)
    lines: list[tuple[Shown, list[Shown]]] = []
    orgs = list(scope.organisation_ids)
    categories = [c.key for c in cube.categories]
    for org, category, period in keys:
        if cube.flow and period.granularity != "month":
            finer = "month" if period.granularity == "quarter" else "quarter"
            parts = [
                p for p in by_period[(period.start.year, finer)] if period.start <= p.start <= period.end
            ]
            lines.append(((org, category, period), [(org, category, p) for p in parts]))
        if category == TOTAL:
            lines.append(((org, category, period), [(org, c, period) for c in categories]))
        if org == NETWORK and cube.org_additive:
            lines.append(((org, category, period), [(o, category, period) for o in orgs]))
    return [(parent, children) for parent, children in lines if len(children) > 1]


@FAST
@given(cubes())
def test_every_line_hides_two_or_none_and_no_small_remainder(case: tuple[CountCube, Scope, Policy]) -> None:
    cube, scope, policy = case
    protected = protect_counts(cube, scope, policy)
    for parent, children in _lines(cube, scope, protected):
        hidden = [child for child in children if protected.values[child] is None]
        parent_hidden = protected.values[parent] is None
        assert len(hidden) + int(parent_hidden) != 1, (parent, hidden)
        if hidden and not parent_hidden:
            remainder = sum(true_value(cube, scope, child) for child in hidden)
            assert not small(remainder, policy), (parent, hidden, remainder)


@FAST
@given(cubes())
def test_small_combinations_are_hidden_as_a_whole(case: tuple[CountCube, Scope, Policy]) -> None:
    """An organisation's (or the network's) year with a small total, or with every category small:
    every non-zero figure that adds up to it (a flow's whole year, a stock's last month) is hidden."""
    cube, scope, policy = case
    protected = protect_counts(cube, scope, policy)
    categories = [c.key for c in cube.categories]
    totals = [TOTAL] if cube.category_additive else categories
    years = {key[2] for key in protected.values if key[2].granularity == "year"}
    for org in protected.org_keys:
        for year in years:
            if not all(small(true_value(cube, scope, (org, c, year)), policy) for c in totals):
                continue
            last = min(year.end, scope.end).replace(day=1)
            for (o, category, period), value in protected.values.items():
                same = cube.flow or min(period.end, scope.end).replace(day=1) == last
                if o == org and period.start.year == year.start.year and same:
                    assert value in (0, None), (org, category, period.key)


@FAST
@given(cubes())
def test_an_organisation_a_few_short_of_the_network_is_never_shown(
    case: tuple[CountCube, Scope, Policy],
) -> None:
    cube, scope, policy = case
    protected = protect_counts(cube, scope, policy)
    for (org, category, period), value in protected.values.items():
        if org == NETWORK or cube.org_additive or value is None or value == 0:
            continue
        whole = true_value(cube, scope, (NETWORK, category, period))
        assert not small(whole - value, policy), (org, category, period.key, value, whole)


@ATTACKED
@given(cubes())
def test_the_attacker_recovers_nothing_hidden(case: tuple[CountCube, Scope, Policy]) -> None:
    cube, scope, policy = case
    protected = protect_counts(cube, scope, policy)
    ranges = attack(cube, scope, protected)
    assert set(ranges) == {key for key, value in protected.values.items() if value is None}
    for key, found in ranges.items():
        truth = true_value(cube, scope, key)
        assert found.low - EPSILON <= truth <= found.high + EPSILON, key
        # Never pinned down exactly ...
        assert found.low < found.high - EPSILON, (key, truth, found)
        # ... and a hidden small count could, for all anyone can tell, be the threshold or more.
        if small(truth, policy):
            assert found.high >= policy.threshold - EPSILON, (key, truth, found)
        # An organisation hidden for being a few short of the (shown) network could be far enough short.
        network = protected.values.get((NETWORK, key[1], key[2]))
        if network is None or key[0] == NETWORK or cube.org_additive:
            continue
        if truth >= policy.threshold and small(network - truth, policy):
            assert found.low <= network - policy.threshold + EPSILON, (key, truth, network, found)
