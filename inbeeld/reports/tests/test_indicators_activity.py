"""The raw activity indicators (``reports.indicators.activity`` and ``.shelter``) on small hand-made data.

Every test builds its records for two organisations of one network (A and B) plus one record of another
network that must never count, computes one indicator and compares the whole cube with numbers worked
out by hand below. Moments are local (Europe/Amsterdam): several sit just after local midnight, where
the UTC day is the day before, to pin that months and days are taken in local time on both databases.
"""

from __future__ import annotations

import datetime
from itertools import count
from typing import Any

import pytest
from django.utils import timezone, translation

from inbeeld.chain.episodes.models import Episode, EpisodeKind, Source
from inbeeld.chain.models import Category as ServiceCategory
from inbeeld.chain.models import Service
from inbeeld.chain.referrals.models import Referral, ReferralEvent
from inbeeld.core.models import Location, Organisation, User
from inbeeld.huiskamer.models import Visit
from inbeeld.people.models import NetworkTie, Person
from inbeeld.radar.models import Signal
from inbeeld.reports.cube import NETWORK, CountCube, Group, GroupCube, Scope
from inbeeld.reports.indicators import activity, shelter
from inbeeld.shelter.models import Bed, HouseRules, Room, Stay
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
INDICATORS = [*activity.INDICATORS, *shelter.INDICATORS]
_anchors = count(1)


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    """A moment on the local (Amsterdam) clock."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def scope_of(orgs: list[Organisation], first_year: int, last_year: int, data_date: D) -> Scope:
    return Scope(
        network_id=orgs[0].network_id,
        first_year=first_year,
        last_year=last_year,
        data_date=data_date,
        organisation_ids=tuple(o.pk for o in orgs),
    )


@pytest.fixture
def user() -> User:
    return f.UserFactory()


@pytest.fixture
def other_org() -> Organisation:
    """An organisation of another network: nothing of it may count."""
    return f.OrganisationFactory()


@pytest.fixture
def scope(org_a: Organisation, org_b: Organisation) -> Scope:
    """2023 and the running 2024 up to 10 March 2024."""
    return scope_of([org_a, org_b], 2023, 2024, D(2024, 3, 10))


def compute(code: str, scope: Scope) -> Any:
    return next(i for i in INDICATORS if i.code == code).compute(scope)


def groups_with_data(cube: GroupCube) -> dict[tuple[Any, str, int], Group]:
    return {key: group for key, group in cube.groups.items() if group.n}


# --- the list ---------------------------------------------------------------------------------------------


def test_the_lists_name_every_activity_and_shelter_indicator_once_with_a_title_and_definition() -> None:
    assert [i.code for i in shelter.INDICATORS] == ["shelter_occupancy", "shelter_stays", "resident_network"]
    assert [i.code for i in activity.INDICATORS] == [
        "huiskamer_visits",
        "huiskamer_questions",
        "referrals_by_service",
        "referrals_by_outcome",
        "clinic_admissions",
        "signals",
        "signals_in_time",
    ]
    for indicator in INDICATORS:
        assert str(indicator.title) and len(str(indicator.definition)) > 40


def test_an_empty_network_gives_empty_figures_in_a_fixed_number_of_queries(
    scope: Scope, django_assert_max_num_queries: Any
) -> None:
    # One or two grouped queries per indicator, whatever the data: never one per person or month.
    with django_assert_max_num_queries(14):
        cubes = [i.compute(scope) for i in INDICATORS]
    for cube in cubes:
        if isinstance(cube, CountCube):
            assert cube.counts == {}
        else:
            assert groups_with_data(cube) == {}
            # Every organisation and the network have a group for every year, empty.
            assert {(o, y) for o, _c, y in cube.groups} == {
                (o, y) for o in (NETWORK, *scope.organisation_ids) for y in (2023, 2024)
            }


# --- huiskamer --------------------------------------------------------------------------------------------


def visit(org: Organisation, user: User, when: datetime.datetime, *, named: bool, **extra: Any) -> Visit:
    location, _created = Location.objects.get_or_create(
        organisation=org, name=f"Huiskamer {org.pk}", kind=Location.Kind.HUISKAMER
    )
    person = f.PersonFactory(network=org.network) if named else None
    return Visit.objects.create(
        location=location, person=person, organisation=org, recorded_by=user, arrived_at=when, **extra
    )


def test_huiskamer_visits_named_and_anonymous_per_organisation_and_local_month(
    scope: Scope, org_a: Organisation, org_b: Organisation, other_org: Organisation, user: User
) -> None:
    visit(org_a, user, at(2023, 1, 10), named=True)
    visit(org_a, user, at(2023, 1, 20), named=False)
    visit(org_a, user, at(2023, 1, 31, 23, 30), named=False)  # 22:30 UTC: still January
    visit(org_a, user, at(2023, 4, 1, 0, 30), named=True)  # 31 March 22:30 UTC, but April here
    visit(org_b, user, at(2024, 3, 10, 20), named=False)  # on the data date: counts
    visit(org_b, user, at(2024, 3, 11, 9), named=False)  # after the data date
    visit(org_b, user, at(2022, 12, 31, 12), named=True)  # before the first year
    visit(other_org, user, at(2023, 1, 10), named=False)  # another network
    cube = compute("huiskamer_visits", scope)
    assert (cube.flow, cube.org_additive, cube.category_additive) == (True, True, True)
    assert [c.key for c in cube.categories] == ["named", "anonymous"]
    assert cube.counts == {
        (org_a.pk, "named", D(2023, 1, 1)): 1,
        (org_a.pk, "anonymous", D(2023, 1, 1)): 2,
        (org_a.pk, "named", D(2023, 4, 1)): 1,
        (org_b.pk, "anonymous", D(2024, 3, 1)): 1,
    }


def test_huiskamer_questions_count_visits_per_topic_and_overlap(
    scope: Scope, org_a: Organisation, org_b: Organisation, other_org: Organisation, user: User
) -> None:
    visit(org_a, user, at(2023, 1, 10), named=True, questions=["housing", "health"])  # two topics
    visit(org_a, user, at(2023, 1, 15), named=False, questions=["housing"])
    visit(org_a, user, at(2023, 1, 16), named=False, questions=[])  # asked nothing
    visit(org_a, user, at(2023, 1, 17), named=False, questions=["astrology"])  # not a topic: ignored
    visit(org_b, user, at(2023, 2, 1), named=False, questions=["health", "health"])  # one visit, once
    visit(other_org, user, at(2023, 1, 10), named=False, questions=["housing"])
    cube = compute("huiskamer_questions", scope)
    assert (cube.flow, cube.org_additive, cube.category_additive) == (True, True, False)
    assert "housing" in [c.key for c in cube.categories]
    # Housing: the first two visits; health: the first visit; B's double "health" is one visit.
    assert cube.counts == {
        (org_a.pk, "housing", D(2023, 1, 1)): 2,
        (org_a.pk, "health", D(2023, 1, 1)): 1,
        (org_b.pk, "health", D(2023, 2, 1)): 1,
    }


# --- shelter ----------------------------------------------------------------------------------------------


def shelter_site(org: Organisation, user: User) -> Location:
    site = Location.objects.create(organisation=org, name=f"Opvang {org.pk}", kind=Location.Kind.SHELTER)
    HouseRules.objects.create(location=site, version=1, text="Respect.", published_by=user)
    Room.objects.create(location=site, name="Kamer 1")
    return site


def bed(site: Location, *, in_use: bool = True) -> Bed:
    room = Room.objects.get(location=site)
    return Bed.objects.create(room=room, label=f"Bed {Bed.objects.count() + 1}", in_use=in_use)


def stay(
    site: Location,
    user: User,
    checked_in_at: datetime.datetime,
    checked_out_at: datetime.datetime | None,
    *,
    on: Bed | None = None,
    person: Person | None = None,
) -> Stay:
    return Stay.objects.create(
        person=person or f.PersonFactory(network=site.organisation.network),
        location=site,
        bed=on or bed(site),
        organisation=site.organisation,
        checked_in_at=checked_in_at,
        checked_out_at=checked_out_at,
        checkout_reason="moved_on" if checked_out_at else "",
        house_rules=HouseRules.objects.get(location=site),
        house_rules_accepted_at=checked_in_at,
        checked_in_by=user,
    )


def test_shelter_occupancy_counts_bed_nights_up_to_the_data_date(
    org_a: Organisation, org_b: Organisation, other_org: Organisation, user: User
) -> None:
    scope = scope_of([org_a, org_b], 2024, 2024, D(2024, 3, 10))
    site_a, site_b = shelter_site(org_a, user), shelter_site(org_b, user)
    bed_1, bed_2, bed_3 = bed(site_a), bed(site_a), bed(site_a, in_use=False)
    bed_4 = bed(site_b)
    # A, across the month boundary: nights of 30 and 31 January and of 1 and 2 February. The check-in
    # at 00:30 is 29 January in UTC: a night more if days were taken in UTC.
    stay(site_a, user, at(2024, 1, 30, 0, 30), at(2024, 2, 3, 10), on=bed_1)
    # A, still open on the data date: nights of 5 up to and including 10 March, 6.
    stay(site_a, user, at(2024, 3, 5, 20), None, on=bed_2)
    # A, on the bed now out of use: the night of 1 January counts (30 and 31 December are before the scope).
    stay(site_a, user, at(2023, 12, 30, 15), at(2024, 1, 2, 10), on=bed_3)
    # B, in and out on one day: no night.
    stay(site_b, user, at(2024, 2, 10, 9), at(2024, 2, 10, 17), on=bed_4)
    # B, checked out after the data date: 20–29 February (10 nights, a leap year) and 1–10 March (10).
    stay(site_b, user, at(2024, 2, 20, 18), at(2024, 3, 12, 10), on=bed_4)
    # B, checked in after the data date: nothing.
    stay(site_b, user, at(2024, 3, 11, 18), None, on=bed_4)
    # Another network's shelter.
    other_site = shelter_site(other_org, user)
    stay(other_site, user, at(2024, 1, 5), None)
    cube = compute("shelter_occupancy", scope)
    assert (cube.flow, cube.org_additive, cube.category_additive) == (True, True, False)
    occupied = {(o, m): n for (o, c, m), n in cube.counts.items() if c == "occupied_bed_nights"}
    available = {(o, m): n for (o, c, m), n in cube.counts.items() if c == "available_bed_nights"}
    jan, feb, mar = D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 1)
    assert occupied == {
        (org_a.pk, jan): 2 + 1,
        (org_a.pk, feb): 2,
        (org_a.pk, mar): 6,
        (org_b.pk, feb): 10,
        (org_b.pk, mar): 10,
    }
    # A: beds 1 and 2 in use (bed 3 is not); B: bed 4. March only up to the 10th.
    assert available == {
        (org_a.pk, jan): 2 * 31,
        (org_a.pk, feb): 2 * 29,
        (org_a.pk, mar): 2 * 10,
        (org_b.pk, jan): 31,
        (org_b.pk, feb): 29,
        (org_b.pk, mar): 10,
    }


def test_available_bed_nights_only_while_the_site_is_open(
    org_a: Organisation, org_b: Organisation, user: User
) -> None:
    scope = scope_of([org_a, org_b], 2024, 2024, D(2024, 4, 30))
    opening = shelter_site(org_a, user)
    Location.objects.filter(pk=opening.pk).update(opened_on=D(2024, 2, 20))
    bed(opening), bed(opening)
    closing = shelter_site(org_b, user)
    Location.objects.filter(pk=closing.pk).update(closed_on=D(2024, 3, 5))
    bed(closing)
    cube = compute("shelter_occupancy", scope)
    available = {(o, m): n for (o, c, m), n in cube.counts.items() if c == "available_bed_nights"}
    jan, feb, mar = D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 1)
    # A opens on 20 February: its two beds for the 10 nights of 20–29 February, then all of March and April.
    # B closes on 5 March: its bed for January, February and the nights of 1–5 March, then nothing.
    assert available == {
        (org_a.pk, feb): 2 * 10,
        (org_a.pk, mar): 2 * 31,
        (org_a.pk, D(2024, 4, 1)): 2 * 30,
        (org_b.pk, jan): 31,
        (org_b.pk, feb): 29,
        (org_b.pk, mar): 5,
    }


def test_shelter_stays_that_ended_per_year_with_their_length(
    scope: Scope, org_a: Organisation, org_b: Organisation, other_org: Organisation, user: User
) -> None:
    site_a, site_b = shelter_site(org_a, user), shelter_site(org_b, user)
    stay(site_a, user, at(2023, 1, 10, 20), at(2023, 1, 20, 9))  # 10 days, 2023
    stay(site_a, user, at(2022, 12, 25, 18), at(2023, 1, 4, 10))  # began before the scope: 10 days, 2023
    stay(site_b, user, at(2023, 12, 20, 18), at(2024, 1, 5, 10))  # 16 days, 2024
    # Checked out at 00:30 on New Year's Day, 23:30 on 31 December in UTC: 1 day, 2024.
    stay(site_b, user, at(2023, 12, 31, 12), at(2024, 1, 1, 0, 30))
    stay(site_a, user, at(2024, 1, 2), None)  # still open
    stay(site_a, user, at(2024, 2, 1), at(2024, 3, 12))  # ends after the data date
    stay(site_b, user, at(2022, 12, 1), at(2022, 12, 31))  # ended before the scope
    stay(shelter_site(other_org, user), user, at(2023, 1, 1), at(2023, 2, 1))
    cube = compute("shelter_stays", scope)
    with translation.override("en"):
        assert [c.key for c in cube.categories] == ["stays"] and str(cube.unit) == "days"
    assert groups_with_data(cube) == {
        (NETWORK, "stays", 2023): Group(n=2, total=20),
        (org_a.pk, "stays", 2023): Group(n=2, total=20),
        (NETWORK, "stays", 2024): Group(n=2, total=17),
        (org_b.pk, "stays", 2024): Group(n=2, total=17),
    }
    assert cube.groups[(NETWORK, "stays", 2024)].mean == 8.5


def tie(person: Person, user: User, started_on: D, ended_on: D | None = None) -> NetworkTie:
    return NetworkTie.objects.create(
        person=person,
        kind="friend",
        quality="supportive",
        name="Vriendin",
        frequency="weekly",
        started_on=started_on,
        ended_on=ended_on,
        organisation=Organisation.objects.filter(network_id=person.network_id).order_by("pk")[0],
        recorded_by=user,
    )


def test_resident_network_change_from_check_in_to_check_out(
    scope: Scope, org_a: Organisation, org_b: Organisation, user: User
) -> None:
    site_a, site_b = shelter_site(org_a, user), shelter_site(org_b, user)
    first, second, third = (f.PersonFactory(network=org_a.network) for _ in range(3))
    # First resident at A, 1 February – 1 June 2023.
    tie(first, user, D(2022, 1, 1), D(2023, 3, 1))  # on the day in only
    tie(first, user, D(2023, 4, 1))  # on the day out
    tie(first, user, D(2023, 5, 1), D(2023, 6, 1))  # ends on the day out: gone by then
    tie(first, user, D(2023, 6, 1))  # starts on the day out: counts
    stay(site_a, user, at(2023, 2, 1), at(2023, 6, 1), person=first)  # 1 → 2: +1, grown
    # Second resident at B, 1 March – 1 September 2023.
    tie(second, user, D(2023, 1, 1))
    tie(second, user, D(2023, 1, 1), D(2023, 5, 1))
    stay(site_b, user, at(2023, 3, 1), at(2023, 9, 1), person=second)  # 2 → 1: −1, shrunk
    stay(site_a, user, at(2023, 10, 1), at(2023, 11, 1), person=third)  # no ties: 0
    # The first resident again, in 2024: two ties in and out, 0.
    stay(site_a, user, at(2024, 1, 10), at(2024, 2, 1), person=first)
    stay(site_b, user, at(2024, 2, 1), None, person=second)  # still open: not counted
    cube = compute("resident_network", scope)
    with translation.override("en"):
        assert str(cube.unit) == "ties" and [s.key for s in cube.share_labels] == ["grown", "shrunk"]
    residents = "residents"
    assert groups_with_data(cube) == {
        (NETWORK, residents, 2023): Group(n=3, total=0, shares={"grown": 1, "shrunk": 1}),
        (org_a.pk, residents, 2023): Group(n=2, total=1, shares={"grown": 1, "shrunk": 0}),
        (org_b.pk, residents, 2023): Group(n=1, total=-1, shares={"grown": 0, "shrunk": 1}),
        (NETWORK, residents, 2024): Group(n=1, total=0, shares={"grown": 0, "shrunk": 0}),
        (org_a.pk, residents, 2024): Group(n=1, total=0, shares={"grown": 0, "shrunk": 0}),
    }


# --- referrals --------------------------------------------------------------------------------------------


def referral(
    from_org: Organisation, service: Service, user: User, steps: list[tuple[str, datetime.datetime]]
) -> Referral:
    """A referral that went through ``steps`` (state, moment), one event each, as the lifecycle does."""
    person = f.PersonFactory(network=from_org.network, lead_organisation=from_org)
    consent = f.ConsentFactory(
        person=person,
        recipient=service.organisation,
        recorded_by=user,
        recorded_by_organisation=from_org,
    )
    made = Referral.objects.create(
        person=person,
        from_organisation=from_org,
        referred_by=user,
        service=service,
        to_organisation=service.organisation,
        reason="Verzonnen testtekst",
        consent=consent,
        state=steps[-1][0],
        created_at=steps[0][1],
        state_changed_at=steps[-1][1],
    )
    for state, moment in steps:
        ReferralEvent.objects.create(referral=made, state=state, at=moment, actor=user, organisation=from_org)
    return made


@pytest.fixture
def referrals(org_a: Organisation, org_b: Organisation, other_org: Organisation, user: User) -> None:
    addiction = Service.objects.create(
        organisation=org_b, name="Kliniek", category=ServiceCategory.ADDICTION_CARE
    )
    detox = Service.objects.create(organisation=org_b, name="Detox", category=ServiceCategory.DETOX)
    housing = Service.objects.create(organisation=org_a, name="Wonen", category=ServiceCategory.HOUSING)
    # 1. Drafted in January, sent in February, accepted, started: counts in February as started.
    referral(
        org_a,
        addiction,
        user,
        [
            ("draft", at(2023, 1, 30)),
            ("sent", at(2023, 2, 2)),
            ("accepted", at(2023, 2, 10)),
            ("started", at(2023, 3, 1)),
        ],
    )
    # 2. Sent and declined in February.
    referral(
        org_a,
        addiction,
        user,
        [("draft", at(2023, 2, 15)), ("sent", at(2023, 2, 15)), ("declined", at(2023, 2, 20))],
    )
    # 3. and 4. Never sent: a draft, and a draft withdrawn. Not made.
    referral(org_a, detox, user, [("draft", at(2023, 2, 16))])
    referral(org_a, detox, user, [("draft", at(2023, 2, 17)), ("withdrawn", at(2023, 2, 18))])
    # 5. Sent by B at 00:30 on 1 April (31 March in UTC): April, waiting for an answer.
    referral(org_b, housing, user, [("draft", at(2023, 4, 1, 0, 20)), ("sent", at(2023, 4, 1, 0, 30))])
    # 6. Sent in February and withdrawn after sending: made, outcome withdrawn.
    referral(
        org_a,
        addiction,
        user,
        [("draft", at(2023, 2, 20)), ("sent", at(2023, 2, 20)), ("withdrawn", at(2023, 2, 25))],
    )
    # 7. Sent after the data date.
    referral(org_a, addiction, user, [("draft", at(2024, 3, 11)), ("sent", at(2024, 3, 11))])
    # 8. B's referral sent in January 2024 and completed in February.
    referral(
        org_b,
        housing,
        user,
        [
            ("draft", at(2024, 1, 5)),
            ("sent", at(2024, 1, 5)),
            ("accepted", at(2024, 1, 8)),
            ("started", at(2024, 1, 10)),
            ("completed", at(2024, 2, 1)),
        ],
    )
    # Another network's referral.
    elsewhere = f.OrganisationFactory(network=other_org.network)
    other_service = Service.objects.create(organisation=elsewhere, name="Elders", category=ServiceCategory.GP)
    referral(other_org, other_service, user, [("draft", at(2023, 2, 2)), ("sent", at(2023, 2, 2))])


@pytest.mark.usefixtures("referrals")
def test_referrals_by_service_count_sent_referrals_in_the_month_they_were_sent(
    scope: Scope, org_a: Organisation, org_b: Organisation
) -> None:
    cube = compute("referrals_by_service", scope)
    assert (cube.flow, cube.org_additive, cube.category_additive) == (True, True, True)
    assert "addiction_care" in [c.key for c in cube.categories]
    # Referrals 1, 2 and 6 (A, addiction care, February 2023); 5 and 8 (B, housing).
    assert cube.counts == {
        (org_a.pk, "addiction_care", D(2023, 2, 1)): 3,
        (org_b.pk, "housing", D(2023, 4, 1)): 1,
        (org_b.pk, "housing", D(2024, 1, 1)): 1,
    }


@pytest.mark.usefixtures("referrals")
def test_referrals_by_outcome_follow_the_current_state(
    scope: Scope, org_a: Organisation, org_b: Organisation
) -> None:
    cube = compute("referrals_by_outcome", scope)
    assert (cube.flow, cube.org_additive, cube.category_additive) == (True, True, True)
    assert [c.key for c in cube.categories] == [
        "waiting",
        "accepted",
        "declined",
        "started",
        "completed",
        "dropped",
        "withdrawn",
    ]
    feb = D(2023, 2, 1)
    assert cube.counts == {
        (org_a.pk, "started", feb): 1,  # 1: accepted, then started
        (org_a.pk, "declined", feb): 1,  # 2
        (org_a.pk, "withdrawn", feb): 1,  # 6
        (org_b.pk, "waiting", D(2023, 4, 1)): 1,  # 5: sent, no answer yet
        (org_b.pk, "completed", D(2024, 1, 1)): 1,  # 8: counted in the month it was sent
    }


# --- clinic admissions ------------------------------------------------------------------------------------


def test_clinic_admissions_count_admission_episodes_by_kind(
    scope: Scope, org_a: Organisation, org_b: Organisation, other_org: Organisation, user: User
) -> None:
    def episode(org: Organisation, kind: str, started_on: D) -> None:
        Episode.objects.create(
            person=f.PersonFactory(network=org.network),
            kind=kind,
            started_on=started_on,
            organisation=org,
            source=Source.OWN_RECORD,
            recorded_by=user,
        )

    episode(org_a, EpisodeKind.CLINIC, D(2023, 1, 5))
    episode(org_a, EpisodeKind.DETOX, D(2023, 1, 31))
    episode(org_a, EpisodeKind.HOSPITAL, D(2023, 2, 1))
    episode(org_a, EpisodeKind.DETENTION, D(2023, 1, 10))  # not an admission
    episode(org_a, EpisodeKind.SHELTER, D(2023, 1, 11))  # not an admission
    episode(org_a, EpisodeKind.OTHER, D(2023, 1, 12))  # not an admission
    episode(org_b, EpisodeKind.MENTAL_HEALTH, D(2024, 3, 10))  # on the data date
    episode(org_b, EpisodeKind.CLINIC, D(2024, 3, 11))  # after it
    episode(org_b, EpisodeKind.CLINIC, D(2022, 12, 31))  # before the scope
    episode(other_org, EpisodeKind.CLINIC, D(2023, 1, 5))
    cube = compute("clinic_admissions", scope)
    assert (cube.flow, cube.org_additive, cube.category_additive) == (True, True, True)
    assert [c.key for c in cube.categories] == ["clinic", "detox", "hospital", "mental_health"]
    assert cube.counts == {
        (org_a.pk, "clinic", D(2023, 1, 1)): 1,
        (org_a.pk, "detox", D(2023, 1, 1)): 1,
        (org_a.pk, "hospital", D(2023, 2, 1)): 1,
        (org_b.pk, "mental_health", D(2024, 3, 1)): 1,
    }


# --- radar signals ----------------------------------------------------------------------------------------


@pytest.fixture
def radar_signals(org_a: Organisation, org_b: Organisation, other_org: Organisation) -> None:
    led_by_a = f.PersonFactory(network=org_a.network, lead_organisation=org_a)
    led_by_b = f.PersonFactory(network=org_a.network, lead_organisation=org_b)
    led_by_nobody = f.PersonFactory(network=org_a.network, lead_organisation=None)

    def signal(person: Person, opened_on: D, assigned: Organisation | None = None, **extra: Any) -> None:
        Signal.objects.create(
            network=person.network,
            person=person,
            rule="not_seen",
            anchor=str(next(_anchors)),
            severity=1,
            opened_on=opened_on,
            assigned_organisation=assigned,
            **extra,
        )

    # 1. A's, resolved without escalation: outcome seen, in time.
    signal(led_by_a, D(2023, 1, 5), org_a, state="resolved", outcome="seen", resolved_at=at(2023, 1, 10))
    # 2. A's, escalated and then resolved: outcome admitted, not in time.
    signal(
        led_by_a,
        D(2023, 1, 6),
        org_a,
        state="resolved",
        outcome="admitted",
        escalated_on=D(2023, 1, 20),
        resolved_at=at(2023, 1, 25),
    )
    # 3. Nobody assigned: the person's lead organisation, B. Still open.
    signal(led_by_b, D(2023, 1, 7))
    # 4. Nobody assigned and no lead organisation: left out.
    signal(led_by_nobody, D(2023, 1, 8))
    # 5. Assigned to B although A leads: B's. Cleared by the rule, not resolved.
    signal(led_by_a, D(2023, 2, 1), org_b, state="cleared", cleared_on=D(2023, 2, 10))
    # 6. A's, resolved only after the data date: open on the data date, not (yet) in time.
    signal(led_by_a, D(2024, 3, 1), org_a, state="resolved", outcome="seen", resolved_at=at(2024, 3, 12))
    # 7. Opened after the data date.
    signal(led_by_a, D(2024, 3, 11), org_a)
    # 8. Another network's.
    signal(f.PersonFactory(network=other_org.network, lead_organisation=other_org), D(2023, 1, 5), other_org)


@pytest.mark.usefixtures("radar_signals")
def test_signals_by_outcome_with_organisation_attribution(
    scope: Scope, org_a: Organisation, org_b: Organisation
) -> None:
    cube = compute("signals", scope)
    assert (cube.flow, cube.org_additive, cube.category_additive) == (True, True, True)
    keys = [c.key for c in cube.categories]
    assert set(Signal.Outcome.values) < set(keys) and {"open", "cleared"} < set(keys)
    assert cube.counts == {
        (org_a.pk, "seen", D(2023, 1, 1)): 1,  # 1
        (org_a.pk, "admitted", D(2023, 1, 1)): 1,  # 2
        (org_b.pk, "open", D(2023, 1, 1)): 1,  # 3, by lead organisation
        (org_b.pk, "cleared", D(2023, 2, 1)): 1,  # 5, by assignment
        (org_a.pk, "open", D(2024, 3, 1)): 1,  # 6, open on the data date
    }


@pytest.mark.usefixtures("radar_signals")
def test_signals_in_time_exclude_escalated_and_later_resolutions(
    scope: Scope, org_a: Organisation, org_b: Organisation
) -> None:
    cube = compute("signals_in_time", scope)
    assert (cube.flow, cube.org_additive, cube.category_additive) == (True, True, False)
    jan = D(2023, 1, 1)
    # Of A's two in January only 1 (2 was escalated first); B's 3 was not resolved, 5 was cleared, and
    # A's 6 was resolved after the data date. How many were opened is the signals indicator's total.
    assert cube.counts == {(org_a.pk, "resolved_in_time", jan): 1}


@pytest.mark.usefixtures("referrals", "radar_signals")
def test_every_cube_keeps_to_the_contract_disclosure_control_checks(
    scope: Scope, org_a: Organisation, org_b: Organisation, user: User, django_assert_max_num_queries: Any
) -> None:
    from inbeeld.reports import disclosure
    from inbeeld.reports.cube import Policy

    visit(org_a, user, at(2023, 1, 10), named=True, questions=["housing"])
    site = shelter_site(org_b, user)
    stay(site, user, at(2023, 5, 1), at(2023, 5, 20))
    # With data too, the same fixed number of grouped queries as on an empty network.
    with django_assert_max_num_queries(14):
        cubes = [indicator.compute(scope) for indicator in INDICATORS]
    for cube in cubes:
        if isinstance(cube, CountCube):
            # Only the scope's organisations and the cube's own categories, never the network key.
            keys = {c.key for c in cube.categories}
            assert all(o in scope.organisation_ids and c in keys for o, c, _m in cube.counts)
            assert all(m.day == 1 and scope.start <= m <= scope.end for _o, _c, m in cube.counts)
            protected = disclosure.protect_counts(cube, scope, Policy())
            assert protected.org_keys[0] == NETWORK
        else:
            disclosure.protect_groups(cube, scope, Policy())
    assert compute("signals", scope).counts  # the data set did reach the cubes
