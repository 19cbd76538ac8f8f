"""A demo person's life as the care history sees it: status spells, and the small helpers that plan it."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import timezone

from inbeeld.care.models import Goal
from inbeeld.core.models import Location, User
from inbeeld.people.models import Person, Status

DAY = datetime.timedelta(days=1)
AFTERCARE = datetime.timedelta(days=3 * 365)  # after exiting, the foundation stays in touch this long
WEEKDAYS = (0, 1, 2, 3, 4)
CLOSED = frozenset({Status.MOVED_AWAY, Status.DECEASED})
IN_CARE = frozenset({Status.EXITING, Status.EXITED, Status.IN_TREATMENT, Status.IN_SHELTER})
Entry = tuple[str, tuple[str, ...], str]  # (kind, topics, note)


# --- A person's history ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Spell:
    status: str
    start: datetime.date
    end: datetime.date | None  # the day the next status began; None while it lasts


def spells_of(person: Person) -> list[Spell]:
    """The person's status spells, oldest first, from the stored status changes."""
    changes = sorted(person.status_changes.all(), key=lambda c: (c.effective_on, c.recorded_at, c.pk))
    ends = [c.effective_on for c in changes[1:]] + [None]
    return [Spell(c.to_status, c.effective_on, end) for c, end in zip(changes, ends, strict=True)]


def admissions(spells: list[Spell]) -> list[Spell]:
    return [s for s in spells if s.status == Status.IN_TREATMENT]


def most_admitted(histories: dict[Person, list[Spell]]) -> Person | None:
    """The person with the most clinic admissions (the latest admission breaks a tie)."""
    ranked = [
        (len(admissions(s)), admissions(s)[-1].start, p.pk, p) for p, s in histories.items() if admissions(s)
    ]
    return max(ranked, key=lambda r: r[:3])[3] if ranked else None


class Life:
    def __init__(self, person: Person, spells: list[Spell], today: datetime.date):
        self.person, self.spells, self.today = person, spells, today
        self.first = spells[0].start
        closed = [s.start for s in spells if s.status in CLOSED]
        self.closed = min(closed) if closed else None  # moved away or died on this day
        self.limit = min([today, *closed])  # nothing is recorded on or after this day
        starts = [s.start for s in spells if s.status in IN_CARE]
        if spells[0].status != Status.STREET_ZONE:  # a walk-in or shelter resident: in care from day one
            starts.append(self.first)
        self.care_start = min(starts) if starts else None
        self.last_note = ""

    def spell_on(self, day: datetime.date) -> Spell:
        found = self.spells[0]
        for spell in self.spells:
            if spell.start > day:
                break
            found = spell
        return found

    def in_care(self, day: datetime.date) -> bool:
        """A caseworker is involved: exiting, exited (for a while), admitted, in the shelter, or back in sex
        work after care had started."""
        if self.care_start is None or not self.care_start <= day <= self.today:
            return False
        if self.closed is not None and day >= self.closed:
            return False
        spell = self.spell_on(day)
        if spell.status == Status.EXITED:
            return day - spell.start < AFTERCARE
        return spell.status in (Status.EXITING, Status.IN_TREATMENT, Status.IN_SHELTER, Status.OTHER_SEX_WORK)

    def end(self, spell: Spell) -> datetime.date:
        return min(spell.end or self.limit, self.limit)


def every(
    rng: random.Random, start: datetime.date, end: datetime.date, lo: int, hi: int
) -> Iterator[datetime.date]:
    day = start + rng.randint(0, lo) * DAY
    while day < end:
        yield day
        day += rng.randint(lo, hi) * DAY


def weekday_from(day: datetime.date, days: tuple[int, ...] = WEEKDAYS) -> datetime.date:
    while day.weekday() not in days:
        day += DAY
    return day


def pick(rng: random.Random, pool: tuple[Entry, ...], last: str = "") -> Entry:
    """An entry of the pool; crises and medical matters are rarer, and a note seldom repeats at once."""
    for _ in range(4):
        entry = rng.choice(pool)
        rare = {"crisis": 0.85, "medical": 0.5}.get(entry[0], 0.0)
        if rng.random() >= rare and (not entry[2] or entry[2] != last):
            break
    return entry


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@dataclass(frozen=True)
class Via:
    """Who records a contact, for which organisation, through which channel, where and when."""

    by: User
    organisation: str
    channel: str
    location: Location | None = None
    hours: tuple[int, int] = (9, 16)
    days: tuple[int, ...] = WEEKDAYS


@dataclass
class GoalPlan:
    number: int  # kept across versions, as the app does (Goal.position)
    domain: str
    text: str
    target: datetime.date
    status: str = Goal.Status.OPEN
    # (number, who, what, due date, status); numbers kept across versions too
    actions: list[tuple[int, str, str, datetime.date, str]] = field(default_factory=list)
    next_action: int = 1

    def add(self, who: str, what: str, due: datetime.date) -> None:
        self.actions.append((self.next_action, who, what, due, "open"))
        self.next_action += 1
