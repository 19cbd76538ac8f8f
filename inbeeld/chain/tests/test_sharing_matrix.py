"""The sharing matrix (rule 2): what organisation B sees of organisation A's records of a person.

Both A and B are involved with the person; A records one record of each kind, each carrying a unique
marker. For every data category × consent state, B's caseworker sees A's records exactly when a consent
for ongoing sharing (care coordination, shelter, safety: ``access.sharing_purposes``) to B for that
category is valid today, on every web page and API list that shows them; each such read is audited with
the consent it rested on. A consent for a referral covers only what travels with the referral.

An organisation not involved with the person finds no trace of them: 404 like an unknown id, and no
hit in the by-name list or its search, on the web or in the API.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.care import models as care
from inbeeld.care.tests.grid_plans import plan_draft, save_as
from inbeeld.chain.episodes.tests.conftest import make_episode
from inbeeld.core.crypto import phone_index
from inbeeld.core.models import AuditEvent, Location, Membership
from inbeeld.core.roles import Role
from inbeeld.people.models import Consent, DataCategory, NetworkTie, Person
from inbeeld.shelter.models import Bed, HouseRules, Room, Stay
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1"
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


# --- A's records, one kind at a time ----------------------------------------------------------------


def _contact(person: Person, member: Membership, marker: str) -> None:
    care.Contact.objects.create(
        person=person,
        organisation=member.organisation,
        recorded_by=member.user,
        occurred_at=timezone.now() - DAY,
        channel=care.Channel.STREET_ZONE,
        kind=care.ContactKind.SIGHTING,
        topics=[care.Topic.SAFETY],
        note=marker,
    )


def _appointment(person: Person, member: Membership, marker: str) -> None:
    starts = timezone.now() + DAY
    care.Appointment.objects.create(
        person=person,
        organisation=member.organisation,
        worker=member.user,
        created_by=member.user,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        place=marker,
    )


def _assessment(person: Person, member: Membership, marker: str) -> None:
    care.Assessment.objects.create(
        person=person,
        instrument=care.Instrument.objects.get(code="zrm-2017"),
        organisation=member.organisation,
        assessed_on=TODAY() - DAY,
        assessed_by=member.user,
        note=marker,
    )


def _care_plan(person: Person, member: Membership, marker: str) -> None:
    save_as(member, person, plan_draft(marker))


def _tie(person: Person, member: Membership, marker: str) -> None:
    NetworkTie.objects.create(
        person=person,
        organisation=member.organisation,
        recorded_by=member.user,
        kind="family",
        quality="supportive",
        name=marker,
        frequency="weekly",
        started_on=datetime.date(2024, 1, 1),
    )


def _episode(person: Person, member: Membership, marker: str) -> None:
    make_episode(person, member.organisation, member.user, place=marker)


def _shelter_stay(person: Person, member: Membership, marker: str) -> None:
    site = Location.objects.create(organisation=member.organisation, name=marker, kind=Location.Kind.SHELTER)
    bed = Bed.objects.create(room=Room.objects.create(location=site, name="Kamer 1"), label="Bed 1")
    rules = HouseRules.objects.create(
        location=site, version=1, text="Rust na 23 uur", published_by=member.user
    )
    Stay.objects.create(
        person=person,
        location=site,
        bed=bed,
        organisation=member.organisation,
        checked_in_at=timezone.now() - 2 * DAY,
        house_rules=rules,
        house_rules_accepted_at=timezone.now() - 2 * DAY,
        checked_in_by=member.user,
    )


def page(name: str) -> Callable[[Person], str]:
    return lambda person: reverse(name, kwargs={"pk": person.pk})


def api(suffix: str) -> Callable[[Person], str]:
    return lambda person: f"{API}/persons/{person.pk}/{suffix}"


PERSON_PAGE = page("people:detail")
TIMELINE = page("people:timeline")
API_TIMELINE = api("timeline")


@dataclass(frozen=True)
class Kind:
    """One kind of record: its data category, how A records it, and every place that shows it."""

    name: str
    category: str
    make: Callable[[Person, Membership, str], None]
    places: tuple[Callable[[Person], str], ...]
    # A single record's API answers 404 when there is none the reader may see (the care plan).
    none_is_404: bool = False

    def __str__(self) -> str:
        return self.name


KINDS = [
    Kind(
        "contact",
        DataCategory.CONTACTS,
        _contact,
        (PERSON_PAGE, TIMELINE, page("care:contact_list"), api("contacts"), API_TIMELINE),
    ),
    Kind(
        "appointment",
        DataCategory.CONTACTS,
        _appointment,
        (PERSON_PAGE, TIMELINE, page("care:appointment_list"), api("appointments"), API_TIMELINE),
    ),
    # The assessment list page shows instrument and date only: the note is in the API's list.
    Kind("assessment", DataCategory.CARE_PLAN, _assessment, (api("assessments"),)),
    Kind("care_plan", DataCategory.CARE_PLAN, _care_plan, (page("care:plan"), api("care-plan")), True),
    Kind("tie", DataCategory.NETWORK_MAP, _tie, (PERSON_PAGE, page("people:network"), api("ties"))),
    Kind(
        "episode",
        DataCategory.EPISODES,
        _episode,
        (PERSON_PAGE, TIMELINE, page("chain:episodes"), api("episodes"), API_TIMELINE),
    ),
    Kind("shelter_stay", DataCategory.EPISODES, _shelter_stay, (PERSON_PAGE, TIMELINE, API_TIMELINE)),
]


# --- the consent states -------------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    person: Person
    a: Membership  # A's caseworker, who records
    b: Membership  # B's caseworker, who reads
    c: Membership  # a caseworker of C, involved with nobody


def _consent(w: World, category: str, **kwargs: Any) -> Consent:
    values: dict[str, Any] = {
        "person": w.person,
        "recipient": w.b.organisation,
        "recorded_by": w.a.user,
        "recorded_by_organisation": w.a.organisation,
        "data_categories": [category],
    }
    values.update(kwargs)
    return f.ConsentFactory(**values)


def _other_category(category: str) -> str:
    return DataCategory.HEALTH if category != DataCategory.HEALTH else DataCategory.JUSTICE


# state → (the consent it makes for B's reading of ``category``, whether B sees A's records)
STATES: dict[str, tuple[Callable[[World, str], Consent | None], bool]] = {
    "none": (lambda w, cat: None, False),
    "valid": (lambda w, cat: _consent(w, cat), True),
    "valid_legal_basis": (
        lambda w, cat: _consent(w, cat, basis=Consent.Basis.VITAL_INTEREST, purpose=Consent.Purpose.SAFETY),
        True,
    ),
    "valid_until_today": (lambda w, cat: _consent(w, cat, valid_to=TODAY()), True),
    "not_yet_valid": (lambda w, cat: _consent(w, cat, valid_from=TODAY() + DAY), False),
    "expired": (
        lambda w, cat: _consent(w, cat, valid_from=TODAY() - 60 * DAY, valid_to=TODAY() - DAY),
        False,
    ),
    "withdrawn": (lambda w, cat: _consent(w, cat, withdrawn_at=timezone.now(), withdrawn_by=w.a.user), False),
    "other_recipient": (lambda w, cat: _consent(w, cat, recipient=w.c.organisation), False),
    "other_purpose": (lambda w, cat: _consent(w, cat, purpose=Consent.Purpose.REFERRAL), False),
    "other_category": (lambda w, cat: _consent(w, _other_category(cat)), False),
}


@pytest.fixture
def world(person: Person, member: Membership, outsider: Membership, network: Any) -> World:
    person.phone = "0612345678"
    person.phone_index = phone_index(person.phone)
    person.save()
    person.involvements.create(organisation=outsider.organisation, started_on=datetime.date(2020, 1, 1))
    org_c = f.OrganisationFactory(network=network, name="Organisatie C")
    c = f.MembershipFactory(organisation=org_c, role=Role.CASEWORKER)
    return World(person, member, outsider, c)


def _text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _shows(client: Any, kind: Kind, url: str, marker: str) -> bool:
    response = client.get(url)
    if kind.none_is_404 and url.startswith(API) and response.status_code == 404:
        return False
    return marker in _text(response)


def _places_showing(client: Any, kind: Kind, person: Person, marker: str) -> list[int]:
    """The indexes of ``kind.places`` whose page or API list shows the marker."""
    return [i for i, url in enumerate(kind.places) if _shows(client, kind, url(person), marker)]


def _consents_used(reader: Membership, person: Person) -> set[int | None]:
    events = AuditEvent.objects.filter(person_id_snapshot=person.pk, user_id_snapshot=reader.user.pk)
    return set(events.exclude(consent_id_snapshot=None).values_list("consent_id_snapshot", flat=True))


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_b_sees_as_the_consent_allows(login, world: World, kind: Kind, state: str) -> None:
    marker = f"Merkteken-{kind.name}-{state}"
    kind.make(world.person, world.a, marker)
    everywhere = list(range(len(kind.places)))
    # The marker is shown in every place to A: its absence for B means something.
    assert _places_showing(login(world.a), kind, world.person, marker) == everywhere

    make_consent, shown = STATES[state]
    consent = make_consent(world, kind.category)
    seen = _places_showing(login(world.b), kind, world.person, marker)
    assert seen == (everywhere if shown else [])
    used = _consents_used(world.b, world.person)
    if shown:
        assert consent is not None
        assert used == {consent.pk}
        basis = (
            AuditEvent.Basis.CONSENT
            if consent.basis == Consent.Basis.CONSENT
            else AuditEvent.Basis.LEGAL_BASIS
        )
        assert set(
            AuditEvent.objects.filter(consent_id_snapshot=consent.pk).values_list("basis", "user_id_snapshot")
        ) == {(basis, world.b.user.pk)}
    else:
        assert used == set()


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_a_withdrawal_takes_effect_at_once(login, world: World, kind: Kind) -> None:
    marker = f"Merkteken-{kind.name}-ingetrokken"
    kind.make(world.person, world.a, marker)
    consent = _consent(world, kind.category)
    client = login(world.b)
    assert _places_showing(client, kind, world.person, marker) == list(range(len(kind.places)))

    response = login(world.a).post(
        reverse("people:consent_withdraw", kwargs={"pk": world.person.pk, "consent_pk": consent.pk}),
        {"note": "Wil het niet meer"},
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None

    assert _places_showing(login(world.b), kind, world.person, marker) == []


# --- an organisation not involved: no trace -----------------------------------------------------------


def _same_page(response: Any) -> str:
    """A 404 page without what differs per request: the CSRF token and the path asked for."""
    text = response.content.decode()
    text = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", text)
    return text.replace(response.wsgi_request.path, "")


def test_not_involved_is_not_existing(login, world: World) -> None:
    for kind in KINDS:
        kind.make(world.person, world.a, f"Merkteken-{kind.name}")
    # Even a consent to C does not make the person visible to C: C is not involved.
    _consent(world, DataCategory.CONTACTS, recipient=world.c.organisation)
    client = login(world.c)
    unknown = Person(pk=world.person.pk + 1000)
    urls = {url(world.person): url(unknown) for kind in KINDS for url in kind.places}
    urls[f"{API}/persons/{world.person.pk}"] = f"{API}/persons/{unknown.pk}"
    for hidden_url, unknown_url in urls.items():
        hidden, missing = client.get(hidden_url), client.get(unknown_url)
        assert hidden.status_code == missing.status_code == 404, hidden_url
        assert hidden["Content-Type"] == missing["Content-Type"]
        assert _same_page(hidden) == _same_page(missing), hidden_url
    assert _consents_used(world.c, world.person) == set()


@pytest.mark.parametrize("query", ["roepnaam", "phone"])
def test_the_list_and_search_do_not_leak(login, world: World, query: str) -> None:
    q = world.person.roepnaam if query == "roepnaam" else world.person.phone
    for reader, found in ((world.a, True), (world.b, True), (world.c, False)):
        client = login(reader)
        for params in ({"q": q}, {}):
            listed = _text(client.get(reverse("people:list"), params))
            assert (f'href="{PERSON_PAGE(world.person)}"' in listed) is found
            items = client.get(f"{API}/persons", params).json()["items"]
            assert ([item["id"] for item in items] == [world.person.pk]) is found
            assert found or items == []
