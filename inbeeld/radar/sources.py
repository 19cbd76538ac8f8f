"""Where "last seen" comes from: one registry every app plugs its sightings and stays into.

Two kinds of source:

- a ``SightingSource`` says when persons were seen (contacts, attended appointments, huiskamer
  visits, shelter nights …). ``latest`` gives, for a network and a moment, each person's latest
  sighting up to that moment in one grouped query. When the source names a model, saving a row of
  it moves the person's "last seen" forward at once (``note_seen``), so the dashboard does not wait
  for the next daily run.
- a ``StaySource`` gives stays (clinic admissions, shelter stays, detention …) as intervals. An open
  stay puts the person "in view, admitted"; the end of a stay is a discharge for the transition rule.

The radar never names the apps behind its sources: the apps register them (``register_sighting``,
``register_stay``) from their AppConfig.ready.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.db.models.signals import post_save

from inbeeld.core.models import Network
from inbeeld.people.models import Person


@dataclass(frozen=True)
class SightingSource:
    key: str
    label: Callable[[], str]
    # network, moment → {person id: latest sighting at or before the moment}
    latest: Callable[[Network, datetime.datetime], dict[int, datetime.datetime]]
    # Optional live hook: a saved row of ``model`` that ``seen_at`` turns into (person id, moment).
    model: type[Model] | None = None
    seen_at: Callable[[Any], tuple[int, datetime.datetime] | None] | None = None


@dataclass(frozen=True)
class Stay:
    person_id: int
    kind: str  # e.g. "clinic", "shelter", "detention"
    started_on: datetime.date
    ended_on: datetime.date | None  # None: still admitted

    def open_on(self, day: datetime.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)


@dataclass(frozen=True)
class StaySource:
    key: str
    label: Callable[[], str]
    # network, day → the stays that had started by that day
    stays: Callable[[Network, datetime.date], Iterable[Stay]]


_sightings: dict[str, SightingSource] = {}
_stays: dict[str, StaySource] = {}


def latest_per_person(
    network: Network, rows: QuerySet[Any], moment_field: str
) -> dict[int, datetime.datetime]:
    """For a source's ``latest``: each person's latest row of ``rows`` (already cut off at the moment).

    One backward index probe per person (person, -moment) beats a GROUP BY over millions of rows.
    """
    latest = rows.filter(person=OuterRef("pk")).order_by(f"-{moment_field}").values(moment_field)[:1]
    persons = Person.objects.filter(network=network).annotate(seen=Subquery(latest)).exclude(seen=None)
    return dict(persons.values_list("pk", "seen").iterator(chunk_size=5000))


def register_sighting(source: SightingSource) -> None:
    _sightings[source.key] = source
    if source.model is not None and source.seen_at is not None:
        post_save.connect(
            _on_saved(source), sender=source.model, weak=False, dispatch_uid=f"radar:{source.key}"
        )


def register_stay(source: StaySource) -> None:
    _stays[source.key] = source


def unregister(key: str) -> None:
    """For tests that plug in a source of their own."""
    _sightings.pop(key, None)
    _stays.pop(key, None)


def sighting_sources() -> list[SightingSource]:
    return [_sightings[k] for k in sorted(_sightings)]


def stay_sources() -> list[StaySource]:
    return [_stays[k] for k in sorted(_stays)]


def _on_saved(source: SightingSource) -> Callable[..., None]:
    def handler(sender: type[Model], instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if raw or source.seen_at is None:
            return
        seen = source.seen_at(instance)
        if seen is None:
            return
        from inbeeld.radar.actions.sightings import note_seen

        person_id, moment = seen
        # After the sighting's own transaction commits: a rolled-back contact was never a sighting.
        # Robust: the daily run repairs a missed update; the contact itself must not fail for it.
        transaction.on_commit(lambda: note_seen(person_id, moment, source=source.key), robust=True)

    return handler
