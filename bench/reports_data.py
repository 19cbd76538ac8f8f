"""What the monitoring report reads, added to the care benchmark's data (``bench.care``) with COPY.

The care generator makes persons (two status changes each, involvements with the foundation and the
clinic) and millions of contacts; ``bench.radar_data`` adds key workers, appointments, some care plans and
intakes. The report (issue 7) counts much more over ten years. This module adds, once per database, with
invented values drawn from generators seeded with the database's seed (two databases made with the same
seed get the same rows), all between the care data's first day (2 January 2017) and its last (``until``).
Volumes scale with the persons; at 100,000 persons:

- **status histories**: for about 85 % of the persons one to three more changes after their current status
  (street zone → exiting → exited, some returns to the zone, treatment, shelter, moved away), the person's
  status (and the radar line's copy) updated to the last one: ~3 changes per person in all;
- **a shelter organisation** with three shelters of 5 rooms × 4 beds, their house rules (v1), and
  ~20,000 stays one after another on each bed (the last one open on most beds; never two open stays on
  one bed or for one person, nor overlapping stays of one person), with an involvement of the shelter
  organisation for each person who stayed (ended at the last check-out, open while staying);
- **completed intakes** for ~70 % of the persons (those without one); **care plans** for three quarters of
  those without a plan, 1–4 versions each, 1–4 goals per version (ZRM domains; achieved, partly, not
  achieved, dropped or still open), an **evaluation** before every later version;
- **assessments** with the ZRM 2017 for ~50 % of the persons, 2–4 each, all 13 domains scored (a few not
  assessed), slowly improving;
- **huiskamer visits** (~500,000) at the foundation's huiskamer, 30 % anonymous, with questions (topics),
  what was given, intent and language, the first visit of each person marked;
- **network ties** (~300,000), **referrals** (~100,000) from the foundation and the clinic to partner
  services of every category (two partner organisations are added: a GGD and a partners' foundation),
  each with its consent and its events (draft → sent → accepted/declined → started → completed/dropped,
  withdrawn) and an involvement of the receiving organisation once started;
- **episodes** elsewhere (~80,000) and **radar signals** (~200,000, all resolved with an outcome or
  cleared; anchors ``bench:…`` that no rule makes, so the radar's daily run leaves them alone).

It all goes in one transaction together with the mark ``reports_inputs`` in ``bench_care_meta``, so an
interrupted run leaves nothing half-done and a rerun adds nothing twice. Free texts that must not be blank
(a goal, a tie's name, a referral's reason) come from small pools of invented texts encrypted once with
``inbeeld.core.crypto.encrypt`` (as ``bench.care`` does for contact notes).

Import after ``django.setup()``.
"""

from __future__ import annotations

import datetime
import json
import random
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg
from django.contrib.auth.hashers import make_password
from django.db import transaction
from psycopg import sql

from bench.care import generate
from bench.care.db import META_TABLE, BenchDatabase
from bench.care.generate import FIRST_DAY, PASSWORD, World, _copy, _picker, _sync_sequence
from bench.radar_data import data_day
from inbeeld.care.models import (
    Assessment,
    CarePlan,
    Domain,
    Evaluation,
    Goal,
    Instrument,
    Intake,
    PlanVersion,
    Score,
    Topic,
)
from inbeeld.chain.episodes.models import Episode, EpisodeKind, Source
from inbeeld.chain.episodes.models import Outcome as EpisodeOutcome
from inbeeld.chain.models import Category, Service
from inbeeld.chain.referrals.models import Referral, ReferralEvent
from inbeeld.core.crypto import encrypt
from inbeeld.core.models import Location, Membership, Organisation, User
from inbeeld.core.roles import Role
from inbeeld.huiskamer.models import Intent, Visit
from inbeeld.huiskamer.models import Service as Given
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
)
from inbeeld.radar.models import Signal
from inbeeld.shelter.models import Bed, CheckoutReason, HouseRules, Room, Stay

META_KEY = "reports_inputs"
VERSION = 1
CHUNK = 5_000  # persons per generated chunk (all chunks go in one transaction)
PER_100K = {"visits": 500_000, "stays": 20_000}
SHELTERS = ("Opvang Noord Bench", "Opvang Zuid Bench", "Opvang West Bench")
ROOMS, BEDS_PER_ROOM = 5, 4
UTC = datetime.UTC
DAY = datetime.timedelta(days=1)

_TEXTS = (
    "Een eigen plek om te wonen.",
    "Schulden op een rij en een regeling.",
    "Minder gebruiken, eerst een intake bij de kliniek.",
    "Overdag iets te doen hebben, vrijwilligerswerk.",
    "Weer contact met mijn zus.",
    "Een identiteitsbewijs aanvragen.",
    "Naar de huisarts voor mijn rug.",
    "Stoppen met het werk op de zone.",
    "Invented bench text in English.",
    "Buddy via de stichting.",
    "Een buddy voor de eerste weken.",
    "Vaste dagbesteding vinden.",
)
_TIE_NAMES = ("Moeder", "Zus", "Vriendin van vroeger", "Buurvrouw", "Huisarts", "Ex-partner", "Buddy", "Neef")
_STATUS_NEXT: dict[str, tuple[tuple[str, int], ...]] = {
    Status.STREET_ZONE: (
        (Status.EXITING, 35), (Status.OTHER_SEX_WORK, 15), (Status.IN_TREATMENT, 15), (Status.IN_SHELTER, 15),
        (Status.UNKNOWN, 10), (Status.MOVED_AWAY, 10),
    ),
    Status.EXITING: ((Status.EXITED, 60), (Status.STREET_ZONE, 30), (Status.IN_TREATMENT, 10)),
    Status.OTHER_SEX_WORK: ((Status.EXITING, 40), (Status.STREET_ZONE, 40), (Status.EXITED, 20)),
    Status.IN_TREATMENT: ((Status.STREET_ZONE, 40), (Status.EXITING, 40), (Status.IN_SHELTER, 20)),
    Status.IN_SHELTER: ((Status.STREET_ZONE, 40), (Status.EXITING, 40), (Status.IN_TREATMENT, 20)),
    Status.UNKNOWN: ((Status.STREET_ZONE, 50), (Status.MOVED_AWAY, 30), (Status.EXITING, 20)),
    Status.EXITED: ((Status.STREET_ZONE, 100),),  # a return, for 15 % of those who would move on
}  # fmt: skip
_GOAL_STATUS = (
    (Goal.Status.OPEN, 40), (Goal.Status.ACHIEVED, 25), (Goal.Status.PARTLY, 15),
    (Goal.Status.NOT_ACHIEVED, 10), (Goal.Status.DROPPED, 10),
)  # fmt: skip
_TIE_KINDS = (
    (TieKind.FAMILY, 25), (TieKind.FRIEND, 25), (TieKind.PARTNER, 10), (TieKind.BUDDY, 10),
    (TieKind.PROFESSIONAL, 15), (TieKind.RISK_CONTACT, 10), (TieKind.OTHER, 5),
)  # fmt: skip
_CATEGORIES = (
    (Category.ADDICTION_CARE, 14), (Category.DETOX, 6), (Category.MENTAL_HEALTH, 12),
    (Category.DEBT_HELP, 14), (Category.HOUSING, 16), (Category.GP, 10), (Category.STI_CLINIC, 8),
    (Category.ANTI_TRAFFICKING, 4),
    (Category.JOB_COACHING, 7), (Category.LEGAL_AID, 5), (Category.OTHER, 4),
)  # fmt: skip
_REFERRAL_END = (
    ("completed", 35), ("started", 12), ("dropped", 10), ("declined", 12), ("accepted", 8), ("sent", 8),
    ("withdrawn", 5), ("draft", 2),
)  # fmt: skip
_PATHS = {
    "draft": ("draft",), "sent": ("draft", "sent"), "withdrawn": ("draft", "sent", "withdrawn"),
    "declined": ("draft", "sent", "declined"), "accepted": ("draft", "sent", "accepted"),
    "started": ("draft", "sent", "accepted", "started"),
    "completed": ("draft", "sent", "accepted", "started", "completed"),
    "dropped": ("draft", "sent", "accepted", "started", "dropped"),
}  # fmt: skip
_RECEIVER_STATES = frozenset({"accepted", "declined", "started", "completed", "dropped"})
_EPISODE_KINDS = (
    (EpisodeKind.CLINIC, 20), (EpisodeKind.DETOX, 15), (EpisodeKind.HOSPITAL, 25),
    (EpisodeKind.MENTAL_HEALTH, 10), (EpisodeKind.DETENTION, 15), (EpisodeKind.SHELTER, 10),
    (EpisodeKind.OTHER, 5),
)  # fmt: skip
_EPISODE_OUTCOMES = (
    (EpisodeOutcome.COMPLETED, 45), (EpisodeOutcome.DROPPED_OUT, 20), (EpisodeOutcome.TRANSFERRED, 10),
    (EpisodeOutcome.AGAINST_ADVICE, 10), (EpisodeOutcome.RELEASED, 10), (EpisodeOutcome.OTHER, 5),
)  # fmt: skip
_RULES = (
    ("not_seen_zone", 25), ("not_seen", 25), ("no_plan", 10), ("evaluation_overdue", 10), ("no_shows", 10),
    ("discharged", 8), ("consent_expiring", 6), ("status_unknown", 4), ("key_date", 2),
)  # fmt: skip
_SIGNAL_OUTCOMES = (
    (Signal.Outcome.SEEN, 55), (Signal.Outcome.MOVED_AWAY, 8), (Signal.Outcome.ADMITTED, 12),
    (Signal.Outcome.DETAINED, 5), (Signal.Outcome.REFUSED_CONTACT, 10), (Signal.Outcome.DECEASED, 1),
    (Signal.Outcome.OTHER, 9),
)  # fmt: skip
_CHECKOUTS = (
    (CheckoutReason.PLANNED_END, 40), (CheckoutReason.MOVED_ON, 20), (CheckoutReason.ADMITTED, 10),
    (CheckoutReason.DETAINED, 5), (CheckoutReason.LEFT, 15), (CheckoutReason.HOUSE_RULES, 5),
    (CheckoutReason.OTHER, 5),
)  # fmt: skip
_INTENTS = (
    (Intent.UNKNOWN, 60), (Intent.INFO_ONLY, 20), (Intent.WANTS_TO_LEAVE, 15), (Intent.WANTS_TO_ENTER, 5),
)  # fmt: skip
_LANGUAGES = (("nl", 45), ("en", 15), ("ro", 12), ("bg", 10), ("es", 6), ("hu", 5), ("", 7))


# --- the fixed part: a shelter organisation, partners and their services -----------------------------


@dataclass(frozen=True)
class ReportsWorld:
    shelter_org: int
    shelter_staff: tuple[int, ...]
    beds: tuple[tuple[int, int], ...]  # (location id, bed id)
    house_rules: dict[int, int]  # location id → house rules id
    huiskamer: int  # the foundation's huiskamer location
    services: dict[str, tuple[tuple[int, int], ...]]  # category → ((service id, organisation id), …)
    members: dict[int, tuple[int, ...]]  # organisation id → user ids (who acts on referrals)
    instrument: int
    domains: tuple[int, ...]


def _member(email: str, name: str, organisation: Organisation, role: str) -> None:
    user = User.objects.create(email=email, full_name=name, password=make_password(PASSWORD))
    Membership.objects.create(
        user=user, organisation=organisation, role=role, started_on=datetime.date(2016, 6, 1)
    )


def setup_world(world: World) -> ReportsWorld:
    """The shelter organisation, partner organisations and services (made once, found again)."""
    network = world.network_id
    published = datetime.datetime.combine(FIRST_DAY - 30 * DAY, datetime.time(10), UTC)
    if not Organisation.objects.filter(network_id=network, name="Opvang Bench").exists():
        with transaction.atomic():
            shelter = Organisation.objects.create(
                network_id=network, name="Opvang Bench", kind=Organisation.Kind.SHELTER
            )
            ggd = Organisation.objects.create(
                network_id=network, name="GGD Bench", kind=Organisation.Kind.MUNICIPALITY
            )
            partners = Organisation.objects.create(
                network_id=network, name="Partners Bench", kind=Organisation.Kind.OTHER
            )
            _member("shelter-1@bench.inbeeld.test", "Opvang 1", shelter, Role.SHELTER_COORDINATOR)
            for number in (2, 3):
                _member(f"shelter-{number}@bench.inbeeld.test", f"Opvang {number}", shelter, Role.HOST)
            _member("ggd-1@bench.inbeeld.test", "GGD 1", ggd, Role.CASEWORKER)
            _member("partners-1@bench.inbeeld.test", "Partners 1", partners, Role.CASEWORKER)
            coordinator = User.objects.get(email="shelter-1@bench.inbeeld.test")
            for name in SHELTERS:
                site = Location.objects.create(organisation=shelter, kind=Location.Kind.SHELTER, name=name)
                HouseRules.objects.create(
                    location=site, version=1, text="Huisregels (bench).", published_at=published,
                    published_by=coordinator,
                )  # fmt: skip
                for r in range(1, ROOMS + 1):
                    room = Room.objects.create(location=site, name=f"Kamer {r}")
                    Bed.objects.bulk_create(
                        Bed(room=room, label=f"Bed {b}") for b in range(1, BEDS_PER_ROOM + 1)
                    )
            owners = {
                Category.ADDICTION_CARE: world.clinic_id, Category.DETOX: world.clinic_id,
                Category.MENTAL_HEALTH: partners.pk, Category.DEBT_HELP: partners.pk,
                Category.HOUSING: partners.pk, Category.GP: ggd.pk, Category.STI_CLINIC: ggd.pk,
                Category.ANTI_TRAFFICKING: partners.pk, Category.JOB_COACHING: partners.pk,
                Category.LEGAL_AID: partners.pk, Category.OTHER: ggd.pk,
            }  # fmt: skip
            for offered, owner in owners.items():
                for n in (1, 2) if offered in (Category.HOUSING, Category.DEBT_HELP) else (1,):
                    Service.objects.create(
                        organisation_id=owner, name=f"{offered.value} {n} (bench)",
                        category=offered, languages=["nl", "en"],
                    )  # fmt: skip
    shelter_org = Organisation.objects.get(network_id=network, name="Opvang Bench")
    members: dict[int, list[int]] = {}
    for org, user in Membership.objects.filter(organisation__network_id=network).values_list(
        "organisation_id", "user_id"
    ):
        members.setdefault(org, []).append(user)
    beds = tuple(
        Bed.objects.filter(room__location__organisation=shelter_org)
        .order_by("id")
        .values_list("room__location_id", "id")
    )
    services: dict[str, list[tuple[int, int]]] = {}
    for pk, org, category in (
        Service.objects.filter(organisation__network_id=network)
        .order_by("id")
        .values_list("id", "organisation_id", "category")
    ):
        services.setdefault(category, []).append((pk, org))
    instrument = Instrument.objects.get(network=None, code="zrm-2017")
    return ReportsWorld(
        shelter_org=shelter_org.pk,
        shelter_staff=tuple(sorted(members[shelter_org.pk])),
        beds=beds,
        house_rules=dict(
            HouseRules.objects.filter(location__organisation=shelter_org).values_list("location_id", "id")
        ),
        huiskamer=world.locations[(world.foundation_id, "huiskamer")],
        services={key: tuple(value) for key, value in services.items()},
        members={org: tuple(sorted(users)) for org, users in members.items()},
        instrument=instrument.pk,
        domains=tuple(
            Domain.objects.filter(instrument=instrument).order_by("position").values_list("id", flat=True)
        ),
    )


# --- the rows ---------------------------------------------------------------------------------------

COLUMNS: dict[type[Any], tuple[str, ...]] = {
    model: tuple(columns.split())
    for model, columns in (
        (StatusChange, "person_id from_status to_status effective_on recorded_at recorded_by_id "
                       "recorded_by_organisation_id note"),
        (Involvement, "person_id organisation_id started_on ended_on reason end_reason created_by_id"),
        (Intake, "organisation_id person_id started_by_id started_at step draft completed_at"),
        (CarePlan, "id person_id organisation_id created_at created_by_id current_number"),
        (PlanVersion, "id plan_id number saved_at saved_by_id own_words evaluation_date agreed_on agreed_how "
                      "change_summary"),
        (Goal, "version_id position domain_id description target_date status"),
        (Evaluation, "plan_id version_id evaluated_on went_well changed next_evaluation_date recorded_by_id "
                     "organisation_id recorded_at"),
        (Assessment, "id person_id instrument_id organisation_id assessed_on assessed_by_id note "
                     "recorded_at"),
        (Score, "assessment_id domain_id value note"),
        (Visit, "location_id person_id organisation_id recorded_by_id arrived_at left_at first_visit intent "
                "language questions services note recorded_at"),
        (Stay, "person_id location_id bed_id organisation_id checked_in_at planned_end_on checked_out_at "
               "checkout_reason house_rules_id house_rules_accepted_at note checked_in_by_id "
               "checked_out_by_id version"),
        (NetworkTie, "person_id kind quality name frequency started_on ended_on note organisation_id "
                     "recorded_by_id recorded_at"),
        (Consent, "id person_id recipient_id purpose data_categories basis how_given valid_from note "
                  "recorded_by_id recorded_by_organisation_id recorded_at withdrawal_note"),
        (Referral, "id person_id from_organisation_id referred_by_id service_id to_organisation_id reason "
                   "urgency shared_categories consent_id handover_note state decline_reason created_at "
                   "state_changed_at"),
        (ReferralEvent, "referral_id state at actor_id organisation_id"),
        (Episode, "person_id kind place started_on ended_on outcome note organisation_id source "
                  "recorded_by_id recorded_at version"),
        (Signal, "network_id person_id rule anchor severity facts state opened_on opened_at assigned_to_id "
                 "assigned_organisation_id acknowledged_at acknowledged_by_id escalated_on resolved_at "
                 "resolved_by_id resolved_by_organisation_id outcome outcome_note cleared_on"),
    )
}  # fmt: skip
WITH_IDS = (CarePlan, PlanVersion, Assessment, Consent, Referral)


@dataclass
class _Person:
    id: int
    status: str
    since: datetime.date
    first_seen: datetime.date
    clinic: bool


@dataclass
class _Batch:
    rows: dict[type[Any], list[tuple[Any, ...]]] = field(default_factory=lambda: {m: [] for m in COLUMNS})
    status: list[tuple[int, str, datetime.date]] = field(default_factory=list)  # persons whose status changed


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


class _Maker:
    """Rows for a chunk of persons; ids continue from ``bases`` (the tables' highest ids)."""

    def __init__(
        self,
        world: World,
        rw: ReportsWorld,
        seed: int,
        until: datetime.date,
        persons: int,
        open_involvements: set[tuple[int, int]],
    ):
        self.world, self.rw, self.seed, self.until = world, rw, seed, until
        self.open_involvements = open_involvements  # (person, organisation): one open each at most
        self.scale = persons / 100_000
        self.texts = [encrypt(text) for text in _TEXTS for _ in range(3)]
        self.names = [encrypt(name) for name in _TIE_NAMES for _ in range(3)]
        pool = random.Random(seed * 31 + 7)
        topics, given = list(Topic.values), list(Given.values)
        self.questions = [json.dumps(sorted(pool.sample(topics, pool.randint(0, 3)))) for _ in range(128)]
        self.given = [json.dumps(sorted(pool.sample(given, pool.randint(0, 3)))) for _ in range(128)]
        self.ids = dict.fromkeys(WITH_IDS, 0)
        self.workers = world.foundation_recorders

    def _next(self, model: type[Any]) -> int:
        self.ids[model] += 1
        return self.ids[model]

    def chunk(self, people: Sequence[_Person], first: int, planned: set[int], intaken: set[int]) -> _Batch:
        rng = random.Random(self.seed * 1_000_003 + 707_000_000 + first)
        out = _Batch()
        pick, draw, randint = rng.choice, rng.random, rng.randint
        pickers: dict[str, Callable[[], Any]] = {
            "goal": _picker(rng, _GOAL_STATUS), "tie": _picker(rng, _TIE_KINDS),
            "category": _picker(rng, _CATEGORIES), "end": _picker(rng, _REFERRAL_END),
            "episode": _picker(rng, _EPISODE_KINDS), "episode_outcome": _picker(rng, _EPISODE_OUTCOMES),
            "rule": _picker(rng, _RULES), "signal_outcome": _picker(rng, _SIGNAL_OUTCOMES),
            "intent": _picker(rng, _INTENTS), "language": _picker(rng, _LANGUAGES),
        }  # fmt: skip
        nexts = {status: _picker(rng, weighted) for status, weighted in _STATUS_NEXT.items()}
        w, rw, until, texts = self.world, self.rw, self.until, self.texts
        found, clinic = w.foundation_id, w.clinic_id
        open_involvement = self.open_involvements

        def day_in(start: datetime.date, end: datetime.date = until) -> datetime.date:
            return start + datetime.timedelta(days=randint(0, max(0, (end - start).days)))

        for p in people:
            worker = pick(self.workers)
            rows = out.rows
            # Status history after the current status.
            status, since = p.status, p.since
            if status in nexts and draw() < 0.85:
                for _ in range(randint(1, 3)):
                    if (status == Status.EXITED and draw() > 0.15) or status not in nexts:
                        break
                    effective = since + datetime.timedelta(days=randint(30, 540))
                    if effective > until:
                        break
                    new = nexts[status]()
                    rows[StatusChange].append(
                        (p.id, status, new, effective, _at(effective, 14), worker, found, "")
                    )
                    status, since = new, effective
                if status != p.status:
                    out.status.append((p.id, status, since))
            # A completed intake, a care plan with versions, goals and evaluations.
            intake_day = None
            if p.id not in intaken and draw() < 0.7:
                intake_day = min(until, p.first_seen + datetime.timedelta(days=randint(1, 120)))
                started = _at(intake_day - randint(0, 14) * DAY, 10)
                rows[Intake].append((found, p.id, worker, started, Intake.Step.DONE, "", _at(intake_day, 15)))
            if intake_day is not None and p.id not in planned and draw() < 0.75:
                created = min(until, intake_day + randint(0, 60) * DAY)
                plan = self._next(CarePlan)
                saved, versions = created, []
                for number in range(1, randint(1, 4) + 1):
                    if number > 1:
                        saved = saved + randint(60, 240) * DAY
                        if saved > until:
                            break
                    versions.append(saved)
                rows[CarePlan].append((plan, p.id, found, _at(created, 11), worker, len(versions)))
                goals = [
                    (randint(1, len(versions)), pickers["goal"](), pick(rw.domains))
                    for _ in range(randint(1, 4))
                ]
                previous = None
                for number, saved in enumerate(versions, start=1):
                    version = self._next(PlanVersion)
                    last = number == len(versions)
                    rows[PlanVersion].append(
                        (version, plan, number, _at(saved, 12), worker, pick(texts) if draw() < 0.5 else "",
                         saved + randint(90, 180) * DAY, saved, "signed" if draw() < 0.4 else "verbal",
                         "" if number == 1 else "bench: evaluatie verwerkt")
                    )  # fmt: skip
                    for position, (resolves, final, domain) in enumerate(goals, start=1):
                        state = final if (number >= resolves and (last or number > resolves)) else "open"
                        rows[Goal].append(
                            (version, position, domain if draw() < 0.9 else None, pick(texts),
                             saved + randint(60, 365) * DAY, state)
                        )  # fmt: skip
                    if previous is not None:
                        rows[Evaluation].append(
                            (plan, previous, saved, pick(texts), "", saved + randint(90, 180) * DAY,
                             worker, found, _at(saved, 11))
                        )  # fmt: skip
                    previous = version
            # Assessments with the ZRM: all 13 domains, slowly improving.
            if draw() < 0.5:
                day = min(until, p.first_seen + randint(0, 90) * DAY)
                levels = [rng.choices((1, 2, 3, 4), (20, 35, 30, 15))[0] for _ in rw.domains]
                for index in range(randint(2, 4)):
                    if index:
                        day = day + randint(90, 365) * DAY
                        levels = [
                            min(5, max(1, v + rng.choices((-1, 0, 1), (10, 60, 30))[0])) for v in levels
                        ]
                    if day > until:
                        break
                    assessment = self._next(Assessment)
                    org = clinic if p.clinic and draw() < 0.2 else found
                    assessor = pick(w.clinic_recorders) if org == clinic else worker
                    rows[Assessment].append(
                        (assessment, p.id, rw.instrument, org, day, assessor, "", _at(day, 13))
                    )
                    for domain, value in zip(rw.domains, levels, strict=True):
                        rows[Score].append((assessment, domain, None if draw() < 0.03 else value, ""))
            # Huiskamer visits (named); the anonymous ones come separately.
            visits = int(rng.lognormvariate(0.0, 1.3) * 2.1 + 0.5) if draw() < 0.7 else 0
            days = sorted(day_in(p.first_seen) for _ in range(visits))
            for index, day in enumerate(days):
                arrived = _at(day, randint(9, 16), randint(0, 59))
                rows[Visit].append(
                    (rw.huiskamer, p.id, found, pick(self.workers), arrived,
                     arrived + randint(10, 150) * datetime.timedelta(minutes=1), index == 0,
                     pickers["intent"]() if index == 0 else Intent.UNKNOWN, pickers["language"](),
                     pick(self.questions), pick(self.given), pick(texts) if draw() < 0.1 else "", arrived)
                )  # fmt: skip
            # Network ties.
            for _ in range(randint(0, 6)):
                kind = pickers["tie"]()
                quality = (
                    "risk"
                    if kind == TieKind.RISK_CONTACT
                    else rng.choice(("supportive", "supportive", "neutral"))
                )
                started_on = day_in(p.first_seen)
                ended_on = day_in(started_on) if draw() < 0.3 else None
                rows[NetworkTie].append(
                    (p.id, kind, quality, pick(self.names), pick(ContactFrequency.values), started_on,
                     ended_on, "", found, worker, _at(started_on, 12))
                )  # fmt: skip
            # Referrals, each with its consent and events.
            for _ in range(rng.choices((0, 1, 2, 3), (40, 30, 20, 10))[0]):
                service, to_org = pick(rw.services[pickers["category"]()])
                from_org = clinic if p.clinic and to_org != clinic and draw() < 0.3 else found
                sender = pick(w.clinic_recorders) if from_org == clinic else worker
                created_day = day_in(p.first_seen)
                moment = _at(created_day, 10, randint(0, 59))
                consent = self._next(Consent)
                categories = json.dumps([DataCategory.CONTACT_DETAILS, DataCategory.CARE_PLAN])
                basis = "vital_interest" if draw() < 0.05 else "consent"
                rows[Consent].append(
                    (consent, p.id, to_org, Consent.Purpose.REFERRAL, categories, basis,
                     "written" if basis == "consent" else "not_applicable", created_day, "", sender, from_org,
                     moment, "")
                )  # fmt: skip
                referral = self._next(Referral)
                path = _PATHS[pickers["end"]()]
                events: list[tuple[int, str, datetime.datetime, int, int]] = []
                for state in path:
                    if events:
                        moment = moment + randint(1, 30) * DAY
                    if moment.date() > until:
                        break
                    receiver = state in _RECEIVER_STATES
                    actor = pick(rw.members[to_org]) if receiver else sender
                    events.append((referral, state, moment, actor, to_org if receiver else from_org))
                    if state == "started" and (p.id, to_org) not in open_involvement:
                        ends = [e for e in path if e in ("completed", "dropped")]
                        end_day = moment.date() + randint(30, 300) * DAY if ends else None
                        if end_day is None or end_day > until:
                            open_involvement.add((p.id, to_org))
                            end_day = None
                        rows[Involvement].append((p.id, to_org, moment.date(), end_day, "", "", actor))
                state, changed_at = events[-1][1], events[-1][2]
                rows[Referral].append(
                    (referral, p.id, from_org, sender, service, to_org, pick(texts),
                     rng.choice(("normal", "normal", "high", "urgent")), categories, consent,
                     pick(texts) if draw() < 0.5 else "", state, pick(texts) if state == "declined" else "",
                     events[0][2], changed_at)
                )  # fmt: skip
                rows[ReferralEvent].extend(events)
            # Episodes elsewhere.
            for _ in range(rng.choices((0, 1, 2, 3), (50, 30, 12, 8))[0]):
                kind = pickers["episode"]()
                started_on = day_in(p.first_seen)
                ended_on = started_on + randint(2, 90) * DAY
                if ended_on > until:
                    ended_on = None
                own = kind in (EpisodeKind.CLINIC, EpisodeKind.DETOX) and p.clinic and draw() < 0.5
                rows[Episode].append(
                    (p.id, kind, "", started_on, ended_on,
                     pickers["episode_outcome"]() if ended_on else "", "", clinic if own else found,
                     Source.OWN_RECORD if own else Source.INFORMATION_RECEIVED,
                     pick(w.clinic_recorders) if own else worker, _at(started_on, 16), 1)
                )  # fmt: skip
            # Radar signals of the past: resolved with an outcome, or cleared.
            for n in range(rng.choices((0, 1, 2, 3, 4, 5), (20, 25, 20, 15, 12, 8))[0]):
                rule = pickers["rule"]()
                opened = day_in(p.first_seen, until - 61 * DAY) if p.first_seen < until - 61 * DAY else None
                if opened is None:
                    break
                closed = opened + randint(1, 60) * DAY
                assigned = worker if draw() < 0.85 else None
                acknowledged = _at(opened + randint(0, 5) * DAY, 11) if draw() < 0.7 else None
                escalated = (
                    opened + 14 * DAY
                    if acknowledged is None and draw() < 0.3 and closed > opened + 14 * DAY
                    else None
                )
                if draw() < 0.6:
                    outcome, resolver = pickers["signal_outcome"](), assigned or worker
                    closing: tuple[Any, ...] = (_at(closed, 12), resolver, found, outcome, "", None)
                    state = "resolved"
                else:
                    closing = (None, None, None, "", "", closed)
                    state = "cleared"
                rows[Signal].append(
                    (w.network_id, p.id, rule, f"bench:{first}:{p.id}:{n}", rng.choice((1, 1, 2)), "{}",
                     state, opened, _at(opened, 5), assigned, None if assigned else found, acknowledged,
                     assigned if acknowledged else None, escalated, *closing)
                )  # fmt: skip
        return out

    def anonymous_visits(self, count: int) -> list[tuple[Any, ...]]:
        rng = random.Random(self.seed * 1_000_003 + 708)
        span = (self.until - FIRST_DAY).days
        language = _picker(rng, _LANGUAGES)
        out = []
        for _ in range(count):
            day = FIRST_DAY + rng.randint(0, span) * DAY
            arrived = _at(day, rng.randint(9, 16), rng.randint(0, 59))
            out.append(
                (self.rw.huiskamer, None, self.world.foundation_id, rng.choice(self.workers), arrived,
                 arrived + rng.randint(10, 120) * datetime.timedelta(minutes=1),
                 True if rng.random() < 0.1 else None, Intent.UNKNOWN, language(), rng.choice(self.questions),
                 rng.choice(self.given), "", arrived)
            )  # fmt: skip
        return out

    def stays(
        self, people: Sequence[_Person], count: int
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """Stays on each bed one after another, persons assigned in time order (never overlapping), and the
        shelter organisation's involvements of those who stayed."""
        rng = random.Random(self.seed * 1_000_003 + 709)
        rw, until = self.rw, self.until
        span = (until - FIRST_DAY).days
        cycle = max(3.0, span * len(rw.beds) / max(1, count))  # days per stay and gap on one bed
        slots: list[tuple[datetime.date, int, int, int]] = []  # (check-in, length, location, bed)
        for location, bed in rw.beds:
            day = FIRST_DAY + rng.randint(0, int(cycle)) * DAY
            while day <= until:
                length = max(1, int(rng.expovariate(1 / (cycle * 0.8))))
                slots.append((day, length, location, bed))
                day = day + (length + rng.randint(0, max(1, int(cycle * 0.4)))) * DAY
        slots.sort()
        by_seen = sorted(people, key=lambda p: p.first_seen)
        seen_days = [p.first_seen for p in by_seen]
        busy: dict[int, datetime.date] = {}
        stays: list[tuple[Any, ...]] = []
        spans: dict[int, tuple[datetime.date, datetime.date | None]] = {}
        for check_in, length, location, bed in slots:
            eligible = bisect_right(seen_days, check_in)
            if eligible == 0:
                continue
            person = None
            for _ in range(20):
                candidate = by_seen[rng.randrange(eligible)].id
                if busy.get(candidate, datetime.date.min) < check_in:
                    person = candidate
                    break
            if person is None:
                continue
            out_day: datetime.date | None = check_in + length * DAY
            if out_day is not None and out_day > until:
                out_day = None
            busy[person] = out_day or datetime.date.max
            staff = rng.choice(rw.shelter_staff)
            checked_in = _at(check_in, rng.randint(17, 22), rng.randint(0, 59))
            reason = _CHECKOUTS[rng.choices(range(len(_CHECKOUTS)), [w for _, w in _CHECKOUTS])[0]][0]
            stays.append(
                (person, location, bed, rw.shelter_org, checked_in, check_in + rng.randint(14, 60) * DAY,
                 _at(out_day, 10) if out_day else None, reason if out_day else "", rw.house_rules[location],
                 checked_in, "", staff, staff if out_day else None, 1)
            )  # fmt: skip
            first_in, _last_out = spans.get(person, (check_in, out_day))
            spans[person] = (first_in, out_day)
        involvements = [
            (person, rw.shelter_org, first_in, last_out, "", "", rw.shelter_staff[0])
            for person, (first_in, last_out) in sorted(spans.items())
        ]
        return stays, involvements


# --- writing -------------------------------------------------------------------------------------------


@dataclass
class Added:
    seconds: float
    counts: dict[str, int]
    phases: dict[str, float]  # seconds: rows made and copied, foreign keys validated, commit, VACUUM


def _table(model: Any) -> sql.Identifier:
    return sql.Identifier(model._meta.db_table)


def _max_id(cursor: psycopg.Cursor[Any], model: Any) -> int:
    cursor.execute(sql.SQL("SELECT coalesce(max(id), 0) FROM {}").format(_table(model)))
    row = cursor.fetchone()
    return int(row[0]) if row else 0


def _shift(model: Any, rows: list[tuple[Any, ...]], bases: dict[Any, int]) -> Iterable[tuple[Any, ...]]:
    """Explicit ids continue after the table's highest; foreign keys to those tables move with them."""
    references: dict[Any, dict[int, Any]] = {  # column index → referenced model
        CarePlan: {0: CarePlan}, PlanVersion: {0: PlanVersion, 1: CarePlan}, Goal: {0: PlanVersion},
        Evaluation: {0: CarePlan, 1: PlanVersion}, Assessment: {0: Assessment}, Score: {0: Assessment},
        Consent: {0: Consent}, Referral: {0: Referral, 9: Consent}, ReferralEvent: {0: Referral},
    }  # fmt: skip
    refs = references.get(model)
    if not refs:
        return rows
    shift = [(index, bases[target]) for index, target in refs.items()]
    return (_moved(row, shift) for row in rows)


def _moved(row: tuple[Any, ...], shift: list[tuple[int, int]]) -> tuple[Any, ...]:
    values = list(row)
    for index, base in shift:
        values[index] += base
    return tuple(values)


def _drop_schema(conn: psycopg.Connection[Any]) -> dict[str, list[list[str]]]:
    """Drop the secondary indexes and foreign keys of the tables written to, as a restore does (and as
    ``bench.care`` does for contacts): Django's foreign keys are deferred, so with them in place every row
    is checked one by one at COMMIT, and each row updates every index. Built again after the load (each
    index in one sorted pass, each foreign key validated by one join), in the same transaction: a partial
    unique index (one open stay per bed) or a key that does not hold fails the whole load."""
    deferred = {}
    for model in COLUMNS:
        table = model._meta.db_table
        deferred[table] = generate._deferrable_schema(conn, table)
        generate._drop_schema(conn, table, deferred[table])
    return deferred


def ensure(conn: psycopg.Connection[Any], database: BenchDatabase, world: World) -> Added | None:
    """Add the report's inputs once (see the module's docstring); None when they are there already."""
    if database.meta.get(META_KEY):
        return None
    started = time.perf_counter()
    rw = setup_world(world)
    until = data_day(database)
    seed = int(database.meta["seed"])
    clinic = {
        row[0]
        for row in conn.execute(
            "SELECT person_id FROM people_involvement WHERE organisation_id = %s", [world.clinic_id]
        ).fetchall()
    }
    people = [
        _Person(pk, status, since, min(registered.date(), until), pk in clinic)
        for pk, status, since, registered in conn.execute(
            sql.SQL("SELECT id, status, status_since, registered_at FROM {} ORDER BY id").format(
                _table(Person)
            )
        ).fetchall()
    ]
    planned = {row[0] for row in conn.execute("SELECT person_id FROM care_careplan").fetchall()}
    intaken = {
        row[0]
        for row in conn.execute(
            "SELECT person_id FROM care_intake WHERE completed_at IS NOT NULL AND person_id IS NOT NULL"
        ).fetchall()
    }
    open_involvements = {
        (row[0], row[1])
        for row in conn.execute(
            "SELECT person_id, organisation_id FROM people_involvement WHERE ended_on IS NULL"
        ).fetchall()
    }
    # Everything up to the day before the data's day: nothing lies after the moment the data ends.
    maker = _Maker(world, rw, seed, until - DAY, len(people), open_involvements)
    counts = {str(model._meta.model_name): 0 for model in COLUMNS}
    changed: list[tuple[int, str, datetime.date]] = []
    with conn.transaction(), conn.cursor() as cursor:
        bases = {model: _max_id(cursor, model) for model in WITH_IDS}
        deferred = _drop_schema(conn)

        def write(model: Any, rows: list[tuple[Any, ...]]) -> None:
            counts[str(model._meta.model_name)] += _copy(
                cursor, model, COLUMNS[model], _shift(model, rows, bases)
            )

        for first in range(0, len(people), CHUNK):
            batch = maker.chunk(people[first : first + CHUNK], first, planned, intaken)
            for model, rows in batch.rows.items():
                write(model, rows)
            changed.extend(batch.status)
        write(Visit, maker.anonymous_visits(round(PER_100K["visits"] * maker.scale * 0.3)))
        stays, involvements = maker.stays(people, round(PER_100K["stays"] * maker.scale))
        write(Stay, stays)
        write(Involvement, involvements)
        cursor.execute(
            "CREATE TEMP TABLE bench_reports_status (id bigint PRIMARY KEY, status varchar(20), "
            "status_since date) ON COMMIT DROP"
        )
        with cursor.copy("COPY bench_reports_status (id, status, status_since) FROM STDIN") as copy:
            for row in changed:
                copy.write_row(row)
        cursor.execute(
            "UPDATE people_person AS p SET status = t.status, status_since = t.status_since "
            "FROM bench_reports_status AS t WHERE p.id = t.id"
        )
        cursor.execute(
            "UPDATE radar_personstate AS s SET status = t.status FROM bench_reports_status AS t "
            "WHERE s.person_id = t.id"
        )
        phases = {"rows and COPY": time.perf_counter() - started}
        for table, schema in deferred.items():
            generate._restore_schema(conn, table, schema)
        phases["indexes and foreign keys"] = time.perf_counter() - started - sum(phases.values())
        for model in WITH_IDS:
            _sync_sequence(conn, model)
        counts["persons whose status changed"] = len(changed)
        mark = {"version": VERSION, "day": until.isoformat(), **counts}
        cursor.execute(
            sql.SQL(
                "INSERT INTO {} (key, value) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
            ).format(sql.Identifier(META_TABLE)),
            [META_KEY, json.dumps(mark)],
        )
    phases["commit"] = time.perf_counter() - started - sum(phases.values())
    database.meta[META_KEY] = mark
    with psycopg.connect(database.url, autocommit=True) as vacuum:
        for written in (Person, *COLUMNS):
            vacuum.execute(sql.SQL("VACUUM (ANALYZE) {}").format(_table(written)))
    phases["VACUUM ANALYZE"] = time.perf_counter() - started - sum(phases.values())
    return Added(time.perf_counter() - started, counts, phases)
