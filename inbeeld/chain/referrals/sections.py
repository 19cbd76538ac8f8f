"""The person page's "Referrals": the person's referrals the viewer sees, and the link to refer.

Shown to the caseworkers of the referrals' organisations and to those who may refer; showing referrals is an
audited read. The handover note is not shown here (it is on the referral's page, for the receiver).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from inbeeld.chain import sides
from inbeeld.chain.referrals import actions
from inbeeld.core import audit
from inbeeld.core.access import PersonAccess
from inbeeld.people import sections

SECTION_SIZE = 20


def referral_section(request: HttpRequest, person_access: PersonAccess) -> str | None:
    membership = person_access.membership
    may_refer = actions.may_refer(person_access)
    shown: list[actions.ReferralAccess] = []
    if actions.may_use_referrals(membership):
        referrals = actions.referrals_for(membership).filter(person=person_access.person)
        shown = [actions.with_side(membership, r) for r in referrals[:SECTION_SIZE]]
    if not shown and not may_refer:
        return None
    if shown:
        sides.record_reads(audit.Actor.from_request(request), shown, data="referral.section")
    context = {"person": person_access.person, "rows": shown, "may_refer": may_refer}
    return render_to_string("chain/referrals/_section.html", context, request=request)


sections.register(sections.Section("referrals", 16, referral_section))
