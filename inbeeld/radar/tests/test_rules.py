"""Each rule fires exactly at its thresholds "as of" a day, stays quiet when switched off, clears when
its condition ends and opens again when the condition returns."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from inbeeld.care.models import Appointment, CarePlan, Contact, Intake, PlanVersion
from inbeeld.core.models import Network, Organisation, User
from inbeeld.people.models import Person, Status, StatusChange
from inbeeld.radar import sources
from inbeeld.radar.actions.run import run_radar
from inbeeld.radar.models import Colour, ExitRoute, KeyDate, PersonState, RuleSetting, Signal
from inbeeld.radar.sources import Stay, StaySource
from inbeeld.testing import factories as f

D0 = datetime.date(2025, 3, 3)
AMBER, RED = Colour.AMBER, Colour.RED


def day(offset: int) -> datetime.date:
    return D0 + datetime.timedelta(days=offset)


def at_noon(d: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(d, datetime.time(12)))


@pytest.fixture
def worker(member) -> User:  # type: ignore[no-untyped-def]
    return member.user


def make_person(
    org: Organisation, worker: User, status: str = Status.STREET_ZONE, since: int = -60
) -> Person:
    person = f.PersonFactory(
        network=org.network,
        lead_organisation=org,
        key_worker=worker,
        status=status,
        status_since=day(since),
        registered_at=at_noon(day(-90)),
        involved=[org],
    )
    StatusChange.objects.create(person=person, to_status=status, effective_on=day(since))
    return person


def lead(person: Person) -> Organisation:
    assert person.lead_organisation is not None
    return person.lead_organisation


def change_status(person: Person, status: str, on: int) -> None:
    StatusChange.objects.create(person=person, to_status=status, effective_on=day(on))


def contact(person: Person, worker: User, on: int) -> Contact:
    return Contact.objects.create(
        person=person,
        organisation=lead(person),
        recorded_by=worker,
        occurred_at=at_noon(day(on)),
        channel="street_zone",
        kind="sighting",
    )


def open_signal(person: Person, network: Network, rule: str, on: int) -> Signal | None:
    run_radar(network, as_of=day(on))
    return Signal.objects.filter(person=person, rule=rule, state=Signal.State.OPEN).first()


def severity(person: Person, network: Network, rule: str, on: int) -> int | None:
    signal = open_signal(person, network, rule, on)
    return signal.severity if signal else None


def switch_off(network: Network, rule: str) -> None:
    RuleSetting.objects.create(
        network=network, rule=rule, enabled=False, amber_at=1, red_at=2, escalate_after_days=3
    )


@pytest.mark.django_db
class TestNotSeenOnTheZone:
    def test_day_6_nothing_day_7_amber_day_14_red(self, org_a, worker):
        person = make_person(org_a, worker)
        contact(person, worker, 0)
        assert severity(person, org_a.network, "not_seen_zone", 6) is None
        amber = open_signal(person, org_a.network, "not_seen_zone", 7)
        assert amber is not None and amber.severity == AMBER
        assert severity(person, org_a.network, "not_seen_zone", 13) == AMBER
        red = open_signal(person, org_a.network, "not_seen_zone", 14)
        assert red is not None and red.severity == RED
        assert red.pk == amber.pk, "amber turns red on the same signal"
        assert red.assigned_to == worker
        assert red.facts["since"] == day(0).isoformat()

    def test_switched_off_never_fires(self, org_a, worker):
        person = make_person(org_a, worker)
        contact(person, worker, 0)
        switch_off(org_a.network, "not_seen_zone")
        assert severity(person, org_a.network, "not_seen_zone", 20) is None

    def test_switching_off_clears_an_open_signal(self, org_a, worker):
        person = make_person(org_a, worker)
        contact(person, worker, 0)
        signal = open_signal(person, org_a.network, "not_seen_zone", 8)
        assert signal is not None
        switch_off(org_a.network, "not_seen_zone")
        run_radar(org_a.network, as_of=day(9))
        signal.refresh_from_db()
        assert signal.state == Signal.State.CLEARED

    def test_network_thresholds_replace_the_defaults(self, org_a, worker):
        person = make_person(org_a, worker)
        contact(person, worker, 0)
        RuleSetting.objects.create(
            network=org_a.network, rule="not_seen_zone", amber_at=3, red_at=5, escalate_after_days=1
        )
        assert severity(person, org_a.network, "not_seen_zone", 2) is None
        assert severity(person, org_a.network, "not_seen_zone", 3) == AMBER
        assert severity(person, org_a.network, "not_seen_zone", 5) == RED

    def test_closes_when_seen_and_reopens_when_gone_again(self, org_a, worker):
        person = make_person(org_a, worker)
        contact(person, worker, 0)
        first = open_signal(person, org_a.network, "not_seen_zone", 10)
        assert first is not None
        contact(person, worker, 11)
        assert open_signal(person, org_a.network, "not_seen_zone", 11) is None
        first.refresh_from_db()
        assert first.state == Signal.State.CLEARED and first.cleared_on == day(11)
        assert open_signal(person, org_a.network, "not_seen_zone", 17) is None
        again = open_signal(person, org_a.network, "not_seen_zone", 18)
        assert again is not None and again.pk != first.pk
        assert again.previous_id == first.pk
        assert again.severity == AMBER

    def test_a_resolved_signal_stays_resolved_until_the_condition_returns(self, org_a, worker):
        person = make_person(org_a, worker)
        contact(person, worker, 0)
        signal = open_signal(person, org_a.network, "not_seen_zone", 8)
        assert signal is not None
        Signal.objects.filter(pk=signal.pk).update(
            state=Signal.State.RESOLVED, outcome=Signal.Outcome.REFUSED_CONTACT, resolved_at=timezone.now()
        )
        assert open_signal(person, org_a.network, "not_seen_zone", 20) is None, "same occurrence: no re-open"
        contact(person, worker, 21)
        reopened = open_signal(person, org_a.network, "not_seen_zone", 28)
        assert reopened is not None and reopened.previous_id == signal.pk

    def test_never_seen_counts_from_registration(self, org_a, worker):
        person = make_person(org_a, worker)
        person.registered_at = at_noon(day(0))
        person.save()
        assert severity(person, org_a.network, "not_seen_zone", 6) is None
        signal = open_signal(person, org_a.network, "not_seen_zone", 7)
        assert signal is not None and signal.facts["last_seen"] is None

    def test_an_attended_appointment_is_a_sighting(self, org_a, worker):
        person = make_person(org_a, worker)
        contact(person, worker, 0)
        appointment(person, worker, 5, Appointment.Status.ATTENDED)
        assert severity(person, org_a.network, "not_seen_zone", 11) is None
        assert severity(person, org_a.network, "not_seen_zone", 12) == AMBER

    def test_the_status_on_the_day_decides_which_rule(self, org_a, worker):
        person = make_person(org_a, worker, status=Status.EXITING)
        contact(person, worker, 0)
        assert severity(person, org_a.network, "not_seen_zone", 10) is None
        change_status(person, Status.STREET_ZONE, 5)
        assert severity(person, org_a.network, "not_seen_zone", 10) == AMBER


@pytest.mark.django_db
class TestNotSeenElsewhere:
    def test_thirty_and_sixty_days(self, org_a, worker):
        person = make_person(org_a, worker, status=Status.EXITING)
        contact(person, worker, 0)
        assert severity(person, org_a.network, "not_seen", 29) is None
        assert severity(person, org_a.network, "not_seen", 30) == AMBER
        assert severity(person, org_a.network, "not_seen", 59) == AMBER
        assert severity(person, org_a.network, "not_seen", 60) == RED

    @pytest.mark.parametrize("status", [Status.MOVED_AWAY, Status.DECEASED, Status.EXITED])
    def test_not_followed_statuses(self, org_a, worker, status):
        person = make_person(org_a, worker, status=status)
        contact(person, worker, 0)
        assert severity(person, org_a.network, "not_seen", 90) is None

    def test_admitted_persons_are_in_view(self, org_a, worker):
        person = make_person(org_a, worker, status=Status.IN_TREATMENT, since=-5)
        contact(person, worker, -10)
        assert severity(person, org_a.network, "not_seen", 60) is None
        state = PersonState.objects.get(person=person)
        assert state.admitted_since == day(-5)
        assert state.in_view_at is not None and state.in_view_at.date() >= day(60) - datetime.timedelta(
            days=1
        )


def appointment(person: Person, worker: User, on: int, status: str) -> Appointment:
    start = at_noon(day(on))
    return Appointment.objects.create(
        person=person,
        organisation=lead(person),
        worker=worker,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        status=status,
        created_by=worker,
    )


def plan(person: Person, worker: User, created: int, evaluation: int | None = None) -> CarePlan:
    care_plan = CarePlan.objects.create(
        person=person,
        organisation=lead(person),
        created_by=worker,
        created_at=at_noon(day(created)),
    )
    PlanVersion.objects.create(
        plan=care_plan,
        number=1,
        saved_at=at_noon(day(created)),
        saved_by=worker,
        evaluation_date=day(evaluation) if evaluation is not None else None,
    )
    return care_plan


@pytest.mark.django_db
class TestCareRules:
    def test_no_plan_thirty_and_sixty_days_after_intake(self, org_a, worker):
        person = make_person(org_a, worker, status=Status.EXITING)
        contact(person, worker, 0)
        Intake.objects.create(
            organisation=org_a, person=person, started_by=worker, step="done", completed_at=at_noon(day(0))
        )
        assert severity(person, org_a.network, "no_plan", 29) is None
        assert severity(person, org_a.network, "no_plan", 30) == AMBER
        assert severity(person, org_a.network, "no_plan", 60) == RED
        plan(person, worker, created=61, evaluation=120)
        assert severity(person, org_a.network, "no_plan", 61) is None

    def test_no_plan_needs_an_intake(self, org_a, worker):
        person = make_person(org_a, worker, status=Status.EXITING)
        contact(person, worker, 0)
        assert severity(person, org_a.network, "no_plan", 90) is None

    def test_evaluation_overdue(self, org_a, worker):
        person = make_person(org_a, worker, status=Status.EXITING)
        contact(person, worker, 0)
        care_plan = plan(person, worker, created=-20, evaluation=0)
        assert severity(person, org_a.network, "evaluation_overdue", 0) is None
        assert severity(person, org_a.network, "evaluation_overdue", 1) == AMBER
        assert severity(person, org_a.network, "evaluation_overdue", 30) == RED
        # A new version with a later evaluation date (the evaluation was held) ends it.
        PlanVersion.objects.create(
            plan=care_plan, number=2, saved_at=at_noon(day(31)), saved_by=worker, evaluation_date=day(90)
        )
        assert severity(person, org_a.network, "evaluation_overdue", 31) is None

    def test_evaluation_as_of_an_earlier_day_uses_the_version_of_that_day(self, org_a, worker):
        person = make_person(org_a, worker, status=Status.EXITING)
        care_plan = plan(person, worker, created=-20, evaluation=0)
        PlanVersion.objects.create(
            plan=care_plan, number=2, saved_at=at_noon(day(10)), saved_by=worker, evaluation_date=day(90)
        )
        assert severity(person, org_a.network, "evaluation_overdue", 5) == AMBER

    def test_two_no_shows_in_a_row_amber_three_red(self, org_a, worker):
        person = make_person(org_a, worker, status=Status.EXITING)
        contact(person, worker, 0)
        appointment(person, worker, 1, Appointment.Status.ATTENDED)
        appointment(person, worker, 2, Appointment.Status.NO_SHOW)
        assert severity(person, org_a.network, "no_shows", 2) is None
        appointment(person, worker, 3, Appointment.Status.CANCELLED)
        appointment(person, worker, 4, Appointment.Status.NO_SHOW)
        first = open_signal(person, org_a.network, "no_shows", 4)
        assert first is not None and first.severity == AMBER and first.facts["count"] == 2
        appointment(person, worker, 6, Appointment.Status.NO_SHOW)
        red = open_signal(person, org_a.network, "no_shows", 6)
        assert red is not None and red.pk == first.pk and red.severity == RED
        appointment(person, worker, 8, Appointment.Status.ATTENDED)
        assert severity(person, org_a.network, "no_shows", 8) is None
        appointment(person, worker, 9, Appointment.Status.NO_SHOW)
        appointment(person, worker, 10, Appointment.Status.NO_SHOW)
        again = open_signal(person, org_a.network, "no_shows", 10)
        assert again is not None and again.pk != first.pk and again.previous_id == first.pk


@pytest.mark.django_db
class TestDischargedWithoutContact:
    def test_three_days_amber_seven_red_and_a_contact_ends_it(self, org_a, worker):
        person = make_person(org_a, worker, status=Status.IN_TREATMENT, since=-30)
        contact(person, worker, -1)  # before the discharge: does not count
        change_status(person, Status.EXITING, 0)
        assert severity(person, org_a.network, "discharged", 2) is None
        signal = open_signal(person, org_a.network, "discharged", 3)
        assert signal is not None and signal.severity == AMBER and signal.facts["kind"] == "clinic"
        assert severity(person, org_a.network, "discharged", 7) == RED
        contact(person, worker, 8)
        assert severity(person, org_a.network, "discharged", 8) is None

    def test_a_contact_on_the_day_of_discharge_is_enough(self, org_a, worker):
        person = make_person(org_a, worker, status=Status.IN_SHELTER, since=-30)
        change_status(person, Status.EXITING, 0)
        contact(person, worker, 0)
        assert severity(person, org_a.network, "discharged", 5) is None

    def test_stays_from_a_registered_source(self, org_a, worker):
        person = make_person(org_a, worker, status=Status.EXITING)
        contact(person, worker, -20)

        def stays(network: Network, until: datetime.date) -> list[Stay]:
            return [
                Stay(person.pk, "detention", day(-15), day(0)),
                Stay(person.pk, "hospital", day(20), None),
            ]

        sources.register_stay(StaySource(key="test-detention", label=lambda: "test", stays=stays))
        try:
            signal = open_signal(person, org_a.network, "discharged", 3)
            assert signal is not None and signal.facts["kind"] == "detention"
            assert severity(person, org_a.network, "not_seen", 10) is None, "admitted: in view"
            run_radar(org_a.network, as_of=day(21))
            state = PersonState.objects.get(person=person)
            assert state.admitted_since == day(20)
        finally:
            sources.unregister("test-detention")


@pytest.mark.django_db
class TestPeopleRules:
    def test_consent_expiring_fourteen_days_before_amber_three_red(self, org_a, org_b, worker):
        person = make_person(org_a, worker, status=Status.EXITING)
        contact(person, worker, 0)
        f.ConsentFactory(
            person=person,
            recipient=org_b,
            recorded_by=worker,
            recorded_by_organisation=org_a,
            valid_from=day(-100),
            valid_to=day(14),
        )
        assert severity(person, org_a.network, "consent_expiring", -1) is None
        assert severity(person, org_a.network, "consent_expiring", 0) == AMBER
        assert severity(person, org_a.network, "consent_expiring", 10) == AMBER
        assert severity(person, org_a.network, "consent_expiring", 11) == RED
        assert severity(person, org_a.network, "consent_expiring", 15) is None, "expired: no longer expiring"

    def test_withdrawn_consent_does_not_expire(self, org_a, org_b, worker):
        person = make_person(org_a, worker, status=Status.EXITING)
        f.ConsentFactory(
            person=person,
            recipient=org_b,
            recorded_by=worker,
            recorded_by_organisation=org_a,
            valid_from=day(-100),
            valid_to=day(5),
            withdrawn_at=at_noon(day(-3)),
        )
        assert severity(person, org_a.network, "consent_expiring", 0) is None

    def test_status_unknown_seven_days(self, org_a, worker):
        person = make_person(org_a, worker, status=Status.UNKNOWN, since=0)
        contact(person, worker, 0)
        assert severity(person, org_a.network, "status_unknown", 6) is None
        assert severity(person, org_a.network, "status_unknown", 7) == AMBER
        assert severity(person, org_a.network, "status_unknown", 30) == RED
        change_status(person, Status.EXITING, 31)
        assert severity(person, org_a.network, "status_unknown", 31) is None


@pytest.mark.django_db
class TestKeyDate:
    def test_countdown_for_zone_persons_without_plan_or_route(self, org_a, worker):
        person = make_person(org_a, worker)
        contact(person, worker, 0)
        closing = KeyDate.objects.create(network=org_a.network, name="Sluiting zone", date=day(60))
        assert severity(person, org_a.network, "key_date", -1) is None
        signal = open_signal(person, org_a.network, "key_date", 0)
        assert signal is not None and signal.severity == AMBER
        assert signal.facts["missing"] == ["plan", "route"]
        contact(person, worker, 45)
        assert severity(person, org_a.network, "key_date", 46) == RED
        plan(person, worker, created=47, evaluation=100)
        signal = open_signal(person, org_a.network, "key_date", 47)
        assert signal is not None and signal.facts["missing"] == ["route"]
        ExitRoute.objects.create(
            person=person,
            key_date=closing,
            route=ExitRoute.Route.EXIT_PROGRAMME,
            organisation=org_a,
            recorded_by=worker,
            recorded_at=at_noon(day(48)),
        )
        assert severity(person, org_a.network, "key_date", 48) is None

    def test_persons_off_the_zone_are_not_counted_down(self, org_a, worker):
        person = make_person(org_a, worker, status=Status.EXITING)
        contact(person, worker, 0)
        KeyDate.objects.create(network=org_a.network, name="Sluiting zone", date=day(10))
        assert severity(person, org_a.network, "key_date", 0) is None
