"""The shelter's part of the demo network: beds, stays, waitlist, volunteers, roster, house log. All invented.

Every stay follows a spell of ``in_shelter`` in the demo's status histories (check-in on its first day,
check-out on its last), placed in a bed that is free then, so no bed is ever double-booked. About twelve
volunteers (the demo volunteer Mies and eleven invented colleagues) have a VOG (most valid, one expiring
soon, one expired, one missing), trainings and availability; the roster covers the past four weeks and
the coming two, signing up only volunteers whose VOG is valid on the day and leaving gaps ahead. The
house log holds neutral house facts only (no health, addiction, sex-work or plan details).

Plain ORM writes (bulk), idempotent: nothing is written once the demo site has rooms.
"""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING

from django.utils import timezone

from inbeeld.core.demo import FOUNDATION, SHELTER, SHELTER_HOUSE
from inbeeld.core.models import Location
from inbeeld.people.demo_ties import shelter_spells
from inbeeld.people.models import Involvement, Status, StatusChange
from inbeeld.shelter.demo_team import EPOCH, TeamLoader, _at
from inbeeld.shelter.models import (
    Bed,
    CheckoutReason,
    HouseRules,
    Priority,
    Room,
    Stay,
    WaitlistEntry,
)

if TYPE_CHECKING:
    from inbeeld.core.demo import DemoNetwork

SEED = "shelter-demo"
_Day = datetime.date
_D = datetime.timedelta

# Room → bed labels; the last bed of the attic is out of use (a leak in the roof).
ROOMS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Kamer Noord", ("Bed 1", "Bed 2", "Bed 3"), "Grote kamer aan de tuinkant"),
    ("Kamer Zuid", ("Bed 1", "Bed 2", "Bed 3"), ""),
    ("Kamer Oost", ("Bed 1", "Bed 2"), "Naast de badkamer"),
    ("Zolderkamer", ("Bed 1", "Bed 2"), "Schuin dak"),
)
OUT_OF_USE = ("Zolderkamer", "Bed 2")

HOUSE_RULES: tuple[tuple[_Day, str], ...] = (
    (
        datetime.date(2019, 3, 25),
        "Huisregels Het Baken\n\n"
        "1. We gaan respectvol met elkaar om: geen geweld, geen bedreiging, geen discriminatie.\n"
        "2. Geen bezoek op de kamers; bezoek is welkom in de woonkamer tot 21.00 uur.\n"
        "3. Geen alcohol of drugs in huis.\n"
        "4. Om 23.00 uur is het stil in huis.\n"
        "5. Iedereen doet mee met koken en schoonmaken volgens het rooster.\n"
        "6. Ben je een nacht weg, laat het de vrijwilliger van dienst weten.",
    ),
    (
        datetime.date(2023, 1, 16),
        "Huisregels Het Baken (versie 2)\n\n"
        "1. We gaan respectvol met elkaar om: geen geweld, geen bedreiging, geen discriminatie.\n"
        "2. Bezoek is welkom in de woonkamer tot 21.00 uur, niet op de kamers.\n"
        "3. Geen alcohol of drugs in huis en in de tuin.\n"
        "4. Om 23.00 uur is het stil in huis; de voordeur gaat om 00.00 uur op slot.\n"
        "5. Iedereen doet mee met koken en schoonmaken volgens het rooster.\n"
        "6. Ben je een nacht weg, laat het de vrijwilliger van dienst weten.\n"
        "7. Telefoons in de gemeenschappelijke ruimtes op stil tijdens het eten.",
    ),
)

# How a shelter spell ended (the next status) → the reason for leaving.
_CHECKOUT: dict[str, str] = {
    Status.IN_TREATMENT: CheckoutReason.ADMITTED,
    Status.EXITED: CheckoutReason.MOVED_ON,
    Status.EXITING: CheckoutReason.PLANNED_END,
    Status.UNKNOWN: CheckoutReason.LEFT,
    Status.OTHER_SEX_WORK: CheckoutReason.LEFT,
    Status.MOVED_AWAY: CheckoutReason.MOVED_ON,
}

WAITLIST_NOTES = (
    "Aangemeld door de casemanager; kan op korte termijn komen.",
    "Graag een kamer op de begane grond.",
    "Bereikbaar via de huiskamer.",
    "",
)


def load_shelter(demo: DemoNetwork, *, today: _Day | None = None) -> dict[str, int]:
    """Write the shelter demo if the demo site has no rooms yet. Call inside a transaction."""
    today = today or timezone.localdate()
    site = Location.objects.filter(name=SHELTER_HOUSE, organisation=demo.organisations[SHELTER]).first()
    if site is None or Room.objects.filter(location=site).exists():
        return {}
    return _Loader(demo, site, today).load()


class _Loader(TeamLoader):
    def __init__(self, demo: DemoNetwork, site: Location, today: _Day):
        self.demo = demo
        self.site = site
        self.today = today
        self.now = min(timezone.now(), _at(today, "23:59"))
        self.rng = random.Random(SEED)
        self.shelter = demo.organisations[SHELTER]
        self.coordinator = demo.user("shelter_coordinator")
        self.created: dict[str, int] = {}

    def count(self, what: str, n: int) -> None:
        if n:
            self.created[what] = self.created.get(what, 0) + n

    def load(self) -> dict[str, int]:
        beds = self._beds()
        rules = self._house_rules()
        stays = self._stays(beds, rules)
        self._waitlist(stays)
        volunteers = self._volunteers()
        slots = self._slots()
        self._availability(volunteers, slots)
        self._roster(volunteers, slots, stays)
        self._buddies(volunteers, stays)
        return self.created

    # --- rooms, beds, house rules, stays --------------------------------------------------------------

    def _beds(self) -> list[Bed]:
        rooms = Room.objects.bulk_create(
            [Room(location=self.site, name=name, note=note) for name, _, note in ROOMS]
        )
        beds = [
            Bed(room=room, label=label, in_use=(room.name, label) != OUT_OF_USE)
            for room, (_, labels, _) in zip(rooms, ROOMS, strict=True)
            for label in labels
        ]
        Bed.objects.bulk_create(beds)
        self.count("rooms", len(rooms))
        self.count("beds", len(beds))
        return [bed for bed in beds if bed.in_use]

    def _house_rules(self) -> list[HouseRules]:
        rules = HouseRules.objects.bulk_create(
            [
                HouseRules(
                    location=self.site,
                    version=number,
                    text=text,
                    published_at=_at(day, "10:00"),
                    published_by=self.coordinator,
                )
                for number, (day, text) in enumerate(HOUSE_RULES, start=1)
                if day <= self.today
            ]
        )
        self.count("house_rules", len(rules))
        return rules

    def _stays(self, beds: list[Bed], rules: list[HouseRules]) -> list[Stay]:
        spells = shelter_spells(self.demo.network.pk)
        next_status = self._next_statuses()
        items = sorted(
            (start, end, person_id)
            for person_id, person_spells in spells.items()
            for start, end in person_spells
        )
        free_from: dict[int, datetime.datetime] = {}  # bed id → when its last stay ended (absent: free)
        busy: set[int] = set()  # beds with an open stay
        stays: list[Stay] = []
        for start, end, person_id in items:
            checked_in = _at(start, "15:00")
            checked_out = _at(end, "11:00") if end is not None else None
            free = [b for b in beds if b.pk not in busy and free_from.get(b.pk, checked_in) <= checked_in]
            # The bed that has been free longest: over the years every bed sees residents.
            bed = min(free, key=lambda b: (free_from.get(b.pk, EPOCH), b.pk), default=None)
            if bed is None or not rules:
                continue  # the demo never has more residents than beds; stay safe if it changes
            if checked_out is None:
                busy.add(bed.pk)
            else:
                free_from[bed.pk] = checked_out
            version = [r for r in rules if r.published_at <= checked_in] or rules[:1]
            reason = ""
            if end is not None:
                reason = _CHECKOUT.get(next_status.get((person_id, end), ""), CheckoutReason.OTHER)
            stays.append(
                Stay(
                    person_id=person_id,
                    location=self.site,
                    bed=bed,
                    organisation=self.shelter,
                    checked_in_at=checked_in,
                    planned_end_on=start + _D(days=180),
                    checked_out_at=checked_out,
                    checkout_reason=reason,
                    house_rules=version[-1],
                    house_rules_accepted_at=checked_in,
                    checked_in_by=self.coordinator,
                    checked_out_by=self.coordinator if end is not None else None,
                )
            )
        Stay.objects.bulk_create(stays)
        self.count("stays", len(stays))
        return stays

    def _next_statuses(self) -> dict[tuple[int, _Day], str]:
        rows = StatusChange.objects.filter(
            person__network=self.demo.network, from_status=Status.IN_SHELTER
        ).values_list("person_id", "effective_on", "to_status")
        return {(person_id, day): status for person_id, day, status in rows}

    # --- the waitlist ---------------------------------------------------------------------------------

    def _waitlist(self, stays: list[Stay]) -> None:
        foundation = self.demo.organisations[FOUNDATION]
        caseworker = self.demo.user("caseworker")
        entries: list[WaitlistEntry] = []
        # Most residents were on the list for a few weeks before they moved in.
        for stay in stays[::2]:
            moved_in = stay.checked_in_at.date()
            entries.append(
                WaitlistEntry(
                    location=self.site,
                    person_id=stay.person_id,
                    priority=self.rng.choice([Priority.HIGH, Priority.NORMAL]),
                    added_on=moved_in - _D(days=self.rng.randint(7, 40)),
                    requested_by_organisation=foundation,
                    organisation=self.shelter,
                    added_by=caseworker,
                    closed_at=stay.checked_in_at,
                    outcome=WaitlistEntry.Outcome.PLACED,
                    stay=stay,
                )
            )
        residents = {s.person_id for s in stays if s.checked_out_at is None}
        candidates = list(
            Involvement.objects.filter(
                organisation=foundation, ended_on__isnull=True, person__network=self.demo.network
            )
            .exclude(person_id__in=residents)
            .exclude(person__status__in=[Status.IN_SHELTER, Status.MOVED_AWAY, Status.DECEASED])
            .order_by("person_id")
            .values_list("person_id", flat=True)
            .distinct()
        )
        chosen = self.rng.sample(candidates, min(6, len(candidates)))
        waiting = list(
            zip(
                chosen[:4],
                (Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.NORMAL),
                (3, 9, 21, 40),
                WAITLIST_NOTES,
                strict=False,
            )
        )
        for person_id, priority, days_ago, note in waiting:
            entries.append(
                WaitlistEntry(
                    location=self.site,
                    person_id=person_id,
                    priority=priority,
                    added_on=self.today - _D(days=days_ago),
                    requested_by_organisation=foundation,
                    organisation=self.shelter,
                    note=note,
                    added_by=caseworker,
                )
            )
        closed = (
            (WaitlistEntry.Outcome.WITHDRAWN, 120, "Wil toch liever bij familie wonen."),
            (WaitlistEntry.Outcome.PLACED_ELSEWHERE, 300, ""),
        )
        for person_id, (outcome, days_ago, note) in zip(chosen[4:], closed, strict=False):
            added = self.today - _D(days=days_ago)
            entries.append(
                WaitlistEntry(
                    location=self.site,
                    person_id=person_id,
                    priority=Priority.NORMAL,
                    added_on=added,
                    requested_by_organisation=foundation,
                    organisation=self.shelter,
                    note=note,
                    added_by=caseworker,
                    closed_at=_at(added + _D(days=30), "10:00"),
                    outcome=outcome,
                )
            )
        WaitlistEntry.objects.bulk_create(entries)
        self.count("waitlist_entries", len(entries))

    # --- volunteers -----------------------------------------------------------------------------------
