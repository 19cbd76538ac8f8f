"""Buddies: the coordinator pairs volunteers with residents and ends pairings; a volunteer sees their
buddies and each buddy's network map (open ties, no notes), read on the basis BUDDY."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inbeeld.core import access
from inbeeld.core.audit import Actor
from inbeeld.people.view_support import acting_membership, form_data, submit
from inbeeld.people.views_network import PAGE_SIZE, picture
from inbeeld.shelter import actions_volunteers as actions
from inbeeld.shelter import sites
from inbeeld.shelter.actions_houselog import record_residents_read
from inbeeld.shelter.forms_volunteers import BuddyForm


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def buddies(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator's pairs and pairing form (POST: coordinator only); a volunteer's own buddies."""
    membership = acting_membership(request)
    site = sites.site_for(membership, pk)
    actor = Actor.from_request(request)
    if not access.may_run_shelter(membership):
        if request.method == "POST":
            raise PermissionDenied(_("Only the shelter coordinator pairs buddies."))
        pairs = list(actions.my_pairs(membership).filter(location=site))
        record_residents_read(actor, pairs, data="shelter.buddies")
        return render(request, "shelter/volunteers/buddies.html", {"site": site, "pairs": pairs, "own": True})
    residents = list(actions.residents_of(site))
    form = BuddyForm(form_data(request), volunteers=list(actions.volunteers_of(site)), residents=residents)
    saved = submit(
        request,
        form,
        lambda: actions.pair_buddy(
            actor=actor,
            site=site,
            volunteer_id=form.cleaned_data["volunteer"],
            person_id=form.cleaned_data["person"],
        ),
    )
    if saved is not None:
        messages.success(request, _("The buddies are paired."))
        return redirect("shelter:buddies", pk=site.pk)
    pairs = list(actions.pairs_of(site))
    record_residents_read(actor, [*pairs, *residents], data="shelter.buddies")
    context = {"site": site, "pairs": pairs, "form": form, "own": False}
    status = 422 if request.method == "POST" else 200
    return render(request, "shelter/volunteers/buddies.html", context, status=status)


@login_required
@never_cache
@require_POST
def buddy_end(request: HttpRequest, pk: int, pair: int) -> HttpResponse:
    site = sites.coordinated_site(acting_membership(request), pk)
    actions.end_pair(actor=Actor.from_request(request), pair=actions.pair_for(site, pair))
    messages.success(request, _("The pairing has ended."))
    return redirect("shelter:buddies", pk=site.pk)


@login_required
@never_cache
@require_GET
def buddy_map(request: HttpRequest, pk: int, person: int) -> HttpResponse:
    site = sites.site_for(acting_membership(request), pk)
    person_access, open_ties = actions.read_buddy_map(Actor.from_request(request), person)
    context = {
        "site": site,
        "person": person_access.person,
        "picture": picture(open_ties, PAGE_SIZE),
        "ties": open_ties,
    }
    return render(request, "shelter/volunteers/buddy_map.html", context)


urlpatterns: list[URLPattern] = [
    path("sites/<int:pk>/buddies/", buddies, name="buddies"),
    path("sites/<int:pk>/buddies/<int:pair>/end/", buddy_end, name="buddy_end"),
    path("sites/<int:pk>/buddies/map/<int:person>/", buddy_map, name="buddy_map"),
]
