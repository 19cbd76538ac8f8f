"""The transfer-of-lead API: propose, list (incoming and outgoing), one transfer, accept, decline, withdraw.

The same rules as the web pages (``chain.transfers.actions``): a person or transfer the caller may not see
is 404, one they see but may not act on 403; refused values are 422 naming the field.
"""

# No "from __future__ import annotations": ninja reads the views' annotations at runtime.

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from inbeeld.chain import sides
from inbeeld.chain.transfers import actions
from inbeeld.chain.transfers.actions import Side, TransferAccess
from inbeeld.chain.transfers.schemas import AcceptIn, DeclineIn, ProposeIn, TransferOut, WithdrawIn
from inbeeld.core.api import actor, errors, membership_of
from inbeeld.core.models import Organisation, User

router = Router(tags=["chain"])
ERRORS = errors(401, 403, 404, 422)
LIST_SIZE = 100
Direction = Literal["incoming", "outgoing", "network"]
_DIRECTION: dict[Side, Direction] = {Side.TO: "incoming", Side.FROM: "outgoing", Side.NETWORK: "network"}


def _out(seen: TransferAccess) -> dict[str, Any]:
    t = seen.transfer
    return {
        "id": t.pk,
        "person_id": t.person_id,
        "roepnaam": t.person.roepnaam,
        "direction": _DIRECTION[seen.side],
        "from_organisation_id": t.from_organisation_id,
        "from_key_worker_id": t.from_key_worker_id,
        "to_organisation_id": t.to_organisation_id,
        "to_key_worker_id": t.to_key_worker_id,
        "state": t.state,
        "proposed_at": t.proposed_at,
        "decided_at": t.decided_at,
        "handover_note": t.handover_note if seen.sees_note else None,
        "decline_reason": t.decline_reason if seen.sees_note else None,
    }


def _after(request: HttpRequest, transfer_id: int) -> dict[str, Any]:
    return _out(actions.transfer_for(membership_of(request), transfer_id))


@router.post(
    "/persons/{person_id}/lead-transfers",
    response={201: TransferOut, **ERRORS},
    summary="Propose that another organisation of the network takes over the lead, with a handover note",
)
def propose(request: HttpRequest, person_id: int, payload: ProposeIn) -> Status[dict[str, Any]]:
    person_access = actions.proposer_for(membership_of(request), person_id)
    transfer = actions.propose(
        person_access,
        actor=actor(request),
        to_organisation=Organisation.objects.filter(pk=payload.to_organisation).first(),
        handover_note=payload.handover_note,
    )
    return Status(201, _after(request, transfer.pk))


@router.get(
    "/lead-transfers",
    response={200: list[TransferOut], **ERRORS},
    summary="Transfers of lead to and from the caller's organisation (a coordinator: the network's)",
)
def list_transfers(request: HttpRequest, direction: Direction | None = None) -> list[dict[str, Any]]:
    membership = membership_of(request)
    transfers = actions.transfers_for(membership).order_by("-proposed_at", "-id")[:LIST_SIZE]
    shown = [actions.with_side(membership, t) for t in transfers]  # type: ignore[arg-type]
    if direction is not None:
        shown = [s for s in shown if _DIRECTION[s.side] == direction]
    sides.record_reads(actor(request), shown, data="lead_transfer.api")
    return [_out(s) for s in shown]


@router.get(
    "/lead-transfers/{transfer_id}",
    response={200: TransferOut, **ERRORS},
    summary="One transfer of lead",
)
def get_transfer(request: HttpRequest, transfer_id: int) -> dict[str, Any]:
    seen = actions.transfer_for(membership_of(request), transfer_id)
    sides.record_reads(actor(request), [seen], data="lead_transfer.api")
    return _out(seen)


def _receiving(request: HttpRequest, transfer_id: int) -> TransferAccess:
    seen = actions.transfer_for(membership_of(request), transfer_id)
    if seen.side is not Side.TO:
        raise PermissionDenied(_("Only the receiving organisation accepts or declines a transfer."))
    return seen


@router.post(
    "/lead-transfers/{transfer_id}/accept",
    response={200: TransferOut, **ERRORS},
    summary="Accept (the receiving organisation): it becomes involved and leads, with the chosen key worker",
)
def accept(request: HttpRequest, transfer_id: int, payload: AcceptIn) -> dict[str, Any]:
    seen = _receiving(request, transfer_id)
    key_worker = User.objects.filter(pk=payload.to_key_worker).first()
    actions.accept(seen, actor=actor(request), to_key_worker=key_worker)
    return _after(request, transfer_id)


@router.post(
    "/lead-transfers/{transfer_id}/decline",
    response={200: TransferOut, **ERRORS},
    summary="Decline (the receiving organisation), with a reason",
)
def decline(request: HttpRequest, transfer_id: int, payload: DeclineIn) -> dict[str, Any]:
    actions.decline(_receiving(request, transfer_id), actor=actor(request), reason=payload.reason)
    return _after(request, transfer_id)


@router.post(
    "/lead-transfers/{transfer_id}/withdraw",
    response={200: TransferOut, **ERRORS},
    summary="Withdraw an open proposal (the proposing side or a network coordinator)",
)
def withdraw(request: HttpRequest, transfer_id: int, payload: WithdrawIn) -> dict[str, Any]:
    actions.withdraw(actions.transfer_for(membership_of(request), transfer_id), actor=actor(request))
    return _after(request, transfer_id)
