"""Web pages for episodes: a person's admissions and stays with counts per kind; record, change, end.

Status codes as in ``people.views``: a saved episode redirects (302); refused input re-renders the form
with 422 naming the field and writes nothing; a stale edit is 409 with what differs; a person who is not
visible is 404, visible but not allowed 403.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from inbeeld.chain.episodes import actions
from inbeeld.chain.episodes.forms import EndEpisodeForm, EpisodeForm
from inbeeld.chain.episodes.models import Episode
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.audit import Actor
from inbeeld.people.view_support import form_data, form_page, person_access_for, submit

EDITABLE = ("kind", "place", "started_on", "ended_on", "outcome", "source", "note")


@login_required
@never_cache
@require_GET
def episodes(request: HttpRequest, pk: int) -> HttpResponse:
    person_access, scope = actions.read_episodes(Actor.from_request(request), pk, data="episodes")
    shown = actions.episodes_of(person_access, scope)
    context = {
        "person": person_access.person,
        "counts": actions.counts(shown),
        "rows": [(e, actions.may_edit(person_access, e)) for e in shown.order_by("-started_on", "-id")],
        "may_record": person_access.allows(Need.EDIT_CARE),
    }
    return render(request, "chain/episodes/list.html", context)


def _shown(value: Any) -> str:
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return "" if value is None else str(value)


def _write_page(
    request: HttpRequest,
    person_access: PersonAccess,
    form: Form,
    write: Callable[[], Episode],
    context: dict[str, Any],
) -> HttpResponse:
    """Run the write for a valid POST: 302 when saved, 409 on a stale version, else the form (422 on POST)."""
    context = {"form": form, "person": person_access.person, **context}
    try:
        saved = submit(request, form, write)
    except actions.EpisodeConflict as conflict:
        context["conflict"] = [
            {"label": form.fields[name].label, "stored": _shown(stored), "yours": _shown(yours)}
            for name, stored, yours in conflict.changed
            if name in form.fields
        ]
        # Saving again is then a deliberate choice to overwrite what is stored now.
        resubmit = request.POST.copy()
        resubmit["version"] = str(conflict.episode.version)
        form.data = resubmit
        return form_page(request, context, status=409)
    if saved is not None:
        return redirect("chain:episodes", pk=person_access.person.pk)
    return form_page(request, context)


def _values(form: Form) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in EDITABLE if name in form.cleaned_data}


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def episode_add(request: HttpRequest, pk: int) -> HttpResponse:
    person_access = person_access_for(request, pk, Need.EDIT_CARE, data="episode.form")
    form = EpisodeForm(form_data(request))

    def write() -> Episode:
        return actions.record_episode(person_access, actor=Actor.from_request(request), **_values(form))

    context = {"title": _("Record an episode"), "submit": _("Save")}
    return _write_page(request, person_access, form, write, context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def episode_edit(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    person_access = person_access_for(request, pk, Need.EDIT_CARE, data="episode.form")
    episode = actions.episode_for_edit(person_access, episode_pk)
    initial = {f: getattr(episode, f) for f in EDITABLE}
    form = EpisodeForm(form_data(request), initial={**initial, "version": episode.version})

    def write() -> Episode:
        return actions.change_episode(
            person_access,
            episode,
            actor=Actor.from_request(request),
            expected_version=form.cleaned_data["version"],
            **_values(form),
        )

    context = {"title": _("Change an episode"), "submit": _("Save")}
    return _write_page(request, person_access, form, write, context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def episode_end(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    person_access = person_access_for(request, pk, Need.EDIT_CARE, data="episode.form")
    episode = actions.episode_for_edit(person_access, episode_pk)
    form = EndEpisodeForm(form_data(request), initial={"version": episode.version})

    def write() -> Episode:
        return actions.end_episode(
            person_access,
            episode,
            actor=Actor.from_request(request),
            ended_on=form.cleaned_data["ended_on"],
            outcome=form.cleaned_data["outcome"],
            expected_version=form.cleaned_data["version"],
        )

    context = {
        "title": _("End an episode"),
        "intro": _("Ending an episode is a discharge: the radar looks for contact in the days after."),
        "facts": [(_("Episode"), f"{episode.get_kind_display()} {episode.place}".strip())],
        "submit": _("End the episode"),
    }
    return _write_page(request, person_access, form, write, context)
