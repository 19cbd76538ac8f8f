"""Synthetic, invented data at scale for the benchmarks: a network, staff, persons, audit events.

Everything comes from one seeded generator. Names are syllable soup, phone numbers lie in the
never-issued 06-00xxxxxx range. ``bulk_persons`` writes with ``bulk_create`` (no audit events, as a
data migration would); ``register`` goes through ``people.actions.register_person`` like a worker.
Import this module only after ``django.setup()``.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from inbeeld.core import audit
from inbeeld.core.audit import Actor
from inbeeld.core.crypto import phone_index
from inbeeld.core.models import AuditEvent, Membership, Network, Organisation, User
from inbeeld.core.roles import Role
from inbeeld.people.actions import PersonDetails, register_person
from inbeeld.people.models import Alias, Involvement, Person, Status, StatusChange

_SYLLABLES = (
    "ka", "ri", "na", "lo", "me", "sa", "ti", "vo", "da", "ne", "mi", "ro", "zu", "fe", "li", "bo",
    "ja", "ke", "ni", "pa", "so", "te", "wi", "xa", "yo", "el", "an", "is", "or", "un",
)  # fmt: skip
_STATUSES = (
    (Status.STREET_ZONE, 10),
    (Status.OTHER_SEX_WORK, 15),
    (Status.EXITING, 20),
    (Status.EXITED, 20),
    (Status.IN_TREATMENT, 8),
    (Status.IN_SHELTER, 5),
    (Status.UNKNOWN, 10),
    (Status.MOVED_AWAY, 10),
    (Status.DECEASED, 2),
)
PASSWORD = "bench-only-Password-1"  # noqa: S105 (a throw-away database)


@dataclass
class BenchNetwork:
    network: Network
    foundation: Organisation
    clinic: Organisation
    caseworker: Membership
    coordinator: Membership

    def actor(self, membership: Membership | None = None) -> Actor:
        membership = membership or self.caseworker
        return Actor(user=membership.user, membership=membership, source="bench")


class Names:
    """Invented roepnamen (unique within a run), aliases and phone numbers."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.seen: set[str] = set()
        self.phones = 0

    def roepnaam(self) -> str:
        while True:
            parts = self.rng.randint(2, 4)
            name = "".join(self.rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()
            if name not in self.seen:
                self.seen.add(name)
                return name

    def phone(self) -> str:
        self.phones += 1
        return f"06-00{self.phones:06d}"

    def status(self) -> str:
        return self.rng.choices([s for s, _ in _STATUSES], weights=[w for _, w in _STATUSES])[0]


def make_network(name: str = "Benchnetwerk") -> BenchNetwork:
    with transaction.atomic():
        network = Network.objects.create(name=name, slug=name.lower())
        foundation = Organisation.objects.create(
            network=network, name="Stichting Bench", kind=Organisation.Kind.CARE_PROVIDER
        )
        clinic = Organisation.objects.create(
            network=network, name="Kliniek Bench", kind=Organisation.Kind.CLINIC
        )
        password = make_password(PASSWORD)
        memberships = {}
        for role, organisation in ((Role.CASEWORKER, foundation), (Role.COORDINATOR, foundation)):
            user = User.objects.create(email=f"{role}@bench.inbeeld.test", full_name=role, password=password)
            memberships[role] = Membership.objects.create(
                user=user, organisation=organisation, role=role, started_on=datetime.date(2017, 1, 1)
            )
    return BenchNetwork(
        network, foundation, clinic, memberships[Role.CASEWORKER], memberships[Role.COORDINATOR]
    )


def register(bench: BenchNetwork, names: Names, count: int) -> list[int]:
    """Register persons one by one through the write function a worker's form calls (audited)."""
    actor = bench.actor()
    ids = []
    for number in range(count):
        details = PersonDetails(
            roepnaam=names.roepnaam(),
            aliases=[names.roepnaam()] if number % 3 == 0 else [],
            phone=names.phone() if number % 3 == 1 else "",
            legal_name=f"{names.roepnaam()} Synthetica" if number % 5 == 0 else "",
            birth_year=1965 + number % 35,
            nationality="NL",
            languages=["nl"],
        )
        person = register_person(
            details, actor=actor, status=names.status(), key_worker=bench.caseworker.user, reason="Bench"
        )
        ids.append(person.pk)
    return ids


def _chunks(total: int, size: int) -> Iterator[int]:
    done = 0
    while done < total:
        yield min(size, total - done)
        done += size


def bulk_persons(bench: BenchNetwork, names: Names, count: int, *, batch_size: int = 2000) -> int:
    """Persons with aliases, a status history and involvements, written in bulk (no audit events)."""
    rng = names.rng
    start = datetime.date(2017, 1, 2)
    span = (datetime.date(2026, 1, 1) - start).days
    for size in _chunks(count, batch_size):
        with transaction.atomic():
            persons = []
            for number in range(size):
                phone = names.phone() if number % 3 == 1 else ""
                since = start + datetime.timedelta(days=rng.randint(0, span))
                persons.append(
                    Person(
                        network=bench.network,
                        roepnaam=names.roepnaam(),
                        legal_name=f"{names.roepnaam()} Synthetica" if number % 5 == 0 else "",
                        phone=phone,
                        phone_index=phone_index(phone) if phone else "",
                        birth_year=1965 + number % 35,
                        nationality="NL",
                        languages=["nl"],
                        status=names.status(),
                        status_since=since,
                        lead_organisation=bench.foundation,
                        key_worker=bench.caseworker.user,
                    )
                )
            persons = Person.objects.bulk_create(persons)
            if any(p.pk is None for p in persons):  # backends without RETURNING
                persons = list(Person.objects.filter(network=bench.network).order_by("-id")[: len(persons)])
            aliases, changes, involvements = [], [], []
            for person in persons:
                if rng.random() < 0.3:
                    aliases.append(Alias(person=person, name=names.roepnaam()))
                first = person.status_since - datetime.timedelta(days=rng.randint(30, 900))
                changes.append(StatusChange(person=person, to_status=Status.STREET_ZONE, effective_on=first))
                changes.append(
                    StatusChange(
                        person=person,
                        from_status=Status.STREET_ZONE,
                        to_status=person.status,
                        effective_on=person.status_since,
                    )
                )
                involvements.append(
                    Involvement(person=person, organisation=bench.foundation, started_on=first)
                )
                if rng.random() < 0.2:
                    involvements.append(
                        Involvement(person=person, organisation=bench.clinic, started_on=person.status_since)
                    )
            Alias.objects.bulk_create(aliases)
            StatusChange.objects.bulk_create(changes)
            Involvement.objects.bulk_create(involvements)
    return count


def bulk_audit_events(
    bench: BenchNetwork, person_ids: list[int], count: int, *, batch_size: int = 5000
) -> int:
    """Append ``count`` chained read events (as if workers had opened person pages)."""
    if not count or not person_ids:
        return 0
    rng = random.Random(7513)
    membership = bench.caseworker
    user = membership.user
    for size in _chunks(count, batch_size):
        with transaction.atomic():
            audit._lock_chain()
            prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or audit.GENESIS
            events = []
            for _ in range(size):
                person_id = rng.choice(person_ids)
                event = AuditEvent(
                    occurred_at=timezone.now(),
                    user_id_snapshot=user.pk,
                    user_label=user.email,
                    organisation_id_snapshot=membership.organisation_id,
                    organisation_label=membership.organisation.name,
                    role=membership.role,
                    person_id_snapshot=person_id,
                    action=AuditEvent.Action.READ,
                    data="person.page",
                    object_id=str(person_id),
                    basis=AuditEvent.Basis.INVOLVEMENT,
                    source="bench",
                    detail={"level": "file"},
                    prev_hash=prev,
                )
                event.hash = audit.compute_hash(event, prev)
                prev = event.hash
                events.append(event)
            AuditEvent.objects.bulk_create(events)
    return count
