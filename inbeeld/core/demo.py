"""The demo network: a fictional Groningen-like partnership, its places and one demo user per role.

Every name here is invented. ``load_network`` is idempotent: it finds what exists by natural keys
(network slug, organisation name, location name, e-mail address) and creates only what is missing.
The persons and their histories live in ``inbeeld.people.demo``; ``manage.py load_demo`` runs both.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from inbeeld.core.models import Location, Membership, Network, OpeningHours, Organisation, User
from inbeeld.core.roles import Role

# The one password of every demo account. Demo mode only: load_demo refuses to run elsewhere.
DEMO_PASSWORD = "demo-Inbeeld-2026"  # noqa: S105 (a published demo password, on purpose)
DEMO_EMAIL_DOMAIN = "demo.inbeeld.test"
LOGIN_URL = "http://127.0.0.1:8000/"

NETWORK_NAME = "Netwerk Groningen (demo)"
NETWORK_SLUG = "groningen-demo"

# Organisation keys used throughout the demo.
FOUNDATION = "foundation"
MUNICIPALITY = "municipality"
SHELTER = "shelter"
CLINIC = "clinic"

ORGANISATIONS: dict[str, tuple[str, str]] = {
    FOUNDATION: ("Stichting Zeven Bruggen", Organisation.Kind.CARE_PROVIDER),
    MUNICIPALITY: ("Gemeente Hunzestad", Organisation.Kind.MUNICIPALITY),
    SHELTER: ("Opvanginitiatief Het Baken", Organisation.Kind.VOLUNTEER_INITIATIVE),
    CLINIC: ("Kliniek Reitdiephoeve", Organisation.Kind.CLINIC),
}

ZONE_CLOSED_ON = datetime.date(2019, 3, 31)
SHELTER_OPENED_ON = datetime.date(2019, 4, 1)

HUISKAMER = "Huiskamer De Lantaarn"
STREET_ZONE = "Tippelzone Ankerkade"
SHELTER_HOUSE = "Het Baken — tijdelijke opvang"


@dataclass(frozen=True)
class LocationSpec:
    organisation: str
    name: str
    kind: str
    address: str
    opened_on: datetime.date | None
    closed_on: datetime.date | None
    # (weekday 0=Monday, opens, closes)
    hours: tuple[tuple[int, str, str], ...] = ()


LOCATIONS: tuple[LocationSpec, ...] = (
    LocationSpec(
        FOUNDATION,
        HUISKAMER,
        Location.Kind.HUISKAMER,
        "Lantaarnsteeg 3, Hunzestad",
        datetime.date(2012, 5, 1),
        None,
        ((0, "13:00", "17:00"), (1, "13:00", "17:00"), (3, "13:00", "21:00"), (4, "13:00", "17:00")),
    ),
    LocationSpec(
        FOUNDATION,
        STREET_ZONE,
        Location.Kind.STREET_ZONE,
        "Ankerkade (industrieterrein), Hunzestad",
        datetime.date(1996, 9, 1),
        ZONE_CLOSED_ON,
        tuple((day, "21:00", "23:59") for day in range(7)),
    ),
    LocationSpec(
        SHELTER,
        SHELTER_HOUSE,
        Location.Kind.SHELTER,
        "Bakenweg 12, Hunzestad",
        SHELTER_OPENED_ON,
        None,
    ),
    LocationSpec(
        CLINIC,
        "Reitdiephoeve — kliniek",
        Location.Kind.OFFICE,
        "Hoevepad 1, Hunzestad",
        datetime.date(2005, 1, 1),
        None,
    ),
)


@dataclass(frozen=True)
class UserSpec:
    email: str
    full_name: str
    role: str
    organisation: str
    started_on: datetime.date
    is_staff: bool = False
    key_worker: bool = False  # one of the foundation's caseworkers who are key workers


def _email(local: str) -> str:
    return f"{local}@{DEMO_EMAIL_DOMAIN}"


_START = datetime.date(2016, 9, 1)
_SHELTER_START = datetime.date(2019, 2, 1)

# One demo user per role, in the order the logins are printed.
ROLE_USERS: tuple[UserSpec, ...] = (
    UserSpec(
        _email("caseworker"), "Lotte (casemanager, demo)", Role.CASEWORKER, FOUNDATION, _START, False, True
    ),
    UserSpec(_email("outreach"), "Daan (veldwerker, demo)", Role.OUTREACH, FOUNDATION, _START),
    UserSpec(_email("host"), "Fenna (huiskamer, demo)", Role.HOST, FOUNDATION, _START),
    UserSpec(
        _email("shelter_coordinator"),
        "Joris (opvang, demo)",
        Role.SHELTER_COORDINATOR,
        SHELTER,
        _SHELTER_START,
    ),
    UserSpec(_email("volunteer"), "Mies (vrijwilliger, demo)", Role.VOLUNTEER, SHELTER, _SHELTER_START),
    UserSpec(_email("coordinator"), "Wessel (casusregisseur, demo)", Role.COORDINATOR, MUNICIPALITY, _START),
    UserSpec(_email("analyst"), "Noor (beleid, demo)", Role.ANALYST, MUNICIPALITY, _START),
    UserSpec(_email("privacy_officer"), "Bram (FG, demo)", Role.PRIVACY_OFFICER, MUNICIPALITY, _START),
    UserSpec(_email("admin"), "Ilse (applicatiebeheer, demo)", Role.ADMIN, MUNICIPALITY, _START, True),
)

# Colleagues who share the caseload (key workers) and one clinic caseworker who records consents.
EXTRA_USERS: tuple[UserSpec, ...] = (
    UserSpec(
        _email("caseworker2"), "Sem (casemanager, demo)", Role.CASEWORKER, FOUNDATION, _START, False, True
    ),
    UserSpec(
        _email("caseworker3"), "Yara (casemanager, demo)", Role.CASEWORKER, FOUNDATION, _START, False, True
    ),
    UserSpec(
        _email("caseworker4"), "Ruben (casemanager, demo)", Role.CASEWORKER, FOUNDATION, _START, False, True
    ),
    UserSpec(_email("caseworker.kliniek"), "Hanna (kliniek, demo)", Role.CASEWORKER, CLINIC, _START),
)


@dataclass
class DemoNetwork:
    network: Network
    organisations: dict[str, Organisation]
    users: dict[str, User]  # by e-mail address
    memberships: dict[str, Membership]  # by e-mail address
    created: dict[str, int] = field(default_factory=dict)

    def user(self, role: str) -> User:
        return self.users[_email(role)]

    @property
    def key_workers(self) -> list[User]:
        return [self.users[s.email] for s in (*ROLE_USERS, *EXTRA_USERS) if s.key_worker]

    def count(self, what: str, created: bool) -> None:
        if created:
            self.created[what] = self.created.get(what, 0) + 1


def load_network() -> DemoNetwork:
    """Create (or find) the demo network, organisations, locations and users. Call inside a transaction."""
    network, made = Network.objects.get_or_create(slug=NETWORK_SLUG, defaults={"name": NETWORK_NAME})
    demo = DemoNetwork(network=network, organisations={}, users={}, memberships={})
    demo.count("networks", made)

    for key, (name, kind) in ORGANISATIONS.items():
        organisation, made = Organisation.objects.get_or_create(
            network=network, name=name, defaults={"kind": kind}
        )
        demo.organisations[key] = organisation
        demo.count("organisations", made)

    for spec in LOCATIONS:
        location, made = Location.objects.get_or_create(
            organisation=demo.organisations[spec.organisation],
            name=spec.name,
            defaults={
                "kind": spec.kind,
                "address": spec.address,
                "opened_on": spec.opened_on,
                "closed_on": spec.closed_on,
            },
        )
        demo.count("locations", made)
        for weekday, opens, closes in spec.hours:
            _, made = OpeningHours.objects.get_or_create(
                location=location,
                weekday=weekday,
                opens_at=datetime.time.fromisoformat(opens),
                defaults={"closes_at": datetime.time.fromisoformat(closes)},
            )
            demo.count("opening_hours", made)

    _load_users(demo)
    return demo


def _load_users(demo: DemoNetwork) -> None:
    from allauth.account.models import EmailAddress

    password_hash: str | None = None  # argon2 is slow on purpose: hash once, only when needed
    for spec in (*ROLE_USERS, *EXTRA_USERS):
        user = User.objects.filter(email=spec.email).first()
        if user is None:
            if password_hash is None:
                password_hash = make_password(DEMO_PASSWORD)
            user = User.objects.create(
                email=spec.email, full_name=spec.full_name, is_staff=spec.is_staff, password=password_hash
            )
            demo.count("users", True)
        _, made = EmailAddress.objects.get_or_create(
            user=user, email=spec.email, defaults={"verified": True, "primary": True}
        )
        demo.count("email_addresses", made)
        membership, made = Membership.objects.get_or_create(
            user=user,
            organisation=demo.organisations[spec.organisation],
            role=spec.role,
            ended_on=None,
            defaults={"started_on": spec.started_on},
        )
        demo.count("memberships", made)
        demo.users[spec.email] = user
        demo.memberships[spec.email] = membership


def login_lines(demo: DemoNetwork) -> list[str]:
    """One line per role: e-mail / password (role, organisation)."""
    lines = []
    for spec in ROLE_USERS:
        organisation = demo.organisations[spec.organisation].name
        lines.append(f"  {spec.email} / {DEMO_PASSWORD}  ({spec.role}, {organisation})")
    return lines
