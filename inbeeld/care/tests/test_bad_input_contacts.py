"""Bad input on every contact and appointment form and endpoint: a clear error naming the field, nothing
stored (not even an audit event), never a 500 (the test client would raise it).

Web forms answer 422 with the error next to the field; the API answers 422 whose ``loc`` ends in the
field. Cases: dates in the future or before 2000, 10,000-character notes, control characters, unknown
choices, unknown or foreign person / location / worker ids, ends before starts, wrong types, extra
fields. Injection strings are valid text: stored as typed and shown escaped.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.care.forms_contacts import DATETIME_LOCAL
from inbeeld.care.models import Appointment, CalendarFeed, Contact
from inbeeld.care.tests.test_appointments import make_appointment, tomorrow
from inbeeld.core.models import AuditEvent, Location
from inbeeld.core.roles import Role
from inbeeld.testing import factories as f
from inbeeld.testing.bad_input import LONG, MISSING

pytestmark = pytest.mark.django_db
API = "/api/v1"
SQL = "Robert'); DROP TABLE care_contact; --"
HTML = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@dataclass
class World:
    member: Any
    person: Any
    location: Any
    appointment: Any
    theirs: Any  # a person of organisation B
    foreign_person: Any
    foreign_location: Any
    foreign_user: Any
    outsider: Any


@pytest.fixture
def world(member, person, org_a, org_b, outsider) -> World:
    foreign = f.MembershipFactory(role=Role.CASEWORKER)  # a caseworker in another network
    foreign_location = Location.objects.create(
        organisation=foreign.organisation, name="Elders", kind="office"
    )
    return World(
        member=member,
        person=person,
        location=Location.objects.create(organisation=org_a, name="Huiskamer", kind="huiskamer"),
        appointment=make_appointment(person, org_a, member.user, tomorrow(10)),
        theirs=f.PersonFactory(network=org_a.network, involved=[org_b]),
        foreign_person=f.PersonFactory(network=foreign.organisation.network, involved=[foreign.organisation]),
        foreign_location=foreign_location,
        foreign_user=foreign.user,
        outsider=outsider,
    )


def fingerprint() -> tuple[Any, ...]:
    """Everything a write could have touched."""
    return (
        list(Contact.objects.values_list("id", flat=True)),
        list(Appointment.objects.values_list("id", "status", "starts_at", "ends_at")),
        list(CalendarFeed.objects.values_list("id", "revoked_at")),
        AuditEvent.objects.count(),
    )


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime(DATETIME_LOCAL)


NOW = timezone.now  # called per case, never at import


# --- web forms --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WebForm:
    url: Callable[[World], str]
    valid: Callable[[World], dict[str, Any]]


WEB: dict[str, WebForm] = {
    "contact": WebForm(
        lambda w: reverse("care:contact_new"),
        lambda w: {"person": w.person.pk, "occurred_at": _local(NOW()), "channel": "phone", "kind": "help"},
    ),
    "appointment": WebForm(
        lambda w: reverse("care:appointment_new", kwargs={"pk": w.person.pk}),
        lambda w: {"starts_at": _local(tomorrow(14)), "ends_at": _local(tomorrow(15)), "place": "Kantoor"},
    ),
    "status": WebForm(
        lambda w: reverse(
            "care:appointment_status", kwargs={"pk": w.person.pk, "appointment_pk": w.appointment.pk}
        ),
        lambda w: {"status": "cancelled"},
    ),
}

Value = Any | Callable[[World], Any]

WEB_BAD: list[tuple[str, str, Value]] = [
    # who
    ("contact", "person", MISSING),
    ("contact", "person", ""),
    ("contact", "person", "987654321"),
    ("contact", "person", str(10**30)),
    ("contact", "person", "1 OR 1=1"),
    ("contact", "person", lambda w: w.theirs.pk),
    ("contact", "person", lambda w: w.foreign_person.pk),
    # when
    ("contact", "occurred_at", MISSING),
    ("contact", "occurred_at", "gisteren"),
    ("contact", "occurred_at", "2024-02-30T10:00"),
    ("contact", "occurred_at", "2200-01-01T10:00"),
    ("contact", "occurred_at", lambda w: _local(NOW() + datetime.timedelta(minutes=30))),
    ("contact", "occurred_at", "1999-12-31T23:00"),
    ("contact", "occurred_at", "1850-01-01T10:00"),
    # where, kind, topics, duration, location
    ("contact", "channel", MISSING),
    ("contact", "channel", "maan"),
    ("contact", "kind", MISSING),
    ("contact", "kind", "roddel"),
    ("contact", "topics", ["everything"]),
    ("contact", "topics", ["housing", "gossip"]),
    ("contact", "duration_minutes", "abc"),
    ("contact", "duration_minutes", "0"),
    ("contact", "duration_minutes", "-5"),
    ("contact", "duration_minutes", "1.5"),
    ("contact", "duration_minutes", "100000"),
    ("contact", "location", "987654321"),
    ("contact", "location", "Huiskamer"),
    ("contact", "location", lambda w: w.foreign_location.pk),
    # the note
    ("contact", "note", LONG),
    ("contact", "note", "x" * 1001),
    ("contact", "note", "notitie\x1b[2J"),
    ("contact", "note", "nul\x00byte"),
    ("contact", "note", "richting\u202eomgedraaid"),
    # appointments: time
    ("appointment", "starts_at", MISSING),
    ("appointment", "starts_at", "morgen"),
    ("appointment", "starts_at", lambda w: _local(NOW() - datetime.timedelta(days=1))),
    ("appointment", "starts_at", "1999-06-01T10:00"),
    ("appointment", "starts_at", "2200-01-01T10:00"),
    ("appointment", "starts_at", lambda w: _local(NOW() + datetime.timedelta(days=3 * 365))),
    ("appointment", "ends_at", MISSING),
    ("appointment", "ends_at", "2024-13-01T10:00"),
    ("appointment", "ends_at", lambda w: _local(tomorrow(13))),
    ("appointment", "ends_at", lambda w: _local(tomorrow(14))),
    ("appointment", "ends_at", lambda w: _local(tomorrow(14) + datetime.timedelta(days=2))),
    # appointments: who and where
    ("appointment", "worker", "987654321"),
    ("appointment", "worker", "iemand"),
    ("appointment", "worker", lambda w: w.outsider.user.pk),
    ("appointment", "worker", lambda w: w.foreign_user.pk),
    ("appointment", "location", "987654321"),
    ("appointment", "location", lambda w: w.foreign_location.pk),
    ("appointment", "place", LONG),
    ("appointment", "place", "kamer\x1b"),
    ("appointment", "place", "twee\nregels"),
    ("appointment", "purpose", LONG),
    ("appointment", "purpose", "doel\x00"),
    # outcomes
    ("status", "status", MISSING),
    ("status", "status", "planned"),
    ("status", "status", "weg"),
    ("status", "status", "attended"),  # the appointment is tomorrow
    ("status", "status", "no_show"),
]


def _web_case(w: World, form: WebForm, field: str, value: Value) -> dict[str, Any]:
    data = form.valid(w)
    if value is MISSING:
        data.pop(field, None)
    else:
        data[field] = value(w) if callable(value) else value
    return data


def _label(value: Value) -> str:
    if value is MISSING:
        return "missing"
    if callable(value):
        return "computed"
    return repr(value)[:24]


@pytest.mark.parametrize(
    ("form_name", "field", "value"),
    WEB_BAD,
    ids=[f"{name}-{field}-{n}-{_label(value)}" for n, (name, field, value) in enumerate(WEB_BAD)],
)
def test_web_bad_input_is_refused_next_to_the_field(login, world, form_name, field, value):
    form = WEB[form_name]
    client = login(world.member)
    before = fingerprint()
    response = client.post(form.url(world), _web_case(world, form, field, value))
    assert response.status_code == 422, (form_name, field)
    errors = response.context["form"].errors
    assert field in errors, f"{form_name}: expected an error on {field}, got {errors.as_data()}"
    assert f'id="id_{field}_error"' in response.content.decode()
    assert fingerprint() == before


@pytest.mark.parametrize("form_name", sorted(WEB))
def test_web_valid_baseline_is_accepted(login, world, form_name):
    form = WEB[form_name]
    assert login(world.member).post(form.url(world), form.valid(world)).status_code == 302


def test_web_empty_post_names_every_required_field(login, world):
    response = login(world.member).post(WEB["contact"].url(world), {})
    assert response.status_code == 422
    assert {"person", "occurred_at", "channel", "kind"} <= set(response.context["form"].errors)
    response = login(world.member).post(WEB["appointment"].url(world), {})
    assert {"starts_at", "ends_at"} <= set(response.context["form"].errors)


@pytest.mark.parametrize("text", [SQL, HTML])
def test_web_injection_strings_are_stored_literally_and_shown_escaped(login, world, text):
    client = login(world.member)
    data = {**WEB["contact"].valid(world), "note": text}
    assert client.post(WEB["contact"].url(world), data).status_code == 302
    assert Contact.objects.get().note == text
    data = {**WEB["appointment"].valid(world), "place": text[:120], "purpose": text}
    assert client.post(WEB["appointment"].url(world), data).status_code == 302
    for url in (
        reverse("people:detail", kwargs={"pk": world.person.pk}),
        reverse("care:contact_list", kwargs={"pk": world.person.pk}),
        reverse("care:appointment_list", kwargs={"pk": world.person.pk}),
    ):
        html = client.get(url).content.decode()
        assert text not in html
        assert ("&lt;script&gt;" in html) if text == HTML else ("DROP TABLE care_contact" in html)


@pytest.mark.parametrize("q", [SQL, HTML, LONG, "%", "_", "a\x00b"])
def test_web_search_with_odd_strings_is_harmless(login, world, q):
    response = login(world.member).get(reverse("care:contact_person_search"), {"q": q})
    assert response.status_code == 200 and "<script>alert" not in response.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "abc", str(10**30)])
def test_web_odd_page_numbers_never_500(login, world, page):
    for name in ("care:contact_list", "care:appointment_list"):
        url = reverse(name, kwargs={"pk": world.person.pk})
        assert login(world.member).get(url, {"page": page}).status_code == 200


def test_web_absurd_ids_in_the_url_are_not_found(login, world):
    client = login(world.member)
    huge = 10**20
    assert client.get(reverse("care:contact_list", kwargs={"pk": huge})).status_code == 404
    url = reverse("care:appointment_status", kwargs={"pk": world.person.pk, "appointment_pk": huge})
    assert client.post(url, {"status": "cancelled"}).status_code == 404
    assert client.get(reverse("care:contact_new"), {"person": "abc"}).status_code == 404


# --- API --------------------------------------------------------------------------------------------

CONTROL: dict[str, Any] = {"nul": "a\x00b", "escape": "a\x1b[2Jb", "rtl-override": "a\u202eb"}
WRONG_TYPES: dict[str, Any] = {"number": 12, "list": ["x"], "object": {"x": 1}}
BAD_MOMENTS: dict[str, Any] = {
    "1850": "1850-01-01T10:00:00+01:00",
    "1999": "1999-12-31T10:00:00",
    "2200": "2200-01-01T10:00:00Z",
    "garbage": "31-12-2019 10:00",
    "impossible": "2019-02-30T10:00:00",
    "number-list": [2019],
}
BAD_IDS: dict[str, Any] = {
    "unknown": 987_654_321,
    "huge": 10**30,
    "negative": -1,
    "text": "1 OR 1=1",
    "fraction": 1.5,
}
BAD_CHOICES: dict[str, Any] = {"unknown": "nonsense", "empty": "", "number": 5, "upper": "PHONE"}
BAD_INTS: dict[str, Any] = {"text": "abc", "fraction": 1.5, "zero": 0, "negative": -1, "huge": 100_000}


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: Callable[[World], str]
    valid: Callable[[World], dict[str, Any]]
    required: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    moments: tuple[str, ...] = ()
    ids: dict[str, str] | None = None  # field → the World attribute holding a foreign object
    choices: tuple[str, ...] = ()
    ints: tuple[str, ...] = ()
    choice_lists: tuple[str, ...] = ()


ENDPOINTS = [
    Endpoint(
        "person-contact",
        lambda w: f"{API}/persons/{w.person.pk}/contacts",
        lambda w: {"channel": "phone", "kind": "help"},
        required=("channel", "kind"),
        texts=("note",),
        moments=("occurred_at",),
        ids={"location_id": "foreign_location"},
        choices=("channel", "kind"),
        ints=("duration_minutes",),
        choice_lists=("topics",),
    ),
    Endpoint(
        "contact",
        lambda w: f"{API}/contacts",
        lambda w: {"person_id": w.person.pk, "channel": "street_zone", "kind": "sighting"},
        required=("channel", "kind", "person_id"),
        texts=("note",),
        moments=("occurred_at",),
        ids={"location_id": "foreign_location", "person_id": "foreign_person"},
        choices=("channel", "kind"),
        ints=("duration_minutes",),
        choice_lists=("topics",),
    ),
    Endpoint(
        "plan",
        lambda w: f"{API}/persons/{w.person.pk}/appointments",
        lambda w: {"starts_at": tomorrow(14).isoformat(), "ends_at": tomorrow(15).isoformat()},
        required=("starts_at", "ends_at"),
        texts=("place", "purpose"),
        moments=("starts_at", "ends_at"),
        ids={"worker_id": "foreign_user", "location_id": "foreign_location"},
    ),
    Endpoint(
        "status",
        lambda w: f"{API}/appointments/{w.appointment.pk}/status",
        lambda w: {"status": "cancelled"},
        required=("status",),
        choices=("status",),
    ),
]

Change = Callable[[World, dict[str, Any]], dict[str, Any]]


def _set(field: str, value: Any) -> Change:
    return lambda w, body: {**body, field: value(w) if callable(value) else value}


def _without(field: str) -> Change:
    return lambda w, body: {k: v for k, v in body.items() if k != field}


def _field_cases(e: Endpoint) -> Iterator[tuple[str, Change, str]]:
    for field in e.texts:
        yield "10000-chars", _set(field, LONG), field
        for label, value in {**CONTROL, **WRONG_TYPES}.items():
            yield label, _set(field, value), field
    for field in e.moments:
        for label, value in BAD_MOMENTS.items():
            yield label, _set(field, value), field
    for field, foreign in (e.ids or {}).items():
        for label, value in BAD_IDS.items():
            yield label, _set(field, value), field
        yield "other-network", _set(field, lambda w, a=foreign: getattr(w, a).pk), field
    for field in e.choices:
        for label, value in BAD_CHOICES.items():
            yield label, _set(field, value), field
    for field in e.ints:
        for label, value in BAD_INTS.items():
            yield label, _set(field, value), field
    for field in e.choice_lists:
        yield "unknown-item", _set(field, ["gossip"]), field
        yield "not-a-list", _set(field, "housing"), field
        yield "long-item", _set(field, [LONG]), field
        yield "object-item", _set(field, [{"x": 1}]), field
    for field in e.required:
        yield "missing", _without(field), field
        yield "null", _set(field, None), field
    yield "extra-field", _set("bogus", 1), "bogus"
    yield "mass-assignment", _set("organisation_id", 1), "organisation_id"


def _semantic_cases() -> Iterator[tuple[str, str, Change, str]]:
    """Input of the right type that the rules refuse."""
    soon = lambda w: (NOW() + datetime.timedelta(minutes=30)).isoformat()  # noqa: E731
    yield "person-contact", "in-half-an-hour", _set("occurred_at", soon), "occurred_at"
    yield "contact", "another-organisations-person", _set("person_id", lambda w: w.theirs.pk), "person_id"
    yield "contact", "anonymous-and-named", _set("anonymous", True), "anonymous"
    yield (
        "plan",
        "in-the-past",
        _set("starts_at", lambda w: (NOW() - datetime.timedelta(hours=2)).isoformat()),
        "starts_at",
    )
    yield (
        "plan",
        "three-years-ahead",
        _set("starts_at", lambda w: (NOW() + datetime.timedelta(days=1100)).isoformat()),
        "starts_at",
    )
    yield "plan", "ends-before-start", _set("ends_at", lambda w: tomorrow(13).isoformat()), "ends_at"
    yield "plan", "ends-at-start", _set("ends_at", lambda w: tomorrow(14).isoformat()), "ends_at"
    two_days = lambda w: (tomorrow(14) + datetime.timedelta(days=2)).isoformat()  # noqa: E731
    yield "plan", "two-days-long", _set("ends_at", two_days), "ends_at"
    yield (
        "plan",
        "worker-of-another-organisation",
        _set("worker_id", lambda w: w.outsider.user_id),
        "worker_id",
    )
    yield "plan", "place-on-two-lines", _set("place", "twee\nregels"), "place"
    yield "status", "planned-again", _set("status", "planned"), "status"
    yield "status", "attended-before-it-starts", _set("status", "attended"), "status"


def _cases() -> Iterator[Any]:
    by_name = {e.name: e for e in ENDPOINTS}
    for e in ENDPOINTS:
        for label, change, field in _field_cases(e):
            yield pytest.param(e, change, field, id=f"{e.name}-{field}-{label}")
    for name, label, change, field in _semantic_cases():
        yield pytest.param(by_name[name], change, field, id=f"{name}-{label}")


def _send(client, url: str, body: Any, *, raw: bool = False):  # type: ignore[no-untyped-def]
    return client.post(url, body if raw else json.dumps(body), content_type="application/json")


def _names_field(detail: list[dict[str, Any]], field: str) -> bool:
    return any(field in [str(part) for part in error["loc"]] for error in detail)


@pytest.mark.parametrize(("endpoint", "change", "field"), list(_cases()))
def test_api_bad_input_is_422_naming_the_field(world, login, endpoint, change, field):
    client = login(world.member)
    body = change(world, endpoint.valid(world))
    before = fingerprint()
    response = _send(client, endpoint.path(world), body)
    assert response.status_code == 422, response.content[:500]
    detail = response.json()["detail"]
    assert _names_field(detail, field), detail
    assert all(error["msg"] for error in detail)
    assert fingerprint() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_api_valid_body_is_accepted(world, login, endpoint):
    response = _send(login(world.member), endpoint.path(world), endpoint.valid(world))
    assert response.status_code in (200, 201), response.json()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", 422), ("[1, 2]", 422), ('"text"', 422), ("{not json", 400), ("null", 422), ("\x00", 400)],
    ids=["empty", "array", "string", "malformed", "null", "nul-byte"],
)
def test_api_a_body_that_is_not_an_object_is_refused(world, login, endpoint, raw, expected):
    before = fingerprint()
    response = _send(login(world.member), endpoint.path(world), raw, raw=True)
    assert response.status_code == expected
    assert fingerprint() == before


@pytest.mark.parametrize("bad_id", ["abc", "1.5", "1e3", "%20", "0x10"])
@pytest.mark.parametrize(
    ("template", "field"),
    [
        ("/persons/{}/contacts", "person_id"),
        ("/persons/{}/appointments", "person_id"),
        ("/appointments/{}/status", "appointment_id"),
    ],
)
def test_api_non_integer_ids_in_the_path_are_422(world, login, bad_id, template, field):
    before = fingerprint()
    response = _send(login(world.member), API + template.format(bad_id), {"status": "cancelled"})
    assert response.status_code == 422 and _names_field(response.json()["detail"], field)
    assert fingerprint() == before


@pytest.mark.parametrize("bad_id", ["-1", str(10**30), "987654321"])
def test_api_unknown_appointment_is_404(world, login, bad_id):
    response = _send(login(world.member), f"{API}/appointments/{bad_id}/status", {"status": "cancelled"})
    assert response.status_code in (404, 422)


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/persons/{id}/contacts", {"page": "0"}, "page"),
        ("/persons/{id}/contacts", {"page": "abc"}, "page"),
        ("/persons/{id}/appointments", {"page": str(10**30)}, "page"),
        ("/persons/{id}/appointments", {"page": "-1"}, "page"),
        ("/agenda", {"week": "2030-W99"}, "week"),
        ("/agenda", {"week": LONG}, "week"),
        ("/agenda", {"week": "2030-W10\x00"}, "week"),
    ],
)
def test_api_bad_query_parameters_are_422(world, login, path, query, field):
    before = AuditEvent.objects.count()
    response = login(world.member).get(API + path.format(id=world.person.pk), query)
    assert response.status_code == 422 and _names_field(response.json()["detail"], field)
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("text", [SQL, HTML, "Zoë ‘Z’ Ünal-O’Brien", "名前"])
def test_api_injection_strings_are_stored_verbatim(world, login, text):
    client = login(world.member)
    body = {"channel": "phone", "kind": "help", "note": text}
    created = _send(client, f"{API}/persons/{world.person.pk}/contacts", body)
    assert created.status_code == 201 and created.json()["note"] == text
    listed = client.get(f"{API}/persons/{world.person.pk}/contacts").json()
    assert [c["note"] for c in listed["items"]] == [text]
    body = {"starts_at": tomorrow(14).isoformat(), "ends_at": tomorrow(15).isoformat(), "place": text}
    assert _send(client, f"{API}/persons/{world.person.pk}/appointments", body).json()["place"] == text
