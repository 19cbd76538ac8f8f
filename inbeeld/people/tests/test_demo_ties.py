"""The demo's network maps: recorded by the foundation, growing after a move into the shelter."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from inbeeld.core.demo import FOUNDATION, SHELTER, load_network
from inbeeld.people.demo import load_persons
from inbeeld.people.demo_ties import load_ties, shelter_spells
from inbeeld.people.models import Consent, DataCategory, NetworkTie, TieKind, TieQuality
from inbeeld.people.ties import size_series


@pytest.mark.django_db
def test_the_demo_maps_grow_after_moving_into_the_shelter() -> None:
    today = timezone.localdate()
    demo = load_network()
    load_persons(demo)
    created = load_ties(demo)
    assert created["network_ties"] == NetworkTie.objects.count() > 50

    ties = NetworkTie.objects.filter(person__network=demo.network)
    assert set(ties.values_list("organisation_id", flat=True)) == {demo.organisations[FOUNDATION].pk}
    assert set(ties.values_list("recorded_by_id", flat=True)) == {demo.user("caseworker").pk}
    assert not ties.filter(started_on__gt=today).exists()
    assert not ties.filter(ended_on__gt=today).exists()
    risk = ties.filter(kind=TieKind.RISK_CONTACT)
    assert risk.exists() and not risk.exclude(quality=TieQuality.RISK).exists()
    assert risk.filter(ended_on__isnull=False).exists()
    assert ties.filter(kind=TieKind.BUDDY).exists()
    assert (
        ties.filter(quality=TieQuality.SUPPORTIVE).count()
        > ties.exclude(quality=TieQuality.SUPPORTIVE).count()
    )
    # Others in the foundation's care have a map too.
    spells = shelter_spells(demo.network.pk)
    assert ties.exclude(person_id__in=spells).exists()

    # Every resident's network is larger a few months after moving in than the day before.
    grew = 0
    for person_id, person_spells in spells.items():
        moved_in = person_spells[0][0]
        later = min(moved_in + datetime.timedelta(days=120), today)
        before, after = size_series(
            ties.filter(person_id=person_id), [moved_in - datetime.timedelta(days=1), later]
        )
        assert after.supportive > before.supportive, person_id
        grew += after.size > before.size
    assert grew >= len(spells) - 1 and len(spells) >= 10

    # The longest-staying current resident lets the shelter see the map (the demo buddy's resident).
    shared = [
        c
        for c in Consent.objects.valid_on(today).filter(recipient=demo.organisations[SHELTER])
        if DataCategory.NETWORK_MAP in c.data_categories
    ]
    current = {pid for pid, s in spells.items() if s[-1][1] is None}
    assert current & {c.person_id for c in shared}

    # Loading again writes nothing.
    assert load_ties(demo) == {}
    assert NetworkTie.objects.count() == created["network_ties"]
