"""What the radar reads, added to the care benchmark's data (``bench.care``) with COPY and bulk SQL.

The care generator makes persons with a status history, involvements and millions of contacts. The
radar's rules read more than that; this module adds, once per database, with invented values drawn
from a generator seeded with the database's seed (so two databases made with the same seed get the same
rows):

- a network coordinator at the foundation (the radar's widest view; with TOTP, as the role requires);
- key workers: 85 % of the persons the radar follows get one of the foundation's nine workers
  (caseworkers and outreach), the others none (their signals go to the coordinator);
- discharges: a quarter of the persons in treatment or in shelter left in the 40 days before the data's
  day (a third status change: back to the zone, other sex work or exiting), which is what the
  "discharged without contact" rule looks for;
- appointments for 35 % of the followed persons over the last 120 days (attended 70 %, no-show 22 %,
  cancelled 8 %; 4 % of the followed persons end on a run of two or three no-shows), and a planned one
  in the coming three weeks for some; attended appointments are sightings too;
- consents with an end date for 15 % of the persons (ending between 30 days ago and 180 days ahead);
- care plans for 25 % of the followed persons, one to three versions each, the current one with an
  evaluation date between 60 days ago and 180 days ahead; completed intakes for 8 % of the followed
  persons (those without a plan are what "no plan after intake" looks for);
- one key date, the closing of the street zone, 45 days after the data's day, and an exit route towards
  it for 30 % of the persons on the zone.

It all goes in one transaction together with the mark in ``bench_care_meta`` (``radar_inputs``), so an
interrupted run leaves nothing half-done and a rerun adds nothing twice. The data's day is the day the
care data ends (``until``), so a kept database gives the same radar whenever it is measured.

Import after ``django.setup()``.
"""

from __future__ import annotations

import datetime
import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from psycopg import sql

from bench.care.db import META_TABLE, BenchDatabase
from bench.care.generate import PASSWORD, World, _copy, _sync_sequence
from inbeeld.care.models import Appointment, CarePlan, Intake, PlanVersion
from inbeeld.core.models import Membership, User
from inbeeld.core.roles import Role
from inbeeld.people.models import Consent, DataCategory, Person, Status, StatusChange
from inbeeld.radar.models import ExitRoute, KeyDate
from inbeeld.testing.factories import with_totp

META_KEY = "radar_inputs"
VERSION = 1
COORDINATOR_EMAIL = "coordinator@bench.inbeeld.test"
CLINIC_CASEWORKER_EMAIL = "clinic-1@bench.inbeeld.test"
KEY_DATE_NAME = "Sluiting tippelzone (bench)"
KEY_DATE_AFTER = 45  # days after the data's day
APPOINTMENT_LENGTH = datetime.timedelta(minutes=45)

NOT_FOLLOWED = frozenset({Status.EXITED, Status.MOVED_AWAY, Status.DECEASED})


@dataclass(frozen=True)
class RadarWorld:
    """The members whose radar is measured (in addition to the care world)."""

    coordinator: Membership
    caseworker: Membership  # the foundation, involved with every person
    clinic_caseworker: Membership  # the clinic, involved with 20 % of the persons


def data_day(database: BenchDatabase) -> datetime.date:
    """The data's own "today": the local date of the moment the care data ends."""
    until = datetime.datetime.fromisoformat(database.meta["until"])
    return timezone.localtime(until).date()


def setup_members(world: World) -> RadarWorld:
    """The coordinator (made once) and the two caseworkers, with their users and organisations."""
    coordinator = (
        Membership.objects.select_related("user", "organisation")
        .filter(user__email=COORDINATOR_EMAIL)
        .first()
    )
    if coordinator is None:
        with transaction.atomic():
            user = User.objects.create(
                email=COORDINATOR_EMAIL, full_name="Coördinator", password=make_password(PASSWORD)
            )
            Membership.objects.create(
                user=user,
                organisation_id=world.foundation_id,
                role=Role.COORDINATOR,
                started_on=datetime.date(2016, 6, 1),
            )
            with_totp(user)  # roles that see person data need 2FA
        coordinator = Membership.objects.select_related("user", "organisation").get(
            user__email=COORDINATOR_EMAIL
        )
    clinic_caseworker = Membership.objects.select_related("user", "organisation").get(
        user__email=CLINIC_CASEWORKER_EMAIL
    )
    if not Authenticator.objects.filter(user=clinic_caseworker.user, type=Authenticator.Type.TOTP).exists():
        with_totp(clinic_caseworker.user)  # the care world gave 2FA only to the users it logs in with
    caseworker = Membership.objects.select_related("user", "organisation").get(pk=world.caseworker.pk)
    return RadarWorld(coordinator=coordinator, caseworker=caseworker, clinic_caseworker=clinic_caseworker)


# --- the rows ---------------------------------------------------------------------------------------

APPOINTMENT_COLUMNS = (
    "id", "person_id", "organisation_id", "worker_id", "starts_at", "ends_at", "location_id", "place",
    "purpose", "status", "status_changed_at", "created_by_id", "created_at",
)  # fmt: skip
STATUS_COLUMNS = (
    "person_id", "from_status", "to_status", "effective_on", "recorded_at", "recorded_by_id",
    "recorded_by_organisation_id", "note",
)  # fmt: skip
CONSENT_COLUMNS = (
    "person_id", "recipient_id", "purpose", "data_categories", "basis", "how_given", "valid_from",
    "valid_to", "note", "recorded_by_id", "recorded_by_organisation_id", "recorded_at", "withdrawal_note",
)  # fmt: skip
PLAN_COLUMNS = ("id", "person_id", "organisation_id", "created_at", "created_by_id", "current_number")
VERSION_COLUMNS = (
    "plan_id", "number", "saved_at", "saved_by_id", "own_words", "evaluation_date", "agreed_on",
    "agreed_how", "change_summary",
)  # fmt: skip
INTAKE_COLUMNS = (
    "organisation_id", "person_id", "started_by_id", "started_at", "step", "draft", "completed_at",
)  # fmt: skip
EXIT_COLUMNS = (
    "person_id", "key_date_id", "route", "note", "organisation_id", "recorded_by_id", "recorded_at",
)  # fmt: skip


@dataclass
class _Rows:
    persons: list[tuple[Any, ...]]  # (id, key_worker_id, status, status_since) for every person
    changes: list[tuple[Any, ...]]
    appointments: list[tuple[Any, ...]]
    consents: list[tuple[Any, ...]]
    plans: list[tuple[Any, ...]]
    versions: list[tuple[Any, ...]]
    intakes: list[tuple[Any, ...]]
    zone: list[int]  # persons on the street zone after the discharges


def _moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A working-hours moment on that day, in the local time zone."""
    local = datetime.datetime.combine(day, datetime.time(9 + rng.randint(0, 7), rng.choice((0, 15, 30, 45))))
    return timezone.make_aware(local)


def _rows(
    persons: Sequence[tuple[int, str, datetime.date]],
    clinic_persons: set[int],
    world: World,
    workers: Sequence[int],
    seed: int,
    day: datetime.date,
) -> _Rows:
    out = _Rows([], [], [], [], [], [], [], [])
    rng = random.Random(seed * 1_000_003 + 404)
    draw, randint, pick = rng.random, rng.randint, rng.choice
    foundation, clinic = world.foundation_id, world.clinic_id
    clinic_workers = world.clinic_recorders
    at_day = _moment(day, rng)
    appointment_id = 0
    plan_id = 0
    for person_id, status, since in persons:
        followed = status not in NOT_FOLLOWED
        key_worker = pick(workers) if followed and draw() < 0.85 else None
        # A discharge: a stay (treatment, shelter) that ended in the last 40 days.
        if status in (Status.IN_TREATMENT, Status.IN_SHELTER) and draw() < 0.25 and since < day:
            new = pick((Status.STREET_ZONE, Status.OTHER_SEX_WORK, Status.EXITING))
            effective = max(since + datetime.timedelta(days=1), day - datetime.timedelta(days=randint(0, 40)))
            out.changes.append(
                (person_id, status, new, effective, _moment(effective, rng), key_worker or workers[0],
                 foundation, "")
            )  # fmt: skip
            status, since = new, effective
        out.persons.append((person_id, key_worker, status, since))
        if status == Status.STREET_ZONE:
            out.zone.append(person_id)
        at_clinic = person_id in clinic_persons
        # Appointments: some in the past (attended, missed, cancelled), sometimes one planned.
        if followed and draw() < 0.35:
            count = randint(1, 6)
            days_ago = sorted((randint(1, 120) for _ in range(count)), reverse=True)  # oldest first
            streak = randint(2, 3) if draw() < 0.04 / 0.35 else 0
            for index, ago in enumerate(days_ago):
                if index >= count - streak:
                    outcome = Appointment.Status.NO_SHOW
                else:
                    roll = draw()
                    outcome = (
                        Appointment.Status.ATTENDED
                        if roll < 0.70
                        else Appointment.Status.NO_SHOW
                        if roll < 0.92
                        else Appointment.Status.CANCELLED
                    )
                organisation = clinic if at_clinic and draw() < 0.5 else foundation
                worker = pick(clinic_workers) if organisation == clinic else (key_worker or pick(workers))
                starts = _moment(day - datetime.timedelta(days=ago), rng)
                appointment_id += 1
                out.appointments.append(
                    (appointment_id, person_id, organisation, worker, starts, starts + APPOINTMENT_LENGTH,
                     None, "", "", outcome, starts + datetime.timedelta(hours=1), worker,
                     starts - datetime.timedelta(days=7))
                )  # fmt: skip
            if draw() < 0.3:
                worker = key_worker or pick(workers)
                starts = _moment(day + datetime.timedelta(days=randint(1, 21)), rng)
                appointment_id += 1
                out.appointments.append(
                    (appointment_id, person_id, foundation, worker, starts, starts + APPOINTMENT_LENGTH,
                     None, "", "", Appointment.Status.PLANNED, None, worker, at_day)
                )  # fmt: skip
        # A consent with an end date.
        if status not in (Status.MOVED_AWAY, Status.DECEASED) and draw() < 0.15:
            valid_from = day - datetime.timedelta(days=randint(200, 700))
            valid_to = day + datetime.timedelta(days=randint(-30, 180))
            recorder = key_worker or pick(workers)
            out.consents.append(
                (person_id, foundation, Consent.Purpose.CARE_COORDINATION,
                 json.dumps([DataCategory.CONTACTS, DataCategory.CARE_PLAN]), Consent.Basis.CONSENT,
                 Consent.HowGiven.WRITTEN, valid_from, valid_to, "", recorder, foundation,
                 _moment(valid_from, rng), "")
            )  # fmt: skip
        if not followed:
            continue
        # A care plan with one to three versions; the current one has an evaluation date.
        has_plan = draw() < 0.25
        if has_plan:
            plan_id += 1
            created = day - datetime.timedelta(days=randint(30, 900))
            author = key_worker or pick(workers)
            versions = randint(1, 3)
            out.plans.append((plan_id, person_id, foundation, _moment(created, rng), author, versions))
            saved = created
            for number in range(1, versions + 1):
                if number > 1:
                    saved = min(day, saved + datetime.timedelta(days=randint(7, 120)))
                due = day + datetime.timedelta(days=randint(-60, 180)) if number == versions else None
                out.versions.append(
                    (plan_id, number, _moment(saved, rng), author, "", due, saved, "verbal",
                     "" if number == 1 else "bench: evaluatie verwerkt")
                )  # fmt: skip
        # A completed intake (a plan should follow within a month).
        if draw() < 0.08:
            completed = day - datetime.timedelta(days=randint(1, 400))
            starter = key_worker or pick(workers)
            started = _moment(completed - datetime.timedelta(days=2), rng)
            out.intakes.append(
                (foundation, person_id, starter, started, Intake.Step.DONE, "", _moment(completed, rng))
            )
    return out


def _copy_temp(cursor: psycopg.Cursor[Any], rows: list[tuple[Any, ...]]) -> None:
    cursor.execute(
        "CREATE TEMP TABLE bench_radar_person (id bigint PRIMARY KEY, key_worker_id bigint, "
        "status varchar(20), status_since date) ON COMMIT DROP"
    )
    with cursor.copy("COPY bench_radar_person (id, key_worker_id, status, status_since) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _table(model: Any) -> sql.Identifier:
    return sql.Identifier(model._meta.db_table)


@dataclass
class Added:
    seconds: float
    counts: dict[str, int]


def ensure(conn: psycopg.Connection[Any], database: BenchDatabase, world: World) -> Added | None:
    """Add the radar's inputs once (see the module's docstring); None when they are there already."""
    if database.meta.get(META_KEY):
        return None
    started = time.perf_counter()
    day = data_day(database)
    seed = int(database.meta["seed"])
    workers = list(world.foundation_recorders)
    if len(workers) < 2:
        raise SystemExit("bench.radar: the care world has too few foundation workers")
    persons = conn.execute(
        sql.SQL("SELECT id, status, status_since FROM {} ORDER BY id").format(_table(Person))
    ).fetchall()
    clinic_persons = {
        row[0]
        for row in conn.execute(
            "SELECT person_id FROM people_involvement WHERE organisation_id = %s AND ended_on IS NULL",
            [world.clinic_id],
        ).fetchall()
    }
    rows = _rows(persons, clinic_persons, world, workers, seed, day)
    with conn.transaction(), conn.cursor() as cursor:
        _copy_temp(cursor, rows.persons)
        cursor.execute(
            sql.SQL(
                "UPDATE {} AS p SET key_worker_id = t.key_worker_id, status = t.status, "
                "status_since = t.status_since FROM bench_radar_person AS t WHERE p.id = t.id"
            ).format(_table(Person))
        )
        _copy(cursor, StatusChange, STATUS_COLUMNS, rows.changes)
        base = _max_id(cursor, Appointment)
        _copy(
            cursor,
            Appointment,
            APPOINTMENT_COLUMNS,
            ((base + row[0], *row[1:]) for row in rows.appointments),
        )
        _copy(cursor, Consent, CONSENT_COLUMNS, rows.consents)
        base = _max_id(cursor, CarePlan)
        _copy(cursor, CarePlan, PLAN_COLUMNS, ((base + row[0], *row[1:]) for row in rows.plans))
        _copy(cursor, PlanVersion, VERSION_COLUMNS, ((base + row[0], *row[1:]) for row in rows.versions))
        _copy(cursor, Intake, INTAKE_COLUMNS, rows.intakes)
        cursor.execute(
            sql.SQL(
                "INSERT INTO {} (network_id, name, date, description) VALUES (%s, %s, %s, %s) RETURNING id"
            ).format(_table(KeyDate)),
            [world.network_id, KEY_DATE_NAME, day + datetime.timedelta(days=KEY_DATE_AFTER), ""],
        )
        fetched = cursor.fetchone()
        assert fetched is not None
        key_date = fetched[0]
        rng = random.Random(seed * 1_000_003 + 405)
        routes = list(ExitRoute.Route.values)
        exits = [
            (person_id, key_date, rng.choice(routes), "", world.foundation_id, workers[0],
             _moment(day - datetime.timedelta(days=rng.randint(1, 60)), rng))
            for person_id in rows.zone
            if rng.random() < 0.3
        ]  # fmt: skip
        _copy(cursor, ExitRoute, EXIT_COLUMNS, exits)
        for model in (Appointment, CarePlan):
            _sync_sequence(conn, model)
        counts = {
            "persons updated": len(rows.persons),
            "with a key worker": sum(1 for row in rows.persons if row[1] is not None),
            "discharges": len(rows.changes),
            "appointments": len(rows.appointments),
            "consents with an end date": len(rows.consents),
            "care plans": len(rows.plans),
            "plan versions": len(rows.versions),
            "completed intakes": len(rows.intakes),
            "on the street zone": len(rows.zone),
            "exit routes": len(exits),
        }
        mark = {"version": VERSION, "day": day.isoformat(), **counts}
        cursor.execute(
            sql.SQL(
                "INSERT INTO {} (key, value) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
            ).format(sql.Identifier(META_TABLE)),
            [META_KEY, json.dumps(mark)],
        )
    database.meta[META_KEY] = mark
    with psycopg.connect(database.url, autocommit=True) as vacuum:
        for table in (Person, StatusChange, Appointment, Consent, CarePlan, PlanVersion, Intake, ExitRoute):
            vacuum.execute(sql.SQL("VACUUM (ANALYZE) {}").format(_table(table)))
    return Added(time.perf_counter() - started, counts)


def _max_id(cursor: psycopg.Cursor[Any], model: Any) -> int:
    cursor.execute(sql.SQL("SELECT coalesce(max(id), 0) FROM {}").format(_table(model)))
    row = cursor.fetchone()
    return int(row[0]) if row else 0
