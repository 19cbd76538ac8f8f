"""The care indicators on small hand-made plans, goals and assessments, with the expected figures worked
out by hand."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from inbeeld.care.actions.assessments import default_instrument
from inbeeld.care.models import Assessment, CarePlan, Domain, Evaluation, Goal, PlanVersion, Score
from inbeeld.people.models import Person, Status
from inbeeld.reports.cube import NETWORK, Group, Scope
from inbeeld.reports.indicators import care
from inbeeld.reports.indicators.care import INDICATORS
from inbeeld.reports.tests.test_indicators_persons import at, make_person, scope_of, series
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def worker(db):
    return f.UserFactory()


def make_plan(person: Person, org, worker) -> CarePlan:
    return CarePlan.objects.create(person=person, organisation=org, created_by=worker)


def save_version(
    plan: CarePlan, saved_at: datetime.datetime, due: datetime.date | None, worker
) -> PlanVersion:
    plan.current_number += 1
    plan.save(update_fields=["current_number"])
    return PlanVersion.objects.create(
        plan=plan, number=plan.current_number, saved_at=saved_at, saved_by=worker, evaluation_date=due
    )


@pytest.fixture
def plans_data(network, org_a, org_b, worker):
    """q1 (A all year): plan saved 10 Feb, evaluation due 15 May; evaluated 10 June, next due 30 Sep; the
    plan is changed on 5 Nov with a new evaluation date, 31 Jan 2021.
    q2 (B from 1 March): a plan saved only in January 2021, after the scope.
    q3 (A all year, B from 1 July): plan saved at 00:30 on 1 May (30 April in UTC), due 31 December.
    A person of another network with a plan is never counted."""
    q1 = make_person(network, [(D(2019, 12, 1), Status.EXITING)], [(org_a, D(2019, 12, 1), None)])
    plan = make_plan(q1, org_a, worker)
    v1 = save_version(plan, at(D(2020, 2, 10)), D(2020, 5, 15), worker)
    Evaluation.objects.create(
        plan=plan,
        version=v1,
        evaluated_on=D(2020, 6, 10),
        next_evaluation_date=D(2020, 9, 30),
        recorded_by=worker,
        organisation=org_a,
    )
    save_version(plan, at(D(2020, 11, 5)), D(2021, 1, 31), worker)
    q2 = make_person(network, [(D(2020, 3, 1), Status.STREET_ZONE)], [(org_b, D(2020, 3, 1), None)])
    save_version(make_plan(q2, org_b, worker), at(D(2021, 1, 10)), D(2021, 6, 1), worker)
    q3 = make_person(
        network,
        [(D(2019, 12, 1), Status.IN_SHELTER)],
        [(org_a, D(2019, 12, 1), None), (org_b, D(2020, 7, 1), None)],
    )
    save_version(make_plan(q3, org_a, worker), at(D(2020, 5, 1), 0, 30), D(2020, 12, 31), worker)
    other = f.OrganisationFactory()
    stranger = make_person(other.network, [(D(2019, 1, 1), Status.EXITING)], [(other, D(2019, 1, 1), None)])
    save_version(make_plan(stranger, other, worker), at(D(2020, 1, 5)), D(2020, 12, 31), worker)


def test_plans_with_plan_and_evaluation_on_time(plans_data, network, org_a, org_b):
    cube = care.plans(scope_of(network, org_a, org_b))
    assert not cube.flow and not cube.org_additive and not cube.category_additive
    # In view: q1 and q3 all year, q2 from March.
    assert series(cube, NETWORK, "in_view") == [2, 2] + [3] * 10
    # With a plan: q1 from February; q3 from May (its plan was saved on 1 May, local time: not counted on
    # 30 April); q2's plan was saved after the scope's last day.
    assert series(cube, NETWORK, "with_plan") == [0, 1, 1, 1] + [2] * 8
    # q1 on time February–April (due 15 May: overdue on 31 May), again June–September after the
    # evaluation (due 30 September, which is the as-of day itself), overdue in October, on time from
    # the plan change in November; q3 on time May–December (due on 31 December).
    assert series(cube, NETWORK, "evaluation_on_time") == [0, 1, 1, 1, 1, 2, 2, 2, 2, 1, 2, 2]
    # A works with q1 and q3; B with q2 from March and q3 from July: q3 counts for both.
    assert series(cube, org_a.pk, "in_view") == [2] * 12
    assert series(cube, org_a.pk, "with_plan") == [0, 1, 1, 1] + [2] * 8
    assert series(cube, org_b.pk, "in_view") == [0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]
    assert series(cube, org_b.pk, "with_plan") == [0] * 6 + [1] * 6
    assert series(cube, org_b.pk, "evaluation_on_time") == [0] * 6 + [1] * 6


def test_plans_running_month(plans_data, network, org_a, org_b):
    # Data date 12 May: q1's evaluation (due 15 May) is not overdue yet, q3 has had its plan since 1 May.
    cube = care.plans(scope_of(network, org_a, org_b, data_date=D(2020, 5, 12)))
    may = D(2020, 5, 1)
    assert cube.counts[(NETWORK, "with_plan", may)] == 2
    assert cube.counts[(NETWORK, "evaluation_on_time", may)] == 2


def test_goals_achieved_once_in_the_version_that_achieved_them(network, org_a, org_b, worker):
    """Plan of A: v1 (15 Jan) goal 2 achieved from the start; v2 (10 March) goal 1 achieved; v3 (20 March)
    goal 1 still achieved and new goal 3 achieved; v4 (1 June) goal 1 reopened; v5 (1 July) goal 1
    achieved again. Plan of B: goal 1 achieved in v2 (12 Feb). Another network's plan never counts."""
    person = make_person(network, [(D(2019, 1, 1), Status.EXITING)], [(org_a, D(2019, 1, 1), None)])
    plan = make_plan(person, org_a, worker)
    versions = [
        (D(2020, 1, 15), {1: Goal.Status.OPEN, 2: Goal.Status.ACHIEVED}),
        (D(2020, 3, 10), {1: Goal.Status.ACHIEVED, 2: Goal.Status.ACHIEVED}),
        (D(2020, 3, 20), {1: Goal.Status.ACHIEVED, 3: Goal.Status.ACHIEVED}),
        (D(2020, 6, 1), {1: Goal.Status.OPEN}),
        (D(2020, 7, 1), {1: Goal.Status.ACHIEVED, 4: Goal.Status.DROPPED}),
    ]

    def write(plan, versions):
        for day, goals in versions:
            version = save_version(plan, at(day), None, worker)
            for number, status in goals.items():
                Goal.objects.create(version=version, position=number, description="doel", status=status)

    write(plan, versions)
    other = make_person(network, [(D(2019, 1, 1), Status.EXITING)], [(org_b, D(2019, 1, 1), None)])
    write(make_plan(other, org_b, worker), [(D(2020, 1, 5), {1: "open"}), (D(2020, 2, 12), {1: "achieved"})])
    outside = f.OrganisationFactory()
    stranger = make_person(
        outside.network, [(D(2019, 1, 1), Status.EXITING)], [(outside, D(2019, 1, 1), None)]
    )
    write(make_plan(stranger, outside, worker), [(D(2020, 2, 1), {1: "achieved"})])
    cube = care.goals_achieved(scope_of(network, org_a, org_b))
    assert cube.flow and cube.org_additive
    # January: goal 2 (achieved in the plan's first version). March: goal 1 in v2 (not again in v3) and
    # goal 3 in v3. July: goal 1 again after being reopened in June. B: February.
    assert cube.counts == {
        (org_a.pk, "achieved", D(2020, 1, 1)): 1,
        (org_a.pk, "achieved", D(2020, 3, 1)): 2,
        (org_a.pk, "achieved", D(2020, 7, 1)): 1,
        (org_b.pk, "achieved", D(2020, 2, 1)): 1,
    }


def assess(person, org, worker, day, scores: dict[str, int | None]) -> None:
    instrument = default_instrument(person.network_id)
    assert instrument is not None
    assessment = Assessment.objects.create(
        person=person, instrument=instrument, organisation=org, assessed_on=day, assessed_by=worker
    )
    for code, value in scores.items():
        Score.objects.create(
            assessment=assessment, domain=Domain.objects.get(instrument=instrument, code=code), value=value
        )


@pytest.mark.parametrize("packed", [True, False], ids=["scores-packed", "a-column-per-domain"])
def test_zrm_change_from_first_to_latest_assessment(network, org_a, org_b, worker, packed, monkeypatch):
    """Years 2019 and 2020 up to the data date 30 September 2020.

    z1 (A until 30 June 2020): 1 March 2019 fin 2, huis 3, just 4; 1 Sep 2019 fin 3, huis 3, just 3;
       15 Oct 2020 (after the data date) fin 1. Change fin +1, huis 0, just -1 in both years.
    z2 (B from 1 Jan 2020): 1 Nov 2019 fin 1, huis not scored; 1 Feb 2020 fin 4, huis 2. Only one
       assessment by the end of 2019; in 2020 fin +3, huis not counted (the first did not score it).
    z3: one assessment only. z4 (no organisation): three in 2020, fin 3, 3, 2: change -1.
    """
    z1 = make_person(network, [(D(2018, 1, 1), Status.EXITING)], [(org_a, D(2018, 1, 1), D(2020, 6, 30))])
    assess(z1, org_a, worker, D(2019, 3, 1), {"financien": 2, "huisvesting": 3, "justitie": 4})
    assess(z1, org_a, worker, D(2019, 9, 1), {"financien": 3, "huisvesting": 3, "justitie": 3})
    assess(z1, org_a, worker, D(2020, 10, 15), {"financien": 1, "huisvesting": 1, "justitie": 1})
    z2 = make_person(network, [(D(2019, 1, 1), Status.EXITING)], [(org_b, D(2020, 1, 1), None)])
    assess(z2, org_b, worker, D(2019, 11, 1), {"financien": 1, "huisvesting": None})
    assess(z2, org_b, worker, D(2020, 2, 1), {"financien": 4, "huisvesting": 2})
    z3 = make_person(network, [(D(2019, 1, 1), Status.EXITING)], [(org_a, D(2019, 1, 1), None)])
    assess(z3, org_a, worker, D(2019, 5, 1), {"financien": 1})
    z4 = make_person(network, [(D(2019, 1, 1), Status.EXITING)])
    for day, value in ((D(2020, 1, 10), 3), (D(2020, 1, 20), 3), (D(2020, 3, 1), 2)):
        assess(z4, org_a, worker, day, {"financien": value})

    if not packed:  # as for an instrument with more domains than fit in one integer
        monkeypatch.setattr(care, "_PACKED_DOMAINS", 0)
    scope = Scope(network.pk, 2019, 2020, D(2020, 9, 30), (org_a.pk, org_b.pk))
    cube = care.zrm_change(scope)
    assert [c.key for c in cube.categories][:2] == ["financien", "werk-opleiding"]
    with translation.override("en"):
        assert len(cube.categories) == 13 and str(cube.unit) == "points"
    assert [s.key for s in cube.share_labels] == ["improved", "worse"]

    def group(org, code, year) -> tuple[int, float, dict[str, int]] | None:
        found: Group | None = cube.groups.get((org, code, year))
        return (found.n, found.total, found.shares) if found else None

    # 2019: only z1 has two assessments: improved in finances, the same in housing, worse in justice.
    assert group(NETWORK, "financien", 2019) == (1, 1.0, {"improved": 1, "worse": 0})
    assert group(NETWORK, "huisvesting", 2019) == (1, 0.0, {"improved": 0, "worse": 0})
    assert group(NETWORK, "justitie", 2019) == (1, -1.0, {"improved": 0, "worse": 1})
    # 2020: finances z1 +1, z2 +3, z4 -1 (its latest, 1 March, against its first): n 3, total 3.
    assert group(NETWORK, "financien", 2020) == (3, 3.0, {"improved": 2, "worse": 1})
    assert group(NETWORK, "huisvesting", 2020) == (1, 0.0, {"improved": 0, "worse": 0})  # z2 not counted
    assert group(NETWORK, "justitie", 2020) == (1, -1.0, {"improved": 0, "worse": 1})
    # A: z1 in 2019 only (the involvement ended before 30 September 2020). B: z2 in 2020.
    assert group(org_a.pk, "financien", 2019) == (1, 1.0, {"improved": 1, "worse": 0})
    assert group(org_a.pk, "financien", 2020) is None
    assert group(org_b.pk, "financien", 2020) == (1, 3.0, {"improved": 1, "worse": 0})
    assert group(org_b.pk, "financien", 2019) is None
    assert {k[0] for k in cube.groups} == {NETWORK, org_a.pk, org_b.pk}
    assert cube.groups[(NETWORK, "financien", 2020)].mean == 1.0


def test_indicator_list():
    assert [i.code for i in INDICATORS] == ["plans", "goals_achieved", "zrm_change"]
    assert all(str(i.title) and str(i.definition) for i in INDICATORS)


def test_local_day_of_saving(network, org_a, worker):
    # A version saved at 23:30 on 31 January (local) belongs to January, whatever the server's UTC says.
    person = make_person(network, [(D(2019, 12, 1), Status.EXITING)], [(org_a, D(2019, 12, 1), None)])
    late = timezone.make_aware(datetime.datetime(2020, 1, 31, 23, 30))
    save_version(make_plan(person, org_a, worker), late, D(2020, 3, 1), worker)
    cube = care.plans(scope_of(network, org_a))
    assert series(cube, NETWORK, "with_plan")[:3] == [1, 1, 1]
    assert series(cube, NETWORK, "evaluation_on_time")[:3] == [1, 1, 0]
