"""What the transfer tests share: the receiving side, a proposal, the audit events of a person."""

from __future__ import annotations

from inbeeld.chain.transfers import actions
from inbeeld.chain.transfers.models import LeadTransfer
from inbeeld.core.audit import Actor
from inbeeld.core.models import AuditEvent, Membership, Organisation
from inbeeld.people.models import Person

NOTE = "Overdracht: voorkeur voor afspraken op dinsdag (verzonnen testtekst)."


def actor_for(membership: Membership) -> Actor:
    return Actor(user=membership.user, membership=membership, source="test")


def propose(membership: Membership, person: Person, to: Organisation, note: str = NOTE) -> LeadTransfer:
    person_access = actions.proposer_for(membership, person.pk)
    return actions.propose(person_access, actor=actor_for(membership), to_organisation=to, handover_note=note)


def events(person: Person, data: str, **filters: object) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(person_id_snapshot=person.pk, data=data, **filters).order_by("id"))
