"""Web pages of emergency access: break the glass, the emergency page, and the privacy officer's review.

Thin views over ``chain.emergency.actions`` and ``presenters``. Who may not use a page gets 404 (rule 1).
A refused form re-renders with 422 and writes nothing; a granted access redirects to its page (302).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from inbeeld.chain.emergency import actions, presenters
from inbeeld.chain.emergency.forms import BreakGlassForm, ReviewForm
from inbeeld.chain.emergency.models import EMERGENCY_HOURS
from inbeeld.core.audit import Actor
from inbeeld.people.forms import attach_errors
from inbeeld.people.view_support import acting_membership, clean_query, form_data
from inbeeld.radar.sections import radar_section


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Write the reason and an exact search term; choose the person to open for 24 hours."""
    actions.require_break_glass(acting_membership(request))
    actor = Actor.from_request(request)
    form = BreakGlassForm(form_data(request))
    context: dict[str, Any] = {"form": form, "hours": EMERGENCY_HOURS}
    if request.method == "POST" and form.is_valid():
        reason, text = form.cleaned_data["reason"], clean_query(form.cleaned_data["q"])
        person_id = form.cleaned_data["person"]
        try:
            if person_id:
                grant = actions.break_glass(actor, reason=reason, text=text, person_id=person_id)
                messages.warning(request, _("Emergency access granted; the privacy officer reviews it."))
                return redirect("chain:emergency_grant", pk=grant.pk)
            context["result"] = actions.search(actor, reason=reason, text=text)
        except ValidationError as error:
            attach_errors(form, error)
    if request.method == "GET":
        context["grants"] = presenters.own_grants(actor)
    status = 422 if request.method == "POST" and form.errors else 200
    return render(request, "chain/emergency/start.html", context, status=status)


@login_required
@never_cache
@require_GET
def grant_page(request: HttpRequest, pk: int) -> HttpResponse:
    view = presenters.open_emergency(Actor.from_request(request), pk)
    context = {
        "view": view,
        "person": view.person_access.person,
        "radar": radar_section(request, view.person_access),
    }
    return render(request, "chain/emergency/grant.html", context)


@login_required
@never_cache
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    grants = list(presenters.review_queue(acting_membership(request))[: presenters.REVIEW_PAGE_SIZE])
    presenters.record_review_read(Actor.from_request(request), grants, data="emergency_access.reviews")
    return render(request, "chain/emergency/review_list.html", {"grants": grants})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def review_grant(request: HttpRequest, pk: int) -> HttpResponse:
    grant = presenters.grant_for_review(acting_membership(request), pk)
    actor = Actor.from_request(request)
    form = ReviewForm(form_data(request))
    status = 200
    if request.method == "POST":
        if grant.is_reviewed:
            status = 409
        elif form.is_valid():
            try:
                actions.review(
                    actor,
                    grant,
                    justified=form.cleaned_data["justified"],
                    note=form.cleaned_data["review_note"],
                )
            except actions.AlreadyReviewed:
                status = 409
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The review is recorded."))
                return redirect("chain:emergency_review")
        if status == 200:
            status = 422
    else:
        presenters.record_review_read(actor, [grant], data="emergency_access.reviews")
    return render(request, "chain/emergency/review.html", {"grant": grant, "form": form}, status=status)
