"""Transfer of lead: who sees a transfer, and the writes that propose, accept, decline and withdraw one.

Access (DESIGN.md rules 1–6):
- A transfer is seen by the caseworkers of its two organisations (the sending side ``FROM`` and the
  receiving side ``TO``) and by the network's coordinators (``NETWORK``). Everyone else: 404.
- The handover note and the reason for declining are seen by the two organisations only, never by a
  coordinator, even one who proposed (the note is case content; the coordinator has the radar core).
- Proposing asks ``Need.ASSIGN_LEAD`` of the person (404 / 403 from ``core.access``); a caseworker may
  propose only while their own organisation leads. Privacy officers, volunteers, analysts and admins get
  404 on every transfer route (rule 4).
- The receiving caseworker decides (403 for the others who see the transfer); the sending side or a
  coordinator withdraws. A closed transfer is refused naming ``state``; the row is locked first, so of
  two racing decisions exactly one is executed.
Every read and write records an audit event in its transaction (rule 6).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.chain import sides
from inbeeld.chain.transfers.models import LeadTransfer
from inbeeld.core import access, audit, roles
from inbeeld.core.access import Level, Need, PersonAccess
from inbeeld.core.models import AuditEvent, Membership, Organisation, User
from inbeeld.people import actions as people_actions
from inbeeld.people import validation as v
from inbeeld.people.models import Person

Action = AuditEvent.Action
Basis = AuditEvent.Basis
State = LeadTransfer.State
NOTE_MAX = 2000
REASON_MAX = 1000
# Who may see a person at all and might have a say in their lead; privacy officers have no case work.
_MAY_SEE_ROUTES = roles.RADAR_VIEW


class Side(enum.Enum):
    FROM = "from"
    TO = "to"
    NETWORK = "network"


@dataclass(frozen=True)
class TransferAccess:
    transfer: LeadTransfer
    membership: Membership
    side: Side

    @property
    def record(self) -> LeadTransfer:
        return self.transfer

    @property
    def sees_note(self) -> bool:
        return self.side is not Side.NETWORK

    @property
    def may_decide(self) -> bool:
        return self.side is Side.TO and self.transfer.is_open

    @property
    def may_withdraw(self) -> bool:
        return self.side is not Side.TO and self.transfer.is_open

    @property
    def basis(self) -> str:
        if self.side is Side.NETWORK:
            return Basis.NETWORK_ROLE
        involved = access.involved_organisation_ids(self.transfer.person)
        # The receiving side reads the proposal before it is involved: the proposal is its basis.
        return Basis.INVOLVEMENT if self.membership.organisation_id in involved else Basis.TRANSFER


def may_use_transfers(membership: Membership | None) -> bool:
    return (
        membership is not None
        and membership.ended_on is None
        and membership.role in (roles.Role.CASEWORKER, roles.Role.COORDINATOR)
    )


def side_of(membership: Membership, transfer: LeadTransfer) -> Side | None:
    if not may_use_transfers(membership):
        return None
    if membership.role == roles.Role.COORDINATOR:
        same_network = transfer.from_organisation.network_id == membership.organisation.network_id
        return Side.NETWORK if same_network else None
    if membership.organisation_id == transfer.from_organisation_id:
        return Side.FROM
    if membership.organisation_id == transfer.to_organisation_id:
        return Side.TO
    return None


def transfers_for(membership: Membership | None) -> QuerySet[LeadTransfer]:
    """The transfers this member sees: to or from their organisation; a coordinator's whole network."""
    membership = access.require_membership(membership)
    if not may_use_transfers(membership):
        raise access.not_found()
    transfers = LeadTransfer.objects.select_related(
        "person", "from_organisation", "to_organisation", "from_key_worker", "to_key_worker"
    )
    if membership.role == roles.Role.COORDINATOR:
        return transfers.filter(person__network_id=membership.organisation.network_id)
    own = membership.organisation_id
    return transfers.filter(Q(from_organisation_id=own) | Q(to_organisation_id=own))


def with_side(membership: Membership, transfer: LeadTransfer) -> TransferAccess:
    side = side_of(membership, transfer)
    if side is None:
        raise access.not_found()
    return TransferAccess(transfer, membership, side)


def transfer_for(membership: Membership | None, pk: int | str) -> TransferAccess:
    transfer = sides.one_of(transfers_for(membership), pk)
    assert membership is not None  # transfers_for refused anyone else
    return with_side(membership, transfer)


def open_transfer_of(person: Person) -> LeadTransfer | None:
    return (
        LeadTransfer.objects.filter(person=person, state=State.PROPOSED)
        .select_related("person", "from_organisation", "to_organisation", "from_key_worker")
        .first()
    )


def may_propose(person_access: PersonAccess) -> bool:
    if not person_access.allows(Need.ASSIGN_LEAD) or person_access.person.lead_organisation_id is None:
        return False
    if person_access.role == roles.Role.COORDINATOR:
        return True
    return person_access.own_organisation_id == person_access.person.lead_organisation_id


def proposer_for(membership: Membership | None, person_id: int | str) -> PersonAccess:
    """The person as the member may propose their transfer: 404 when not visible, 403 when not allowed."""
    membership = access.require_membership(membership)
    if membership.role not in _MAY_SEE_ROUTES:
        raise access.not_found()
    person_access = access.person_for(membership, person_id, Need.ASSIGN_LEAD)
    if not may_propose(person_access):
        raise PermissionDenied(_("Only the lead organisation or the network coordinator may propose this."))
    return person_access


def receiving_organisations(person: Person) -> QuerySet[Organisation]:
    organisations = Organisation.objects.filter(network_id=person.network_id).order_by("name")
    if person.lead_organisation_id is not None:
        organisations = organisations.exclude(pk=person.lead_organisation_id)
    return organisations


def key_workers_of(organisation: Organisation) -> QuerySet[User]:
    """Who may become key worker on accepting: the receiving organisation's active caseworkers."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role=roles.Role.CASEWORKER,
            memberships__ended_on__isnull=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


# --- reads --------------------------------------------------------------------------------------------


# --- writes -------------------------------------------------------------------------------------------


def _record(actor: audit.Actor, seen: TransferAccess, action: str, state: str) -> None:
    audit.record(
        actor,
        action=action,
        data="lead_transfer",
        basis=seen.basis,
        person_id=seen.transfer.person_id,
        object_id=seen.transfer.pk,
        detail={"state": state},
    )


def propose(
    person_access: PersonAccess,
    *,
    actor: audit.Actor,
    to_organisation: Organisation | None,
    handover_note: str,
) -> LeadTransfer:
    """The sending side's confirmation: propose that ``to_organisation`` takes over the lead."""
    if not may_propose(person_access):
        raise PermissionDenied(_("Only the lead organisation or the network coordinator may propose this."))
    person = person_access.person
    if to_organisation is None or to_organisation.network_id != person.network_id:
        raise ValidationError({"to_organisation": _("Choose an organisation of this network.")})
    if to_organisation.pk == person.lead_organisation_id:
        raise ValidationError({"to_organisation": _("This organisation already leads.")})
    note = v.clean_text(handover_note, field="handover_note", max_length=NOTE_MAX)
    if not note:
        raise ValidationError({"handover_note": _("Write a handover note for the receiving organisation.")})
    try:
        with transaction.atomic():
            locked = Person.objects.select_for_update().get(pk=person.pk)
            lead_id = locked.lead_organisation_id
            if lead_id is None or lead_id != person.lead_organisation_id:
                raise ValidationError({"to_organisation": _("The lead changed meanwhile; look again.")})
            if LeadTransfer.objects.filter(person=locked, state=State.PROPOSED).exists():
                raise IntegrityError("open transfer")
            transfer = LeadTransfer.objects.create(
                person=locked,
                from_organisation_id=lead_id,
                from_key_worker_id=locked.key_worker_id,
                to_organisation=to_organisation,
                handover_note=note,
                proposed_by=actor.user,
                proposed_by_organisation_id=person_access.own_organisation_id,
            )
            seen = with_side(person_access.membership, transfer)
            _record(actor, seen, Action.CREATE, State.PROPOSED)
    except IntegrityError:
        raise ValidationError(
            {"to_organisation": _("A transfer of this person is already waiting for an answer.")}
        ) from None
    return transfer


def _lock_open(seen: TransferAccess) -> LeadTransfer:
    """The transfer, locked for this transaction, still open; a closed one is refused naming ``state``."""
    transfer = LeadTransfer.objects.select_for_update().get(pk=seen.transfer.pk)
    if not transfer.is_open:
        raise ValidationError({"state": _("This transfer has already been closed.")})
    return transfer


def _close(
    seen: TransferAccess, transfer: LeadTransfer, *, actor: audit.Actor, state: str, fields: list[str]
) -> LeadTransfer:
    transfer.state = state
    transfer.decided_by = actor.user
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["state", "decided_by", "decided_at", *fields])
    _record(actor, TransferAccess(transfer, seen.membership, seen.side), Action.UPDATE, state)
    return transfer


def accept(seen: TransferAccess, *, actor: audit.Actor, to_key_worker: User | None) -> LeadTransfer:
    """The receiving side's confirmation: it becomes involved (if it was not) and leads, with a key worker."""
    if seen.side is not Side.TO:
        raise PermissionDenied(_("Only the receiving organisation accepts or declines a transfer."))
    receiving = seen.transfer.to_organisation
    if to_key_worker is None or not key_workers_of(receiving).filter(pk=to_key_worker.pk).exists():
        raise ValidationError(
            {"to_key_worker": _("The key worker must be a caseworker of the receiving organisation.")}
        )
    with transaction.atomic():
        transfer = _lock_open(seen)
        person = Person.objects.select_for_update().get(pk=transfer.person_id)
        if person.lead_organisation_id != transfer.from_organisation_id:
            raise ValidationError({"state": _("The lead changed since the proposal; it no longer applies.")})
        basis = seen.basis
        # From here on the receiving caseworker holds the file: the transfer is the basis of these writes.
        receiver = PersonAccess(person=person, membership=seen.membership, level=Level.FILE, basis=basis)
        if receiving.pk not in access.involved_organisation_ids(person):
            people_actions.add_involvement(
                receiver,
                actor=actor,
                organisation=receiving,
                started_on=timezone.localdate(),
                reason=_("Transfer of lead"),
            )
        people_actions.assign_lead(
            receiver, actor=actor, lead_organisation=receiving, key_worker=to_key_worker
        )
        transfer.to_key_worker = to_key_worker
        return _close(seen, transfer, actor=actor, state=State.ACCEPTED, fields=["to_key_worker"])


def decline(seen: TransferAccess, *, actor: audit.Actor, reason: str) -> LeadTransfer:
    if seen.side is not Side.TO:
        raise PermissionDenied(_("Only the receiving organisation accepts or declines a transfer."))
    reason = v.clean_text(reason, field="reason", max_length=REASON_MAX)
    if not reason:
        raise ValidationError({"reason": _("Say why the transfer is declined.")})
    with transaction.atomic():
        transfer = _lock_open(seen)
        transfer.decline_reason = reason
        return _close(seen, transfer, actor=actor, state=State.DECLINED, fields=["decline_reason"])


def withdraw(seen: TransferAccess, *, actor: audit.Actor) -> LeadTransfer:
    if seen.side is Side.TO:
        raise PermissionDenied(_("Only the proposing side withdraws a transfer."))
    with transaction.atomic():
        transfer = _lock_open(seen)
        return _close(seen, transfer, actor=actor, state=State.WITHDRAWN, fields=[])
