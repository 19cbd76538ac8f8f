"""Web pages of the street counts: the network's counts with the form to add one, correcting and deleting.

Policy in ``reports.actions_street``: outreach workers and coordinators of the network; every other role
gets 404 (analysts see the counts only through disclosure control in the reports). A write redirects
(302); refused input re-renders the form with 422 naming the field and writes nothing; another
organisation's count is 403 on the edit and delete pages (it is in the list for everyone who may record).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from inbeeld.core.audit import Actor
from inbeeld.people.view_support import acting_membership, form_data, submit
from inbeeld.reports import actions_street as actions
from inbeeld.reports.forms_street import StreetCountForm

PAGE_SIZE = 25


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def street_counts(request: HttpRequest) -> HttpResponse:
    membership = actions.require_recorder(acting_membership(request))
    form = StreetCountForm(form_data(request), membership=membership)
    saved = submit(
        request,
        form,
        lambda: actions.record_count(actor=Actor.from_request(request), data=form.street_count_input()),
    )
    if saved is not None:
        messages.success(request, _("The street count is recorded."))
        return redirect("reports:street_counts")
    page = Paginator(actions.counts_for(membership), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(count, actions.may_change(membership, count)) for count in page]
    context = {"form": form, "page_obj": page, "rows": rows}
    return render(
        request, "reports/street/list.html", context, status=422 if request.method == "POST" else 200
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def street_count_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = acting_membership(request)
    street_count = actions.count_for(membership, pk)
    form = StreetCountForm(form_data(request), membership=membership, street_count=street_count)
    saved = submit(
        request,
        form,
        lambda: actions.update_count(
            actor=Actor.from_request(request), street_count=street_count, data=form.street_count_input()
        ),
    )
    if saved is not None:
        messages.success(request, _("The street count is corrected."))
        return redirect("reports:street_counts")
    context = {"form": form, "street_count": street_count}
    return render(
        request, "reports/street/edit.html", context, status=422 if request.method == "POST" else 200
    )


@login_required
@never_cache
@require_POST
def street_count_delete(request: HttpRequest, pk: int) -> HttpResponse:
    street_count = actions.count_for(acting_membership(request), pk)
    actions.delete_count(actor=Actor.from_request(request), street_count=street_count)
    messages.success(request, _("The street count is deleted."))
    return redirect("reports:street_counts")


urlpatterns: list[URLPattern] = [
    path("street-counts/", street_counts, name="street_counts"),
    path("street-counts/<int:pk>/edit/", street_count_edit, name="street_count_edit"),
    path("street-counts/<int:pk>/delete/", street_count_delete, name="street_count_delete"),
]
