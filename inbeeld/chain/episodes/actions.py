"""Episodes: who sees which, the counts per kind, and the writes (record, change, end).

An episode belongs to the organisation that recorded it. The file's caseworkers (``Need.READ_FILE``) see
their own organisation's episodes; another organisation's only with the person's consent for
``DataCategory.EPISODES`` (rule 2), read only. Caseworkers of an involved organisation record episodes
(``Need.EDIT_CARE``); only the recording organisation changes or ends its own. Every write is one
transaction with its audit event; the input rules live here, so the web forms and the API refuse the same.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Min, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inbeeld.care.actions.contacts import clean_choice, clean_line, collect
from inbeeld.chain.episodes.models import Episode, EpisodeKind, Outcome, Source
from inbeeld.core import access, audit
from inbeeld.core.access import Need, PersonAccess, RecordScope
from inbeeld.core.models import AuditEvent
from inbeeld.people import validation as v
from inbeeld.people.actions import EditConflict
from inbeeld.people.models import DataCategory

Action = AuditEvent.Action
PLACE_MAX = 120
NOTE_MAX = 1000
FIELDS = ("kind", "place", "started_on", "ended_on", "outcome", "source", "note")


# --- who sees which episodes (rule 2) ----------------------------------------------------------------


def episode_scope(person_access: PersonAccess) -> RecordScope:
    """Whose episodes of this person the viewer sees: their own organisation's, others' by consent."""
    if not person_access.allows(Need.READ_FILE):
        return RecordScope(frozenset())
    return access.record_scope(person_access, Episode.objects.all(), DataCategory.EPISODES)


def read_episodes(actor: audit.Actor, person_id: int | str, *, data: str) -> tuple[PersonAccess, RecordScope]:
    """For a page or API read of one person's episodes: decide (404), then audit the read."""
    return access.read_records(
        actor, person_id, Need.READ_FILE, Episode.objects.all(), DataCategory.EPISODES, data=data
    )


def episodes_of(person_access: PersonAccess, scope: RecordScope) -> QuerySet[Episode]:
    episodes = Episode.objects.filter(person=person_access.person)
    return scope.apply(episodes).select_related("organisation", "recorded_by")


def may_edit(person_access: PersonAccess, episode: Episode) -> bool:
    own = episode.organisation_id == person_access.own_organisation_id
    return own and person_access.allows(Need.EDIT_CARE)


def episode_for_edit(person_access: PersonAccess, episode_id: int | str) -> Episode:
    """An episode of this person the member may change: 404 if they do not see it, 403 if another's."""
    try:
        episode = Episode.objects.filter(pk=int(episode_id), person=person_access.person).first()
    except (TypeError, ValueError):
        episode = None
    if episode is None or not episode_scope(person_access).shows(episode.organisation_id):
        raise access.not_found()
    if not may_edit(person_access, episode):
        raise PermissionDenied(_("Only the organisation that recorded an episode changes it."))
    return episode


# --- counts per kind: "6 clinic admissions since 2017" ----------------------------------------------


@dataclass(frozen=True)
class KindCount:
    kind: str
    count: int
    since: int  # the year of the first

    @property
    def text(self) -> str:
        return count_text(self.kind, self.count, self.since)


def count_text(kind: str, count: int, since: int) -> str:
    values = {"count": count, "year": since}
    phrases: dict[str, str] = {
        EpisodeKind.CLINIC: ngettext(
            "%(count)d clinic admission since %(year)s", "%(count)d clinic admissions since %(year)s", count
        ),
        EpisodeKind.DETOX: ngettext(
            "%(count)d detox since %(year)s", "%(count)d detoxes since %(year)s", count
        ),
        EpisodeKind.HOSPITAL: ngettext(
            "%(count)d hospital stay since %(year)s", "%(count)d hospital stays since %(year)s", count
        ),
        EpisodeKind.MENTAL_HEALTH: ngettext(
            "%(count)d mental-health admission since %(year)s",
            "%(count)d mental-health admissions since %(year)s",
            count,
        ),
        EpisodeKind.DETENTION: ngettext(
            "%(count)d detention since %(year)s", "%(count)d detentions since %(year)s", count
        ),
        EpisodeKind.SHELTER: ngettext(
            "%(count)d shelter stay elsewhere since %(year)s",
            "%(count)d shelter stays elsewhere since %(year)s",
            count,
        ),
    }
    other = ngettext("%(count)d other stay since %(year)s", "%(count)d other stays since %(year)s", count)
    return phrases.get(kind, other) % values


def counts(episodes: QuerySet[Episode]) -> list[KindCount]:
    """Per kind (in the order of the kinds): how many, and the year of the first."""
    rows = {
        row["kind"]: row
        for row in episodes.order_by().values("kind").annotate(n=Count("id"), first=Min("started_on"))
    }
    return [
        KindCount(kind, rows[kind]["n"], rows[kind]["first"].year)
        for kind in EpisodeKind.values
        if kind in rows
    ]


# --- input rules ------------------------------------------------------------------------------------


class EpisodeConflict(EditConflict):
    """Someone saved the episode after the editor loaded it; nothing was written (the API answers 409)."""

    def __init__(self, episode: Episode, changed: list[tuple[str, Any, Any]]):
        self.episode = episode
        self.changed = changed  # (field, value stored now, value submitted)
        Exception.__init__(
            self, _("Someone else changed this episode while you were editing. Nothing was saved.")
        )


def _ended(started_on: Any, ended_on: datetime.date | None, outcome: Any) -> dict[str, Any]:
    """The end and outcome go together: an outcome only when ended, and then required."""
    out: dict[str, Any] = {}
    if ended_on is None:
        if outcome:
            raise ValidationError({"outcome": _("An ongoing episode has no outcome yet: give the end date.")})
        return {"ended_on": None, "outcome": ""}
    out["ended_on"] = v.clean_record_date(ended_on, field="ended_on")
    if isinstance(started_on, datetime.date) and out["ended_on"] < started_on:
        raise ValidationError({"ended_on": _("An episode cannot end before it started.")})
    if not outcome:
        raise ValidationError({"outcome": _("Give the outcome of an episode that has ended.")})
    out["outcome"] = clean_choice(outcome, Outcome, field="outcome")
    return out


def clean_input(
    *,
    kind: Any,
    place: Any,
    started_on: datetime.date | None,
    ended_on: datetime.date | None,
    outcome: Any,
    source: Any,
    note: Any,
) -> dict[str, Any]:
    values = collect(
        {
            "kind": lambda: clean_choice(kind, EpisodeKind, field="kind"),
            "place": lambda: clean_line(
                place if isinstance(place, str) else "", field="place", max_length=PLACE_MAX
            ),
            "started_on": lambda: v.clean_record_date(started_on, field="started_on"),
            "source": lambda: clean_choice(source, Source, field="source"),
            "note": lambda: v.clean_text(
                note if isinstance(note, str) else "", field="note", max_length=NOTE_MAX
            ),
            "end": lambda: _ended(started_on, ended_on, outcome),
        }
    )
    values.update(values.pop("end"))
    return values


def _record(
    actor: audit.Actor, person_access: PersonAccess, episode: Episode, action: str, **detail: Any
) -> None:
    audit.record(
        actor,
        action=action,
        data="episode",
        basis=person_access.basis,
        person_id=person_access.person.pk,
        object_id=episode.pk,
        detail=detail or None,
    )


# --- writes -----------------------------------------------------------------------------------------


def record_episode(
    person_access: PersonAccess,
    *,
    actor: audit.Actor,
    kind: Any,
    started_on: datetime.date | None,
    source: Any,
    place: Any = "",
    ended_on: datetime.date | None = None,
    outcome: Any = "",
    note: Any = "",
) -> Episode:
    if not person_access.allows(Need.EDIT_CARE) or actor.user is None:
        raise PermissionDenied(_("Your role may not do this for this person."))
    clean = clean_input(
        kind=kind,
        place=place,
        started_on=started_on,
        ended_on=ended_on,
        outcome=outcome,
        source=source,
        note=note,
    )
    with transaction.atomic():
        episode = Episode.objects.create(
            person=person_access.person,
            organisation_id=person_access.own_organisation_id,
            recorded_by=actor.user,
            **clean,
        )
        _record(actor, person_access, episode, Action.CREATE)
    return episode


def _stored(episode: Episode, expected_version: int | None, submitted: dict[str, Any]) -> Episode:
    """The episode locked for the write, or EpisodeConflict if it was saved since ``expected_version``."""
    stored = Episode.objects.select_for_update().get(pk=episode.pk)
    if expected_version is not None and stored.version != expected_version:
        changed = [
            (f, getattr(stored, f), value) for f, value in submitted.items() if getattr(stored, f) != value
        ]
        raise EpisodeConflict(stored, changed)
    return stored


def _save(actor: audit.Actor, person_access: PersonAccess, stored: Episode, clean: dict[str, Any]) -> Episode:
    changed = sorted(f for f, value in clean.items() if getattr(stored, f) != value)
    if not changed:
        return stored
    for field, value in clean.items():
        setattr(stored, field, value)
    stored.version += 1
    stored.save(update_fields=[*clean, "version"])
    _record(actor, person_access, stored, Action.UPDATE, fields=changed)
    return stored


def change_episode(
    person_access: PersonAccess,
    episode: Episode,
    *,
    actor: audit.Actor,
    expected_version: int | None,
    kind: Any,
    started_on: datetime.date | None,
    source: Any,
    place: Any = "",
    ended_on: datetime.date | None = None,
    outcome: Any = "",
    note: Any = "",
) -> Episode:
    """Change the episode if nobody saved it since ``expected_version`` (else EpisodeConflict)."""
    if not may_edit(person_access, episode):
        raise PermissionDenied(_("Only the organisation that recorded an episode changes it."))
    clean = clean_input(
        kind=kind,
        place=place,
        started_on=started_on,
        ended_on=ended_on,
        outcome=outcome,
        source=source,
        note=note,
    )
    with transaction.atomic():
        stored = _stored(episode, expected_version, clean)
        return _save(actor, person_access, stored, clean)


def end_episode(
    person_access: PersonAccess,
    episode: Episode,
    *,
    actor: audit.Actor,
    ended_on: datetime.date | None,
    outcome: Any,
    expected_version: int | None = None,
) -> Episode:
    """End an ongoing episode with its outcome: a discharge, which the radar follows."""
    if not may_edit(person_access, episode):
        raise PermissionDenied(_("Only the organisation that recorded an episode changes it."))
    if ended_on is None:
        raise ValidationError({"ended_on": _("This field is required.")})
    clean = _ended(episode.started_on, ended_on, outcome)
    with transaction.atomic():
        stored = _stored(episode, expected_version, clean)
        if stored.ended_on is not None:
            raise ValidationError({"ended_on": _("This episode has ended already.")})
        return _save(actor, person_access, stored, clean)
