"""Web pages of the partner services directory: the list with filters, a service, adding and editing one,
deactivating it, and the directory as HSDS 3.0 JSON.

Every logged-in member of the network reads the directory (``actions.services_for``); another network's
service is 404. Writes follow ``actions.may_edit_services``: others get 403 (they can see the service).
A write redirects (302); refused input re-renders the form with 422 naming the field; a stale edit form
(someone saved in between) is 409 with both values side by side, never a silent overwrite.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inbeeld.chain import actions_services as actions
from inbeeld.chain import hsds
from inbeeld.chain.forms_services import FilterForm, ServiceForm
from inbeeld.chain.languages import display_name
from inbeeld.chain.models import Service
from inbeeld.core.models import Organisation
from inbeeld.people.view_support import acting_membership, form_data, submit


@login_required
@never_cache
@require_GET
def services(request: HttpRequest) -> HttpResponse:
    membership = actions.require_member(acting_membership(request))
    organisations = list(Organisation.objects.filter(network_id=membership.organisation.network_id))
    form = FilterForm(request.GET, organisations=organisations)
    found = actions.filter_directory(actions.services_for(membership), **form.filters())
    context = {
        "form": form,
        "services": found,
        "may_add": actions.may_add_services(membership),
        "filtered": any(request.GET.get(name) for name in form.fields),
    }
    return render(request, "chain/services/list.html", context)


@login_required
@never_cache
@require_GET
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = acting_membership(request)
    service = actions.service_for(membership, pk)
    context = {
        "service": service,
        "languages": [(code, display_name(code)) for code in service.languages],
        "locations": service.locations.prefetch_related("opening_hours").order_by("name"),
        "may_edit": actions.may_edit_services(membership, service.organisation),
    }
    return render(request, "chain/services/detail.html", context)


def _form_page(request: HttpRequest, context: dict[str, Any], *, status: int | None = None) -> HttpResponse:
    if status is None:
        status = 422 if request.method == "POST" else 200
    return render(request, "chain/services/form.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest) -> HttpResponse:
    membership = actions.require_member(acting_membership(request))
    actions.require_may_add(membership)
    form = ServiceForm(form_data(request), membership=membership)
    saved = submit(
        request,
        form,
        lambda: actions.create_service(
            acting=membership, organisation=form.chosen_organisation(), data=form.service_input()
        ),
    )
    if saved is not None:
        messages.success(request, _("The service is added to the directory."))
        return redirect("chain:service_detail", pk=saved.pk)
    return _form_page(request, {"form": form, "title": _("Add a service")})


def _conflict_rows(form: ServiceForm, conflict: actions.ServiceEditConflict) -> list[dict[str, str]]:
    def shown(value: Any) -> str:
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)

    return [
        {"label": str(form.fields[name].label), "stored": shown(stored), "yours": shown(yours)}
        for name, stored, yours in conflict.changed
        if name in form.fields
    ]


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = acting_membership(request)
    service = actions.service_for(membership, pk)
    actions.require_edit(membership, service.organisation)
    form = ServiceForm(form_data(request), membership=membership, service=service)
    context: dict[str, Any] = {
        "form": form,
        "service": service,
        "title": _("Edit %(name)s") % {"name": service},
    }
    try:
        saved = submit(
            request,
            form,
            lambda: actions.update_service(
                acting=membership,
                service=service,
                data=form.service_input(),
                expected_version=form.cleaned_data.get("version"),
            ),
        )
    except actions.ServiceEditConflict as conflict:
        # Saving again is then a deliberate choice to overwrite what is stored now.
        resubmit = request.POST.copy()
        resubmit["version"] = str(conflict.service.version)
        form.data = resubmit
        return _form_page(request, {**context, "conflict": _conflict_rows(form, conflict)}, status=409)
    if saved is not None:
        messages.success(request, _("The service is saved."))
        return redirect("chain:service_detail", pk=service.pk)
    return _form_page(request, context)


@login_required
@never_cache
@require_POST
def service_status(request: HttpRequest, pk: int) -> HttpResponse:
    membership = acting_membership(request)
    service = actions.service_for(membership, pk)
    actions.require_edit(membership, service.organisation)
    status = request.POST.get("status", Service.Status.INACTIVE)
    version = request.POST.get("version", "")
    try:
        # A version that is not a number can match nothing: it is refused as stale.
        expected = int(version) if version.isdigit() else (None if version == "" else -1)
        actions.set_status(acting=membership, service=service, status=status, expected_version=expected)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    except actions.ServiceEditConflict as conflict:
        messages.error(request, str(conflict))
    else:
        if status == Service.Status.ACTIVE:
            messages.success(request, _("The service is active again."))
        else:
            messages.success(request, _("The service is marked inactive."))
    return redirect("chain:service_detail", pk=service.pk)


@login_required
@never_cache
@require_GET
def services_hsds(request: HttpRequest) -> HttpResponse:
    membership = actions.require_member(acting_membership(request))
    document = hsds.export_network(membership.organisation.network_id)
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    if request.GET.get("download"):
        response["Content-Disposition"] = 'attachment; filename="services-hsds.json"'
    return response


urlpatterns: list[URLPattern] = [
    path("services/", services, name="services"),
    path("services/new/", service_new, name="service_new"),
    path("services/hsds.json", services_hsds, name="services_hsds"),
    path("services/<int:pk>/", service_detail, name="service_detail"),
    path("services/<int:pk>/edit/", service_edit, name="service_edit"),
    path("services/<int:pk>/status/", service_status, name="service_status"),
]
