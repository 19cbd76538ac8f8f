"""Bad input on the assessment form and every assessment endpoint.

Refused input answers 422 with an error that names the field (``score_<domain code>`` and
``note_<domain code>`` for one domain), and writes nothing at all, not even an audit event. A 500
would raise in the test client. Injection strings are valid notes: stored as typed, rendered escaped.
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

from inbeeld.care.models import Assessment, Domain, Instrument, Score
from inbeeld.core.models import AuditEvent
from inbeeld.people.tests.test_bad_input_api import BAD_DATES, BAD_IDS, CONTROL, HTML, LONG, SQL, WRONG_TYPES
from inbeeld.testing import factories as f
from inbeeld.testing.bad_input import MISSING

pytestmark = pytest.mark.django_db
API = "/api/v1"
FIN = "financien"  # the domain the per-domain cases change


@dataclass
class World:
    member: Any
    person: Any
    zrm: Instrument
    own: Instrument  # the network's own instrument
    inactive: Instrument
    foreign: Instrument  # another network's
    assessment: Assessment  # an existing one of ``person``
    stranger_assessment: Assessment  # of another person

    def domain_id(self, code: str = FIN) -> int:
        return self.zrm.domains.get(code=code).pk


def _instrument(network: Any, code: str, *, active: bool = True) -> Instrument:
    levels = [{"value": v, "label": f"Niveau {v}"} for v in range(1, 6)]
    instrument = Instrument.objects.create(
        network=network, code=code, name=code, levels=levels, is_active=active
    )
    Domain.objects.create(instrument=instrument, code="income", name="Inkomen", position=1)
    return instrument


def _existing(person: Any, member: Any, zrm: Instrument) -> Assessment:
    assessment = Assessment.objects.create(
        person=person,
        instrument=zrm,
        organisation=member.organisation,
        assessed_on=datetime.date(2019, 1, 1),
        assessed_by=member.user,
    )
    Score.objects.create(assessment=assessment, domain=zrm.domains.get(code=FIN), value=2)
    return assessment


@pytest.fixture
def world(member, person, org_a, network) -> World:
    zrm = Instrument.objects.get(network=None, code="zrm-2017")
    other = f.PersonFactory(network=network, involved=[org_a], lead_organisation=org_a)
    return World(
        member=member,
        person=person,
        zrm=zrm,
        own=_instrument(network, "own"),
        inactive=_instrument(network, "inactive", active=False),
        foreign=_instrument(f.NetworkFactory(), "foreign"),
        assessment=_existing(person, member, zrm),
        stranger_assessment=_existing(other, member, zrm),
    )


def fingerprint() -> tuple[int, int, int]:
    """Everything a write could touch."""
    return Assessment.objects.count(), Score.objects.count(), AuditEvent.objects.count()


def _today() -> str:
    return timezone.localdate().isoformat()


def _tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


# --- the web form -------------------------------------------------------------------------------------


def _form_url(w: World) -> str:
    return reverse("care:assessment_add", kwargs={"pk": w.person.pk})


def _valid_form(w: World) -> dict[str, Any]:
    data: dict[str, Any] = {"instrument": w.zrm.pk, "assessed_on": _today(), "note": ""}
    for domain in w.zrm.domains.all():
        data[f"score_{domain.code}"] = "3"
        data[f"note_{domain.code}"] = ""
    return data


def _all_scores(value: Any) -> Callable[[World, dict[str, Any]], dict[str, Any]]:
    def change(w: World, data: dict[str, Any]) -> dict[str, Any]:
        data = {k: v for k, v in data.items() if not k.startswith("score_")}
        if value is not MISSING:
            data.update({f"score_{d.code}": value for d in w.zrm.domains.all()})
        return data

    return change


def _set(field: str, value: Any) -> Callable[[World, dict[str, Any]], dict[str, Any]]:
    def change(w: World, data: dict[str, Any]) -> dict[str, Any]:
        data = dict(data)
        if value is MISSING:
            data.pop(field, None)
        else:
            data[field] = value(w) if callable(value) else value
        return data

    return change


# (case, change, the field that must carry the error; None: an error above the form)
WEB_CASES: list[tuple[str, Callable[[World, dict[str, Any]], dict[str, Any]], str]] = [
    ("score-0", _set(f"score_{FIN}", "0"), f"score_{FIN}"),
    ("score-6", _set(f"score_{FIN}", "6"), f"score_{FIN}"),
    ("score-abc", _set(f"score_{FIN}", "abc"), f"score_{FIN}"),
    ("score-fraction", _set(f"score_{FIN}", "2.5"), f"score_{FIN}"),
    ("score-sql", _set(f"score_{FIN}", "1 OR 1=1"), f"score_{FIN}"),
    ("all-scores-missing", _all_scores(MISSING), "__all__"),
    ("all-not-assessed", _all_scores(""), "__all__"),
    ("date-missing", _set("assessed_on", MISSING), "assessed_on"),
    ("date-blank", _set("assessed_on", ""), "assessed_on"),
    ("date-1850", _set("assessed_on", "1850-01-01"), "assessed_on"),
    ("date-1999", _set("assessed_on", "1999-12-31"), "assessed_on"),
    ("date-2200", _set("assessed_on", "2200-01-01"), "assessed_on"),
    ("date-tomorrow", _set("assessed_on", lambda w: _tomorrow()), "assessed_on"),
    ("date-garbage", _set("assessed_on", "gisteren"), "assessed_on"),
    ("date-impossible", _set("assessed_on", "2019-02-30"), "assessed_on"),
    ("note-long", _set("note", LONG), "note"),
    ("note-nul", _set("note", CONTROL["nul"]), "note"),
    ("note-escape", _set("note", CONTROL["escape"]), "note"),
    ("note-rtl", _set("note", CONTROL["rtl-override"]), "note"),
    ("domain-note-long", _set(f"note_{FIN}", LONG), f"note_{FIN}"),
    ("domain-note-escape", _set(f"note_{FIN}", CONTROL["escape"]), f"note_{FIN}"),
    ("domain-note-nul", _set(f"note_{FIN}", CONTROL["nul"]), f"note_{FIN}"),
    ("instrument-missing", _set("instrument", MISSING), "instrument"),
    ("instrument-abc", _set("instrument", "abc"), "instrument"),
    ("instrument-unknown", _set("instrument", "987654321"), "instrument"),
    ("instrument-huge", _set("instrument", str(10**30)), "instrument"),
    ("instrument-foreign", _set("instrument", lambda w: w.foreign.pk), "instrument"),
    ("instrument-inactive", _set("instrument", lambda w: w.inactive.pk), "instrument"),
]


@pytest.mark.parametrize(("case", "change", "field"), WEB_CASES, ids=[c[0] for c in WEB_CASES])
def test_the_form_refuses_bad_input_next_to_the_field(world, login, case, change, field):
    client = login(world.member)
    before = fingerprint()
    response = client.post(_form_url(world), change(world, _valid_form(world)))
    assert response.status_code == 422, case
    errors = response.context["form"].errors
    assert field in errors, f"{case}: expected an error on {field}, got {errors.as_data()}"
    html = response.content.decode()
    error_id = "id_scores_error" if field == "__all__" else f"id_{field}_error"
    assert f'id="{error_id}"' in html, case
    assert fingerprint() == before


def test_the_valid_form_is_accepted(world, login):
    response = login(world.member).post(_form_url(world), _valid_form(world))
    assert response.status_code == 302


def test_an_empty_post_names_what_is_missing(world, login):
    before = fingerprint()
    response = login(world.member).post(_form_url(world), {})
    assert response.status_code == 422
    assert {"instrument", "assessed_on"} <= set(response.context["form"].errors)
    assert fingerprint() == before


def test_a_bogus_instrument_in_the_address_falls_back_to_the_default(world, login):
    client = login(world.member)
    for value in ("abc", str(world.foreign.pk), str(10**30), SQL):
        response = client.get(_form_url(world), {"instrument": value})
        assert response.status_code == 200
        assert response.context["form"].chosen_instrument == world.zrm


@pytest.mark.parametrize("text", [SQL, HTML])
def test_injection_strings_in_notes_are_stored_literally_and_rendered_escaped(world, login, text):
    client = login(world.member)
    data = {**_valid_form(world), "note": text, f"note_{FIN}": text}
    assert client.post(_form_url(world), data).status_code == 302
    assessment = Assessment.objects.filter(person=world.person).latest("id")
    assert assessment.note == text
    assert assessment.scores.get(domain__code=FIN).note == text
    url = reverse("care:assessment_detail", kwargs={"pk": world.person.pk, "assessment_pk": assessment.pk})
    html = client.get(url).content.decode()
    assert text not in html
    assert "&lt;script&gt;" in html if text == HTML else "&#x27;); DROP TABLE" in html


def test_unknown_and_foreign_ids_in_the_address_are_not_found(world, login):
    client = login(world.member)
    pk = world.person.pk
    huge = 10**20
    assert client.get(reverse("care:assessment_list", kwargs={"pk": huge})).status_code == 404
    assert (
        client.post(reverse("care:assessment_add", kwargs={"pk": huge}), _valid_form(world)).status_code
        == 404
    )
    for assessment_pk in (huge, 987654321, world.stranger_assessment.pk):
        url = reverse("care:assessment_detail", kwargs={"pk": pk, "assessment_pk": assessment_pk})
        assert client.get(url).status_code == 404
    assert client.get(f"/care/persons/{pk}/assessments/abc/").status_code == 404
    assert client.get(reverse("care:assessment_list", kwargs={"pk": pk}), {"page": "abc"}).status_code == 200


# --- the API ------------------------------------------------------------------------------------------


def _collection(w: World) -> str:
    return f"{API}/persons/{w.person.pk}/assessments"


def _valid_body(w: World) -> dict[str, Any]:
    return {"assessed_on": _today(), "scores": [{"domain_id": w.domain_id(), "value": 3}]}


Change = Callable[[World, dict[str, Any]], dict[str, Any]]


def _put(field: str, value: Any) -> Change:
    def change(w: World, body: dict[str, Any]) -> dict[str, Any]:
        body = dict(body)
        if value is MISSING:
            body.pop(field, None)
        else:
            body[field] = value(w) if callable(value) else value
        return body

    return change


def _score(**item: Any) -> Change:
    """Change the one score of the valid body (a callable value is given the world)."""

    def change(w: World, body: dict[str, Any]) -> dict[str, Any]:
        score = dict(body["scores"][0])
        for key, value in item.items():
            if value is MISSING:
                score.pop(key, None)
            else:
                score[key] = value(w) if callable(value) else value
        return {**body, "scores": [score]}

    return change


def _api_cases() -> Iterator[tuple[str, Change, str]]:
    score_field, note_field = f"score_{FIN}", f"note_{FIN}"
    for label, number in {"0": 0, "6": 6, "huge": 10**30, "negative": -3}.items():
        yield f"score-{label}", _score(value=number), score_field
    not_ints: dict[str, Any] = {"abc": "abc", "text-3": "3", "fraction": 2.5, "true": True, "list": [3]}
    for label, value in not_ints.items():
        yield f"score-{label}", _score(value=value), "value"
    yield "score-missing-domain", _score(domain_id=MISSING), "domain_id"
    yield "only-not-assessed", _score(value=None), "scores"
    yield "scores-empty", _put("scores", []), "scores"
    yield "scores-missing", _put("scores", MISSING), "scores"
    yield "scores-null", _put("scores", None), "scores"
    yield "scores-not-a-list", _put("scores", "financien=3"), "scores"
    yield "scores-of-numbers", _put("scores", [3]), "scores"
    for label, value in BAD_IDS.items():
        yield (
            f"domain-{label}",
            _score(domain_id=value),
            "domain_id" if label in ("text", "fraction") else "scores",
        )
    yield "domain-of-another-instrument", _score(domain_id=lambda w: w.own.domains.get().pk), "scores"
    yield (
        "domain-twice",
        lambda w, b: {**b, "scores": [*b["scores"], {"domain_id": w.domain_id(), "value": 2}]},
        "scores",
    )
    for label, value in {**BAD_DATES, "tomorrow": _tomorrow(), "1999": "1999-12-31"}.items():
        yield f"date-{label}", _put("assessed_on", value), "assessed_on"
    yield "date-missing", _put("assessed_on", MISSING), "assessed_on"
    yield "date-null", _put("assessed_on", None), "assessed_on"
    note_changes: list[tuple[str, Callable[[Any], Change]]] = [
        ("note", lambda text: _put("note", text)),
        (note_field, lambda text: _score(note=text)),
    ]
    for name, change in note_changes:
        yield f"{name}-long", change(LONG), name
        for label, value in CONTROL.items():
            yield f"{name}-{label}", change(value), name
        for label, value in WRONG_TYPES.items():
            yield f"{name}-{label}", change(value), "note"
    for label, value in BAD_IDS.items():
        yield f"instrument-{label}", _put("instrument_id", value), "instrument_id"
    yield "instrument-foreign", _put("instrument_id", lambda w: w.foreign.pk), "instrument_id"
    yield "instrument-inactive", _put("instrument_id", lambda w: w.inactive.pk), "instrument_id"
    yield "extra-field", _put("bogus", 1), "bogus"
    yield "mass-assignment", _put("organisation_id", 1), "organisation_id"
    yield "extra-field-in-a-score", _score(bogus=1), "bogus"


API_CASES = list(_api_cases())


def _names_field(detail: list[dict[str, Any]], field: str) -> bool:
    return any(field in [str(part) for part in error["loc"]] for error in detail)


def _post(client: Any, url: str, body: Any, *, raw: bool = False) -> Any:
    return client.post(url, body if raw else json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(("case", "change", "field"), API_CASES, ids=[c[0] for c in API_CASES])
def test_the_api_refuses_bad_input_naming_the_field(world, login, case, change, field):
    client = login(world.member)
    body = change(world, _valid_body(world))
    before = fingerprint()
    response = _post(client, _collection(world), body)
    assert response.status_code == 422, (case, response.content[:500])
    detail = response.json()["detail"]
    assert _names_field(detail, field), (case, detail)
    assert all(error["msg"] for error in detail)
    assert fingerprint() == before


def test_the_valid_body_is_accepted(world, login):
    response = _post(login(world.member), _collection(world), _valid_body(world))
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", 422), ("[1, 2]", 422), ('"text"', 422), ("{not json", 400), ("null", 422), ("\x00", 400)],
    ids=["empty", "array", "string", "malformed", "null", "nul-byte"],
)
def test_a_body_that_is_not_an_object_is_refused(world, login, raw, expected):
    before = fingerprint()
    response = _post(login(world.member), _collection(world), raw, raw=True)
    assert response.status_code == expected
    assert fingerprint() == before


@pytest.mark.parametrize("bad_id", ["abc", "1.5", "1e3", "%20", "0x10"])
@pytest.mark.parametrize("suffix", ["", "/summary", "/{assessment}"])
def test_non_integer_person_ids_are_422(world, login, bad_id, suffix):
    client = login(world.member)
    url = f"{API}/persons/{bad_id}/assessments" + suffix.format(assessment=world.assessment.pk)
    before = fingerprint()
    response = client.get(url)
    assert response.status_code == 422
    assert _names_field(response.json()["detail"], "person_id")
    if not suffix:
        response = _post(client, url, _valid_body(world))
        assert response.status_code == 422 and _names_field(response.json()["detail"], "person_id")
    assert fingerprint() == before


@pytest.mark.parametrize("bad_id", ["abc", "1.5", "-1", str(10**30)])
def test_bad_assessment_ids_never_500(world, login, bad_id):
    response = login(world.member).get(f"{_collection(world)}/{bad_id}")
    assert response.status_code in (404, 422)


def test_unknown_and_foreign_ids_are_not_found(world, login):
    client = login(world.member)
    before = AuditEvent.objects.count()
    for person_id in (987654321, 10**30):
        assert client.get(f"{API}/persons/{person_id}/assessments").status_code in (404, 422)
        assert _post(client, f"{API}/persons/{person_id}/assessments", _valid_body(world)).status_code in (
            404,
            422,
        )
    assert AuditEvent.objects.count() == before
    # Another person's assessment under this person's address does not exist here.
    assert client.get(f"{_collection(world)}/{world.stranger_assessment.pk}").status_code == 404


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/instruments", "0"),
        ("/instruments", "abc"),
        ("/persons/{id}/assessments", "0"),
        ("/persons/{id}/assessments", "-1"),
        ("/persons/{id}/assessments", "1.5"),
        ("/persons/{id}/assessments", str(10**30)),
    ],
)
def test_bad_page_numbers_are_422(world, login, path, page):
    before = AuditEvent.objects.count()
    response = login(world.member).get(API + path.format(id=world.person.pk), {"page": page})
    assert response.status_code == 422
    assert _names_field(response.json()["detail"], "page")
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("text", [SQL, HTML, "Zoë ‘Z’ Ünal-O’Brien", "名前"])
def test_injection_strings_in_api_notes_round_trip(world, login, text):
    client = login(world.member)
    body = {
        "assessed_on": _today(),
        "note": text,
        "scores": [{"domain_id": world.domain_id(), "value": 3, "note": text}],
    }
    created = _post(client, _collection(world), body)
    assert created.status_code == 201, created.json()
    out = client.get(f"{_collection(world)}/{created.json()['id']}").json()
    assert out["note"] == text and out["scores"][0]["note"] == text
    assert Assessment.objects.count() == 3  # the table is still there, with exactly the rows expected
