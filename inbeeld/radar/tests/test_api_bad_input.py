"""Bad input to the radar API: a 422 whose ``loc`` names the parameter or field, in English and in Dutch,
nothing written, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import timezone

from inbeeld.core.models import AuditEvent
from inbeeld.core.roles import Role
from inbeeld.people.models import Person
from inbeeld.radar.actions.signals import NOTE_MAX
from inbeeld.radar.models import Colour, Signal
from inbeeld.testing import factories as f
from inbeeld.testing.bad_input import LONG

API = "/api/v1"
LANGUAGES = ("en", "nl")


@pytest.fixture
def signal(person: Person) -> Signal:
    return Signal.objects.create(
        network=person.network,
        person=person,
        rule="not_seen_zone",
        anchor="x",
        severity=Colour.RED,
        facts={"days": 20, "since": "2018-01-01", "last_seen": None, "status": "street_zone"},
        opened_on=timezone.localdate(),
    )


def field_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    """The fields a 422 names: the last part of each error's loc."""
    assert response.status_code == 422, (response.status_code, response.content)
    detail = response.json()["detail"]
    assert detail and all(error["msg"] for error in detail)
    return [error["loc"][-1] for error in detail]


# --- query parameters ---------------------------------------------------------------------------------

LIST_PARAMS: list[tuple[str, dict[str, Any], str]] = [
    ("/radar", {"status": "nonsense"}, "status"),
    ("/radar", {"status": "STREET_ZONE"}, "status"),
    ("/radar", {"rule": "nonsense"}, "rule"),
    ("/radar", {"rule": LONG}, "rule"),
    ("/radar", {"colour": "purple"}, "colour"),
    ("/radar", {"colour": "2"}, "colour"),
    ("/radar", {"organisation": "abc"}, "organisation"),
    ("/radar", {"organisation": "1.5"}, "organisation"),
    ("/radar", {"organisation": str(10**30)}, "organisation"),
    ("/radar", {"organisation": "-1"}, "organisation"),
    ("/radar", {"key_worker": "abc"}, "key_worker"),
    ("/radar", {"escalated": "perhaps"}, "escalated"),
    ("/radar", {"page": "0"}, "page"),
    ("/radar", {"page": "abc"}, "page"),
    ("/radar/signals", {"state": "nonsense"}, "state"),
    ("/radar/signals", {"rule": "nonsense"}, "rule"),
    ("/radar/signals", {"mine": "perhaps"}, "mine"),
    ("/radar/signals", {"person_id": "1 OR 1=1"}, "person_id"),
    ("/radar/signals", {"person_id": str(10**30)}, "person_id"),
    ("/radar/signals", {"page": "-1"}, "page"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("path", "params", "field"), LIST_PARAMS, ids=lambda v: str(v)[:30])
def test_bad_filters_are_422_naming_the_parameter(login, member, path, params, field, language):
    response = login(member).get(f"{API}{path}", params, HTTP_ACCEPT_LANGUAGE=language)
    assert field_of(response) == [field]
    assert response.json()["detail"][0]["loc"][0] == "query"
    assert response["Content-Language"] == language
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_organisation_of_another_network_is_422_like_an_unknown_one(login, member, language):
    foreign = f.OrganisationFactory()  # another network
    client = login(member)
    answers = [
        client.get(f"{API}/radar", {"organisation": pk}, HTTP_ACCEPT_LANGUAGE=language)
        for pk in (foreign.pk, 987_654_321)
    ]
    assert [field_of(r) for r in answers] == [["organisation"], ["organisation"]]
    assert answers[0].json() == answers[1].json()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_good_filters_are_accepted(login, member, org_a, signal):
    params = {
        "status": "all",
        "organisation": org_a.pk,
        "key_worker": member.user_id,
        "rule": "not_seen_zone",
        "colour": "red",
        "escalated": "false",
        "page": "1",
    }
    assert login(member).get(f"{API}/radar", params).status_code == 200
    assert login(member).get(f"{API}/radar", {"status": ""}).status_code == 200
    signal_params = {"state": "all", "mine": "true", "rule": "not_seen_zone", "person_id": signal.person_id}
    assert login(member).get(f"{API}/radar/signals", signal_params).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("signal_id", "expected"), [("abc", 422), ("1.5", 422), (str(10**30), 404), ("-1", 404), ("0", 404)]
)
def test_a_signal_id_that_names_nothing(login, member, signal_id, expected):
    client = login(member)
    responses = [
        client.get(f"{API}/radar/signals/{signal_id}"),
        client.post(f"{API}/radar/signals/{signal_id}/acknowledge", "", content_type="application/json"),
        client.post(
            f"{API}/radar/signals/{signal_id}/resolve",
            json.dumps({"outcome": "seen"}),
            content_type="application/json",
        ),
    ]
    assert [r.status_code for r in responses] == [expected] * 3
    if expected == 422:
        assert [field_of(r) for r in responses] == [["signal_id"]] * 3


# --- resolving ----------------------------------------------------------------------------------------

RESOLVE_BODIES: list[tuple[str, Any, str]] = [
    ("unknown outcome", {"outcome": "nonsense"}, "outcome"),
    ("empty outcome", {"outcome": ""}, "outcome"),
    ("number outcome", {"outcome": 5}, "outcome"),
    ("no outcome", {"note": "x"}, "outcome"),
    ("other without note", {"outcome": "other"}, "note"),
    ("other with blank note", {"outcome": "other", "note": "   "}, "note"),
    ("long note", {"outcome": "seen", "note": "x" * (NOTE_MAX + 1)}, "note"),
    ("very long note", {"outcome": "seen", "note": LONG}, "note"),
    ("nul in note", {"outcome": "seen", "note": "a\x00b"}, "note"),
    ("escape in note", {"outcome": "seen", "note": "a\x1b[2Jb"}, "note"),
    ("note a number", {"outcome": "seen", "note": 12}, "note"),
    ("note a list", {"outcome": "seen", "note": ["x"]}, "note"),
    ("unknown field", {"outcome": "seen", "outcom": "seen"}, "outcom"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("case", "body", "field"), RESOLVE_BODIES, ids=lambda v: str(v)[:30])
def test_bad_resolve_bodies_are_422_naming_the_field(login, member, signal, case, body, field, language):
    response = login(member).post(
        f"{API}/radar/signals/{signal.pk}/resolve",
        json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert field in field_of(response), case
    assert response["Content-Language"] == language
    signal.refresh_from_db()
    assert signal.state == Signal.State.OPEN and signal.acknowledged_at is None
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["", "null", "[]", "not json", '"seen"'])
def test_a_body_that_is_not_an_object(login, member, signal, body):
    response = login(member).post(
        f"{API}/radar/signals/{signal.pk}/resolve", body, content_type="application/json"
    )
    assert response.status_code in (400, 422)
    signal.refresh_from_db()
    assert signal.state == Signal.State.OPEN


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", [Signal.State.RESOLVED, Signal.State.CLEARED])
def test_a_signal_no_longer_open_is_422_naming_the_state(login, member, signal, state, language):
    signal.state = state
    signal.outcome = "seen" if state == Signal.State.RESOLVED else ""
    signal.save()
    client = login(member)
    resolve = client.post(
        f"{API}/radar/signals/{signal.pk}/resolve",
        json.dumps({"outcome": "moved_away"}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    acknowledge = client.post(
        f"{API}/radar/signals/{signal.pk}/acknowledge",
        "",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert field_of(resolve) == ["state"]
    assert field_of(acknowledge) == ["state"]
    signal.refresh_from_db()
    assert signal.state == state and signal.acknowledged_at is None
    assert signal.outcome == ("seen" if state == Signal.State.RESOLVED else "")
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_resolving_twice(login, member, signal):
    """The second of two resolves finds the signal resolved: 422 naming the state, the first outcome stays."""
    client = login(member)
    url = f"{API}/radar/signals/{signal.pk}/resolve"
    first = client.post(url, json.dumps({"outcome": "seen"}), content_type="application/json")
    second = client.post(url, json.dumps({"outcome": "deceased"}), content_type="application/json")
    assert first.status_code == 200
    assert field_of(second) == ["state"]
    signal.refresh_from_db()
    assert signal.outcome == "seen"
    assert AuditEvent.objects.filter(data="radar.signal").count() == 1


@pytest.mark.django_db
def test_refused_input_is_checked_after_access(login, org_b, signal):
    """A caller who may not see the signal learns nothing from sending a bad body: 404, as always."""
    outsider = f.MembershipFactory(organisation=org_b, role=Role.OUTREACH)
    response = login(outsider).post(
        f"{API}/radar/signals/{signal.pk}/resolve",
        json.dumps({"outcome": "other"}),
        content_type="application/json",
    )
    assert response.status_code == 404
