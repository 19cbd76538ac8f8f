"""The episodes API: list, record, change (with version), end; 422 naming the field, 409 when stale."""

from __future__ import annotations

from typing import Any

import pytest

from inbeeld.chain.episodes.models import Episode
from inbeeld.chain.episodes.tests.conftest import API, post_json
from inbeeld.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _valid() -> dict[str, Any]:
    return {
        "kind": "hospital",
        "place": "Ziekenhuis Test",
        "started_on": "2024-06-01",
        "source": "own_record",
    }


def _fields(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(error["loc"][-1]) for error in response.json()["detail"]}


def test_record_and_list(login, member, person):
    client = login(member)
    created = post_json(client, f"{API}/persons/{person.pk}/episodes", {**_valid(), "note": "Na een val"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (
        body["kind"] == "hospital" and body["outcome"] is None and body["version"] == 1 and body["may_edit"]
    )
    assert Episode.objects.get().note == "Na een val"
    listed = client.get(f"{API}/persons/{person.pk}/episodes")
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["items"]] == [body["id"]]
    assert AuditEvent.objects.filter(data="episodes", action="read").exists()
    assert AuditEvent.objects.filter(data="episode", action="create").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "spa"}, "kind"),
        ({"started_on": "2999-01-01"}, "started_on"),
        ({"ended_on": "2024-07-01"}, "outcome"),
        ({"outcome": "completed"}, "outcome"),
        ({"ended_on": "2024-01-01", "outcome": "completed"}, "ended_on"),
        ({"place": "x" * 500}, "place"),
        ({"note": "\x00"}, "note"),
        ({"source": None}, "source"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_bad_input_is_422_naming_the_field(login, member, person, change, field):
    response = post_json(login(member), f"{API}/persons/{person.pk}/episodes", {**_valid(), **change})
    assert response.status_code == 422
    assert field in _fields(response)
    assert not Episode.objects.exists()


def test_change_with_version_then_409_when_stale(login, member, person, episode):
    client = login(member)
    changed = post_json(client, f"{API}/episodes/{episode.pk}", {**_valid(), "version": 1}, "PUT")
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = post_json(
        client, f"{API}/episodes/{episode.pk}", {**_valid(), "place": "Elders", "version": 1}, "PUT"
    )
    assert stale.status_code == 409
    assert {c["field"] for c in stale.json()["changed"]} == {"place"}
    episode.refresh_from_db()
    assert (episode.place, episode.version) == ("Ziekenhuis Test", 2)


def test_end(login, member, person, episode):
    client = login(member)
    ended = post_json(
        client, f"{API}/episodes/{episode.pk}/end", {"ended_on": "2024-02-01", "outcome": "released"}
    )
    assert ended.status_code == 200, ended.content
    assert ended.json()["outcome"] == "released" and ended.json()["ended_on"] == "2024-02-01"
    again = post_json(
        client, f"{API}/episodes/{episode.pk}/end", {"ended_on": "2024-03-01", "outcome": "other"}
    )
    assert again.status_code == 422 and "ended_on" in _fields(again)
    stale = post_json(
        client,
        f"{API}/episodes/{episode.pk}/end",
        {"ended_on": "2024-03-01", "outcome": "other", "version": 1},
    )
    assert stale.status_code == 409


def test_end_needs_an_outcome(login, member, person, episode):
    response = post_json(login(member), f"{API}/episodes/{episode.pk}/end", {"ended_on": "2024-02-01"})
    assert response.status_code == 422 and "outcome" in _fields(response)


def test_who(login, readonly_member, outsider, person, episode):
    outreach = login(readonly_member)
    assert outreach.get(f"{API}/persons/{person.pk}/episodes").status_code == 404
    assert post_json(outreach, f"{API}/persons/{person.pk}/episodes", _valid()).status_code == 403
    assert (
        post_json(
            outreach, f"{API}/episodes/{episode.pk}/end", {"ended_on": "2024-02-01", "outcome": "other"}
        ).status_code
        == 404
    )
    other = login(outsider)
    assert other.get(f"{API}/persons/{person.pk}/episodes").status_code == 404
    assert post_json(other, f"{API}/persons/{person.pk}/episodes", _valid()).status_code == 404
    assert (
        post_json(other, f"{API}/episodes/{episode.pk}", {**_valid(), "version": 1}, "PUT").status_code == 404
    )
    assert post_json(other, f"{API}/episodes/99999", {**_valid(), "version": 1}, "PUT").status_code == 404
