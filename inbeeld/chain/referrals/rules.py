"""The radar rule "referral waiting": a referral sent but not answered for a number of days.

The referral's state on the snapshot day comes from its events, so the radar can run "as of" any day. The
signal is anchored on the referral; it clears when the referral leaves "sent" (accepted, declined, withdrawn).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.chain.referrals.models import Referral, ReferralEvent
from inbeeld.radar.rules import Finding, Rule, Threshold, register
from inbeeld.radar.rules_builtin import NOT_FOLLOWED, _day, _days, _since
from inbeeld.radar.snapshot import local_date

if TYPE_CHECKING:
    from inbeeld.radar.snapshot import Snapshot


class ReferralWaiting(Rule):
    key = "referral_waiting"
    label = gettext_lazy("Referral waiting")
    description = gettext_lazy(
        "A referral was sent and not yet answered: amber after {amber} days, red after {red} days."
    )
    default_amber, default_red = 7, 14

    def evaluate(self, snapshot: Snapshot, threshold: Threshold) -> Iterator[Finding]:
        rows = ReferralEvent.objects.filter(
            referral__person__network=snapshot.network, at__lte=snapshot.end
        ).order_by("referral_id", "at", "id")
        last: dict[int, tuple[str, datetime.datetime, int]] = {}
        for referral_id, state, at, person_id in rows.values_list(
            "referral_id", "state", "at", "referral__person_id"
        ).iterator(chunk_size=5000):
            last[referral_id] = (state, at, person_id)
        for referral_id, (state, at, person_id) in last.items():
            person = snapshot.persons.get(person_id)
            if state != Referral.State.SENT or person is None or person.status in NOT_FOLLOWED:
                continue
            sent_on = local_date(at)
            severity = threshold.severity((snapshot.as_of - sent_on).days, self.unit)
            if severity is not None:
                yield self.finding(person_id, referral_id, severity, sent_on=sent_on.isoformat())

    def reason(self, facts: dict[str, Any], on: datetime.date) -> str:
        return _("A referral sent on %(date)s has not been answered (%(days)s).") % {
            "date": _day(facts["sent_on"]),
            "days": _days(_since(facts["sent_on"], on)),
        }


register(ReferralWaiting())
