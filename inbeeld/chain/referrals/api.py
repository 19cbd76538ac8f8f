"""The referral API: refer, list (incoming and outgoing), one referral, a lifecycle step.

The same rules as the web pages (``chain.referrals.actions``): a person or referral the caller may not see is
404, one they see but may not act on 403; refused values are 422 naming the field.
"""

# No "from __future__ import annotations": ninja reads the views' annotations at runtime.

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Status

from inbeeld.chain import sides
from inbeeld.chain.models import Service
from inbeeld.chain.referrals import actions
from inbeeld.chain.referrals.actions import ReferralAccess, Side
from inbeeld.chain.referrals.schemas import ReferralIn, ReferralOut, StepIn
from inbeeld.core.api import actor, errors, membership_of
from inbeeld.people.models import Consent

router = Router(tags=["chain"])
ERRORS = errors(401, 403, 404, 422)
LIST_SIZE = 100
Direction = Literal["incoming", "outgoing"]
_DIRECTION: dict[Side, Direction] = {Side.TO: "incoming", Side.FROM: "outgoing"}


def _out(seen: ReferralAccess) -> dict[str, Any]:
    r = seen.referral
    return {
        "id": r.pk,
        "person_id": r.person_id,
        "roepnaam": r.person.roepnaam,
        "direction": _DIRECTION[seen.side],
        "from_organisation_id": r.from_organisation_id,
        "service_id": r.service_id,
        "to_organisation_id": r.to_organisation_id,
        "urgency": r.urgency,
        "reason": r.reason,
        "shared_categories": r.shared_categories,
        "consent_id": r.consent_id,
        "legal_basis": r.on_legal_basis,
        "state": r.state,
        "state_changed_at": r.state_changed_at,
        "handover_note": r.handover_note if seen.sees_note else None,
        "decline_reason": r.decline_reason,
        "events": list(r.events.values("state", "at", "actor_id", "organisation_id")),
    }


def _after(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    return _out(actions.referral_for(membership_of(request), referral_id))


@router.post(
    "/persons/{person_id}/referrals",
    response={201: ReferralOut, **ERRORS},
    summary="Refer the person to a partner service (a draft, or sent at once)",
)
def create(request: HttpRequest, person_id: int, payload: ReferralIn) -> Status[dict[str, Any]]:
    person_access = actions.referrer_for(membership_of(request), person_id)
    consent = None
    if payload.consent is not None:
        consent = Consent.objects.filter(pk=payload.consent, person_id=person_access.person.pk).first()
    referral = actions.create(
        person_access,
        actor=actor(request),
        service=Service.objects.filter(pk=payload.service).select_related("organisation").first(),
        reason=payload.reason,
        urgency=payload.urgency,
        shared_categories=[str(c) for c in payload.shared_categories],
        consent=consent,
        handover_note=payload.handover_note,
        send=payload.send,
    )
    return Status(201, _after(request, referral.pk))


@router.get(
    "/referrals",
    response={200: list[ReferralOut], **ERRORS},
    summary="Referrals from the caller's organisation and sent to it",
)
def list_referrals(request: HttpRequest, direction: Direction | None = None) -> list[dict[str, Any]]:
    membership = membership_of(request)
    referrals = actions.referrals_for(membership).order_by("-state_changed_at", "-id")[:LIST_SIZE]
    shown = [actions.with_side(membership, r) for r in referrals]  # type: ignore[arg-type]
    if direction is not None:
        shown = [s for s in shown if _DIRECTION[s.side] == direction]
    sides.record_reads(actor(request), shown, data="referral.api")
    return [_out(s) for s in shown]


@router.get("/referrals/{referral_id}", response={200: ReferralOut, **ERRORS}, summary="One referral")
def get_referral(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    seen = actions.referral_for(membership_of(request), referral_id)
    sides.record_reads(actor(request), [seen], data="referral.api")
    return _out(seen)


@router.post(
    "/referrals/{referral_id}/steps",
    response={200: ReferralOut, **ERRORS},
    summary="A lifecycle step: the sender sends or withdraws; the receiver accepts, declines (with a "
    "reason), starts, completes or drops",
)
def step(request: HttpRequest, referral_id: int, payload: StepIn) -> dict[str, Any]:
    seen = actions.referral_for(membership_of(request), referral_id)
    actions.transition(seen, actor=actor(request), to=payload.to, reason=payload.reason)
    return _after(request, referral_id)
