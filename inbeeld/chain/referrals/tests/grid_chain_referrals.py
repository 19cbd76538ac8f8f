"""Permission grid for referrals (issue 6): their pages and API operations.

Policy (``chain.referrals.actions``): a referral is seen by the caseworkers of its two organisations (the
receiver once it is sent); everyone else gets 404 on every referral route (rule 1), coordinators included (a
referral is case content), and privacy officers, volunteers, analysts and admins (rule 4). The receiving
caseworker accepts (the sender gets 403). Referring asks a caseworker with the person's file: other roles who
see the person get 403, those who do not see the person 404. The privacy officer's list of referrals on a
legal basis is theirs alone.

In the grid world organisation A leads and B is not involved; the person consents to B receiving the care
plan: the grid referral goes from A to a service of B, sent.
"""

from __future__ import annotations

from collections.abc import Callable

from inbeeld.chain.models import Category, Service
from inbeeld.chain.referrals.models import Referral, ReferralEvent
from inbeeld.people.models import DataCategory
from inbeeld.testing.grid import GridRoute, World, by_role

API = "/api/v1"
OK, CREATED, CHANGED, FORBIDDEN, UNSEEN = 200, 201, 302, 403, 404


def _service(w: World) -> Service:
    service, _ = Service.objects.get_or_create(
        organisation=w.org_b, name="Grid service", defaults={"category": Category.ADDICTION_CARE}
    )
    return service


def _referral(w: World) -> Referral:
    sender = w.member("caseworker", "own")
    referral = Referral.objects.create(
        person=w.person,
        from_organisation=w.org_a,
        referred_by=sender.user,
        service=_service(w),
        to_organisation=w.org_b,
        reason="Grid reason",
        shared_categories=[DataCategory.CARE_PLAN],
        consent=w.consent,
        handover_note="Grid handover",
        state=Referral.State.SENT,
    )
    ReferralEvent.objects.create(
        referral=referral, state=Referral.State.SENT, actor=sender.user, organisation=w.org_a
    )
    return referral


def _referral_pk(w: World) -> dict[str, object]:
    return {"pk": _referral(w).pk, "to": Referral.State.ACCEPTED}


def _new(w: World) -> dict[str, object]:
    return {
        "service": _service(w).pk,
        "reason": "Grid reason",
        "urgency": "normal",
        "shared_categories": [DataCategory.CARE_PLAN],
        "consent": w.consent.pk,
        "handover_note": "Grid handover",
        "send": True,
    }


_SEE = {"caseworker": (OK, OK)}
_ACCEPT = {"caseworker": (FORBIDDEN, CHANGED)}
_REFER = {
    "caseworker": (CHANGED, UNSEEN),
    "coordinator": (FORBIDDEN, FORBIDDEN),
    "outreach": (FORBIDDEN, UNSEEN),
    "host": (FORBIDDEN, UNSEEN),
    "shelter_coordinator": (FORBIDDEN, UNSEEN),
}


def _api(expect: dict[str, tuple[int, int]], status: int) -> dict[str, tuple[int, int]]:
    def cell(code: int) -> int:
        return status if code == CHANGED else code

    return {role: (cell(own), cell(other)) for role, (own, other) in expect.items()}


def _referral_path(suffix: str = "") -> Callable[[World], str]:
    return lambda w: f"{API}/referrals/{_referral(w).pk}{suffix}"


ROUTES = [
    GridRoute("chain:referrals", by_role(**_SEE)),
    GridRoute("chain:referrals_legal_basis", by_role(privacy_officer=(OK, OK))),
    GridRoute("chain:referral_detail", by_role(**_SEE), kwargs=lambda w: {"pk": _referral(w).pk}),
    GridRoute("chain:referral_step", by_role(**_ACCEPT), method="POST", kwargs=_referral_pk),
    GridRoute(
        "chain:referral_create",
        by_role(**_REFER),
        method="POST",
        kwargs=lambda w: {"pk": w.person.pk},
        data=_new,
    ),
    GridRoute(
        "POST /api/v1/persons/{person_id}/referrals",
        by_role(anonymous=401, **_api(_REFER, CREATED)),
        method="POST",
        json=True,
        path=lambda w: f"{API}/persons/{w.person.pk}/referrals",
        data=_new,
    ),
    GridRoute("GET /api/v1/referrals", by_role(anonymous=401, **_SEE), path=lambda w: f"{API}/referrals"),
    GridRoute("GET /api/v1/referrals/{referral_id}", by_role(anonymous=401, **_SEE), path=_referral_path()),
    GridRoute(
        "POST /api/v1/referrals/{referral_id}/steps",
        by_role(anonymous=401, **_api(_ACCEPT, OK)),
        method="POST",
        json=True,
        path=_referral_path("/steps"),
        data=lambda w: {"to": Referral.State.ACCEPTED},
    ),
]
