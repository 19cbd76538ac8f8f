"""Web pages of a transfer of lead: the list (incoming and outgoing), one transfer, proposing and deciding.

Status codes: a transfer or person the member may not see is 404 (rule 1), one they see but may not act on
403; refused input re-renders the page with 422 naming the field and writes nothing; a write redirects (302).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inbeeld.chain import sides
from inbeeld.chain.transfers import actions
from inbeeld.chain.transfers.actions import Side, TransferAccess
from inbeeld.chain.transfers.forms import AcceptForm, DeclineForm, ProposeForm
from inbeeld.chain.transfers.models import LeadTransfer
from inbeeld.core import access
from inbeeld.core.audit import Actor
from inbeeld.core.roles import Role
from inbeeld.people.forms import attach_errors
from inbeeld.people.view_support import acting_membership, form_data, form_page, submit

LIST_SIZE = 100


@login_required
@never_cache
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    membership = acting_membership(request)
    transfers = list(actions.transfers_for(membership).order_by("-proposed_at", "-id")[:LIST_SIZE])
    shown = [actions.with_side(membership, t) for t in transfers]
    sides.record_reads(Actor.from_request(request), shown, data="lead_transfer.list")
    context = {
        "boxes": [
            ("incoming", [s for s in shown if s.side is Side.TO]),
            ("outgoing", [s for s in shown if s.side is not Side.TO]),
        ],
        "network_wide": membership.role == Role.COORDINATOR,
    }
    return render(request, "chain/transfers/index.html", context)


def _detail_page(
    request: HttpRequest,
    seen: TransferAccess,
    *,
    status: int = 200,
    accept_form: AcceptForm | None = None,
    decline_form: DeclineForm | None = None,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    transfer = seen.transfer
    if seen.may_decide:
        accept_form = accept_form or AcceptForm(organisation=transfer.to_organisation)
        decline_form = decline_form or DeclineForm()
    context = {
        "seen": seen,
        "transfer": transfer,
        "accept_form": accept_form if seen.may_decide else None,
        "decline_form": decline_form if seen.may_decide else None,
        "errors": errors or {},
    }
    return render(request, "chain/transfers/detail.html", context, status=status)


@login_required
@never_cache
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    seen = actions.transfer_for(acting_membership(request), pk)
    sides.record_reads(Actor.from_request(request), [seen], data="lead_transfer.detail")
    return _detail_page(request, seen)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    person_access = actions.proposer_for(acting_membership(request), pk)
    person = person_access.person
    actor = Actor.from_request(request)
    if request.method == "GET":
        access.record_shared_read(actor, person_access, (), data="person.lead")
    form = ProposeForm(form_data(request), person=person)
    transfer = submit(request, form, lambda: actions.propose(person_access, actor=actor, **form.cleaned_data))
    if transfer is not None:
        messages.success(request, _("The transfer is proposed; the receiving organisation decides."))
        return redirect("chain:transfer_detail", pk=transfer.pk)
    return form_page(
        request,
        {
            "form": form,
            "person": person,
            "title": _("Propose a transfer of lead"),
            "intro": _(
                "The receiving organisation accepts or declines, and on accepting chooses the new key worker."
            ),
            "submit": _("Propose"),
        },
    )


def _decide(
    request: HttpRequest,
    pk: int,
    *,
    side: Callable[[Side], bool],
    form_key: str = "",
    make_form: Callable[[TransferAccess], Form] | None = None,
    write: Callable[[TransferAccess, dict[str, Any]], LeadTransfer],
    message: str,
) -> HttpResponse:
    """Run a decision on the transfer: 403 for the wrong side; refused input re-renders with 422."""
    seen = actions.transfer_for(acting_membership(request), pk)
    if not side(seen.side):
        raise PermissionDenied(_("Your organisation may not do this with this transfer."))
    form = make_form(seen) if make_form is not None else None
    errors: dict[str, list[str]] = {}
    if form is None or form.is_valid():
        try:
            write(seen, form.cleaned_data if form is not None else {})
        except ValidationError as error:
            names = set(form.fields) if form is not None else set()
            if form is not None:
                attach_errors(form, error)
            errors = {k: v for k, v in error.message_dict.items() if k not in names}
        else:
            messages.success(request, message)
            return redirect("chain:transfer_detail", pk=seen.transfer.pk)
    seen = actions.transfer_for(acting_membership(request), pk)  # as it is now
    forms: dict[str, Any] = {form_key: form} if form_key else {}
    return _detail_page(request, seen, status=422, errors=errors, **forms)


@login_required
@never_cache
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    return _decide(
        request,
        pk,
        side=lambda side: side is Side.TO,
        form_key="accept_form",
        make_form=lambda s: AcceptForm(request.POST, organisation=s.transfer.to_organisation),
        write=lambda s, data: actions.accept(s, actor=actor, **data),
        message=_("The transfer is accepted: your organisation now leads."),
    )


@login_required
@never_cache
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    return _decide(
        request,
        pk,
        side=lambda side: side is Side.TO,
        form_key="decline_form",
        make_form=lambda s: DeclineForm(request.POST),
        write=lambda s, data: actions.decline(s, actor=actor, **data),
        message=_("The transfer is declined."),
    )


@login_required
@never_cache
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    return _decide(
        request,
        pk,
        side=lambda side: side is not Side.TO,
        write=lambda s, data: actions.withdraw(s, actor=actor),
        message=_("The transfer is withdrawn."),
    )


urlpatterns = [
    path("transfers/", index, name="transfers"),
    path("transfers/<int:pk>/", detail, name="transfer_detail"),
    path("transfers/<int:pk>/accept/", accept, name="transfer_accept"),
    path("transfers/<int:pk>/decline/", decline, name="transfer_decline"),
    path("transfers/<int:pk>/withdraw/", withdraw, name="transfer_withdraw"),
    path("persons/<int:pk>/transfer/", propose, name="transfer_propose"),
]
