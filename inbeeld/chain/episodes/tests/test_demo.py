"""The demo's episodes: they follow the status histories, the most admitted person has six clinic
admissions the foundation sees by consent, a few are information received, and loading twice adds nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from inbeeld.care.demo import load_care
from inbeeld.care.demo_history import admissions, most_admitted, spells_of
from inbeeld.chain.episodes import actions
from inbeeld.chain.episodes.demo import load_episodes
from inbeeld.chain.episodes.models import Episode, Source
from inbeeld.core.access import Need, person_for
from inbeeld.core.demo import CLINIC, FOUNDATION, load_network
from inbeeld.people.demo import load_persons
from inbeeld.people.models import Person
from inbeeld.radar.actions.run import run_radar
from inbeeld.radar.models import Signal

pytestmark = pytest.mark.django_db


def test_demo_episodes():
    demo = load_network()
    load_persons(demo)
    load_care(demo)
    created = load_episodes(demo)
    assert created["episodes"] == Episode.objects.count() > 0
    assert load_episodes(demo) == {}  # idempotent
    assert Episode.objects.count() == created["episodes"]

    persons = Person.objects.in_network(demo.network).prefetch_related("status_changes")
    histories = {p: spells_of(p) for p in persons if p.status_changes.all()}
    clinic = demo.organisations[CLINIC]
    for person, spells in histories.items():
        mine = Episode.objects.filter(person=person, organisation=clinic)
        assert mine.count() == len(admissions(spells))
    frequent = most_admitted(histories)
    assert frequent is not None
    assert Episode.objects.filter(person=frequent, kind="clinic", source=Source.OWN_RECORD).count() == 6
    # The foundation's caseworker sees all six by the person's consent.
    foundation = demo.organisations[FOUNDATION]
    member = next(
        m for m in demo.memberships.values() if m.role == "caseworker" and m.organisation_id == foundation.pk
    )
    found = person_for(member, frequent.pk, Need.READ_FILE)
    scope = actions.episode_scope(found)
    counted = {c.kind: c.count for c in actions.counts(actions.episodes_of(found, scope))}
    assert counted.get("clinic") == 6

    received = Episode.objects.filter(source=Source.INFORMATION_RECEIVED, organisation=foundation)
    assert received.exists()
    assert set(received.values_list("kind", flat=True)) <= {"detox", "hospital", "detention"}
    assert all(e.outcome for e in received)
    # Information received ended before a later contact: no discharge signal from the demo's past.
    run_radar(demo.network, as_of=timezone.localdate())
    kinds = [s.facts.get("kind") for s in Signal.objects.filter(rule="discharged")]
    assert not {"detox", "hospital", "detention"} & set(kinds)
