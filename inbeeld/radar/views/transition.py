"""The transition board: a key date (the closing of the street zone) and every person still on the zone.

``transition`` lists the network's key dates; ``transition_board`` shows one of them counting down, with
each person on the zone (as of today, or ``?as_of=`` a past day), their care plan, exit route and open
signals. Who may set an exit route is the access policy's ``Need.SET_EXIT_ROUTE``: a member who sees the
person but may not gets 403; a person or key date they do not see is 404. Roles without a radar get 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from inbeeld.core import access
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.audit import Actor
from inbeeld.core.models import Membership
from inbeeld.people.view_support import acting_membership, submit
from inbeeld.radar import presenters
from inbeeld.radar.actions.transition import set_exit_route
from inbeeld.radar.forms import AsOfForm, ExitRouteForm
from inbeeld.radar.models import ExitRoute, KeyDate


def _radar_member(request: HttpRequest) -> Membership:
    membership = acting_membership(request)
    if not access.may_use_radar(membership):
        raise access.not_found()
    return membership  # type: ignore[no-any-return]


def _key_date(membership: Membership, pk: int) -> KeyDate:
    """A key date of the member's own network; another network's is 404, like one that does not exist."""
    key_date = KeyDate.objects.filter(pk=pk, network_id=membership.organisation.network_id).first()
    if key_date is None:
        raise access.not_found()
    return key_date


@login_required
@never_cache
@require_GET
def key_dates(request: HttpRequest) -> HttpResponse:
    """Key dates hold no person data: nothing to audit."""
    membership = _radar_member(request)
    today = timezone.localdate()
    rows = [
        (key_date, key_date.days_to_go(today), -key_date.days_to_go(today))
        for key_date in KeyDate.objects.filter(network_id=membership.organisation.network_id)
    ]
    return render(request, "radar/transition_list.html", {"rows": rows})


def _board_page(
    request: HttpRequest,
    membership: Membership,
    key_date: KeyDate,
    as_of: datetime.date,
    *,
    as_of_form: AsOfForm,
    failed: tuple[PersonAccess, ExitRouteForm] | None = None,
) -> HttpResponse:
    board = presenters.transition_board(membership, key_date, as_of, request.GET.get("page"))
    access.record_list_read(
        Actor.from_request(request),
        [row.person_id for row in board.rows],
        data="radar.transition",
        searched=False,
    )
    context: dict[str, Any] = {
        "board": board,
        "as_of_form": as_of_form,
        "route_choices": ExitRoute.Route.choices,
        "failed_person": failed[0].person if failed else None,
        "failed_form": failed[1] if failed else None,
    }
    refused = failed is not None or bool(as_of_form.errors)
    return render(request, "radar/transition_board.html", context, status=422 if refused else 200)


@login_required
@never_cache
@require_GET
def board(request: HttpRequest, key_date_pk: int) -> HttpResponse:
    membership = _radar_member(request)
    key_date = _key_date(membership, key_date_pk)
    form = AsOfForm(request.GET)
    as_of = form.as_of_or_none() or timezone.localdate()
    return _board_page(request, membership, key_date, as_of, as_of_form=form)


@login_required
@never_cache
@require_POST
def exit_route(request: HttpRequest, key_date_pk: int, person_pk: int) -> HttpResponse:
    membership = _radar_member(request)
    key_date = _key_date(membership, key_date_pk)
    found = access.person_for(membership, person_pk, Need.SET_EXIT_ROUTE)
    form = ExitRouteForm(request.POST)
    actor = Actor.from_request(request)

    def write() -> ExitRoute:
        # The board's form does not show the note: left empty, the one recorded before is kept.
        earlier = ExitRoute.objects.filter(person=found.person, key_date=key_date).first()
        note = form.cleaned_data["note"] or (earlier.note if earlier else "")
        return set_exit_route(
            key_date, person_access=found, actor=actor, route=form.cleaned_data["route"], note=note
        )

    saved = submit(request, form, write)
    if saved is None:
        today = timezone.localdate()
        return _board_page(request, membership, key_date, today, as_of_form=AsOfForm(), failed=(found, form))
    messages.success(
        request,
        _("The exit route of %(name)s is %(route)s.")
        % {"name": found.person.roepnaam, "route": saved.get_route_display()},
    )
    url = reverse("radar:transition_board", kwargs={"key_date_pk": key_date.pk})
    return redirect(f"{url}#person-{found.person.pk}")


urlpatterns = [
    path("transition/", key_dates, name="transition"),
    path("transition/<int:key_date_pk>/", board, name="transition_board"),
    path("transition/<int:key_date_pk>/persons/<int:person_pk>/route/", exit_route, name="exit_route"),
]
