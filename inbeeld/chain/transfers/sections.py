"""The person page's "Transfer of lead": the open transfer, or the link to propose one.

Shown to those who see transfers of this person (the caseworkers of its two organisations, the network's
coordinators) and to those who may propose one. The handover note only to the two organisations; showing an
open transfer is an audited read. Nothing shows, and nothing is recorded, for anyone else.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from inbeeld.chain import sides
from inbeeld.chain.transfers import actions
from inbeeld.core import audit
from inbeeld.core.access import PersonAccess
from inbeeld.people import sections


def transfer_section(request: HttpRequest, person_access: PersonAccess) -> str | None:
    person = person_access.person
    transfer = actions.open_transfer_of(person)
    seen = None
    if transfer is not None:
        side = actions.side_of(person_access.membership, transfer)
        seen = actions.TransferAccess(transfer, person_access.membership, side) if side else None
    may_propose = transfer is None and actions.may_propose(person_access)
    if seen is None and not may_propose:
        return None
    if seen is not None:
        sides.record_reads(audit.Actor.from_request(request), [seen], data="lead_transfer.section")
    context = {"person": person, "seen": seen, "may_propose": may_propose}
    return render_to_string("chain/transfers/_section.html", context, request=request)


sections.register(sections.Section("lead_transfer", 15, transfer_section))
