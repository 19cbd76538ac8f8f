"""The demo's social network maps: ties that grow after someone moves into the shelter. All invented.

The care foundation records the ties (its demo caseworker), so the shelter sees them only through the
person's consent for the network map (rule 2). A resident's map starts small (family they lost touch
with, an exploiter from the zone years) and grows after the move: a volunteer buddy, a friend from the
huiskamer, professionals, family found again; the risk contacts end. ``people.ties.size_series`` shows
that growth. A few other persons in the foundation's care get a smaller map.

Plain ORM writes (bulk), idempotent: nothing is written once the demo network has any tie.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from inbeeld.core.demo import FOUNDATION, SHELTER
from inbeeld.people.models import (
    Consent,
    ContactFrequency,
    DataCategory,
    Involvement,
    NetworkTie,
    Person,
    Status,
    StatusChange,
    TieKind,
    TieQuality,
)

if TYPE_CHECKING:
    from inbeeld.core.demo import DemoNetwork

SEED = "ties-demo"
_Day = datetime.date
Spell = tuple[_Day, _Day | None]

K, Q, F = TieKind, TieQuality, ContactFrequency


@dataclass(frozen=True)
class TieSpec:
    """One tie relative to the day the person moved in: starts ``start`` days after it (negative: before);
    ends ``end`` days after it (None: still there)."""

    kind: str
    quality: str
    frequency: str
    names: tuple[str, ...]
    start: int
    end: int | None = None
    note: str = ""


# What a resident's map looks like around a shelter stay. Names are labels, never real persons.
RESIDENT_TIES: tuple[TieSpec, ...] = (
    TieSpec(
        K.RISK_CONTACT,
        Q.RISK,
        F.WEEKLY,
        ("Uitbuiter van de zone (R.)", "Man die kamers verhuurde (T.)", "Ex-vriend die geld eiste (D.)"),
        -500,
        20,
        "Contact verbroken na de verhuizing naar de opvang.",
    ),
    TieSpec(
        K.FRIEND,
        Q.NEUTRAL,
        F.MONTHLY,
        ("Oude bekende van de zone", "Kennis van de Ankerkade", "Buurvrouw van vroeger"),
        -300,
    ),
    TieSpec(
        K.FAMILY,
        Q.NEUTRAL,
        F.RARELY,
        ("Moeder", "Broer (Marco)", "Tante Els"),
        -900,
        None,
        "Af en toe een kaartje.",
    ),
    TieSpec(K.PROFESSIONAL, Q.SUPPORTIVE, F.WEEKLY, ("Casemanager Stichting",), -120),
    TieSpec(K.BUDDY, Q.SUPPORTIVE, F.WEEKLY, ("Buddy van Het Baken",), 21, None, "Samen wandelen op zondag."),
    TieSpec(
        K.FRIEND,
        Q.SUPPORTIVE,
        F.WEEKLY,
        ("Vriendin uit de huiskamer", "Medebewoonster van Het Baken", "Vriendin van de kookgroep"),
        35,
    ),
    TieSpec(K.PROFESSIONAL, Q.SUPPORTIVE, F.MONTHLY, ("Huisarts", "Schuldhulpverlener"), 50),
    TieSpec(
        K.FAMILY,
        Q.SUPPORTIVE,
        F.WEEKLY,
        ("Zus (Irina)", "Dochter (Lisa)", "Nicht (Sanne)"),
        75,
        None,
        "Weer contact sinds de zomer, belt elke zondag.",
    ),
    TieSpec(
        K.OTHER, Q.SUPPORTIVE, F.WEEKLY, ("Koor in de wijk", "Moestuinclub Bakenweg", "Sportschool"), 110
    ),
    TieSpec(K.FRIEND, Q.SUPPORTIVE, F.MONTHLY, ("Collega van het vrijwilligerswerk", "Buurvrouw"), 160),
)

# A smaller map for some others in the foundation's care (relative to their registration).
OTHER_TIES: tuple[TieSpec, ...] = (
    TieSpec(K.FAMILY, Q.NEUTRAL, F.RARELY, ("Vader", "Oom", "Broer (Kevin)"), -400),
    TieSpec(K.PROFESSIONAL, Q.SUPPORTIVE, F.MONTHLY, ("Casemanager Stichting",), 30),
    TieSpec(K.FRIEND, Q.SUPPORTIVE, F.WEEKLY, ("Vriendin uit de huiskamer", "Buurvrouw"), 200),
    TieSpec(K.RISK_CONTACT, Q.RISK, F.WEEKLY, ("Klant die lastigviel (anoniem)",), -200, 150),
)
OTHER_PERSONS = 6


def shelter_spells(network_id: int) -> dict[int, list[Spell]]:
    """Each person's spells in the shelter, from the stored status histories: person id → [(from, to)]."""
    changes = (
        StatusChange.objects.filter(person__network_id=network_id)
        .order_by("person_id", "effective_on", "recorded_at", "id")
        .values_list("person_id", "to_status", "effective_on")
    )
    by_person: dict[int, list[tuple[str, _Day]]] = {}
    for person_id, status, day in changes:
        by_person.setdefault(person_id, []).append((status, day))
    spells: dict[int, list[Spell]] = {}
    for person_id, events in by_person.items():
        for index, (status, day) in enumerate(events):
            if status != Status.IN_SHELTER:
                continue
            end = next((d for s, d in events[index + 1 :] if s != Status.IN_SHELTER), None)
            if index and events[index - 1][0] == Status.IN_SHELTER:
                continue  # a repeated status is the same spell
            spells.setdefault(person_id, []).append((day, end))
    return spells


def _noon(day: _Day) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def load_ties(demo: DemoNetwork, *, today: _Day | None = None) -> dict[str, int]:
    """Write the network maps if the demo has none yet. Call inside a transaction."""
    today = today or timezone.localdate()
    if NetworkTie.objects.filter(person__network=demo.network).exists():
        return {}
    rng = random.Random(SEED)
    foundation = demo.organisations[FOUNDATION]
    caseworker = demo.user("caseworker")
    ties: list[NetworkTie] = []

    def add(person_id: int, anchor: _Day, spec: TieSpec, floor: _Day) -> None:
        start = max(anchor + datetime.timedelta(days=spec.start + rng.randint(-5, 5)), floor)
        end = None if spec.end is None else anchor + datetime.timedelta(days=spec.end + rng.randint(0, 10))
        if start > today:
            return
        if end is not None and (end > today or end < start):
            end = None if end > today else start
        ties.append(
            NetworkTie(
                person_id=person_id,
                kind=spec.kind,
                quality=spec.quality,
                frequency=spec.frequency,
                name=rng.choice(spec.names),
                started_on=start,
                ended_on=end,
                note=spec.note,
                organisation=foundation,
                recorded_by=caseworker,
                recorded_at=_noon(max(start, floor)),
            )
        )

    spells = shelter_spells(demo.network.pk)
    registered = dict(
        Person.objects.in_network(demo.network).values_list("pk", "registered_at")  # type: ignore[arg-type]
    )
    floor_of = {pk: timezone.localdate(moment) for pk, moment in registered.items()}
    for person_id in sorted(spells):
        first_move_in = spells[person_id][0][0]
        for spec in RESIDENT_TIES:
            add(person_id, first_move_in, spec, floor_of[person_id])

    others = list(
        Involvement.objects.filter(
            organisation=foundation, ended_on__isnull=True, person__network=demo.network
        )
        .exclude(person_id__in=spells)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()
    )
    for person_id in rng.sample(others, min(OTHER_PERSONS, len(others))):
        floor = floor_of[person_id]
        anchor = floor + datetime.timedelta(days=200)
        for spec in OTHER_TIES:
            add(person_id, anchor, spec, floor)

    NetworkTie.objects.bulk_create(ties)
    consents = _buddy_consent(demo, spells, today)
    return {"network_ties": len(ties), **({"network_map_consents": consents} if consents else {})}


def _buddy_consent(demo: DemoNetwork, spells: dict[int, list[Spell]], today: _Day) -> int:
    """The resident who moved in first among those living in the shelter today agrees, at the intake, that
    the shelter (and so their buddy) sees their network map. Returns the number of consents written."""
    shelter = demo.organisations[SHELTER]
    current = sorted(
        (spell[0], person_id)
        for person_id, person_spells in spells.items()
        for spell in person_spells[-1:]
        if spell[1] is None and spell[0] <= today
    )
    if not current:
        return 0
    moved_in, person_id = current[0]
    shared = Consent.objects.valid_on(today).filter(person_id=person_id, recipient=shelter)
    if any(DataCategory.NETWORK_MAP in consent.data_categories for consent in shared):
        return 0
    Consent.objects.create(
        person_id=person_id,
        recipient=shelter,
        purpose=Consent.Purpose.SHELTER,
        data_categories=[str(DataCategory.CONTACT_DETAILS), str(DataCategory.NETWORK_MAP)],
        how_given=Consent.HowGiven.WRITTEN,
        valid_from=moved_in,
        recorded_by=demo.user("caseworker"),
        recorded_by_organisation=demo.organisations[FOUNDATION],
        recorded_at=_noon(moved_in),
    )
    return 1
