"""Bad input on every write endpoint of the API: a 422 naming the field, nothing written, never a 500.

Each endpoint is described once (its valid body and which fields are text, dates, ids, choices);
the cases are generated from that: 10,000-character strings, control characters, wrong types,
dates in 1850 and 2200, unknown ids and ids of another network, missing and extra fields.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from inbeeld.core.models import AuditEvent
from inbeeld.core.roles import Role
from inbeeld.people.models import Alias, Consent, Involvement, Person, StatusChange
from inbeeld.testing import factories as f
from inbeeld.testing.bad_input import LONG

API = "/api/v1"
CONTROL: dict[str, Any] = {"nul": "a\x00b", "escape": "a\x1b[2Jb", "rtl-override": "a\u202eb"}
WRONG_TYPES: dict[str, Any] = {"number": 12, "list": ["x"], "object": {"x": 1}}
BAD_DATES: dict[str, Any] = {
    "1850": "1850-01-01",
    "2200": "2200-01-01",
    "garbage": "31-12-2019",
    "impossible": "2019-02-30",
}
BAD_IDS: dict[str, Any] = {
    "unknown": 987_654_321,
    "huge": 10**30,
    "negative": -1,
    "text": "1 OR 1=1",
    "fraction": 1.5,
}
BAD_INTS: dict[str, Any] = {"1850": 1850, "2200": 2200, "text": "abc", "fraction": 1990.5}
BAD_CHOICES: dict[str, Any] = {"unknown": "nonsense", "empty": "", "number": 5, "upper": "REFERRAL"}
SQL = "Robert'); DROP TABLE people_person; --"
HTML = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@dataclass
class World:
    member: Any
    person: Person
    org_a: Any
    org_b: Any
    involvement: Involvement
    consent: Consent
    foreign_org: Any
    foreign_user: Any
    outsider: Any
    coordinator: Any


@pytest.fixture
def world(member, person, org_a, org_b, outsider) -> World:
    foreign = f.MembershipFactory(role=Role.CASEWORKER)  # a caseworker in another network
    consent = f.ConsentFactory(
        person=person, recipient=org_b, recorded_by=member.user, recorded_by_organisation=org_a
    )
    return World(
        member=member,
        person=person,
        org_a=org_a,
        org_b=org_b,
        involvement=person.involvements.get(),
        consent=consent,
        foreign_org=foreign.organisation,
        foreign_user=foreign.user,
        outsider=outsider,
        coordinator=f.MembershipFactory(organisation=org_b, role=Role.COORDINATOR),
    )


def _today() -> str:
    return timezone.localdate().isoformat()


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: Callable[[World], str]
    valid: Callable[[World], dict[str, Any]]
    required: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()  # strings checked for length and control characters
    text_lists: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    ints: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()  # ids of organisations or users, checked against the network
    choices: tuple[str, ...] = ()
    acting: str = "member"  # the World attribute whose membership sends the request


def _p(w: World) -> str:
    return f"{API}/persons/{w.person.pk}"


ENDPOINTS = [
    Endpoint(
        "register",
        "post",
        lambda w: f"{API}/persons",
        lambda w: {"roepnaam": "Nieuw"},
        required=("roepnaam",),
        texts=("roepnaam", "legal_name", "phone", "address", "nationality", "reason"),
        text_lists=("aliases", "languages"),
        dates=("date_of_birth",),
        ints=("birth_year",),
        ids=("key_worker_id",),
        choices=("status",),
    ),
    Endpoint(
        "edit",
        "patch",
        _p,
        lambda w: {"version": w.person.version},
        required=("version",),
        texts=("roepnaam", "legal_name", "phone", "address", "nationality"),
        text_lists=("aliases", "languages"),
        dates=("date_of_birth",),
        ints=("birth_year", "version"),
    ),
    Endpoint(
        "status",
        "post",
        lambda w: f"{_p(w)}/status",
        lambda w: {"status": "exiting", "effective_on": _today()},
        required=("status", "effective_on"),
        texts=("note",),
        dates=("effective_on",),
        choices=("status",),
    ),
    Endpoint(
        "lead",
        "put",
        lambda w: f"{_p(w)}/lead",
        lambda w: {"lead_organisation_id": w.org_a.pk, "key_worker_id": w.member.user_id},
        required=("lead_organisation_id",),
        ids=("lead_organisation_id", "key_worker_id"),
    ),
    Endpoint(
        "add-involvement",
        "post",
        lambda w: f"{_p(w)}/involvements",
        lambda w: {"organisation_id": w.org_b.pk, "started_on": _today()},
        required=("organisation_id", "started_on"),
        texts=("reason",),
        acting="coordinator",  # involving another organisation is the coordinator's call
        dates=("started_on",),
        ids=("organisation_id",),
    ),
    Endpoint(
        "end-involvement",
        "post",
        lambda w: f"{_p(w)}/involvements/{w.involvement.pk}/end",
        lambda w: {"ended_on": _today()},
        required=("ended_on",),
        texts=("end_reason",),
        dates=("ended_on",),
    ),
    Endpoint(
        "consent",
        "post",
        lambda w: f"{_p(w)}/consents",
        lambda w: {
            "recipient_id": w.org_b.pk,
            "purpose": "referral",
            "data_categories": ["contacts"],
            "how_given": "written",
            "valid_from": _today(),
        },
        required=("recipient_id", "purpose", "data_categories", "how_given", "valid_from"),
        texts=("note",),
        dates=("valid_from", "valid_to"),
        ids=("recipient_id",),
        choices=("purpose", "how_given", "basis"),
        text_lists=("data_categories",),
    ),
    Endpoint(
        "withdraw",
        "post",
        lambda w: f"{_p(w)}/consents/{w.consent.pk}/withdraw",
        lambda w: {"note": ""},
        texts=("note",),
    ),
]

Change = Callable[[World, dict[str, Any]], dict[str, Any]]


def _set(field: str, value: Any) -> Change:
    return lambda w, body: {**body, field: value}


def _without(field: str) -> Change:
    return lambda w, body: {k: v for k, v in body.items() if k != field}


def _set_from_world(field: str, attr: str) -> Change:
    return lambda w, body: {**body, field: getattr(w, attr).pk}


def _field_cases(e: Endpoint) -> Iterator[tuple[str, Change, str]]:
    for field in e.texts:
        yield "10000-chars", _set(field, LONG), field
        for label, value in CONTROL.items():
            yield label, _set(field, value), field
        for label, value in WRONG_TYPES.items():
            yield label, _set(field, value), field
    for field in e.text_lists:
        yield "10000-chars-item", _set(field, [LONG]), field
        yield "control-item", _set(field, [CONTROL["nul"]]), field
        yield "not-a-list", _set(field, "nl"), field
        yield "object-item", _set(field, [{"x": 1}]), field
    for field in e.dates:
        for label, value in BAD_DATES.items():
            yield label, _set(field, value), field
        yield "number", _set(field, [2019]), field
    for field in e.ints:
        for label, value in BAD_INTS.items():
            if field == "version" and label in ("1850", "2200"):
                continue  # any whole number is a version; a wrong one is a conflict (409), not bad input
            yield label, _set(field, value), field
    for field in e.ids:
        for label, value in BAD_IDS.items():
            yield label, _set(field, value), field
        other = "foreign_user" if field == "key_worker_id" else "foreign_org"
        yield "other-network", _set_from_world(field, other), field
    for field in e.choices:
        for label, value in BAD_CHOICES.items():
            yield label, _set(field, value), field
    for field in e.required:
        yield "missing", _without(field), field
        if field != "lead_organisation_id":  # null is meaningful there: no lead organisation
            yield "null", _set(field, None), field
    yield "extra-field", _set("bogus", 1), "bogus"
    yield "mass-assignment", _set("network_id", 1), "network_id"


def _semantic_cases() -> Iterator[tuple[str, str, Change, str]]:
    """Input of the right type that the rules still refuse."""
    yield "register", "phone-letters", _set("phone", SQL), "phone"
    yield (
        "register",
        "key-worker-not-of-lead-org",
        (lambda w, b: {**b, "key_worker_id": w.outsider.user_id}),
        ("key_worker_id"),
    )
    yield (
        "register",
        "year-not-date",
        (lambda w, b: {**b, "date_of_birth": "1990-05-01", "birth_year": 1991}),
        ("birth_year"),
    )
    yield "status", "before-current-status", _set("effective_on", "2017-06-01"), "effective_on"
    yield (
        "add-involvement",
        "already-involved",
        (lambda w, b: {**b, "organisation_id": w.org_a.pk}),
        ("organisation_id"),
    )
    yield "end-involvement", "before-start", _set("ended_on", "2017-06-01"), "ended_on"
    yield "consent", "no-categories", _set("data_categories", []), "data_categories"
    yield "consent", "unknown-category", _set("data_categories", ["care_plan", "gossip"]), "data_categories"
    yield "consent", "consent-not-given", _set("how_given", "not_applicable"), "how_given"
    yield "consent", "to-before-from", _set("valid_to", "2001-01-01"), "valid_to"
    yield (
        "consent",
        "longer-than-five-years",
        (lambda w, b: {**b, "valid_to": f"{timezone.localdate().year + 6}-01-01"}),
        "valid_to",
    )


def _cases() -> Iterator[Any]:
    by_name = {e.name: e for e in ENDPOINTS}
    for e in ENDPOINTS:
        for label, change, field in _field_cases(e):
            yield pytest.param(e, change, field, id=f"{e.name}-{field}-{label}")
    for name, label, change, field in _semantic_cases():
        yield pytest.param(by_name[name], change, field, id=f"{name}-{label}")


def fingerprint() -> tuple[Any, ...]:
    """Everything a write could have touched."""
    return (
        list(Person.objects.values_list("id", "version", "status", "lead_organisation_id", "key_worker_id")),
        Alias.objects.count(),
        list(Involvement.objects.values_list("id", "ended_on")),
        list(Consent.objects.values_list("id", "withdrawn_at")),
        StatusChange.objects.count(),
        AuditEvent.objects.count(),
    )


def _send(client, method: str, url: str, body: Any, *, raw: bool = False):  # type: ignore[no-untyped-def]
    data = body if raw else json.dumps(body)
    return getattr(client, method)(url, data, content_type="application/json")


def _names_field(detail: list[dict[str, Any]], field: str) -> bool:
    return any(field in [str(part) for part in error["loc"]] for error in detail)


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "change", "field"), list(_cases()))
def test_bad_input_is_422_naming_the_field(world, login, endpoint, change, field):
    client = login(getattr(world, endpoint.acting))
    body = change(world, endpoint.valid(world))
    before = fingerprint()
    response = _send(client, endpoint.method, endpoint.path(world), body)
    assert response.status_code == 422, response.content[:500]
    detail = response.json()["detail"]
    assert _names_field(detail, field), detail
    assert all(error["msg"] for error in detail)
    assert fingerprint() == before


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_the_valid_body_is_accepted(world, login, endpoint):
    """The baseline every case above changes one thing of: it must itself be fine."""
    response = _send(
        login(getattr(world, endpoint.acting)), endpoint.method, endpoint.path(world), endpoint.valid(world)
    )
    assert response.status_code in (200, 201), response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", 422), ("[1, 2]", 422), ('"text"', 422), ("{not json", 400), ("null", 422), ("\x00", 400)],
    ids=["empty", "array", "string", "malformed", "null", "nul-byte"],
)
def test_a_body_that_is_not_an_object_is_refused(world, login, endpoint, raw, expected):
    before = fingerprint()
    response = _send(login(world.member), endpoint.method, endpoint.path(world), raw, raw=True)
    assert response.status_code == expected
    assert fingerprint() == before


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.name != "register"], ids=lambda e: e.name)
@pytest.mark.parametrize("bad_id", ["abc", "1.5", "1e3", "%20", "0x10"])
def test_non_integer_ids_in_the_path_are_422(world, login, endpoint, bad_id):
    url = endpoint.path(world).replace(f"/persons/{world.person.pk}", f"/persons/{bad_id}")
    before = fingerprint()
    response = _send(login(world.member), endpoint.method, url, endpoint.valid(world))
    assert response.status_code == 422
    assert _names_field(response.json()["detail"], "person_id")
    assert fingerprint() == before


@pytest.mark.django_db
@pytest.mark.parametrize("text", [SQL, HTML, "Zoë ‘Z’ Ünal-O’Brien", "名前"])
def test_injection_strings_are_stored_verbatim_and_harmless(world, login, text):
    """Such strings are valid names and notes: they must round-trip exactly and change nothing else."""
    client = login(world.member)
    created = _send(
        client, "post", f"{API}/persons", {"roepnaam": text[:80], "address": text, "legal_name": text[:80]}
    )
    assert created.status_code == 201, created.json()
    assert created["Content-Type"].startswith("application/json")
    body = client.get(f"{API}/persons/{created.json()['id']}").json()
    assert (body["roepnaam"], body["identity"]["address"]) == (text[:80], text)
    assert Person.objects.count() == 2  # the table is still there, with exactly the rows expected
    found = client.get(f"{API}/persons", {"q": text[:80]}).json()
    assert [p["id"] for p in found["items"]] == [created.json()["id"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("suffix", "query", "field"),
    [
        ("", {"q": LONG}, "q"),
        ("", {"q": CONTROL["nul"]}, "q"),
        ("", {"page": "0"}, "page"),
        ("", {"page": "-1"}, "page"),
        ("", {"page": "abc"}, "page"),
        ("", {"page": str(10**30)}, "page"),
        ("/{id}/access-log", {"page": "0"}, "page"),
        ("/{id}/involvements", {"page": "x"}, "page"),
        ("/{id}/consents", {"page": "1.5"}, "page"),
    ],
)
def test_bad_query_parameters_are_422(world, login, suffix, query, field):
    url = f"{API}/persons" + suffix.format(id=world.person.pk)
    before = AuditEvent.objects.count()
    response = login(world.member).get(url, query)
    assert response.status_code == 422
    assert _names_field(response.json()["detail"], field)
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("bad_id", ["abc", "-1", str(10**30), "1.5", "1e3"])
@pytest.mark.parametrize("suffix", ["", "/involvements", "/consents", "/access-log"])
def test_bad_person_ids_on_reads_never_500(world, login, bad_id, suffix):
    response = login(world.member).get(f"{API}/persons/{bad_id}{suffix}")
    assert response.status_code in (404, 422)
