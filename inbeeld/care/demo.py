"""Invented care history for the demo persons: contacts, ZRM assessments, care plans, appointments.

Everything follows the stored status history (``people.demo`` plans it): the outreach worker meets
people on the street zone at night while they work there and now and then afterwards; caseworkers see
those who are exiting or have exited (office, home visits, phone, the shelter); the clinic's
caseworker sees those admitted, and the person with the most admissions has contacts just before and
after every one; ZRM 2017 assessments come every ~6 months while someone is in care, rising while they
exit and falling when they relapse; most of those still in care have a versioned care plan in their
own words; appointments are attended, missed or cancelled, and the demo caseworker has some in the
coming weeks. Nothing is about a real person.

Each person's history comes from a generator seeded with their roepnaam, so it does not depend on who
else exists. ``load_care`` writes with the plain ORM in bulk, only for demo persons without any care
record, so a second run creates nothing. The caller records one summary audit event.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from django.utils import timezone

from inbeeld.care.demo_history import (
    CLOSED,
    DAY,
    WEEKDAYS,
    Entry,
    GoalPlan,
    Life,
    Via,
    at,
    every,
    most_admitted,
    pick,
    spells_of,
    weekday_from,
)
from inbeeld.care.demo_texts import (
    ADMITTED,
    AFTER_DISCHARGE,
    ASSESSMENT_NOTES,
    BASELINE,
    BEFORE_ADMISSION,
    CLINIC_TALKS,
    DISCHARGED,
    GOAL_OUTCOMES,
    GOALS,
    NETWORK_MEMBERS,
    OUTREACH_HUISKAMER,
    OUTREACH_PHONE,
    OWN_WORDS,
    PHONE,
    PURPOSES,
    VISIT,
    WENT_WELL,
    ZONE,
)
from inbeeld.care.models import (
    Appointment,
    Assessment,
    CarePlan,
    Contact,
    Domain,
    Evaluation,
    Goal,
    Instrument,
    PlanAction,
    PlanVersion,
    Score,
)
from inbeeld.core.demo import (
    CLINIC,
    FOUNDATION,
    HUISKAMER,
    SHELTER_HOUSE,
    STREET_ZONE,
    ZONE_CLOSED_ON,
)
from inbeeld.core.models import Location, User
from inbeeld.people.demo_names import ROEPNAMEN
from inbeeld.people.models import Person, Status

if TYPE_CHECKING:
    from inbeeld.core.demo import DemoNetwork

SEED = 20190331
OFFICE_PLACE = "Kantoor Stichting Zeven Bruggen"  # the foundation has no office location of its own
HUISKAMER_DAYS = (0, 1, 3, 4)  # the huiskamer's opening days, 13:00-17:00
# Days between a caseworker's contacts and between appointments (lowest, highest), by status.
CONTACT_GAPS: dict[str, tuple[int, int]] = {"exiting": (10, 30), "in_shelter": (10, 25),
                                            "other_sex_work": (25, 60), "exited": (30, 90)}  # fmt: skip
APPOINTMENT_GAPS: dict[str, tuple[int, int]] = {"exiting": (14, 35), "in_shelter": (21, 42),
                                                "other_sex_work": (30, 60), "exited": (30, 90)}  # fmt: skip
Scores = dict[str, int | None]

# --- Planning and writing -------------------------------------------------------------------------


class _Care:
    def __init__(self, demo: DemoNetwork, today: datetime.date):
        self.today, self.now, self.org = today, timezone.now(), demo.organisations
        self.outreach, self.caseworker = demo.user("outreach"), demo.user("caseworker")
        self.clinic_worker = demo.users["caseworker.kliniek@demo.inbeeld.test"]
        self.key_workers = demo.key_workers
        places = {loc.name: loc for loc in Location.objects.filter(organisation__network=demo.network)}
        self.huiskamer, self.shelter_house = places.get(HUISKAMER), places.get(SHELTER_HOUSE)
        clinic_place = next((p for p in places.values() if p.organisation_id == self.org[CLINIC].pk), None)
        self.zone = Via(
            self.outreach, FOUNDATION, "street_zone", places.get(STREET_ZONE), (21, 23), tuple(range(7))
        )
        self.clinic = Via(self.clinic_worker, CLINIC, "office", clinic_place)
        self.zrm = Instrument.objects.filter(network=None, code="zrm-2017").first()
        self.domains = {d.code: d for d in Domain.objects.filter(instrument=self.zrm)}
        self.contacts: list[Contact] = []
        self.assessments: list[Assessment] = []
        self.scores: list[Score] = []
        self.plans: list[CarePlan] = []
        self.versions: list[PlanVersion] = []
        self.goals: list[Goal] = []
        self.actions: list[PlanAction] = []
        self.evaluations: list[Evaluation] = []
        self.appointments: list[Appointment] = []
        self.booked: set[tuple[int, datetime.datetime]] = set()

    def via(self, by: User, channel: str) -> Via:
        organisation = CLINIC if by == self.clinic_worker else FOUNDATION
        if channel == "huiskamer":
            return Via(by, organisation, channel, self.huiskamer, (13, 16), HUISKAMER_DAYS)
        if channel == "shelter":
            return Via(by, organisation, channel, self.shelter_house, (10, 19), tuple(range(7)))
        return Via(by, organisation, channel)

    # contacts ---------------------------------------------------------------------------------

    def contact(self, life: Life, rng: random.Random, day: datetime.date, via: Via, *pool: Entry) -> None:
        day = weekday_from(day, via.days)
        if not life.first <= day < life.limit:
            return
        kind, topics, note = pick(rng, pool, life.last_note)
        when = at(day, rng.randint(*via.hours), rng.choice((0, 10, 15, 20, 30, 40, 45, 50)))
        minutes = rng.randint(2, 5) if kind == "sighting" else rng.choice((5, 10, 15, 20, 30, 45, 60))
        late = datetime.timedelta(minutes=minutes + rng.randint(5, 240))
        life.last_note = note
        self.contacts.append(
            Contact(
                person=life.person,
                organisation=self.org[via.organisation],
                recorded_by=via.by,
                occurred_at=when,
                channel=via.channel,
                kind=kind,
                topics=list(topics),
                duration_minutes=minutes,
                location=via.location,
                note=note,
                recorded_at=min(self.now, when + late),
            )
        )

    def outreach_contacts(self, life: Life, rng: random.Random) -> None:
        """Every few nights on the zone; afterwards now and then in the huiskamer or by phone, for a year."""
        phone, huiskamer = self.via(self.outreach, "phone"), self.via(self.outreach, "huiskamer")
        for spell in life.spells:
            end = life.end(spell)
            if spell.status == Status.STREET_ZONE:
                for day in every(rng, spell.start, min(end, ZONE_CLOSED_ON + DAY), 3, 12):
                    via = rng.choices((self.zone, phone, huiskamer), weights=(16, 2, 3))[0]
                    pool = {"phone": OUTREACH_PHONE, "huiskamer": OUTREACH_HUISKAMER}.get(via.channel, ZONE)
                    self.contact(life, rng, day, via, *pool)
            elif spell.status in (Status.OTHER_SEX_WORK, Status.EXITING, Status.EXITED):
                for day in every(rng, spell.start + 14 * DAY, min(end, spell.start + 365 * DAY), 45, 120):
                    via = rng.choice((huiskamer, huiskamer, phone))
                    self.contact(
                        life, rng, day, via, *(OUTREACH_PHONE if via is phone else OUTREACH_HUISKAMER)
                    )

    def caseworker_contacts(self, life: Life, rng: random.Random, worker: User) -> None:
        """Between appointments: phone calls, home visits, visits in the shelter."""
        gaps = CONTACT_GAPS
        for spell in life.spells:
            if spell.status not in gaps:
                continue
            shelter = spell.status == Status.IN_SHELTER
            for day in every(rng, spell.start + 3 * DAY, life.end(spell), *gaps[spell.status]):
                channel = rng.choice(("shelter", "shelter", "phone") if shelter else ("home_visit", "phone"))
                via = self.via(worker, channel)
                day = weekday_from(day, via.days)
                if life.in_care(day) and life.spell_on(day) == spell:
                    self.contact(life, rng, day, via, *(PHONE if channel == "phone" else VISIT))

    def clinic_contacts(self, life: Life, rng: random.Random, worker: User, *, every_time: bool) -> None:
        """Talks during each admission, and (always when ``every_time``) contacts just before and after."""
        for index, spell in enumerate(life.spells):
            if spell.status != Status.IN_TREATMENT:
                continue
            before = life.spells[index - 1] if index else None
            if before and (every_time or (before.status != Status.UNKNOWN and rng.random() < 0.7)):
                day = max(before.start, spell.start - rng.randint(1, 10) * DAY)
                if before.status == Status.STREET_ZONE and day <= ZONE_CLOSED_ON:
                    self.contact(life, rng, day, self.zone, BEFORE_ADMISSION["street_zone"])
                else:
                    channel = rng.choice(("office", "phone"))
                    via = Via(worker, FOUNDATION, channel, days=tuple(range(7)))  # the day before matters
                    self.contact(life, rng, day, via, BEFORE_ADMISSION[channel])
            every_day = replace(self.clinic, days=tuple(range(7)))
            self.contact(life, rng, spell.start, every_day, ADMITTED)
            for day in every(rng, spell.start + 5 * DAY, life.end(spell) - DAY, 7, 18):
                # A talk falls on the next working day: never after the admission has ended.
                if weekday_from(day, self.clinic.days) < life.end(spell):
                    self.contact(life, rng, day, self.clinic, *CLINIC_TALKS)
            if spell.end is None or spell.end >= life.limit:
                continue  # still admitted
            self.contact(life, rng, spell.end - DAY, every_day, DISCHARGED)
            after = life.spell_on(spell.end)
            if after.status in CLOSED:
                continue
            if not every_time and rng.random() > (0.3 if after.status == Status.UNKNOWN else 0.85):
                continue
            # Out of view afterwards: the last contact is on the day itself.
            day = spell.end + (0 if after.status == Status.UNKNOWN else rng.randint(0, 2)) * DAY
            channel = rng.choice(("home_visit", "phone"))
            via = Via(worker, FOUNDATION, channel, days=tuple(range(7)))
            self.contact(life, rng, min(day, life.end(after) - DAY), via, AFTER_DISCHARGE[channel])

    # assessments ------------------------------------------------------------------------------

    def assess(self, life: Life, rng: random.Random, worker: User) -> list[tuple[datetime.date, Scores]]:
        """Every ~6 months in care. Levels rise while exiting and fall at a relapse (back to sex work,
        out of view, admitted); in other sex work they mostly stay low."""
        if self.zrm is None or life.care_start is None or not self.domains:
            return []
        state = {code: rng.randint(*BASELINE.get(code, (2, 3))) for code in self.domains}
        strength = rng.choice((0.14, 0.22, 0.3))  # how quickly things get better for this person
        out: list[tuple[datetime.date, Scores]] = []
        day = life.care_start + rng.randint(14, 45) * DAY
        while day < life.limit:
            if not life.in_care(day):
                day += rng.randint(30, 60) * DAY
                continue
            current = life.spell_on(day).status
            if out:
                started = {s.status for s in life.spells if out[-1][0] < s.start <= day}
                relapse = bool(started & {Status.OTHER_SEX_WORK, Status.UNKNOWN, Status.IN_TREATMENT})
                relapse = relapse or (current == Status.OTHER_SEX_WORK and rng.random() < 0.3)
                for code, value in state.items():
                    if relapse and rng.random() < (
                        0.45 if code in ("middelengebruik", "financien") else 0.25
                    ):
                        value -= 1
                    elif not relapse and current != Status.OTHER_SEX_WORK and rng.random() < strength:
                        value += 1
                    elif rng.random() < 0.05:
                        value -= 1
                    state[code] = max(1, min(5, value))
                if Status.IN_TREATMENT in started:
                    state["middelengebruik"] = min(state["middelengebruik"], 2)
            scores: Scores = {
                code: None if rng.random() < (0.12 if code == "justitie" else 0.025) else value
                for code, value in state.items()
            }
            clinic = current == Status.IN_TREATMENT
            assessment = Assessment(
                person=life.person,
                instrument=self.zrm,
                organisation=self.org[CLINIC if clinic else FOUNDATION],
                assessed_on=day,
                assessed_by=self.clinic_worker if clinic else worker,
                note=rng.choice(ASSESSMENT_NOTES),
                recorded_at=at(day, rng.randint(11, 16), 30),
            )
            self.assessments.append(assessment)
            self.scores += [
                Score(
                    assessment=assessment,
                    domain=self.domains[code],
                    value=value,
                    note="Nog niet besproken." if value is None else "",
                )
                for code, value in scores.items()
            ]
            out.append((day, scores))
            day += rng.randint(160, 200) * DAY
        return out

    # care plans -------------------------------------------------------------------------------
    # As the app's own writes make them (care.actions.plans): version 1 "created"; at an evaluation the
    # running version is evaluated and copied with the next evaluation date ("evaluation"), and the
    # goals are then brought up to date ("edited"). Goals and actions keep their numbers across versions.

    def new_goal(self, rng: random.Random, day: datetime.date, domain: str, used: list[str]) -> GoalPlan:
        texts, actions = GOALS[domain]
        used.append(rng.choice([t for t in texts if t not in used] or list(texts)))
        goal = GoalPlan(len(used), domain, used[-1], day + rng.randint(60, 300) * DAY)
        for who, what in rng.sample(actions, rng.randint(1, min(3, len(actions)))):
            goal.add(who, what, min(goal.target, day + rng.randint(14, 100) * DAY))
        return goal

    def plan(
        self,
        life: Life,
        rng: random.Random,
        worker: User,
        scores: list[tuple[datetime.date, Scores]],
        *,
        overdue: bool,
    ) -> bool:
        """A plan made some months to two years ago, evaluated every three to six months.

        With ``overdue``, the last agreed evaluation date has passed without an evaluation (when the plan
        is old enough for that); returns whether it has.
        """
        today, care_start = self.today, life.care_start or life.first
        day = max(care_start + rng.randint(14, 30) * DAY, today - rng.randint(120, 800) * DAY)
        if day >= today - 3 * DAY:
            return False  # too new for a plan
        latest = next((s for d, s in reversed(scores) if d <= day), {})
        weakest = sorted(GOALS, key=lambda code: (latest.get(code) or 3, rng.random()))[:5]
        used: list[str] = []
        goals = [self.new_goal(rng, day, domain, used) for domain in rng.sample(weakest, rng.randint(2, 3))]
        plan = CarePlan(
            person=life.person, organisation=self.org[FOUNDATION], created_at=at(day, 14), created_by=worker
        )
        own_words, agreed_how = rng.choice(OWN_WORDS), rng.choice(("signed", "verbal"))
        agreed_on: datetime.date | None = day
        late = False

        def next_evaluation(after: datetime.date) -> datetime.date:
            nonlocal late
            planned = after + rng.randint(90, 180) * DAY
            if overdue and planned >= today and after < today - 30 * DAY:
                late = True  # agreed for a few weeks ago, and not done yet
                return today - rng.randint(3, 25) * DAY
            return planned

        def save(when: datetime.datetime, evaluation_date: datetime.date, summary: str) -> PlanVersion:
            plan.current_number += 1
            version = PlanVersion(
                plan=plan,
                number=plan.current_number,
                saved_at=when,
                saved_by=worker,
                own_words=own_words,
                evaluation_date=evaluation_date,
                agreed_on=agreed_on,
                agreed_how=agreed_how,
                change_summary=summary,
            )
            self.versions.append(version)
            self.write_goals(version, goals, worker)
            return version

        version = save(at(day, 14, 30), next_evaluation(day), "created")
        while version.evaluation_date is not None and version.evaluation_date < today and not late:
            when = min(today - DAY, max(day + DAY, version.evaluation_date + rng.randint(-5, 7) * DAY))
            next_date = next_evaluation(when)
            goals, changes = self.evaluate(rng, goals, when, used)
            achieved = [g.text for g in goals if g.status == Goal.Status.ACHIEVED]
            self.evaluations.append(
                Evaluation(
                    plan=plan,
                    version=version,
                    evaluated_on=when,
                    went_well=f"Doel behaald: {achieved[0]}." if achieved else rng.choice(WENT_WELL),
                    changed="; ".join(changes) or "Geen wijzigingen in de doelen.",
                    next_evaluation_date=next_date,
                    recorded_by=worker,
                    organisation=self.org[FOUNDATION],
                    recorded_at=at(when, 15),
                )
            )
            version = save(at(when, 15, 5), next_date, "evaluation")
            if changes:  # then the goals and actions are brought up to date, and agreed again (mostly)
                agreed = next_date < today or rng.random() < 0.9
                agreed_on, agreed_how = (
                    (when, rng.choice(("signed", "verbal"))) if agreed else (None, "not_yet")
                )
                version = save(at(when, 15, 30), next_date, "edited")
            day = when
        self.plans.append(plan)
        return late

    def evaluate(
        self, rng: random.Random, goals: list[GoalPlan], day: datetime.date, used: list[str]
    ) -> tuple[list[GoalPlan], list[str]]:
        """The goals after an evaluation: closed goals leave, open ones move on, new ones come."""
        kept = [replace(g, actions=list(g.actions)) for g in goals if g.status == Goal.Status.OPEN]
        changes = [f"{g.text}: afgesloten" for g in goals if g.status != Goal.Status.OPEN]
        for goal in kept:
            goal.actions = [
                (number, who, what, due, rng.choices(("done", "cancelled", "open"), weights=(75, 10, 15))[0])
                if status == "open" and due < day else (number, who, what, due, status)
                for number, who, what, due, status in goal.actions
            ]  # fmt: skip
            if goal.target <= day or rng.random() < 0.15:
                weights = (40, 25, 10, 5, 20) if goal.target <= day else (1, 0, 0, 0, 0)
                goal.status = rng.choices(("achieved", "partly", "not_achieved", "dropped", "open"), weights)[
                    0
                ]
            if goal.status != Goal.Status.OPEN:
                changes.append(f"{goal.text}: {GOAL_OUTCOMES[goal.status]}")
            elif goal.target <= day:
                goal.target = day + rng.randint(60, 180) * DAY
                changes.append(f"{goal.text}: streefdatum verschoven")
            if goal.status == Goal.Status.OPEN and all(a[4] != "open" for a in goal.actions):
                who, what = rng.choice(GOALS[goal.domain][1])
                goal.actions = goal.actions[-2:]  # the finished ones before these leave the plan
                goal.add(who, what, min(goal.target, day + rng.randint(14, 90) * DAY))
                changes.append(f"{goal.text}: nieuwe actie")
        while sum(1 for g in kept if g.status == Goal.Status.OPEN) < 2 and len(kept) < 4:
            kept.append(self.new_goal(rng, day, rng.choice(list(GOALS)), used))
            changes.append(f"Nieuw doel: {kept[-1].text}")
        return kept, changes

    def write_goals(self, version: PlanVersion, goals: list[GoalPlan], worker: User) -> None:
        for spec in goals:
            goal = Goal(version=version, position=spec.number, domain=self.domains.get(spec.domain),
                        description=spec.text, target_date=spec.target, status=spec.status)  # fmt: skip
            self.goals.append(goal)
            for number, who, what, due, status in spec.actions:
                action = PlanAction(
                    goal=goal, position=number, who=who, what=what, due_date=due, status=status
                )
                if who == "worker":
                    action.worker = worker
                elif who == "network_member":
                    action.who_name = NETWORK_MEMBERS[
                        (spec.number + number + len(what)) % len(NETWORK_MEMBERS)
                    ]
                elif who != "person":
                    action.who, action.organisation = PlanAction.Who.ORGANISATION, self.org[who]
                self.actions.append(action)

    # appointments -----------------------------------------------------------------------------

    def appointment(
        self, life: Life, rng: random.Random, day: datetime.date, worker: User, status: str
    ) -> bool:
        """At the huiskamer (opening hours) or the office; an attended one is also a contact."""
        at_huiskamer = self.huiskamer is not None and rng.random() < 0.5
        day = weekday_from(day, HUISKAMER_DAYS if at_huiskamer else WEEKDAYS)
        if status == Appointment.Status.PLANNED and day <= self.today:
            return False
        if status != Appointment.Status.PLANNED and not (
            life.first <= day < life.limit and life.in_care(day)
        ):
            return False
        starts = at(day, rng.randint(13, 16) if at_huiskamer else rng.randint(9, 15), rng.choice((0, 30)))
        while (worker.pk, starts) in self.booked:  # a worker is in one place at a time
            starts += datetime.timedelta(hours=1)
        self.booked.add((worker.pk, starts))
        ends = starts + rng.choice((30, 45, 60)) * datetime.timedelta(minutes=1)
        cancelled_at = starts - rng.randint(2, 48) * datetime.timedelta(hours=1)
        created = min(starts - rng.randint(2, 20) * DAY, at(self.today - DAY, 9))
        self.appointments.append(
            Appointment(
                person=life.person,
                organisation=self.org[FOUNDATION],
                worker=worker,
                starts_at=starts,
                ends_at=ends,
                location=self.huiskamer if at_huiskamer else None,
                place="" if at_huiskamer else OFFICE_PLACE,
                purpose=rng.choice(PURPOSES),
                status=status,
                status_changed_at={"attended": ends, "no_show": ends, "cancelled": cancelled_at}.get(status),
                created_by=worker,
                created_at=max(created, at(life.first, 13)),
            )
        )
        if status == Appointment.Status.ATTENDED:
            kind, topics, note = pick(rng, VISIT)
            self.contacts.append(
                Contact(
                    person=life.person,
                    organisation=self.org[FOUNDATION],
                    recorded_by=worker,
                    occurred_at=starts,
                    channel="huiskamer" if at_huiskamer else "office",
                    kind=kind,
                    topics=list(topics),
                    duration_minutes=(ends - starts).seconds // 60,
                    location=self.huiskamer if at_huiskamer else None,
                    note=note,
                    recorded_at=ends + rng.randint(5, 120) * datetime.timedelta(minutes=1),
                )
            )
        return True

    def past_appointments(
        self, life: Life, rng: random.Random, worker: User, *, until: datetime.date
    ) -> None:
        gaps = APPOINTMENT_GAPS
        previous = ""
        for spell in life.spells:
            if spell.status not in gaps:
                continue
            for day in every(rng, spell.start + 7 * DAY, min(life.end(spell), until), *gaps[spell.status]):
                status = rng.choices(("attended", "no_show", "cancelled"), weights=(75, 13, 12))[0]
                if status == previous == "no_show":
                    status = "attended"  # two no-shows in a row only where meant (see load_care)
                made = life.in_care(day) and self.appointment(life, rng, day, worker, status)
                previous = status if made and status != "cancelled" else previous

    def flush(self) -> dict[str, int]:
        """Write everything in bulk, parents first (bulk_create gives them their primary keys)."""
        written: dict[str, Sequence[object]] = {
            "contacts": self.contacts,
            "assessments": self.assessments,
            "scores": self.scores,
            "care_plans": self.plans,
            "plan_versions": self.versions,
            "goals": self.goals,
            "plan_actions": self.actions,
            "evaluations": self.evaluations,
            "appointments": self.appointments,
        }
        Contact.objects.bulk_create(self.contacts, batch_size=500)
        Assessment.objects.bulk_create(self.assessments, batch_size=500)
        Score.objects.bulk_create(self.scores, batch_size=500)
        CarePlan.objects.bulk_create(self.plans, batch_size=500)
        PlanVersion.objects.bulk_create(self.versions, batch_size=500)
        Goal.objects.bulk_create(self.goals, batch_size=500)
        PlanAction.objects.bulk_create(self.actions, batch_size=500)
        Evaluation.objects.bulk_create(self.evaluations, batch_size=500)
        Appointment.objects.bulk_create(self.appointments, batch_size=500)
        return {what: len(rows) for what, rows in written.items() if rows}


def load_care(demo: DemoNetwork, *, today: datetime.date | None = None) -> dict[str, int]:
    """Write the care history of every demo person who has no care records yet; return what was created.

    Plain ORM writes, no audit events: the caller records one summary event. Call inside a transaction.
    """
    today = today or timezone.localdate()
    persons = (
        Person.objects.in_network(demo.network)
        .filter(roepnaam__in=ROEPNAMEN)
        .select_related("key_worker")
        .prefetch_related("status_changes")
        .order_by("pk")
    )
    histories = {p: spells_of(p) for p in persons if p.status_changes.all()}
    touched: set[int] = set()
    for model in (Contact, Assessment, CarePlan, Appointment):
        touched |= set(model.objects.filter(person__in=list(histories)).values_list("person", flat=True))
    care = _Care(demo, today)
    frequent, demo_caseworker = most_admitted(histories), care.caseworker
    agenda = Appointment.objects.filter(worker=demo_caseworker, status="planned", starts_at__gte=care.now)
    has_agenda, no_shows, plans, overdue = agenda.exists(), False, 0, False
    for person, spells in histories.items():
        rng = random.Random(f"{SEED}:{person.roepnaam}")
        life = Life(person, spells, today)
        worker = person.key_worker or rng.choice(care.key_workers)
        in_care = person.key_worker is not None and life.in_care(today)
        upcoming = in_care and person.status != Status.IN_TREATMENT
        if person.pk in touched:
            # Already there. Only the demo caseworker's agenda is topped up when it has run empty.
            if upcoming and worker == demo_caseworker and not has_agenda:
                care.appointment(life, rng, today + rng.randint(1, 14) * DAY, worker, "planned")
            continue
        care.outreach_contacts(life, rng)
        care.caseworker_contacts(life, rng, worker)
        care.clinic_contacts(life, rng, worker, every_time=person == frequent)
        scores = care.assess(life, rng, worker)
        if in_care and rng.random() < 0.85:
            plans += 1
            wanted = overdue or plans % 6 == 2  # a few plans are overdue for evaluation
            overdue = not care.plan(life, rng, worker, scores, overdue=wanted) and wanted
        two_no_shows = (
            upcoming and worker == demo_caseworker and not no_shows and life.in_care(today - 20 * DAY)
        )
        care.past_appointments(life, rng, worker, until=today - (25 if two_no_shows else 0) * DAY)
        if two_no_shows:  # the two most recent appointments missed: a radar signal
            no_shows = True
            for days_ago in (17, 7):
                care.appointment(life, rng, today - days_ago * DAY, worker, "no_show")
        weeks = ((1, 10), (11, 21)) if worker == demo_caseworker else ((1, 21),)
        for first, last in weeks if upcoming else ():
            care.appointment(life, rng, today + rng.randint(first, last) * DAY, worker, "planned")
    return care.flush()
