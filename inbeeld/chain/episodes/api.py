"""The episodes API: a person's admissions and stays (as the caller may see them), record, change, end.

The same policy as the pages (``episodes.actions``): reads need the file, another organisation's episodes
show only by consent; only the recording organisation changes or ends an episode. A stale ``version`` is
409 with the fields that differ.
"""

# No "from __future__ import annotations": ninja reads the views' annotations at runtime.

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from inbeeld.chain.episodes import actions
from inbeeld.chain.episodes.models import Episode
from inbeeld.chain.episodes.schemas import EndEpisodeIn, EpisodeChangeIn, EpisodeIn, EpisodeOut
from inbeeld.core import access
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.api import Page, actor, errors, membership_of
from inbeeld.people.schemas import ConflictOut

router = Router(tags=["episodes"])
ERRORS = errors(401, 403, 404, 422)


def _out(found: PersonAccess, episode: Episode) -> dict[str, Any]:
    return {
        "id": episode.pk,
        "kind": episode.kind,
        "kind_label": episode.get_kind_display(),
        "place": episode.place,
        "started_on": episode.started_on,
        "ended_on": episode.ended_on,
        "outcome": episode.outcome or None,
        "outcome_label": episode.get_outcome_display() if episode.outcome else "",
        "source": episode.source,
        "note": episode.note,
        "organisation_id": episode.organisation_id,
        "organisation": str(episode.organisation),
        "version": episode.version,
        "may_edit": actions.may_edit(found, episode),
    }


def _episode_access(request: HttpRequest, episode_id: int) -> tuple[PersonAccess, Episode]:
    """An episode the caller may change. An episode the caller cannot read does not exist for them (404)."""
    person_id = Episode.objects.filter(pk=episode_id).values_list("person_id", flat=True).first()
    if person_id is None:
        raise access.not_found()
    found = access.person_for(membership_of(request), person_id, Need.READ_FILE)
    return found, actions.episode_for_edit(found, episode_id)


def _fields(payload: EpisodeIn) -> dict[str, Any]:
    values = payload.dict(exclude={"version"})
    values["outcome"] = values["outcome"] or ""
    return values


@router.get(
    "/persons/{person_id}/episodes",
    response={200: list[EpisodeOut], **ERRORS},
    summary="A person's admissions and stays the caller may see, newest first",
)
@paginate(Page)
def list_episodes(request: HttpRequest, person_id: int) -> list[Any]:
    found, scope = actions.read_episodes(actor(request), person_id, data="episodes")
    shown = actions.episodes_of(found, scope).order_by("-started_on", "-id")
    return [_out(found, episode) for episode in shown]


@router.post(
    "/persons/{person_id}/episodes",
    response={201: EpisodeOut, **ERRORS},
    summary="Record an admission or stay elsewhere",
)
def record_episode(request: HttpRequest, person_id: int, payload: EpisodeIn) -> Status[Any]:
    found = access.person_for(membership_of(request), person_id, Need.EDIT_CARE)
    episode = actions.record_episode(found, actor=actor(request), **_fields(payload))
    return Status(201, _out(found, episode))


@router.put(
    "/episodes/{episode_id}",
    response={200: EpisodeOut, 409: ConflictOut, **ERRORS},
    summary="Change an episode",
    description="Send the `version` you read; if someone saved the episode since, nothing is changed "
    "and the answer is 409 with the fields that differ.",
)
def change_episode(request: HttpRequest, episode_id: int, payload: EpisodeChangeIn) -> Any:
    found, episode = _episode_access(request, episode_id)
    episode = actions.change_episode(
        found, episode, actor=actor(request), expected_version=payload.version, **_fields(payload)
    )
    return _out(found, episode)


@router.post(
    "/episodes/{episode_id}/end",
    response={200: EpisodeOut, 409: ConflictOut, **ERRORS},
    summary="End an ongoing episode with its outcome (a discharge the radar follows)",
)
def end_episode(request: HttpRequest, episode_id: int, payload: EndEpisodeIn) -> Any:
    found, episode = _episode_access(request, episode_id)
    episode = actions.end_episode(
        found,
        episode,
        actor=actor(request),
        ended_on=payload.ended_on,
        outcome=payload.outcome,
        expected_version=payload.version,
    )
    return _out(found, episode)
