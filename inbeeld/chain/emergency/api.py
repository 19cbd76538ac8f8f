"""The emergency access API: search and break the glass, one's own grants, the privacy officer's review.

Who may not use an operation gets 404 (rule 1). Reads and writes are audited by ``actions`` and
``presenters`` exactly as for the web pages.
"""

# No "from __future__ import annotations": ninja reads the views' annotations at runtime.

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from inbeeld.chain.emergency import actions, presenters
from inbeeld.chain.emergency.models import EmergencyAccess
from inbeeld.chain.emergency.schemas import (
    BreakGlassIn,
    EmergencyViewOut,
    GrantOut,
    ReviewIn,
    ReviewItemOut,
    SearchIn,
    SearchOut,
)
from inbeeld.core.api import ErrorOut, actor, errors, membership_of

router = Router(tags=["emergency access"])
ERRORS = errors(401, 403, 404, 422)


def _grant_out(grant: EmergencyAccess) -> dict[str, Any]:
    return {
        "id": grant.pk,
        "person_id": grant.person_id,
        "roepnaam": grant.person.roepnaam,
        "reason": grant.reason,
        "granted_at": grant.granted_at,
        "expires_at": grant.expires_at,
        "active": grant.is_active,
        "justified": grant.justified,
    }


def _review_item_out(grant: EmergencyAccess) -> dict[str, Any]:
    return {
        **_grant_out(grant),
        "user_email": grant.user.email,
        "organisation": grant.membership.organisation.name,
        "role": grant.membership.role,
        "reviewed_by": grant.reviewed_by.email if grant.reviewed_by else None,
        "reviewed_at": grant.reviewed_at,
        "review_note": grant.review_note,
    }


@router.post(
    "/emergency-access/search",
    response={200: SearchOut, **ERRORS},
    summary="Search a person for emergency access (audited)",
    description="Exact roepnaam, alias or phone number in your network; results show the roepnaam only.",
)
def search(request: HttpRequest, payload: SearchIn) -> dict[str, Any]:
    result = actions.search(actor(request), reason=payload.reason, text=payload.q)
    return {
        "too_many": result.too_many,
        "results": [
            {
                "person_id": m.person.pk,
                "roepnaam": m.person.roepnaam,
                "sees_normally": m.sees_normally,
                "grant_id": m.grant.pk if m.grant else None,
            }
            for m in result.matches
        ],
    }


@router.post(
    "/emergency-access",
    response={201: GrantOut, **ERRORS},
    summary="Break the glass: 24 hours of a person's radar core and latest care plan",
    description="The person must be found by the same exact search. An active grant is returned as it is.",
)
def break_glass(request: HttpRequest, payload: BreakGlassIn) -> Status[dict[str, Any]]:
    grant = actions.break_glass(
        actor(request), reason=payload.reason, text=payload.q, person_id=payload.person_id
    )
    return Status(201, _grant_out(grant))


@router.get(
    "/emergency-access",
    response={200: list[GrantOut], **ERRORS},
    summary="Your own emergency accesses, newest first",
)
def own_grants(request: HttpRequest) -> list[dict[str, Any]]:
    return [_grant_out(g) for g in presenters.own_grants(actor(request))]


@router.get(
    "/emergency-access/reviews",
    response={200: list[ReviewItemOut], **ERRORS},
    summary="The privacy officer's review queue: every emergency access in the network, unreviewed first",
)
def review_queue(request: HttpRequest) -> list[dict[str, Any]]:
    grants = list(presenters.review_queue(membership_of(request))[: presenters.REVIEW_PAGE_SIZE])
    presenters.record_review_read(actor(request), grants, data="emergency_access.reviews")
    return [_review_item_out(g) for g in grants]


@router.get(
    "/emergency-access/{grant_id}",
    response={200: EmergencyViewOut, **ERRORS},
    summary="The radar core and latest care plan of your active grant (audited, flagged)",
    description="Only the grant's holder, only while active; afterwards the grant does not exist (404).",
)
def emergency_view(request: HttpRequest, grant_id: int) -> dict[str, Any]:
    view = presenters.open_emergency(actor(request), grant_id)
    person = view.person_access.person
    return {
        "grant": _grant_out(view.grant),
        "status": person.status,
        "status_label": person.get_status_display(),
        "lead_organisation": person.lead_organisation.name if person.lead_organisation else None,
        "key_worker": str(person.key_worker) if person.key_worker else None,
        "plan_organisation": view.plan.organisation.name if view.plan is not None else None,
        "latest_plan": view.version,
    }


@router.post(
    "/emergency-access/{grant_id}/review",
    response={200: ReviewItemOut, 409: ErrorOut, **ERRORS},
    summary="Mark an emergency access justified or not (privacy officer)",
    description="`review_note` is required when not justified. A reviewed access keeps its verdict (409).",
)
def review(request: HttpRequest, grant_id: int, payload: ReviewIn) -> Any:
    grant = presenters.grant_for_review(membership_of(request), grant_id)
    try:
        grant = actions.review(actor(request), grant, justified=payload.justified, note=payload.review_note)
    except actions.AlreadyReviewed:
        return Status(409, {"detail": _("This emergency access is already reviewed.")})
    return _review_item_out(presenters.grant_for_review(membership_of(request), grant.pk))
