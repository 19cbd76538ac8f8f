"""Web pages of referrals: the inbox (incoming and outgoing), one referral, referring, the lifecycle steps,
and the privacy officer's list of referrals resting on a legal basis.

Status codes: a referral or person the member may not see is 404 (rule 1), one they see but may not act on
403; refused input re-renders the page with 422 naming the field and writes nothing; a write redirects (302).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inbeeld.chain import sides
from inbeeld.chain.referrals import actions
from inbeeld.chain.referrals.actions import ReferralAccess, Side
from inbeeld.chain.referrals.forms import DeclineForm, ReferralForm
from inbeeld.chain.referrals.models import Referral
from inbeeld.core import access
from inbeeld.core.audit import Actor
from inbeeld.people.view_support import acting_membership, form_data, form_page, submit

LIST_SIZE = 100


@login_required
@never_cache
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    membership = acting_membership(request)
    referrals = list(actions.referrals_for(membership).order_by("-state_changed_at", "-id")[:LIST_SIZE])
    shown = [actions.with_side(membership, r) for r in referrals]
    sides.record_reads(Actor.from_request(request), shown, data="referral.list")
    context = {
        "boxes": [
            ("incoming", [s for s in shown if s.side is Side.TO]),
            ("outgoing", [s for s in shown if s.side is Side.FROM]),
        ]
    }
    return render(request, "chain/referrals/index.html", context)


def _detail_page(
    request: HttpRequest,
    seen: ReferralAccess,
    *,
    status: int = 200,
    decline_form: DeclineForm | None = None,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    referral = seen.referral
    context = {
        "seen": seen,
        "referral": referral,
        "events": referral.events.select_related("actor", "organisation"),
        "steps": [s for s in seen.next_states if s != Referral.State.DECLINED],
        "decline_form": (decline_form or DeclineForm())
        if Referral.State.DECLINED in seen.next_states
        else None,
        "errors": errors or {},
    }
    return render(request, "chain/referrals/detail.html", context, status=status)


@login_required
@never_cache
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    seen = actions.referral_for(acting_membership(request), pk)
    sides.record_reads(Actor.from_request(request), [seen], data="referral.detail")
    return _detail_page(request, seen)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, pk: int) -> HttpResponse:
    person_access = actions.referrer_for(acting_membership(request), pk)
    person = person_access.person
    actor = Actor.from_request(request)
    if request.method == "GET":
        access.record_shared_read(actor, person_access, (), data="person.lead")
    form = ReferralForm(form_data(request), person_access=person_access)
    referral = submit(request, form, lambda: actions.create(person_access, actor=actor, **form.cleaned_data))
    if referral is not None:
        messages.success(request, _("The referral is saved."))
        return redirect("chain:referral_detail", pk=referral.pk)
    return form_page(
        request,
        {
            "form": form,
            "person": person,
            "title": _("Refer to a service"),
            "intro": _(
                "The referral rests on a consent or a recorded legal basis for the receiving organisation."
            ),
            "submit": _("Save"),
        },
    )


@login_required
@never_cache
@require_POST
def step(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    """One lifecycle step: 403 for the wrong side; a refused step re-renders the page with 422."""
    seen = actions.referral_for(acting_membership(request), pk)
    if to not in actions.TRANSITIONS:
        raise access.not_found()
    decline_form = DeclineForm(request.POST) if to == Referral.State.DECLINED else None
    errors: dict[str, list[str]] = {}
    if decline_form is None or decline_form.is_valid():
        reason = decline_form.cleaned_data["reason"] if decline_form is not None else ""
        try:
            actions.transition(seen, actor=Actor.from_request(request), to=to, reason=reason)
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, _("The referral is updated."))
            return redirect("chain:referral_detail", pk=seen.referral.pk)
    seen = actions.referral_for(acting_membership(request), pk)  # as it is now
    return _detail_page(request, seen, status=422, decline_form=decline_form, errors=errors)


@login_required
@never_cache
@require_GET
def legal_basis(request: HttpRequest) -> HttpResponse:
    referrals = list(
        actions.legal_basis_referrals(acting_membership(request)).order_by("-created_at")[:LIST_SIZE]
    )
    actions.record_privacy_reads(Actor.from_request(request), referrals)
    return render(request, "chain/referrals/legal_basis.html", {"referrals": referrals})


urlpatterns = [
    path("referrals/", index, name="referrals"),
    path("referrals/legal-basis/", legal_basis, name="referrals_legal_basis"),
    path("referrals/<int:pk>/", detail, name="referral_detail"),
    path("referrals/<int:pk>/<slug:to>/", step, name="referral_step"),
    path("persons/<int:pk>/refer/", create, name="referral_create"),
]
