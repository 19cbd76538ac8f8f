"""Web pages for the social network map: the map with its picture, adding, changing and ending a tie,
and the map's section on the person page.

Status codes as in ``people.views``: a saved tie redirects (302); refused input re-renders the form with
422 naming the field and writes nothing; a person who is not visible is 404, visible but not allowed 403.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from inbeeld.core import access, audit
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.audit import Actor
from inbeeld.people import sections, ties
from inbeeld.people.forms import date_field, text_area
from inbeeld.people.models import ContactFrequency, NetworkTie, TieKind, TieQuality
from inbeeld.people.view_support import form_data, form_page, person_access_for, submit

# What the access log calls each kind of network map data.
DATA_LABELS = {
    "network_map": gettext_lazy("social network map"),
    "network_map.section": gettext_lazy("social network map (person page)"),
    "network_map.size": gettext_lazy("network size over time"),
    "network_tie": gettext_lazy("network tie"),
    "network_tie.form": gettext_lazy("network tie form"),
}
audit.register_data_labels(DATA_LABELS)

# Quality is told by line style and a text label as well as colour, so it reads without colour.
LINE_STYLE = {
    TieQuality.SUPPORTIVE: ("solid", ""),
    TieQuality.NEUTRAL: ("dashed", "8 5"),
    TieQuality.RISK: ("dotted", "2 5"),
}
SECTION_SIZE = 240
PAGE_SIZE = 420


class TieForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of tie"), choices=TieKind.choices)
    name = forms.CharField(
        label=gettext_lazy("Name or label"),
        max_length=ties.NAME_MAX,
        help_text=gettext_lazy("How the person calls them, e.g. “sister” or “Mo (buddy)”."),
    )
    quality = forms.ChoiceField(label=gettext_lazy("Quality"), choices=TieQuality.choices)
    frequency = forms.ChoiceField(label=gettext_lazy("Contact frequency"), choices=ContactFrequency.choices)
    started_on = date_field(gettext_lazy("Since"), today=True)
    note = text_area(gettext_lazy("Note"), ties.NOTE_MAX)


class EndTieForm(forms.Form):
    ended_on = date_field(gettext_lazy("Ended on"), today=True)


@dataclass(frozen=True)
class Node:
    tie: NetworkTie
    x: float
    y: float
    lx: float
    ly: float
    ly2: float
    style: str
    dash: str


def picture(open_ties: list[NetworkTie], size: int) -> dict[str, Any]:
    """Positions for the SVG: the person in the centre, the open ties on a circle around them."""
    centre = size / 2
    radius = size / 2 - 50
    nodes = []
    count = len(open_ties)
    for index, tie in enumerate(open_ties):
        angle = 2 * math.pi * index / max(count, 1) - math.pi / 2
        x = centre + radius * math.cos(angle)
        y = centre + radius * math.sin(angle)
        style, dash = LINE_STYLE.get(TieQuality(tie.quality), ("solid", ""))
        x, y = round(x, 1), round(y, 1)
        nodes.append(Node(tie, x, y, x, round(y + 26, 1), round(y + 38, 1), style, dash))
    return {"size": size, "centre": centre, "nodes": nodes}


def _tie_rows(person_access: PersonAccess, shown: list[NetworkTie]) -> list[tuple[NetworkTie, bool]]:
    return [(tie, ties.may_edit(person_access, tie)) for tie in shown]


@login_required
@never_cache
@require_GET
def network_map(request: HttpRequest, pk: int) -> HttpResponse:
    person_access, scope = ties.read_ties(Actor.from_request(request), pk, data="network_map")
    all_ties = list(ties.ties_of(person_access, scope).order_by("ended_on", "kind", "id"))
    open_ties = [t for t in all_ties if t.is_open]
    context = {
        "person": person_access.person,
        "picture": picture(open_ties, PAGE_SIZE),
        "open_rows": _tie_rows(person_access, open_ties),
        "ended_rows": _tie_rows(person_access, [t for t in all_ties if not t.is_open]),
        "series": ties.size_series(ties.ties_of(person_access, scope)),
        "may_edit": person_access.allows(Need.EDIT_NETWORK_MAP),
    }
    return render(request, "people/network/map.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def tie_add(request: HttpRequest, pk: int) -> HttpResponse:
    person_access = person_access_for(request, pk, Need.EDIT_NETWORK_MAP, data="network_tie.form")
    form = TieForm(form_data(request))
    saved = submit(
        request,
        form,
        lambda: ties.add_tie(person_access, actor=Actor.from_request(request), **form.cleaned_data),
    )
    if saved is not None:
        return redirect("people:network", pk=person_access.person.pk)
    return form_page(
        request,
        {"form": form, "person": person_access.person, "title": _("Add a tie"), "submit": _("Add")},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def tie_edit(request: HttpRequest, pk: int, tie_pk: int) -> HttpResponse:
    person_access = person_access_for(request, pk, Need.EDIT_NETWORK_MAP, data="network_tie.form")
    tie = ties.tie_for_edit(person_access, tie_pk)
    initial = {f: getattr(tie, f) for f in ("kind", "name", "quality", "frequency", "started_on", "note")}
    form = TieForm(form_data(request), initial=initial)
    saved = submit(
        request,
        form,
        lambda: ties.change_tie(person_access, tie, actor=Actor.from_request(request), **form.cleaned_data),
    )
    if saved is not None:
        return redirect("people:network", pk=person_access.person.pk)
    return form_page(
        request,
        {"form": form, "person": person_access.person, "title": _("Change a tie"), "submit": _("Save")},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def tie_end(request: HttpRequest, pk: int, tie_pk: int) -> HttpResponse:
    person_access = person_access_for(request, pk, Need.EDIT_NETWORK_MAP, data="network_tie.form")
    tie = ties.tie_for_edit(person_access, tie_pk)
    form = EndTieForm(form_data(request))
    saved = submit(
        request,
        form,
        lambda: ties.end_tie(
            person_access, tie, actor=Actor.from_request(request), ended_on=form.cleaned_data["ended_on"]
        ),
    )
    if saved is not None:
        return redirect("people:network", pk=person_access.person.pk)
    return form_page(
        request,
        {
            "form": form,
            "person": person_access.person,
            "title": _("End a tie"),
            "intro": _("The tie stays in the map's history; it no longer counts in the network size."),
            "facts": [(_("Tie"), f"{tie.name} ({tie.get_kind_display()})")],
            "submit": _("End the tie"),
        },
    )


def network_section(request: HttpRequest, person_access: PersonAccess) -> str | None:
    """The person page's small picture of the map and its counts, for viewers who may read it."""
    if not person_access.allows(Need.READ_NETWORK_MAP):
        return None
    scope = ties.tie_scope(person_access)
    open_ties = list(ties.ties_of(person_access, scope).filter(ended_on__isnull=True).order_by("kind", "id"))
    if open_ties:
        access.record_shared_read(
            Actor.from_request(request), person_access, scope.shared, data="network_map.section"
        )
    context = {
        "person": person_access.person,
        "picture": picture(open_ties, SECTION_SIZE),
        "size": len(open_ties),
        "supportive": sum(1 for t in open_ties if t.quality == TieQuality.SUPPORTIVE),
        "risk": sum(1 for t in open_ties if t.quality == TieQuality.RISK),
        "may_edit": person_access.allows(Need.EDIT_NETWORK_MAP),
    }
    return render_to_string("people/network/_section.html", context, request=request)


sections.register(sections.Section("network_map", 45, network_section))
