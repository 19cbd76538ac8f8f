"""The house log page: the site's entries newest first, and writing one (coordinator and volunteers).

Showing entries about residents, and the residents to choose from, is an audited read (shelter basis).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from inbeeld.core.audit import Actor
from inbeeld.people.view_support import acting_membership, form_data, submit
from inbeeld.shelter import actions_houselog as actions
from inbeeld.shelter import sites
from inbeeld.shelter.actions_roster import current_shift
from inbeeld.shelter.actions_volunteers import residents_of
from inbeeld.shelter.forms_volunteers import HouseLogForm


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def house_log(request: HttpRequest, pk: int) -> HttpResponse:
    membership = acting_membership(request)
    site = sites.site_for(membership, pk)
    actor = Actor.from_request(request)
    residents = list(residents_of(site))
    form = HouseLogForm(form_data(request), residents=residents)
    saved = submit(
        request,
        form,
        lambda: actions.write_entry(
            actor=actor, site=site, text=form.cleaned_data["text"], person_id=form.cleaned_data.get("person")
        ),
    )
    if saved is not None:
        messages.success(request, _("The entry is saved in the house log."))
        return redirect("shelter:house_log", pk=site.pk)
    entries = actions.entries_of(site)
    actions.record_read(actor, entries)
    actions.record_residents_read(actor, residents, data="shelter.house_log.residents")
    context = {
        "site": site,
        "form": form,
        "entries": entries,
        "shift": current_shift(site, membership),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "shelter/volunteers/house_log.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("sites/<int:pk>/house-log/", house_log, name="house_log"),
]
