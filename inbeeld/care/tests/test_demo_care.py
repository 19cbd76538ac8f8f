"""The demo network's care history: idempotent, consistent with the status histories, believable."""

from __future__ import annotations

import datetime
import io
import itertools
import statistics

import pytest
from django.core.management import call_command
from django.utils import timezone

from inbeeld.care.demo import OFFICE_PLACE
from inbeeld.care.demo_history import Spell, admissions, most_admitted, spells_of
from inbeeld.care.models import (
    Appointment,
    Assessment,
    CarePlan,
    Contact,
    Evaluation,
    Goal,
    PlanAction,
    PlanVersion,
    Score,
)
from inbeeld.core.demo import CLINIC, FOUNDATION, NETWORK_SLUG, ORGANISATIONS, ZONE_CLOSED_ON
from inbeeld.core.models import AuditEvent, Location, Membership, Network, Organisation, User
from inbeeld.people.demo import plan_persons
from inbeeld.people.models import Person, Status

pytestmark = pytest.mark.django_db

CARE_MODELS = (Contact, Assessment, Score, CarePlan, PlanVersion, Goal, PlanAction, Evaluation, Appointment)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True
    settings.DEMO_WAIVE_2FA = True


def load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def care_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in CARE_MODELS}


def histories() -> dict[Person, list[Spell]]:
    network = Network.objects.get(slug=NETWORK_SLUG)
    persons = Person.objects.in_network(network).prefetch_related("status_changes").order_by("pk")
    return {person: spells_of(person) for person in persons}


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def status_on(spells: list[Spell], day: datetime.date) -> Spell | None:
    return next((s for s in reversed(spells) if s.start <= day), None)


def test_second_run_creates_nothing(demo_mode):
    audit_before = AuditEvent.objects.count()
    first = load()
    after_first = care_counts()
    assert all(after_first.values()), after_first  # every kind of care record was made
    assert f"{after_first['Contact']} contacts" in first and f"{after_first['CarePlan']} care plans" in first
    events = list(AuditEvent.objects.order_by("id")[audit_before:])
    # The one summary event of load_demo, with the care counts in it, then the radar's first run.
    assert [e.data for e in events] == ["demo", "radar.run"]
    created = events[0].detail["created"]
    assert (created["contacts"], created["assessments"], created["care_plans"], created["appointments"]) == (
        Contact.objects.count(),
        Assessment.objects.count(),
        CarePlan.objects.count(),
        Appointment.objects.count(),
    )

    assert "nothing changed" in load()
    assert care_counts() == after_first
    assert AuditEvent.objects.count() == audit_before + 2  # no new summary, no new radar run


def test_a_database_with_persons_only_gets_the_same_care_history(demo_mode):
    load()
    before = care_counts()
    audit_before = AuditEvent.objects.count()
    for model in (Evaluation, CarePlan, Appointment, Assessment, Contact):  # as before this loader existed
        model.objects.all().delete()
    assert "Demo network loaded" in load()
    assert care_counts() == before  # seeded per person: the same history again
    assert AuditEvent.objects.count() == audit_before + 2  # the summary and the radar's run


def test_contacts_follow_the_status_histories(demo_mode):
    load()
    today = timezone.localdate()
    history = histories()
    foundation = Organisation.objects.get(network__slug=NETWORK_SLUG, name=ORGANISATIONS[FOUNDATION][0])
    clinic = Organisation.objects.get(network__slug=NETWORK_SLUG, name=ORGANISATIONS[CLINIC][0])
    zone = Location.objects.get(organisation=foundation, kind=Location.Kind.STREET_ZONE)
    outreach = User.objects.get(email="outreach@demo.inbeeld.test")
    clinic_worker = User.objects.get(email="caseworker.kliniek@demo.inbeeld.test")
    members = set(Membership.objects.values_list("user", "organisation"))
    seen: dict[tuple[str, str], int] = {}
    for contact in Contact.objects.select_related("person", "recorded_by", "organisation", "location"):
        assert contact.person is not None
        spells = history[contact.person]
        day = local_day(contact.occurred_at)
        assert spells[0].start <= day < today, (contact.person, day)  # never before the first status
        closed = [s.start for s in spells if s.status in (Status.DECEASED, Status.MOVED_AWAY)]
        assert not closed or day < closed[0], (contact.person, day)  # nor after death or moving away
        assert (contact.recorded_by_id, contact.organisation_id) in members
        spell = status_on(spells, day)
        assert spell is not None
        if contact.channel == "street_zone":  # only while working there, at night, by outreach
            assert spell.status == Status.STREET_ZONE and day <= ZONE_CLOSED_ON
            assert (contact.recorded_by, contact.location, contact.organisation) == (
                outreach,
                zone,
                foundation,
            )
            assert timezone.localtime(contact.occurred_at).hour >= 21
        if contact.organisation == clinic:
            assert contact.recorded_by == clinic_worker and spell.status == Status.IN_TREATMENT
        if contact.recorded_by == outreach:
            assert contact.organisation == foundation
        assert len(contact.note) <= 200 and contact.recorded_at >= contact.occurred_at
        role = (
            "outreach"
            if contact.recorded_by == outreach
            else "clinic"
            if contact.organisation == clinic
            else "cw"
        )
        seen[(role, spell.status)] = seen.get((role, spell.status), 0) + 1
    # Outreach mostly on the zone, more rarely afterwards; caseworkers for those exiting and exited.
    assert seen[("outreach", Status.STREET_ZONE)] > 5 * seen.get(("outreach", Status.EXITING), 0) > 0
    assert seen[("cw", Status.EXITING)] > 100 and seen[("cw", Status.EXITED)] > 100
    channels = set(Contact.objects.exclude(recorded_by=outreach).values_list("channel", flat=True))
    assert {"office", "home_visit", "phone", "huiskamer", "shelter"} <= channels
    assert set(Contact.objects.filter(recorded_by=outreach).values_list("channel", flat=True)) == {
        "street_zone",
        "phone",
        "huiskamer",
    }
    assert Contact.objects.filter(kind="sighting").count() > 500
    assert Contact.objects.filter(occurred_at__gt=timezone.now()).count() == 0


def test_assessments_show_progress_for_some_and_relapse_for_others(demo_mode):
    load()
    today = timezone.localdate()
    history = histories()
    values = set(Score.objects.values_list("value", flat=True))
    assert values <= {None, 1, 2, 3, 4, 5} and None in values  # a few domains not assessed
    assert Score.objects.filter(value__isnull=True).count() < Score.objects.count() / 10
    change = {}
    for person, spells in history.items():
        assessments = list(
            Assessment.objects.filter(person=person).order_by("assessed_on").prefetch_related("scores")
        )
        for assessment in assessments:
            assert assessment.scores.count() == 13
            assert spells[0].start <= assessment.assessed_on < today
            spell = status_on(spells, assessment.assessed_on)
            assert spell is not None and spell.status not in (Status.STREET_ZONE, Status.UNKNOWN)
        for before, after in itertools.pairwise(assessments):
            assert (after.assessed_on - before.assessed_on).days >= 150  # about every six months
        if len(assessments) >= 2:

            def mean(a: Assessment) -> float:
                return statistics.mean(s.value for s in a.scores.all() if s.value is not None)

            change[person.roepnaam] = mean(assessments[-1]) - mean(assessments[0])
    assert len(change) >= 30
    assert sum(1 for c in change.values() if c >= 0.5) >= 5  # progress
    assert sum(1 for c in change.values() if c <= -0.3) >= 2  # relapse
    # Assessed by a caseworker of the organisation that owns the assessment.
    members = set(Membership.objects.filter(role="caseworker").values_list("user", "organisation"))
    for assessed_by, organisation in Assessment.objects.values_list("assessed_by", "organisation"):
        assert (assessed_by, organisation) in members


def test_care_plans_goals_actions_and_evaluations(demo_mode):
    load()
    today = timezone.localdate()
    plans = CarePlan.objects.select_related("person", "created_by")
    assert plans.count() >= 5
    in_care = Person.objects.exclude(status__in=(Status.MOVED_AWAY, Status.DECEASED, Status.UNKNOWN))
    assert plans.count() >= in_care.exclude(status=Status.EXITED).count() // 2
    assert not plans.filter(person__status__in=(Status.MOVED_AWAY, Status.DECEASED)).exists()
    overdue, descriptions = 0, set()
    for plan in plans:
        made = local_day(plan.created_at)
        assert plan.created_by == plan.person.key_worker
        versions = list(plan.versions.order_by("number").prefetch_related("goals__actions"))
        assert [v.number for v in versions] == list(range(1, plan.current_number + 1))
        assert [v.change_summary for v in versions][:1] == ["created"]
        assert {v.change_summary for v in versions[1:]} <= {"evaluation", "edited"}
        seen_goals: dict[int, Goal] = {}
        seen_actions: dict[tuple[int, int], PlanAction] = {}
        for version in versions:
            assert version.agreed_on is None or version.agreed_on <= local_day(version.saved_at)
            goals = list(version.goals.all())
            assert 2 <= len(goals) <= 4
            for goal in goals:
                assert goal.description.strip() and goal.domain is not None
                assert goal.target_date is not None and goal.target_date > made
                descriptions.add(goal.description)
                earlier = seen_goals.get(goal.position)  # numbers are kept across versions
                assert earlier is None or earlier.description == goal.description
                assert earlier is None or earlier.status == "open" or goal.status == earlier.status
                seen_goals[goal.position] = goal
                actions = list(goal.actions.all())
                assert 1 <= len(actions) <= 3
                for action in actions:
                    assert action.what.strip() and action.due_date is not None
                    assert (action.worker is not None) == (action.who == PlanAction.Who.WORKER)
                    assert (action.organisation is not None) == (action.who == PlanAction.Who.ORGANISATION)
                    assert bool(action.who_name) == (action.who == PlanAction.Who.NETWORK_MEMBER)
                    before = seen_actions.get((goal.position, action.position))
                    assert before is None or before.what == action.what
                    assert before is None or before.status == "open" or action.status == before.status
                    seen_actions[(goal.position, action.position)] = action
        current = versions[-1]
        assert current.evaluation_date is not None
        overdue += current.evaluation_date < today
        by_number = {v.number: v for v in versions}
        for evaluation in plan.evaluations.select_related("version"):
            assert made <= evaluation.evaluated_on < today
            # The evaluated version, then its copy with the next evaluation date (as the app does).
            copy = by_number[evaluation.version.number + 1]
            assert copy.change_summary == "evaluation"
            assert evaluation.next_evaluation_date is not None
            assert copy.evaluation_date == evaluation.next_evaluation_date > evaluation.evaluated_on
    assert 1 <= overdue <= plans.count() // 3  # a few are overdue for evaluation
    assert plans.filter(current_number__gte=3).count() >= 3  # several versions for some
    assert len(descriptions) >= 15  # varied, in their own words
    assert set(Goal.objects.values_list("status", flat=True)) >= {"open", "achieved", "partly"}
    assert set(PlanAction.objects.values_list("who", flat=True)) == set(PlanAction.Who.values)
    assert set(PlanAction.objects.values_list("status", flat=True)) == set(PlanAction.Status.values)
    assert Evaluation.objects.count() >= 10


def test_appointments_and_the_demo_caseworkers_agenda(demo_mode):
    load()
    now = timezone.now()
    caseworker = User.objects.get(email="caseworker@demo.inbeeld.test")
    upcoming = Appointment.objects.filter(worker=caseworker, starts_at__gt=now, starts_at__lt=now + 28 * DAY)
    assert upcoming.count() >= 3 and set(upcoming.values_list("status", flat=True)) == {"planned"}
    assert not Appointment.objects.filter(starts_at__lt=now, status="planned").exists()
    assert not Appointment.objects.filter(starts_at__gt=now).exclude(status="planned").exists()
    statuses = set(Appointment.objects.values_list("status", flat=True))
    assert statuses == {"planned", "attended", "no_show", "cancelled"}
    foundation = Organisation.objects.get(network__slug=NETWORK_SLUG, name=ORGANISATIONS[FOUNDATION][0])
    huiskamer = Location.objects.get(organisation=foundation, kind=Location.Kind.HUISKAMER)
    rows = Appointment.objects.values_list(
        "organisation", "worker", "created_by", "location", "place", "created_at"
    )
    for organisation, worker, created_by, location, place, created_at in rows:
        assert organisation == foundation.pk and worker == created_by and created_at <= now
        assert location == huiskamer.pk or (location is None and place == OFFICE_PLACE)
    # Two no-shows in a row: for one person, lately (a radar signal), and nowhere else.
    twice = []
    past = (
        Appointment.objects.filter(starts_at__lt=now)
        .exclude(status="cancelled")
        .order_by("person", "starts_at")
    )
    for person, group in itertools.groupby(
        past.values_list("person", "status", "starts_at"), key=lambda r: r[0]
    ):
        seen = list(group)
        pairs = [i for i, (a, b) in enumerate(itertools.pairwise(seen)) if a[1] == b[1] == "no_show"]
        if pairs:
            twice.append(Person.objects.get(pk=person))
            assert pairs == [len(seen) - 2] and now - seen[-1][2] < 21 * DAY  # the last two, lately
    assert len(twice) == 1 and twice[0].key_worker == caseworker


def test_contacts_around_every_admission_of_the_most_admitted_person(demo_mode):
    load()
    today = timezone.localdate()
    history = histories()
    person = most_admitted(history)
    assert person is not None
    spells = admissions(history[person])
    assert len(spells) == max(len(admissions(s)) for s in history.values()) >= 4
    clinic = Organisation.objects.get(network__slug=NETWORK_SLUG, name=ORGANISATIONS[CLINIC][0])
    contacts = [
        (local_day(c.occurred_at), c.organisation)
        for c in Contact.objects.filter(person=person).select_related("organisation")
    ]
    for spell in spells:
        before = [o for d, o in contacts if spell.start - 10 * DAY <= d < spell.start]
        assert before and all(o.name != clinic.name for o in before), spell
        assert (spell.start, clinic) in contacts, spell  # the admission talk
        if spell.end and spell.end < today:
            after = [o for d, o in contacts if spell.end <= d <= spell.end + 3 * DAY]
            assert any(o.kind == Organisation.Kind.CARE_PROVIDER for o in after), spell
            assert (spell.end - DAY, clinic) in contacts, spell  # the discharge talk


def test_someone_was_admitted_six_times():
    most = max(sum(1 for _, status in p.events if status == Status.IN_TREATMENT) for p in plan_persons())
    assert most >= 6
