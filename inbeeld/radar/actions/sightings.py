"""A sighting between two runs: move "last seen" forward and end the signals it answers, at once."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from inbeeld.people.models import Person
from inbeeld.radar import rules
from inbeeld.radar.models import Colour, PersonState, Signal


def refresh_colour(person_id: int) -> None:
    """The person's colour is that of their worst open signal."""
    worst = Signal.objects.filter(person_id=person_id, state=Signal.State.OPEN).aggregate(m=Max("severity"))[
        "m"
    ]
    PersonState.objects.filter(person_id=person_id).update(
        colour=worst if worst is not None else Colour.GREEN
    )


def note_seen(person_id: int, moment: datetime.datetime, *, source: str) -> None:
    """Move the person's "last seen" forward. Their open signals stay for the worker to resolve (as
    "seen", with what they learned) or for the next daily run to clear: a sighting is not always an
    answer (someone glimpsed on the zone may still be missing their appointments)."""
    if timezone.localtime(moment).date() > timezone.localdate():
        return  # a planned moment is not a sighting yet
    with transaction.atomic():
        state = PersonState.objects.select_for_update().filter(person_id=person_id).first()
        if state is None:
            person = Person.objects.filter(pk=person_id).values("network_id", "status").first()
            if person is None:
                return
            state = PersonState(person_id=person_id, in_view_at=moment, **person)
        if state.last_seen_at is None or moment > state.last_seen_at:
            state.last_seen_at = moment
            state.last_seen_source = source
            if state.admitted_since is None and moment > state.in_view_at:
                state.in_view_at = moment
            state.save()


def seen_since_opened(signal: Signal, last_seen_at: datetime.datetime | None) -> bool:
    """Whether a sighting since the signal opened answers it: the worker may resolve it as "seen"."""
    rule = rules.get(signal.rule)
    if rule is None or not rule.cleared_by_sighting or last_seen_at is None:
        return False
    return rule.clears_on_sighting(signal, timezone.localtime(last_seen_at).date())
