"""The radar dashboard and the page of the network's rules.

The dashboard lists the persons whose radar core the member sees (the coordinator: the whole network;
others: the persons their organisation is involved with), longest unseen first, with green / amber /
red counts, filters and the reason of every open signal. With ``?as_of=`` it shows what the radar
would have said on a past day, computed on the spot and stored nowhere. Roles without a radar get 404.
A refused filter value answers 422 with the error next to its field; the other filters still apply.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from inbeeld.core import access
from inbeeld.core.audit import Actor
from inbeeld.people.view_support import acting_membership
from inbeeld.radar import presenters, rules
from inbeeld.radar.forms import RadarFilterForm


@login_required
@never_cache
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = acting_membership(request)
    access.radar_persons(membership)  # 404 for roles without a radar
    form = RadarFilterForm(request.GET, network=membership.organisation.network)
    filters = form.filters()
    as_of = form.as_of_or_none()
    page_number = request.GET.get("page")
    if as_of is None:
        view = presenters.live_radar(membership, filters, page_number)
    else:
        view = presenters.whatif_radar(membership, filters, as_of, page_number)
    access.record_list_read(
        Actor.from_request(request),
        [row.person_id for row in view.rows],
        data="radar.whatif" if view.whatif else "radar.list",
        searched=False,
    )
    context = {
        "form": form,
        "view": view,
        "may_record_contact": access.may_record_anonymous_contact(membership),
        "escalation_ignored": view.whatif and filters.escalated,
        "filtering": any(key != "page" for key in request.GET),
    }
    return render(request, "radar/dashboard.html", context, status=422 if form.errors else 200)


@login_required
@never_cache
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    """Every rule with this network's thresholds: rules hold no person data, so nothing is audited."""
    membership = acting_membership(request)
    if not access.may_use_radar(membership):
        raise access.not_found()
    thresholds = rules.thresholds_for(membership.organisation.network_id)
    rows = [
        {"rule": rule, "threshold": thresholds[rule.key], "description": rule.describe(thresholds[rule.key])}
        for rule in rules.all_rules()
    ]
    return render(request, "radar/rules.html", {"rows": rows})


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("rules/", rule_list, name="rules"),
]
