"""Invented care data at scale, written with PostgreSQL COPY, that can stop and resume.

What it writes (all invented; names are syllable soup, phone numbers lie in the never-issued
06-00xxxxxx range):

- a network with a foundation (caseworkers and outreach workers) and a clinic, and three locations;
- persons with explicit ids 1…N, in batches of ``PERSON_BATCH``: each batch is one transaction with
  the persons, their aliases (30 %), two status changes each, an involvement with the foundation for
  all and with the clinic for 20 %, and for half of those a consent that lets the foundation see the
  clinic's contacts and care records (so rule 2 has something to decide);
- contacts with explicit ids 1…C, in chunks of ``CONTACT_CHUNK`` (one transaction each): 10 %
  anonymous, the rest spread over the persons with a log-normal weight per person (most persons have
  a few dozen contacts, the top 1 % several hundred to a few thousand), between 2017 and the moment
  the database was created; at the clinic for about 30 % of the contacts of persons it is involved with.

Resuming: every person batch and contact chunk commits on its own, so the highest id in each table
says exactly what is done; a rerun continues after it. Every batch draws from a generator seeded with
(seed, first id), so a resumed run writes the same rows an uninterrupted one would.

Encryption: the contact notes (60 % of contacts have one) are taken from a small pool of invented notes
encrypted once with ``inbeeld.core.crypto.encrypt`` and reused, so the generator is not bound by
Fernet (≈ 10 µs per note would add ~1 minute per 5 million contacts on one core). The same goes for
the legal names. Phone numbers are encrypted one by one (a third of the persons) and get their real
blind index, so phone search works on the data.

Import this module only after ``django.setup()``.
"""

from __future__ import annotations

import datetime
import json
import random
import time
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, TypeVar

import psycopg
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from psycopg import sql
from tqdm import tqdm

from bench.care.db import BenchDatabase
from bench.synth import _STATUSES, _SYLLABLES
from inbeeld.care.models import Channel, Contact, ContactKind, Topic
from inbeeld.core.crypto import encrypt, phone_index
from inbeeld.core.models import Location, Membership, Network, Organisation, User
from inbeeld.core.roles import Role
from inbeeld.people.models import Alias, Consent, DataCategory, Involvement, Person, Status, StatusChange
from inbeeld.testing.factories import with_totp

PERSON_BATCH = 5_000
CONTACT_CHUNK = 50_000
NETWORK_SLUG = "benchzorg"
FIRST_DAY = datetime.date(2017, 1, 2)
ANONYMOUS_SHARE = 0.10
NOTE_SHARE = 0.60
CLINIC_SHARE = 0.30  # of the contacts of a person the clinic is involved with
PASSWORD = "bench-only-Password-1"  # noqa: S105 (a throw-away database)

T = TypeVar("T")

_NOTES = (
    "Kort gesproken bij de huiskamer, gaat redelijk.",
    "Vraagt naar een afspraak bij de huisarts; doorverwezen.",
    "Geen contact gewenst vandaag, wel gezien op de zone.",
    "Hulp bij het invullen van een formulier voor de toeslag.",
    "Maakt zich zorgen over de woning, komt volgende week terug.",
    "Condooms en informatie meegegeven.",
    "Telefonisch: wil praten over stoppen, afspraak gemaakt.",
    "Samen naar het loket geweest voor een nieuw identiteitsbewijs.",
    "Vertelt over schulden; budgetcoach voorgesteld.",
    "Slaapt slecht, voelt zich onveilig op de kamer.",
    "Meegegaan naar de opvang, plek voor vannacht geregeld.",
    "Nagevraagd hoe het met de behandeling gaat.",
    "Wil graag werk overdag; gesprek over vrijwilligerswerk.",
    "Kort contact op straat, alles goed.",
    "Vraagt om kleding en een douche in de huiskamer.",
    "Familie heeft weer contact gezocht; blij mee.",
    "Afspraak gemist, via de telefoon opnieuw ingepland.",
    "Praktische hulp bij een brief van de gemeente.",
    "Medische vraag, doorgestuurd naar de spreekuurarts.",
    "Crisis: opvang geregeld en de sleutelwerker ingelicht.",
    "Invented bench note in English, to keep both languages in the data.",
    "Komt vaker langs sinds de nieuwe openingstijden.",
    "Zoekt een plek om haar post te ontvangen; postadres besproken.",
    "Geen bijzonderheden.",
)
_CHANNELS = (
    (Channel.STREET_ZONE, 30),
    (Channel.HUISKAMER, 25),
    (Channel.PHONE, 20),
    (Channel.OFFICE, 10),
    (Channel.HOME_VISIT, 6),
    (Channel.SHELTER, 5),
    (Channel.ONLINE, 4),
)
_KINDS = (
    (ContactKind.INFORMATION, 20),
    (ContactKind.HELP, 20),
    (ContactKind.ADVICE, 15),
    (ContactKind.PRACTICAL, 20),
    (ContactKind.MEDICAL, 8),
    (ContactKind.CRISIS, 2),
    (ContactKind.SIGHTING, 15),
)
_DURATIONS = (None, None, None, 5, 5, 10, 10, 10, 15, 15, 20, 30, 30, 45, 60, 90)


# --- the network ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    """The ids of the synthetic network's fixed part (made once, found again on a rerun)."""

    network_id: int
    foundation_id: int
    clinic_id: int
    caseworker: Membership  # reads person pages
    outreach: Membership  # posts quick contacts under load
    foundation_recorders: tuple[int, ...]  # user ids
    clinic_recorders: tuple[int, ...]
    locations: dict[tuple[int, str], int]  # (organisation id, channel) → location id


def _member(email: str, name: str, organisation: Organisation, role: str, password: str) -> Membership:
    user = User.objects.create(email=email, full_name=name, password=password)
    return Membership.objects.create(
        user=user, organisation=organisation, role=role, started_on=datetime.date(2016, 6, 1)
    )


def setup_world() -> World:
    network = Network.objects.filter(slug=NETWORK_SLUG).first()
    if network is None:
        with transaction.atomic():
            network = Network.objects.create(name="Benchnetwerk Zorg", slug=NETWORK_SLUG)
            foundation = Organisation.objects.create(
                network=network, name="Stichting Bench", kind=Organisation.Kind.CARE_PROVIDER
            )
            clinic = Organisation.objects.create(
                network=network, name="Kliniek Bench", kind=Organisation.Kind.CLINIC
            )
            password = make_password(PASSWORD)
            caseworker = _member(
                "caseworker@bench.inbeeld.test", "Casus", foundation, Role.CASEWORKER, password
            )
            outreach = _member(
                "outreach-1@bench.inbeeld.test", "Straat 1", foundation, Role.OUTREACH, password
            )
            for number in range(2, 7):
                _member(
                    f"outreach-{number}@bench.inbeeld.test",
                    f"Straat {number}",
                    foundation,
                    Role.OUTREACH,
                    password,
                )
            for number in range(2, 4):
                _member(
                    f"caseworker-{number}@bench.inbeeld.test",
                    f"Casus {number}",
                    foundation,
                    Role.CASEWORKER,
                    password,
                )
            for number in range(1, 4):
                _member(
                    f"clinic-{number}@bench.inbeeld.test",
                    f"Kliniek {number}",
                    clinic,
                    Role.CASEWORKER,
                    password,
                )
            with_totp(caseworker.user)  # roles that see person data need 2FA, also through a token
            with_totp(outreach.user)
            for organisation, kind, name in (
                (foundation, Location.Kind.HUISKAMER, "Huiskamer Bench"),
                (foundation, Location.Kind.OFFICE, "Kantoor Bench"),
                (clinic, Location.Kind.OFFICE, "Polikliniek Bench"),
            ):
                Location.objects.create(organisation=organisation, kind=kind, name=name)
    foundation = Organisation.objects.get(network=network, name="Stichting Bench")
    clinic = Organisation.objects.get(network=network, name="Kliniek Bench")
    members = Membership.objects.select_related("user", "organisation").filter(organisation__network=network)
    by_email = {m.user.email: m for m in members}
    locations = {}
    for location in Location.objects.filter(organisation__network=network):
        channel = Channel.HUISKAMER if location.kind == Location.Kind.HUISKAMER else Channel.OFFICE
        locations[(location.organisation_id, str(channel))] = location.pk
    return World(
        network_id=network.pk,
        foundation_id=foundation.pk,
        clinic_id=clinic.pk,
        caseworker=by_email["caseworker@bench.inbeeld.test"],
        outreach=by_email["outreach-1@bench.inbeeld.test"],
        foundation_recorders=tuple(sorted(m.user_id for m in members if m.organisation_id == foundation.pk)),
        clinic_recorders=tuple(sorted(m.user_id for m in members if m.organisation_id == clinic.pk)),
        locations=locations,
    )


# --- deterministic draws -------------------------------------------------------------------------


def _picker(rng: random.Random, weighted: Sequence[tuple[T, int]]) -> Callable[[], T]:
    values = [value for value, _ in weighted]
    cum = list(accumulate(weight for _, weight in weighted))
    total = cum[-1]
    draw = rng.random
    return lambda: values[bisect(cum, draw() * total)]


@dataclass(frozen=True)
class Traits:
    weight: float  # relative number of contacts
    clinic: bool  # involved with the clinic too
    consent: bool  # the clinic's contacts are shared with the foundation


def _person_rng(seed: int, number: int) -> random.Random:
    return random.Random(seed * 1_000_003 + number)


def _traits(rng: random.Random) -> Traits:
    weight = rng.lognormvariate(0.0, 1.2)
    clinic = rng.random() < 0.2
    return Traits(weight=weight, clinic=clinic, consent=clinic and rng.random() < 0.5)


def traits(seed: int, persons: int) -> list[Traits]:
    """Every person's traits, index = person id - 1 (drawn first from each person's own generator)."""
    return [_traits(_person_rng(seed, number)) for number in range(1, persons + 1)]


def _roepnaam(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(3, 4))).capitalize()


# --- COPY helpers --------------------------------------------------------------------------------


def _check_columns(model: type[models.Model], columns: Sequence[str]) -> None:
    """Fail clearly when the model has changed under the generator (a column added or renamed)."""
    fields = {f.column for f in model._meta.concrete_fields}
    given = set(columns)
    nullable_or_defaulted = {
        f.column for f in model._meta.concrete_fields if f.null or f.db_default is not models.NOT_PROVIDED
    }
    missing = fields - given - nullable_or_defaulted - {"id"}
    unknown = given - fields
    if missing or unknown:
        raise SystemExit(
            f"bench.care is out of date with {model.__name__}: "
            f"columns not written {sorted(missing)}, unknown {sorted(unknown)}"
        )


def _copy(cursor: psycopg.Cursor[Any], model: type[models.Model], columns: Sequence[str], rows: Any) -> int:
    _check_columns(model, columns)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    count = 0
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _max_id(conn: psycopg.Connection[Any], model: type[models.Model]) -> int:
    query = sql.SQL("SELECT coalesce(max(id), 0) FROM {}").format(sql.Identifier(model._meta.db_table))
    row = conn.execute(query).fetchone()
    return int(row[0]) if row else 0


def _sync_sequence(conn: psycopg.Connection[Any], model: type[models.Model]) -> None:
    table = model._meta.db_table
    conn.execute(
        sql.SQL("SELECT setval(pg_get_serial_sequence(%s, 'id'), greatest(max(id), 1)) FROM {}").format(
            sql.Identifier(table)
        ),
        [table],
    )


# --- persons --------------------------------------------------------------------------------------

PERSON_COLUMNS = (
    "id", "network_id", "roepnaam", "legal_name", "birth_year", "phone", "phone_index", "address",
    "languages", "nationality", "status", "status_since", "lead_organisation_id", "key_worker_id",
    "registered_at", "updated_at", "version",
)  # fmt: skip
ALIAS_COLUMNS = ("person_id", "name")
STATUS_COLUMNS = (
    "person_id", "from_status", "to_status", "effective_on", "recorded_at", "recorded_by_id",
    "recorded_by_organisation_id", "note",
)  # fmt: skip
INVOLVEMENT_COLUMNS = ("person_id", "organisation_id", "started_on", "reason", "end_reason", "created_by_id")
CONSENT_COLUMNS = (
    "person_id", "recipient_id", "purpose", "data_categories", "basis", "how_given", "valid_from",
    "note", "recorded_by_id", "recorded_by_organisation_id", "recorded_at", "withdrawal_note",
)  # fmt: skip


@dataclass
class _PersonRows:
    persons: list[tuple[Any, ...]]
    aliases: list[tuple[Any, ...]]
    changes: list[tuple[Any, ...]]
    involvements: list[tuple[Any, ...]]
    consents: list[tuple[Any, ...]]


def _person_rows(world: World, seed: int, first: int, last: int, until: datetime.datetime) -> _PersonRows:
    out = _PersonRows([], [], [], [], [])
    legal_names = [encrypt(f"{_roepnaam(random.Random(i))} Synthetica") for i in range(8)]
    caseworker = world.caseworker.user_id
    span = (until.date() - FIRST_DAY).days
    statuses = [status for status, _ in _STATUSES]
    weights = [weight for _, weight in _STATUSES]
    for number in range(first, last + 1):
        rng = _person_rng(seed, number)
        trait = _traits(rng)  # the same draws traits() makes, first
        phone = f"06-00{number:06d}" if number % 3 == 1 else ""
        status = rng.choices(statuses, weights)[0]
        first_seen = FIRST_DAY + datetime.timedelta(days=rng.randint(0, span // 2))
        since = first_seen + datetime.timedelta(
            days=rng.randint(30, max(31, (until.date() - first_seen).days))
        )
        since = min(since, until.date())
        registered = datetime.datetime.combine(first_seen, datetime.time(12), datetime.UTC)
        out.persons.append(
            (
                number, world.network_id, _roepnaam(rng),
                legal_names[number % len(legal_names)] if number % 5 == 0 else "",
                1960 + number % 40, encrypt(phone) if phone else "", phone_index(phone) if phone else "", "",
                '["nl"]', "NL", status, since, world.foundation_id, caseworker, registered, registered, 1,
            )
        )  # fmt: skip
        if rng.random() < 0.3:
            out.aliases.append((number, _roepnaam(rng)))
        out.changes.append(
            (number, "", Status.STREET_ZONE, first_seen, registered, caseworker, world.foundation_id, "")
        )
        out.changes.append(
            (number, Status.STREET_ZONE, status, since, registered, caseworker, world.foundation_id, "")
        )
        out.involvements.append((number, world.foundation_id, first_seen, "", "", caseworker))
        if trait.clinic:
            clinician = world.clinic_recorders[number % len(world.clinic_recorders)]
            out.involvements.append((number, world.clinic_id, first_seen, "", "", clinician))
            if trait.consent:
                out.consents.append(
                    (
                        number, world.foundation_id, Consent.Purpose.CARE_COORDINATION,
                        json.dumps([DataCategory.CONTACTS, DataCategory.CARE_PLAN]), Consent.Basis.CONSENT,
                        Consent.HowGiven.WRITTEN, first_seen, "", clinician, world.clinic_id, registered, "",
                    )
                )  # fmt: skip
    return out


def write_persons(
    conn: psycopg.Connection[Any], world: World, seed: int, total: int, until: datetime.datetime
) -> float:
    """Persons 1…total (and their history); returns the seconds spent. Resumes after the highest id."""
    done = _max_id(conn, Person)
    started = time.perf_counter()
    with tqdm(total=total, initial=min(done, total), unit=" persons", desc="persons ", smoothing=0.1) as bar:
        for first in range(done + 1, total + 1, PERSON_BATCH):
            last = min(first + PERSON_BATCH - 1, total)
            rows = _person_rows(world, seed, first, last, until)
            with conn.transaction(), conn.cursor() as cursor:
                _copy(cursor, Person, PERSON_COLUMNS, rows.persons)
                _copy(cursor, Alias, ALIAS_COLUMNS, rows.aliases)
                _copy(cursor, StatusChange, STATUS_COLUMNS, rows.changes)
                _copy(cursor, Involvement, INVOLVEMENT_COLUMNS, rows.involvements)
                _copy(cursor, Consent, CONSENT_COLUMNS, rows.consents)
            bar.update(last - first + 1)
    _sync_sequence(conn, Person)
    return time.perf_counter() - started


# --- contacts -------------------------------------------------------------------------------------

CONTACT_COLUMNS = (
    "id", "person_id", "organisation_id", "recorded_by_id", "occurred_at", "channel", "kind", "topics",
    "duration_minutes", "location_id", "note", "recorded_at",
)  # fmt: skip


class ContactMaker:
    """Rows for contact ids first…last; the same ids give the same rows whatever ran before."""

    def __init__(self, world: World, seed: int, people: list[Traits], until: datetime.datetime):
        self.world = world
        self.seed = seed
        self.people = people
        self.cum_weights = list(accumulate(t.weight for t in people))
        self.start = datetime.datetime.combine(FIRST_DAY, datetime.time(), datetime.UTC).timestamp()
        self.span = until.timestamp() - self.start
        pool_rng = random.Random(seed)
        self.notes = [encrypt(note) for note in _NOTES for _ in range(4)]  # 96 ciphertexts, made once
        topics = list(Topic.values)
        self.topics = [
            json.dumps(sorted(pool_rng.sample(topics, pool_rng.randint(0, 3)))) for _ in range(256)
        ]

    def rows(self, first: int, last: int) -> Iterator[tuple[Any, ...]]:
        rng = random.Random(self.seed * 7_777_777 + first)
        world = self.world
        size = last - first + 1
        numbers = rng.choices(range(1, len(self.people) + 1), cum_weights=self.cum_weights, k=size)
        channel = _picker(rng, _CHANNELS)
        kind = _picker(rng, _KINDS)
        draw, pick = rng.random, rng.choice
        people, notes, topics, durations = self.people, self.notes, self.topics, _DURATIONS
        locations = world.locations
        foundation, clinic = world.foundation_id, world.clinic_id
        at = datetime.datetime.fromtimestamp
        utc = datetime.UTC
        start, span = self.start, self.span
        for offset, number in enumerate(numbers):
            person: int | None = number
            organisation = foundation
            if draw() < ANONYMOUS_SHARE:
                person = None
            elif people[number - 1].clinic and draw() < CLINIC_SHARE:
                organisation = clinic
            recorders = world.clinic_recorders if organisation == clinic else world.foundation_recorders
            where = channel()
            moment = int(start + draw() * span)
            occurred = at(moment, utc)
            yield (
                first + offset, person, organisation, pick(recorders), occurred, where, kind(), pick(topics),
                pick(durations), locations.get((organisation, where)),
                pick(notes) if draw() < NOTE_SHARE else "", at(moment + 60 * int(draw() * 600), utc),
            )  # fmt: skip


def _deferrable_schema(conn: psycopg.Connection[Any], table: str) -> list[list[str]]:
    """The table's foreign keys and secondary indexes: [kind, name, definition] (the primary key stays)."""
    keys = conn.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [table],
    ).fetchall()
    indexes = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass) "
        "ORDER BY indexname",
        [table, table],
    ).fetchall()
    return [["index", name, definition] for name, definition in indexes] + [
        ["foreign key", name, definition] for name, definition in keys
    ]


def _drop_schema(conn: psycopg.Connection[Any], table: str, deferred: list[list[str]]) -> None:
    with conn.transaction():
        for kind, name, _definition in deferred:
            if kind == "index":
                conn.execute(sql.SQL("DROP INDEX IF EXISTS {}").format(sql.Identifier(name)))
            else:
                conn.execute(
                    sql.SQL("ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}").format(
                        sql.Identifier(table), sql.Identifier(name)
                    )
                )


def _restore_schema(conn: psycopg.Connection[Any], table: str, deferred: list[list[str]]) -> None:
    """Build the indexes (sorted, in one pass each) and add and validate the foreign keys again."""
    conn.execute("SET maintenance_work_mem = '256MB'")
    present = {name for _kind, name, _definition in _deferrable_schema(conn, table)}
    todo = [entry for entry in deferred if entry[1] not in present]
    for kind, name, definition in tqdm(todo, desc="indexes ", unit=" objects"):
        if kind == "index":
            conn.execute(definition)  # type: ignore[arg-type]  # pg_get_indexdef's own text
        else:
            conn.execute(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} ").format(
                    sql.Identifier(table), sql.Identifier(name)
                )
                + sql.SQL(definition)  # type: ignore[arg-type]  # pg_get_constraintdef's own text
            )
    conn.execute("RESET maintenance_work_mem")


def write_contacts(
    conn: psycopg.Connection[Any],
    database: BenchDatabase,
    maker: ContactMaker,
    total: int,
    *,
    chunk: int = CONTACT_CHUNK,
) -> float:
    """Contacts 1…total; returns the seconds spent. Resumes after the highest id.

    As a restore would, the load runs without the table's foreign keys and secondary indexes (checking
    four foreign keys and updating six indexes row by row makes COPY ~3× slower) and builds them
    afterwards. Their definitions are kept in the meta table first, so an interrupted load restores
    them on ``--resume``.
    """
    table = Contact._meta.db_table
    done = _max_id(conn, Contact)
    started = time.perf_counter()
    deferred: list[list[str]] = database.meta.get("contact_deferred") or []
    if done < total and not deferred:
        deferred = _deferrable_schema(conn, table)
        database.save_meta(contact_deferred=deferred)
    if done < total:
        _drop_schema(conn, table, deferred)
    with tqdm(
        total=total,
        initial=min(done, total),
        unit=" contacts",
        unit_scale=True,
        desc="contacts",
        smoothing=0.1,
    ) as bar:
        for first in range(done + 1, total + 1, chunk):
            last = min(first + chunk - 1, total)
            with conn.transaction(), conn.cursor() as cursor:
                _copy(cursor, Contact, CONTACT_COLUMNS, maker.rows(first, last))
            bar.update(last - first + 1)
    if deferred:
        _restore_schema(conn, table, deferred)
        database.save_meta(contact_deferred=[])
    _sync_sequence(conn, Contact)
    return time.perf_counter() - started


def vacuum_analyze(url: str) -> float:
    """Set hint bits and the visibility map, and give the planner statistics, as autovacuum would."""
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        for model in (Person, Alias, StatusChange, Involvement, Consent, Contact):
            conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(model._meta.db_table)))
    return time.perf_counter() - started


def load_connection(url: str) -> psycopg.Connection[Any]:
    """A connection for the bulk load: a lost last batch after a crash is harmless (resume redoes it)."""
    conn = psycopg.connect(url, autocommit=True)
    conn.execute("SET synchronous_commit = off")
    return conn
