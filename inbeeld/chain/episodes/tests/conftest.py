"""Fixtures for the episode tests: an episode of organisation A, and B's caseworker with B involved too."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from inbeeld.chain.episodes.models import Episode
from inbeeld.people.models import Involvement

API = "/api/v1"


def make_episode(person, organisation, user, **kwargs: Any) -> Episode:  # type: ignore[no-untyped-def]
    values: dict[str, Any] = {
        "kind": "clinic",
        "place": "Kliniek Test",
        "started_on": datetime.date(2024, 1, 1),
        "source": "own_record",
    }
    values.update(kwargs)
    return Episode.objects.create(person=person, organisation=organisation, recorded_by=user, **values)


def post_json(client, url: str, data: dict[str, Any], method: str = "POST"):  # type: ignore[no-untyped-def]
    return client.generic(method, url, json.dumps(data), content_type="application/json")


@pytest.fixture
def episode(person, member):  # type: ignore[no-untyped-def]
    return make_episode(person, member.organisation, member.user)


@pytest.fixture
def clinic_worker(person, outsider):  # type: ignore[no-untyped-def]
    """B's caseworker, B (the clinic) involved as well: B's own episodes, A's by consent."""
    Involvement.objects.create(
        person=person, organisation=outsider.organisation, started_on=datetime.date(2020, 1, 1)
    )
    return outsider
