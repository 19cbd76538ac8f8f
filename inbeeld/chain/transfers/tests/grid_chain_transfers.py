"""Permission grid for transfers of lead (issue 6): their pages and API operations.

Policy (``chain.transfers.actions``): a transfer is seen by the caseworkers of its two organisations and by
the network's coordinators; everyone else gets 404 on every transfer route (rule 1), privacy officers,
volunteers, analysts and admins included (rule 4). The receiving caseworker accepts or declines, the sending
side (or a coordinator) withdraws; the others who see the transfer get 403. Proposing asks
``Need.ASSIGN_LEAD``: the lead organisation's caseworker or a coordinator; those who see the person but may
not assign its lead get 403, those who do not see the person 404.

In the grid world organisation A leads and B is not involved: the grid transfer goes from A to B.
"""

from __future__ import annotations

from collections.abc import Callable

from inbeeld.chain.transfers.models import LeadTransfer
from inbeeld.testing.grid import GridRoute, World, by_role

API = "/api/v1"
OK, CREATED, CHANGED, FORBIDDEN, UNSEEN = 200, 201, 302, 403, 404


def _transfer(w: World) -> LeadTransfer:
    return LeadTransfer.objects.create(
        person=w.person,
        from_organisation=w.org_a,
        from_key_worker=w.person.key_worker,
        to_organisation=w.org_b,
        handover_note="Grid handover",
        proposed_by=w.member("caseworker", "own").user,
        proposed_by_organisation=w.org_a,
    )


def _transfer_pk(w: World) -> dict[str, int]:
    return {"pk": _transfer(w).pk}


def _proposal(w: World) -> dict[str, object]:
    return {"to_organisation": w.org_b.pk, "handover_note": "Grid handover"}


def _acceptance(w: World) -> dict[str, object]:
    return {"to_key_worker": w.member("caseworker", "other").user.pk}


_SEE = {"caseworker": (OK, OK), "coordinator": (OK, OK)}
_DECIDE = {"caseworker": (FORBIDDEN, CHANGED), "coordinator": (FORBIDDEN, FORBIDDEN)}
_WITHDRAW = {"caseworker": (CHANGED, FORBIDDEN), "coordinator": (CHANGED, CHANGED)}
_PROPOSE = {
    "caseworker": (CHANGED, UNSEEN),
    "coordinator": (CHANGED, CHANGED),
    "outreach": (FORBIDDEN, UNSEEN),
    "host": (FORBIDDEN, UNSEEN),
    "shelter_coordinator": (FORBIDDEN, UNSEEN),
}


def _api(expect: dict[str, tuple[int, int]], status: int) -> dict[str, tuple[int, int]]:
    """The API answers a write with ``status`` where the web page redirects."""

    def cell(code: int) -> int:
        return status if code == CHANGED else code

    return {role: (cell(own), cell(other)) for role, (own, other) in expect.items()}


def _transfer_path(suffix: str = "") -> Callable[[World], str]:
    return lambda w: f"{API}/lead-transfers/{_transfer(w).pk}{suffix}"


ROUTES = [
    GridRoute("chain:transfers", by_role(**_SEE)),
    GridRoute("chain:transfer_detail", by_role(**_SEE), kwargs=_transfer_pk),
    GridRoute(
        "chain:transfer_accept", by_role(**_DECIDE), method="POST", kwargs=_transfer_pk, data=_acceptance
    ),
    GridRoute(
        "chain:transfer_decline",
        by_role(**_DECIDE),
        method="POST",
        kwargs=_transfer_pk,
        data=lambda w: {"reason": "Grid reason"},
    ),
    GridRoute("chain:transfer_withdraw", by_role(**_WITHDRAW), method="POST", kwargs=_transfer_pk),
    GridRoute(
        "chain:transfer_propose",
        by_role(**_PROPOSE),
        method="POST",
        kwargs=lambda w: {"pk": w.person.pk},
        data=_proposal,
    ),
    GridRoute(
        "POST /api/v1/persons/{person_id}/lead-transfers",
        by_role(anonymous=401, **_api(_PROPOSE, CREATED)),
        method="POST",
        json=True,
        path=lambda w: f"{API}/persons/{w.person.pk}/lead-transfers",
        data=_proposal,
    ),
    GridRoute(
        "GET /api/v1/lead-transfers", by_role(anonymous=401, **_SEE), path=lambda w: f"{API}/lead-transfers"
    ),
    GridRoute(
        "GET /api/v1/lead-transfers/{transfer_id}",
        by_role(anonymous=401, **_SEE),
        path=_transfer_path(),
    ),
    GridRoute(
        "POST /api/v1/lead-transfers/{transfer_id}/accept",
        by_role(anonymous=401, **_api(_DECIDE, OK)),
        method="POST",
        json=True,
        path=_transfer_path("/accept"),
        data=_acceptance,
    ),
    GridRoute(
        "POST /api/v1/lead-transfers/{transfer_id}/decline",
        by_role(anonymous=401, **_api(_DECIDE, OK)),
        method="POST",
        json=True,
        path=_transfer_path("/decline"),
        data=lambda w: {"reason": "Grid reason"},
    ),
    GridRoute(
        "POST /api/v1/lead-transfers/{transfer_id}/withdraw",
        by_role(anonymous=401, **_api(_WITHDRAW, OK)),
        method="POST",
        json=True,
        path=_transfer_path("/withdraw"),
        data=lambda w: {},
    ),
]
