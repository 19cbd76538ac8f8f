"""Web pages of the roster: the coming 14 days with gaps, signing up and cancelling, swapping, and the
coordinator's slots. A refused sign-up re-renders the roster with 422 naming the field."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inbeeld.core import access
from inbeeld.core.audit import Actor
from inbeeld.core.models import Location
from inbeeld.core.roles import Role
from inbeeld.people.view_support import acting_membership, form_data, submit
from inbeeld.shelter import actions_roster as actions
from inbeeld.shelter import sites
from inbeeld.shelter.actions_volunteers import profile_of, vog_warnings, volunteers_of
from inbeeld.shelter.forms_volunteers import SignupForm, SlotForm, volunteer_choices
from inbeeld.shelter.models import VOG_WARNING_DAYS, ShiftSlot


def _roster_page(
    request: HttpRequest, site: Location, *, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    membership = acting_membership(request)
    coordinator = access.may_run_shelter(membership)
    me = membership if membership.role == Role.VOLUNTEER else None
    roster = actions.roster(site, me=me)
    profile = profile_of(me) if me is not None else None
    days = [(day, list(rows)) for day, rows in itertools.groupby(roster.rows, key=lambda row: row.shift.date)]
    context = {
        "site": site,
        "roster": roster,
        "days": days,
        "coordinator": coordinator,
        "me": me,
        "profile": profile,
        "errors": errors or {},
        "warnings": vog_warnings(site) if coordinator else [],
        "warning_days": VOG_WARNING_DAYS,
        "volunteers": volunteer_choices(list(volunteers_of(site))) if coordinator else [],
    }
    return render(request, "shelter/volunteers/roster.html", context, status=422 if errors else 200)


@login_required
@never_cache
@require_GET
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    return _roster_page(request, sites.site_for(acting_membership(request), pk))


def _roster_write(request: HttpRequest, site: Location, write: Callable[[], Any], done: str) -> HttpResponse:
    try:
        write()
    except ValidationError as error:
        return _roster_page(request, site, errors=error.message_dict)
    messages.success(request, done)
    return redirect("shelter:roster", pk=site.pk)


@login_required
@never_cache
@require_POST
def signup(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign up for a shift; the coordinator names the volunteer to schedule."""
    site = sites.site_for(acting_membership(request), pk)
    form = SignupForm(request.POST)
    if not form.is_valid():
        return _roster_page(request, site, errors={k: [str(m) for m in v] for k, v in form.errors.items()})
    return _roster_write(
        request,
        site,
        lambda: actions.sign_up(
            actor=Actor.from_request(request),
            site=site,
            shift_id=form.cleaned_data["shift"],
            volunteer_id=form.cleaned_data.get("volunteer"),
        ),
        _("Signed up for the shift."),
    )


@login_required
@never_cache
@require_POST
def signup_cancel(request: HttpRequest, pk: int, signup: int) -> HttpResponse:
    site = sites.site_for(acting_membership(request), pk)
    actor = Actor.from_request(request)
    found = actions.signup_for(actor, site, signup)
    return _roster_write(
        request,
        site,
        lambda: actions.cancel_signup(actor=actor, signup=found),
        _("The sign-up is cancelled."),
    )


@login_required
@never_cache
@require_POST
def swap_offer(request: HttpRequest, pk: int, signup: int) -> HttpResponse:
    site = sites.site_for(acting_membership(request), pk)
    actor = Actor.from_request(request)
    found = actions.signup_for(actor, site, signup)
    return _roster_write(
        request,
        site,
        lambda: actions.offer_swap(actor=actor, signup=found),
        _("The shift is offered for a swap."),
    )


@login_required
@never_cache
@require_POST
def swap_withdraw(request: HttpRequest, pk: int, offer: int) -> HttpResponse:
    site = sites.site_for(acting_membership(request), pk)
    found = actions.offer_for(site, offer)
    actor = Actor.from_request(request)
    return _roster_write(
        request,
        site,
        lambda: actions.withdraw_swap(actor=actor, offer=found),
        _("The swap offer is withdrawn."),
    )


@login_required
@never_cache
@require_POST
def swap_take(request: HttpRequest, pk: int, offer: int) -> HttpResponse:
    site = sites.site_for(acting_membership(request), pk)
    found = actions.offer_for(site, offer)
    actor = Actor.from_request(request)
    return _roster_write(
        request,
        site,
        lambda: actions.take_swap(actor=actor, site=site, offer=found),
        _("You took over the shift."),
    )


def _slot_form_page(request: HttpRequest, site: Location, slot: ShiftSlot | None) -> HttpResponse:
    initial = SlotForm.initial_for(slot) if slot is not None else None
    form = SlotForm(form_data(request), initial=initial)
    saved = submit(
        request,
        form,
        lambda: actions.save_slot(
            actor=Actor.from_request(request), site=site, data=form.slot_input(), slot=slot
        ),
    )
    if saved is not None:
        messages.success(request, _("The slot is saved."))
        return redirect("shelter:slots", pk=site.pk)
    context = {
        "site": site,
        "form": form,
        "title": _("Change a slot") if slot is not None else _("Shift slots"),
        "submit": _("Save") if slot is not None else _("Add a slot"),
        "back": reverse("shelter:roster", kwargs={"pk": site.pk}),
        "slots": actions.slots_of(site) if slot is None else [],
    }
    return render(
        request, "shelter/volunteers/slots.html", context, status=422 if request.method == "POST" else 200
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def slots(request: HttpRequest, pk: int) -> HttpResponse:
    return _slot_form_page(request, sites.coordinated_site(acting_membership(request), pk), None)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def slot_edit(request: HttpRequest, pk: int, slot: int) -> HttpResponse:
    site = sites.coordinated_site(acting_membership(request), pk)
    return _slot_form_page(request, site, actions.slot_for(site, slot))


urlpatterns: list[URLPattern] = [
    path("sites/<int:pk>/roster/", roster, name="roster"),
    path("sites/<int:pk>/roster/signups/", signup, name="signup"),
    path("sites/<int:pk>/roster/signups/<int:signup>/cancel/", signup_cancel, name="signup_cancel"),
    path("sites/<int:pk>/roster/signups/<int:signup>/swap/", swap_offer, name="swap_offer"),
    path("sites/<int:pk>/roster/swaps/<int:offer>/withdraw/", swap_withdraw, name="swap_withdraw"),
    path("sites/<int:pk>/roster/swaps/<int:offer>/take/", swap_take, name="swap_take"),
    path("sites/<int:pk>/slots/", slots, name="slots"),
    path("sites/<int:pk>/slots/<int:slot>/", slot_edit, name="slot_edit"),
]
