"""Episodes on the radar: an open episode is "in view, admitted"; its end is a discharge, and without a
sighting since, "discharged without contact" opens amber on the third day."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from inbeeld.chain.episodes import actions
from inbeeld.chain.episodes.tests.conftest import make_episode
from inbeeld.core.access import Need, person_for
from inbeeld.core.audit import Actor
from inbeeld.people.models import Person, Status, StatusChange
from inbeeld.radar.actions.run import run_radar
from inbeeld.radar.models import Colour, PersonState, Signal

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
D = timezone.localdate() - 10 * DAY  # the day of the discharge


@pytest.fixture
def followed(person):  # type: ignore[no-untyped-def]
    """A person in care since long before the episode (the radar as of a past day knows them)."""
    since = D - 120 * DAY
    noon = timezone.make_aware(datetime.datetime.combine(since, datetime.time(12)))
    Person.objects.filter(pk=person.pk).update(registered_at=noon, status=Status.EXITING, status_since=since)
    StatusChange.objects.create(person=person, to_status=Status.EXITING, effective_on=since)
    person.refresh_from_db()
    return person


def test_an_open_episode_is_in_view_admitted(member, followed):
    make_episode(followed, member.organisation, member.user, kind="detox", started_on=D - 50 * DAY)
    run_radar(followed.network, as_of=D)
    assert PersonState.objects.get(person=followed).admitted_since == D - 50 * DAY
    assert not Signal.objects.filter(
        person=followed, rule__startswith="not_seen", state=Signal.State.OPEN
    ).exists()


def test_a_discharge_without_contact_opens_amber_after_three_days(member, followed):
    episode = make_episode(followed, member.organisation, member.user, kind="clinic", started_on=D - 30 * DAY)
    found = person_for(member, followed.pk, Need.EDIT_CARE)
    actions.end_episode(
        found, episode, actor=Actor(user=member.user, membership=member), ended_on=D, outcome="against_advice"
    )

    def discharged(days_after: int) -> Signal | None:
        run_radar(followed.network, as_of=D + days_after * DAY)
        return Signal.objects.filter(person=followed, rule="discharged", state=Signal.State.OPEN).first()

    assert discharged(2) is None
    signal = discharged(3)
    assert signal is not None and signal.severity == Colour.AMBER
    assert signal.facts["kind"] == "clinic" and signal.facts["discharged"] == D.isoformat()
