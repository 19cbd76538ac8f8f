"""The demo network's partner services directory. Every name, address, phone number and site is invented:
phone numbers are 050 000 xxxx (no Dutch subscriber number starts with 0), sites and mail are on ``.test``.

``load_services`` adds four partner organisations (a GP practice, an STI clinic, an anti-trafficking
centre and a legal-aid office) with an office and opening hours each, and the services of every demo
organisation. Idempotent: it finds what exists by natural keys (organisation, location and service
names) and creates only what is missing.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from inbeeld.chain.models import Category, Service
from inbeeld.core.demo import CLINIC, FOUNDATION, HUISKAMER, MUNICIPALITY, SHELTER, SHELTER_HOUSE, DemoNetwork
from inbeeld.core.models import Location, OpeningHours, Organisation

GP = "gp"
STI = "sti"
TRAFFICKING = "trafficking"
LEGAL = "legal"

WORKDAYS = tuple(range(5))


@dataclass(frozen=True)
class PartnerSpec:
    name: str
    kind: str
    office: str
    address: str
    hours: tuple[tuple[tuple[int, ...], str, str], ...]  # (weekdays, opens, closes)


PARTNERS: dict[str, PartnerSpec] = {
    GP: PartnerSpec(
        "Huisartsenpraktijk Lantaarnhof",
        Organisation.Kind.CARE_PROVIDER,
        "Praktijk Lantaarnhof",
        "Lantaarnhof 14, 9701 KD Hunzestad",
        ((WORKDAYS, "08:00", "17:00"),),
    ),
    STI: PartnerSpec(
        "Gezondheidsdienst Hunzestad",
        Organisation.Kind.CLINIC,
        "Soa-spreekuur Hunzestad",
        "Kwartierplein 2, 9702 LM Hunzestad",
        (((0, 2), "09:00", "12:00"), ((3,), "13:00", "19:00")),
    ),
    TRAFFICKING: PartnerSpec(
        "Steunpunt Vrije Wegen",
        Organisation.Kind.OTHER,
        "Steunpunt Vrije Wegen — kantoor",
        "Vrijheidslaan 40, 9703 PR Hunzestad",
        ((WORKDAYS, "09:00", "17:00"),),
    ),
    LEGAL: PartnerSpec(
        "Rechtswinkel Hunzestad",
        Organisation.Kind.OTHER,
        "Rechtswinkel — inloop",
        "Gerechtsgang 5, 9704 RS Hunzestad",
        (((1, 3), "18:30", "20:30"),),
    ),
}

CLINIC_SITE = "Reitdiephoeve — kliniek"
MUNICIPALITY_DESK = "Stadsloket Hunzestad"


@dataclass(frozen=True)
class ServiceSpec:
    organisation: str
    name: str
    category: str
    location: str | None
    languages: tuple[str, ...]
    description: str
    eligibility: str = ""
    application_process: str = ""
    fees: str = "Gratis"
    phone: str = ""
    email: str = ""
    url: str = ""


def _site(domain: str) -> str:
    # ".test" is reserved: no invented address points at a real site.
    return f"https://{domain}.test/"


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        CLINIC,
        "Klinische detox",
        Category.DETOX,
        CLINIC_SITE,
        ("nl", "en"),
        "Opname van twee tot drie weken om veilig af te kicken, met medische begeleiding.",
        "Volwassenen met een verslaving aan alcohol, opiaten of cocaïne.",
        "Via de huisarts of de casemanager; spoedopname na overleg.",
        "Vergoed uit de basisverzekering",
        "050 000 1100",
        "intake@reitdiephoeve.test",
        _site("reitdiephoeve"),
    ),
    ServiceSpec(
        CLINIC,
        "Verslavingszorg ambulant",
        Category.ADDICTION_CARE,
        CLINIC_SITE,
        ("nl", "en", "pl"),
        "Behandeling en begeleiding bij verslaving, ook na een opname.",
        "Iedereen vanaf 18 jaar.",
        "Aanmelden via de casemanager.",
        "Vergoed uit de basisverzekering",
        "050 000 1120",
        "ambulant@reitdiephoeve.test",
    ),
    ServiceSpec(
        FOUNDATION,
        "Informatie en advies in de huiskamer",
        Category.OTHER,
        HUISKAMER,
        ("nl", "en", "ro", "bg", "es"),
        "Binnenlopen zonder afspraak: koffie, een luisterend oor, informatie en advies over stoppen "
        "of beginnen.",
        "Iedereen die sekswerk doet, wil stoppen of wil beginnen.",
        "Gewoon binnenlopen tijdens de openingstijden.",
        phone="050 000 2200",
        email="huiskamer@zevenbruggen.test",
        url=_site("zevenbruggen"),
    ),
    ServiceSpec(
        FOUNDATION,
        "Jobcoaching uitstap",
        Category.JOB_COACHING,
        HUISKAMER,
        ("nl", "en"),
        "Begeleiding naar opleiding, vrijwilligerswerk of betaald werk.",
        "Mensen die uit het sekswerk stappen.",
        "Via de casemanager of in de huiskamer.",
        phone="050 000 2210",
    ),
    ServiceSpec(
        MUNICIPALITY,
        "Schuldhulpverlening",
        Category.DEBT_HELP,
        MUNICIPALITY_DESK,
        ("nl", "en"),
        "Overzicht van schulden, budgetbeheer en een regeling met schuldeisers.",
        "Inwoners van Hunzestad.",
        "Afspraak maken via het stadsloket.",
        phone="050 000 7700",
        email="schulden@hunzestad.test",
        url=_site("hunzestad"),
    ),
    ServiceSpec(
        MUNICIPALITY,
        "Woonbegeleiding en urgentie",
        Category.HOUSING,
        MUNICIPALITY_DESK,
        ("nl",),
        "Hulp bij het vinden van woonruimte, urgentieverklaring en begeleid wonen.",
        "Inwoners van Hunzestad zonder vaste woonplek.",
        "Aanvraag via de casusregisseur.",
        phone="050 000 7700",
        email="wonen@hunzestad.test",
    ),
    ServiceSpec(
        SHELTER,
        "Tijdelijke opvang",
        Category.HOUSING,
        SHELTER_HOUSE,
        ("nl", "en", "ro"),
        "Een veilige plek om te wonen terwijl je aan een nieuw sociaal netwerk bouwt.",
        "(Ex-)sekswerkers van de tippelzone.",
        "Aanmelden via de casemanager; er is een wachtlijst.",
        phone="050 000 3300",
    ),
    ServiceSpec(
        GP,
        "Huisartsenzorg",
        Category.GP,
        PARTNERS[GP].office,
        ("nl", "en", "de"),
        "Huisartsenzorg, ook voor wie (nog) niet staat ingeschreven.",
        "Iedereen; zonder verzekering na overleg.",
        "Bellen voor een afspraak.",
        "Vergoed uit de basisverzekering",
        "050 000 4400",
    ),
    ServiceSpec(
        STI,
        "Soa-test en vaccinatie",
        Category.STI_CLINIC,
        PARTNERS[STI].office,
        ("nl", "en", "ro", "bg", "es", "pt"),
        "Anoniem testen op soa en hiv, PrEP, vaccinatie tegen hepatitis B.",
        "Sekswerkers en iedereen met een verhoogd risico.",
        "Bellen of mailen; anoniem mag.",
        phone="050 000 5500",
        email="soa@gezondheidsdienst-hunzestad.test",
        url=_site("gezondheidsdienst-hunzestad"),
    ),
    ServiceSpec(
        TRAFFICKING,
        "Hulp bij mensenhandel",
        Category.ANTI_TRAFFICKING,
        PARTNERS[TRAFFICKING].office,
        ("nl", "en", "ro", "bg", "hu", "pl"),
        "Advies, bescherming en opvang voor slachtoffers van mensenhandel.",
        "Iedereen die gedwongen wordt of werd.",
        "Bellen, ook anoniem en ook voor hulpverleners.",
        phone="050 000 6600",
        email="hulp@vrijewegen.test",
    ),
    ServiceSpec(
        LEGAL,
        "Juridisch spreekuur",
        Category.LEGAL_AID,
        PARTNERS[LEGAL].office,
        ("nl", "en"),
        "Gratis juridisch advies door rechtenstudenten onder begeleiding van advocaten.",
        "Iedereen met een juridische vraag.",
        "Binnenlopen tijdens het spreekuur.",
        email="spreekuur@rechtswinkel-hunzestad.test",
    ),
)


def _with_hours(
    location: Location, hours: tuple[tuple[tuple[int, ...], str, str], ...], created: Counter[str]
) -> None:
    for weekdays, opens, closes in hours:
        for weekday in weekdays:
            _, made = OpeningHours.objects.get_or_create(
                location=location,
                weekday=weekday,
                opens_at=datetime.time.fromisoformat(opens),
                defaults={"closes_at": datetime.time.fromisoformat(closes)},
            )
            created["partner_opening_hours"] += made


def _organisations(demo: DemoNetwork, created: Counter[str]) -> dict[str, Organisation]:
    organisations = dict(demo.organisations)
    for key, spec in PARTNERS.items():
        organisation, made = Organisation.objects.get_or_create(
            network=demo.network, name=spec.name, defaults={"kind": spec.kind}
        )
        created["partner_organisations"] += made
        organisations[key] = organisation
        location, made = Location.objects.get_or_create(
            organisation=organisation,
            name=spec.office,
            defaults={"kind": Location.Kind.OFFICE, "address": spec.address},
        )
        created["partner_locations"] += made
        _with_hours(location, spec.hours, created)
    desk, made = Location.objects.get_or_create(
        organisation=organisations[MUNICIPALITY],
        name=MUNICIPALITY_DESK,
        defaults={"kind": Location.Kind.OFFICE, "address": "Raadhuisplein 1, 9700 AA Hunzestad"},
    )
    created["partner_locations"] += made
    _with_hours(desk, ((WORKDAYS, "09:00", "16:30"),), created)
    return organisations


def load_services(demo: DemoNetwork, *, today: datetime.date | None = None) -> dict[str, int]:
    """Plain ORM writes; returns how many of each were created (nothing on a second run)."""
    created: Counter[str] = Counter()
    organisations = _organisations(demo, created)
    stamp = timezone.make_aware(datetime.datetime.combine(today or timezone.localdate(), datetime.time(9)))
    for spec in SERVICES:
        organisation = organisations[spec.organisation]
        service, made = Service.objects.get_or_create(
            organisation=organisation,
            name=spec.name,
            defaults={
                "category": spec.category,
                "description": spec.description,
                "eligibility": spec.eligibility,
                "application_process": spec.application_process,
                "fees": spec.fees,
                "languages": list(spec.languages),
                "phone": spec.phone,
                "email": spec.email,
                "url": spec.url,
                "created_at": stamp,
                "updated_at": stamp,
            },
        )
        if made and spec.location is not None:
            service.locations.set(Location.objects.filter(organisation=organisation, name=spec.location))
        created["services"] += made
    return {key: count for key, count in created.items() if count}
