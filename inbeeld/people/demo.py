"""The invented persons of the demo network and their histories since 2017.

Nothing here is about a real person: roepnamen, aliases, legal names and the (never-issued)
06-00000xxx phone numbers are invented, and everything random comes from one seeded generator,
so every machine gets the same demo.

The status histories reproduce the published street-zone figures of a Groningen-like city:
about 62 people on the zone in January 2017, 45 in November 2017, 38 in mid-2018, 6 in March 2019
and none once the zone closed on 31 March 2019. People leave the zone for exiting, exited,
treatment, other sex work, moving away or unknown (two die); a few return to it for a while;
later on, huiskamer walk-ins and shelter residents arrive (the shelter opens on 1 April 2019).

``plan_persons`` makes the plan in plain Python (no database); ``load_persons`` writes what is
missing with the plain ORM (the caller writes one summary audit event). Counting from the stored
histories lives in ``people.history``.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from inbeeld.core.crypto import phone_index
from inbeeld.core.demo import CLINIC, FOUNDATION, SHELTER, SHELTER_OPENED_ON, ZONE_CLOSED_ON
from inbeeld.core.models import Organisation, User
from inbeeld.people.demo_names import ALIASES, NATIONALITIES, ROEPNAMEN, SPELLINGS, SURNAMES
from inbeeld.people.models import Alias, Consent, DataCategory, Involvement, Person, Status, StatusChange

if TYPE_CHECKING:
    from inbeeld.core.demo import DemoNetwork

SEED = 20170115
HISTORY_START = datetime.date(2017, 1, 2)
HISTORY_END = datetime.date(2026, 10, 31)  # the plan stops here; events after "today" are not loaded

# Published figures (date, persons on the zone) that the histories reproduce.
STREET_ZONE_FIGURES: tuple[tuple[datetime.date, int], ...] = (
    (datetime.date(2017, 1, 15), 62),
    (datetime.date(2017, 11, 15), 45),
    (datetime.date(2018, 7, 1), 38),
    (datetime.date(2019, 3, 15), 6),
    (datetime.date(2019, 4, 1), 0),
)
# The monthly targets are interpolated between these anchors (the 15th of a month).
_ANCHORS: tuple[tuple[datetime.date, int], ...] = (
    (datetime.date(2017, 1, 15), 62),
    (datetime.date(2017, 11, 15), 45),
    (datetime.date(2018, 6, 15), 38),
    (datetime.date(2018, 8, 15), 37),
    (datetime.date(2019, 2, 15), 8),
    (datetime.date(2019, 3, 15), 6),
)

# Off the zone, a person moves on: next statuses (weights) and how long a status lasts (days).
_S = Status
_NEXT: dict[str, tuple[tuple[str, int], ...]] = {
    _S.EXITING: ((_S.EXITED, 6), (_S.IN_TREATMENT, 2), (_S.OTHER_SEX_WORK, 2), (_S.UNKNOWN, 1)),
    _S.EXITED: ((_S.MOVED_AWAY, 1), (_S.IN_TREATMENT, 1), (_S.OTHER_SEX_WORK, 1), (_S.EXITING, 1)),
    _S.IN_TREATMENT: ((_S.EXITING, 4), (_S.IN_SHELTER, 3), (_S.UNKNOWN, 2), (_S.OTHER_SEX_WORK, 1)),
    _S.OTHER_SEX_WORK: ((_S.EXITING, 4), (_S.UNKNOWN, 2), (_S.MOVED_AWAY, 1), (_S.IN_TREATMENT, 2)),
    _S.UNKNOWN: ((_S.MOVED_AWAY, 1), (_S.OTHER_SEX_WORK, 2), (_S.EXITING, 2), (_S.IN_TREATMENT, 1)),
    _S.IN_SHELTER: ((_S.EXITING, 4), (_S.EXITED, 1), (_S.IN_TREATMENT, 2), (_S.UNKNOWN, 1)),
}
_DURATION: dict[str, tuple[int, int]] = {
    Status.EXITING: (90, 300),
    Status.EXITED: (900, 3000),
    Status.IN_TREATMENT: (30, 180),
    Status.OTHER_SEX_WORK: (120, 600),
    Status.UNKNOWN: (60, 400),
    Status.IN_SHELTER: (60, 300),
}
_TERMINAL = frozenset({Status.MOVED_AWAY, Status.DECEASED})
_RETURNABLE = frozenset({Status.UNKNOWN, Status.OTHER_SEX_WORK, Status.EXITING, Status.IN_TREATMENT})
# Where people go when they leave the zone.
_LEAVE_TO: tuple[tuple[str, int], ...] = (
    (Status.EXITING, 26),
    (Status.OTHER_SEX_WORK, 20),
    (Status.UNKNOWN, 18),
    (Status.IN_TREATMENT, 20),
    (Status.MOVED_AWAY, 6),
)
_ADMISSIONS = 6  # "sometimes admitted six times": one person is
_DECEASED_AT_DEPARTURE = (7, 29)  # the 7th and 29th departure from the zone: two people die
# Periods (first month of the period) in which someone returns to the zone for a while,
# or someone new starts working there.
_RETURNS = {(2017, 4): 1, (2017, 7): 1, (2017, 12): 1, (2018, 3): 1, (2018, 9): 1}
_ARRIVALS = {(2017, 5): 1, (2018, 1): 1}
# Huiskamer walk-ins after the zone closed: (registered on, status).
_WALK_INS = (
    (datetime.date(2019, 6, 12), Status.OTHER_SEX_WORK),
    (datetime.date(2020, 9, 3), Status.EXITING),
    (datetime.date(2022, 2, 17), Status.UNKNOWN),
    (datetime.date(2024, 5, 8), Status.OTHER_SEX_WORK),
    (datetime.date(2025, 11, 4), Status.EXITING),
    (datetime.date(2026, 9, 15), Status.OTHER_SEX_WORK),
)
_SHELTER_ARRIVALS = (datetime.date(2019, 4, 9), datetime.date(2019, 10, 21))
_MOVED_TO_SHELTER_ON_OPENING = 5
# So that every role has someone to see today: recent admissions and shelter residents (ongoing).
_RECENT = datetime.date(2026, 6, 1)
_RECENT_MOVES = (
    Status.IN_TREATMENT,
    Status.IN_TREATMENT,
    Status.IN_TREATMENT,
    Status.IN_SHELTER,
    Status.IN_SHELTER,
)


Events = list[tuple[datetime.date, str]]  # (effective on, status), oldest first


@dataclass
class PlannedPerson:
    roepnaam: str
    origin: str  # zone, zone_late, walk_in, shelter
    events: Events = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    birth_year: int | None = None
    nationality: str = ""
    languages: list[str] = field(default_factory=list)
    legal_name: str = ""
    phone: str = ""
    address: str = ""
    # simulation state
    next_due: datetime.date | None = None
    returned: bool = False
    leave_after: datetime.date | None = None

    @property
    def status(self) -> str:
        return self.events[-1][1]

    @property
    def last_date(self) -> datetime.date:
        return self.events[-1][0]

    def status_on(self, day: datetime.date) -> str | None:
        current = None
        for when, status in self.events:
            if when > day:
                break
            current = status
        return current


def _pick(rng: random.Random, options: tuple[tuple[str, int], ...], exclude: Collection[str] = ()) -> str:
    allowed = [(s, w) for s, w in options if s not in exclude]
    return rng.choices([s for s, _ in allowed], weights=[w for _, w in allowed])[0]


def _day_between(rng: random.Random, lo: datetime.date, hi: datetime.date) -> datetime.date:
    return lo + datetime.timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    out, day = [], start
    while day <= end:
        out.append(day)
        day = datetime.date(day.year + day.month // 12, day.month % 12 + 1, 15)
    return out


def _target(day: datetime.date) -> int:
    for (d0, n0), (d1, n1) in itertools.pairwise(_ANCHORS):
        if d0 <= day <= d1:
            return round(n0 + (n1 - n0) * (day - d0).days / (d1 - d0).days)
    return _ANCHORS[-1][1]


class _Planner:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.names = list(ROEPNAMEN)
        self.persons: list[PlannedPerson] = []
        self.departures = 0

    def new_person(self, origin: str, day: datetime.date, status: str) -> PlannedPerson:
        person = PlannedPerson(roepnaam=self.names.pop(0), origin=origin, events=[(day, status)])
        self.persons.append(person)
        self._schedule(person)
        return person

    def _schedule(self, person: PlannedPerson) -> None:
        status = person.status
        if status in _TERMINAL or status == Status.STREET_ZONE:
            person.next_due = None
            return
        lo, hi = _DURATION[status]
        person.next_due = person.last_date + datetime.timedelta(days=self.rng.randint(lo, hi))

    def move(self, person: PlannedPerson, day: datetime.date, status: str) -> None:
        assert day > person.last_date, (person.roepnaam, day, person.events)
        person.events.append((day, status))
        self._schedule(person)

    def evolve(self, until: datetime.date) -> None:
        """Off the zone, people move on by themselves (never back to the zone: returns are planned)."""
        for person in self.persons:
            while person.next_due is not None and person.next_due <= until:
                exclude = {person.status}
                if person.next_due < SHELTER_OPENED_ON:
                    exclude.add(Status.IN_SHELTER)
                self.move(person, person.next_due, _pick(self.rng, _NEXT[person.status], exclude))

    def on_zone(self) -> list[PlannedPerson]:
        return [p for p in self.persons if p.status == Status.STREET_ZONE]

    def leave_zone(self, person: PlannedPerson, lo: datetime.date, hi: datetime.date) -> None:
        self.departures += 1
        dies = self.departures in _DECEASED_AT_DEPARTURE
        status = Status.DECEASED if dies else _pick(self.rng, _LEAVE_TO)
        day = _day_between(self.rng, max(lo, person.last_date + datetime.timedelta(days=1)), hi)
        self.move(person, day, status)

    def plan(self) -> list[PlannedPerson]:
        rng = self.rng
        checks = _months(_ANCHORS[0][0], _ANCHORS[-1][0])
        for _ in range(_ANCHORS[0][1]):
            self.new_person(
                "zone", _day_between(rng, HISTORY_START, datetime.date(2017, 1, 13)), Status.STREET_ZONE
            )

        for previous, check in itertools.pairwise(checks):
            lo = previous + datetime.timedelta(days=1)
            self.evolve(check)
            for _ in range(_RETURNS.get((lo.year, lo.month), 0)):
                candidates = [
                    p
                    for p in self.persons
                    if p.status in _RETURNABLE
                    and not p.returned
                    and p.last_date < lo
                    and p.next_due
                    and p.next_due > check
                ]
                if candidates:
                    person = rng.choice(candidates)
                    day = _day_between(rng, lo, check)
                    self.move(person, day, Status.STREET_ZONE)
                    person.returned = True
                    person.leave_after = day + datetime.timedelta(days=rng.randint(60, 150))
            for _ in range(_ARRIVALS.get((lo.year, lo.month), 0)):
                self.new_person("zone_late", _day_between(rng, lo, check), Status.STREET_ZONE)
            surplus = len(self.on_zone()) - _target(check)
            leavable = [p for p in self.on_zone() if p.last_date < check and p.last_date < lo]
            due = [p for p in leavable if p.leave_after and p.leave_after <= check]
            rest = [p for p in leavable if p not in due]
            rng.shuffle(rest)
            for person in (due + rest)[: max(0, surplus)]:
                self.leave_zone(person, lo, check)

        # The zone closes: whoever is still there works its last night, 31 March, and leaves the next
        # day. So March ends with six on the zone (the monthly figures are taken on the month's last day).
        self.evolve(ZONE_CLOSED_ON)
        closed = ZONE_CLOSED_ON + datetime.timedelta(days=1)
        for person in self.on_zone():
            self.leave_zone(person, closed, closed)

        # The shelter opens: a few move in during the first weeks, others arrive later.
        movable = [p for p in self.persons if p.status in _RETURNABLE]
        for person in rng.sample(movable, min(_MOVED_TO_SHELTER_ON_OPENING, len(movable))):
            self.move(
                person,
                _day_between(rng, SHELTER_OPENED_ON, SHELTER_OPENED_ON + datetime.timedelta(days=20)),
                Status.IN_SHELTER,
            )
        arrivals: list[tuple[datetime.date, str, str]] = [
            (d, Status.IN_SHELTER, "shelter") for d in _SHELTER_ARRIVALS
        ]
        arrivals += [(d, s, "walk_in") for d, s in _WALK_INS]
        for day, status, origin in sorted(arrivals):
            if day > _RECENT:
                continue
            self.evolve(day)
            self.new_person(origin, day, status)
        self.evolve(_RECENT)
        movable = [p for p in self.persons if p.status in _RETURNABLE | {Status.EXITED}]
        for person, status in zip(rng.sample(movable, len(_RECENT_MOVES)), _RECENT_MOVES, strict=True):
            self.move(person, _day_between(rng, _RECENT, HISTORY_END - datetime.timedelta(days=60)), status)
            person.next_due = None  # still there today
        for day, status, origin in sorted(arrivals):
            if day > _RECENT:
                self.evolve(day)
                self.new_person(origin, day, status)
        self.evolve(HISTORY_END)
        self._revolving_door()
        self._details()
        return self.persons

    def _revolving_door(self) -> None:
        """Someone is admitted six times: the most admitted person gets short admissions inside their
        longest later spells (after the zone closed, so the street-zone figures stay as they are)."""
        rng = random.Random(SEED + _ADMISSIONS)

        def admissions(p: PlannedPerson) -> int:
            return sum(1 for _, status in p.events if status == Status.IN_TREATMENT)

        treated = [p for p in self.persons if admissions(p)]
        person = max(
            treated, key=lambda p: (admissions(p), max(d for d, s in p.events if s == Status.IN_TREATMENT))
        )
        while admissions(person) < _ADMISSIONS:
            ends = [d for d, _ in person.events[1:]] + [HISTORY_END]
            spells = [
                (end - day, index)
                for index, ((day, status), end) in enumerate(zip(person.events, ends, strict=True))
                if day > ZONE_CLOSED_ON and status not in _TERMINAL and status != Status.IN_TREATMENT
            ]
            length, index = max(spells)
            day, status = person.events[index]
            start = day + datetime.timedelta(days=rng.randint(30, length.days // 2))
            back = start + datetime.timedelta(days=rng.randint(30, min(90, length.days // 3)))
            person.events[index + 1 : index + 1] = [(start, Status.IN_TREATMENT), (back, status)]

    def _details(self) -> None:
        rng = self.rng
        aliases = list(ALIASES)
        for index, person in enumerate(self.persons):
            if person.roepnaam in SPELLINGS:
                person.aliases.append(SPELLINGS[person.roepnaam])
            if rng.random() < 0.3:
                person.aliases.append(aliases[index % len(aliases)])
            if rng.random() < 0.8:
                person.birth_year = rng.randint(1966, 2001)
            nationality, languages = rng.choices(NATIONALITIES, weights=[12, 4, 3, 2, 2, 1, 1])[0]
            person.nationality, person.languages = nationality, list(languages)
            if index % 8 == 3:  # a few have given a legal name and a phone number
                person.legal_name = f"{person.roepnaam} {SURNAMES[index % len(SURNAMES)]}"
                person.phone = f"06-00000{100 + index:03d}"
            if index % 16 == 3:
                person.address = f"Voorbeeldstraat {index}, Hunzestad"


def plan_persons(seed: int = SEED) -> list[PlannedPerson]:
    """The demo persons with their full histories (until HISTORY_END), in plain Python."""
    return _Planner(seed).plan()


def planned_street_zone_count(persons: list[PlannedPerson], day: datetime.date) -> int:
    return sum(1 for p in persons if p.status_on(day) == Status.STREET_ZONE)


# --- Writing the plan -----------------------------------------------------------------------


def _at_noon(day: datetime.date, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, minute % 60)))


def _spells(events: Events, status: str) -> list[tuple[datetime.date, datetime.date | None]]:
    out = []
    for index, (day, to_status) in enumerate(events):
        if to_status == status:
            end = events[index + 1][0] if index + 1 < len(events) else None
            out.append((day, end))
    return out


_KEY_WORKER_PATTERN = (0, 1, 0, 2, 3)  # the demo caseworker carries the largest caseload
_END_REASON: dict[str, str] = {Status.MOVED_AWAY: "Verhuisd", Status.DECEASED: "Overleden"}
_ORIGIN_REASON = {
    "zone": "Contact op de tippelzone",
    "zone_late": "Contact op de tippelzone",
    "walk_in": "Binnengelopen in de huiskamer",
    "shelter": "Aangemeld via de tijdelijke opvang",
}


class _Writer:
    def __init__(self, demo: DemoNetwork, today: datetime.date):
        self.demo = demo
        self.today = today
        self.org: dict[str, Organisation] = demo.organisations
        self.caseworker = demo.user("caseworker")
        self.outreach = demo.user("outreach")
        self.shelter_coordinator = demo.user("shelter_coordinator")
        self.clinic_worker = demo.users["caseworker.kliniek@demo.inbeeld.test"]
        self.key_workers = demo.key_workers
        self.changes: list[StatusChange] = []
        self.involvements: list[Involvement] = []
        self.consents: list[Consent] = []
        self.aliases: list[Alias] = []

    def person(self, index: int, plan: PlannedPerson) -> Person:
        events = [(d, s) for d, s in plan.events if d <= self.today]
        last_day, status = events[-1]
        key_worker = None
        if status not in _TERMINAL:
            key_worker = self.key_workers[_KEY_WORKER_PATTERN[index % len(_KEY_WORKER_PATTERN)]]
        person = Person.objects.create(
            network=self.demo.network,
            roepnaam=plan.roepnaam,
            legal_name=plan.legal_name,
            birth_year=plan.birth_year,
            phone=plan.phone,
            phone_index=phone_index(plan.phone) if plan.phone else "",
            address=plan.address,
            languages=plan.languages,
            nationality=plan.nationality,
            status=status,
            status_since=last_day,
            lead_organisation=self.org[FOUNDATION],
            key_worker=key_worker,
            registered_at=_at_noon(events[0][0]),
        )
        self.aliases += [Alias(person=person, name=name) for name in plan.aliases]
        self._history(person, events, key_worker)
        self._involvements(person, plan, events)
        return person

    def _recorder(
        self, to_status: str, from_status: str, key_worker: User | None
    ) -> tuple[User, Organisation]:
        if Status.STREET_ZONE in (to_status, from_status):
            return self.outreach, self.org[FOUNDATION]
        if to_status == Status.IN_TREATMENT:
            return self.clinic_worker, self.org[CLINIC]
        if to_status == Status.IN_SHELTER:
            return self.shelter_coordinator, self.org[SHELTER]
        return key_worker or self.caseworker, self.org[FOUNDATION]

    def _history(self, person: Person, events: Events, key_worker: User | None) -> None:
        previous = ""
        for number, (day, status) in enumerate(events):
            user, organisation = self._recorder(status, previous, key_worker)
            self.changes.append(
                StatusChange(
                    person=person,
                    from_status=previous,
                    to_status=status,
                    effective_on=day,
                    recorded_at=_at_noon(day, number),
                    recorded_by=user,
                    recorded_by_organisation=organisation,
                )
            )
            previous = status

    def _involvements(self, person: Person, plan: PlannedPerson, events: Events) -> None:
        last_day, status = events[-1]
        self.involvements.append(
            Involvement(
                person=person,
                organisation=self.org[FOUNDATION],
                started_on=events[0][0],
                ended_on=last_day if status in _TERMINAL else None,
                reason=_ORIGIN_REASON[plan.origin],
                end_reason=_END_REASON.get(status, ""),
                created_by=self.outreach if plan.origin.startswith("zone") else self.caseworker,
            )
        )
        for key, spell_status, reason in (
            (CLINIC, Status.IN_TREATMENT, "Opname"),
            (SHELTER, Status.IN_SHELTER, "Bewoner tijdelijke opvang"),
        ):
            for start, end in _spells(events, spell_status):
                self.involvements.append(
                    Involvement(
                        person=person,
                        organisation=self.org[key],
                        started_on=start,
                        ended_on=end,
                        reason=reason,
                        created_by=self.clinic_worker if key == CLINIC else self.shelter_coordinator,
                    )
                )

    def consent(
        self,
        person: Person,
        *,
        recipient: str,
        purpose: str,
        categories: list[str],
        valid_from: datetime.date,
        valid_to: datetime.date | None = None,
        recorded_by: User | None = None,
        recorded_by_organisation: str = FOUNDATION,
        how_given: str = Consent.HowGiven.WRITTEN,
        withdrawn_on: datetime.date | None = None,
    ) -> None:
        if valid_from > self.today or (withdrawn_on and withdrawn_on > self.today):
            return
        self.consents.append(
            Consent(
                person=person,
                recipient=self.org[recipient],
                purpose=purpose,
                data_categories=categories,
                how_given=how_given,
                valid_from=valid_from,
                valid_to=valid_to,
                recorded_by=recorded_by or self.caseworker,
                recorded_by_organisation=self.org[recorded_by_organisation],
                recorded_at=_at_noon(valid_from),
                withdrawn_at=_at_noon(withdrawn_on) if withdrawn_on else None,
                withdrawn_by=self.caseworker if withdrawn_on else None,
                withdrawal_note="Wil dit niet meer laten delen." if withdrawn_on else "",
            )
        )

    def consents_for(self, created: list[tuple[Person, Events]]) -> None:
        """Clinic ↔ foundation for care coordination, the shelter for its residents.

        One consent has expired, one was withdrawn, one runs out in ten days.
        """
        care: list[str] = [DataCategory.CARE_PLAN, DataCategory.HEALTH]
        treated = [(p, _spells(ev, Status.IN_TREATMENT)) for p, ev in created]
        treated = [(p, spells) for p, spells in treated if spells]
        recent = [(p, s) for p, s in treated if s[-1][0] >= datetime.date(2021, 1, 1)]
        early = [(p, s) for p, s in treated if s[0][0] < datetime.date(2019, 1, 1) and (p, s) not in recent]
        cc = Consent.Purpose.CARE_COORDINATION
        for number, (person, spells) in enumerate(recent[:5]):
            start = spells[-1][0]
            if number == 4:  # withdrawn after a while
                self.consent(
                    person,
                    recipient=CLINIC,
                    purpose=cc,
                    categories=care,
                    valid_from=start,
                    withdrawn_on=start + datetime.timedelta(days=120),
                )
                continue
            valid_to = None
            if number == 0:  # runs out soon: something for the radar to notice
                soon = self.today + datetime.timedelta(days=10)
                valid_to = soon if soon <= start + datetime.timedelta(days=5 * 365) else None
            self.consent(
                person, recipient=CLINIC, purpose=cc, categories=care, valid_from=start, valid_to=valid_to
            )
            if number < 2:  # and the clinic shares back with the foundation
                self.consent(
                    person,
                    recipient=FOUNDATION,
                    purpose=cc,
                    categories=care,
                    valid_from=start,
                    recorded_by=self.clinic_worker,
                    recorded_by_organisation=CLINIC,
                    how_given=Consent.HowGiven.VERBAL,
                )
        for person, spells in early[:1]:  # expired long ago
            start = spells[0][0]
            self.consent(
                person,
                recipient=CLINIC,
                purpose=cc,
                categories=care,
                valid_from=start,
                valid_to=start + datetime.timedelta(days=365),
            )
        residents = [(p, _spells(ev, Status.IN_SHELTER)) for p, ev in created]
        for person, spells in [(p, s) for p, s in residents if s][:3]:
            self.consent(
                person,
                recipient=SHELTER,
                purpose=Consent.Purpose.SHELTER,
                categories=[str(DataCategory.CONTACT_DETAILS), str(DataCategory.NETWORK_MAP)],
                valid_from=spells[0][0],
            )

    def flush(self) -> dict[str, int]:
        StatusChange.objects.bulk_create(self.changes)
        Involvement.objects.bulk_create(self.involvements)
        Consent.objects.bulk_create(self.consents)
        Alias.objects.bulk_create(self.aliases)
        return {
            "status_changes": len(self.changes),
            "involvements": len(self.involvements),
            "consents": len(self.consents),
            "aliases": len(self.aliases),
        }


def load_persons(demo: DemoNetwork, *, today: datetime.date | None = None) -> dict[str, int]:
    """Create the demo persons that do not exist yet (by roepnaam in the demo network).

    Plain ORM writes, no audit events: the caller records one summary event. Call inside a transaction.
    Returns what was created.
    """
    today = today or timezone.localdate()
    existing = set(Person.objects.in_network(demo.network).values_list("roepnaam", flat=True))
    writer = _Writer(demo, today)
    created: list[tuple[Person, Events]] = []
    for index, plan in enumerate(plan_persons()):
        if plan.roepnaam in existing or plan.events[0][0] > today:
            continue
        person = writer.person(index, plan)
        created.append((person, [(d, s) for d, s in plan.events if d <= today]))
    writer.consents_for(created)
    counts = writer.flush()
    return {"persons": len(created), **counts} if created else {}
