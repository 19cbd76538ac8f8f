"""What the referral tests share: a service of the clinic, a consent for it, a referral by A's caseworker."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from inbeeld.chain.models import Category, Service
from inbeeld.chain.referrals import actions
from inbeeld.chain.referrals.models import Referral
from inbeeld.chain.transfers.tests.helpers import actor_for, events
from inbeeld.core.models import Membership, Organisation
from inbeeld.people.models import Consent, DataCategory, Person
from inbeeld.testing import factories as f

REASON = "Wil graag in behandeling voor gebruik (verzonnen testtekst)."
NOTE = "Warme overdracht: belt liever niet, spreek af in de huiskamer (verzonnen testtekst)."
SHARED = [DataCategory.HEALTH]

__all__ = ["NOTE", "REASON", "actor_for", "consent_for", "events", "refer", "service_of"]


def service_of(organisation: Organisation, name: str = "Verslavingszorg Test") -> Service:
    return Service.objects.create(organisation=organisation, name=name, category=Category.ADDICTION_CARE)


def consent_for(
    person: Person,
    recipient: Organisation,
    *,
    categories: list[str] | None = None,
    basis: str = Consent.Basis.CONSENT,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> Consent:
    recorder = Membership.objects.filter(organisation=person.lead_organisation).first()
    assert recorder is not None
    return f.ConsentFactory(
        person=person,
        recipient=recipient,
        purpose=Consent.Purpose.REFERRAL,
        data_categories=categories
        if categories is not None
        else [DataCategory.HEALTH, DataCategory.CARE_PLAN],
        basis=basis,
        valid_from=valid_from or timezone.localdate() - datetime.timedelta(days=30),
        valid_to=valid_to,
        recorded_by=recorder.user,
        recorded_by_organisation=recorder.organisation,
    )


def refer(
    membership: Membership, person: Person, service: Service, consent: Consent | None, **extra: Any
) -> Referral:
    values: dict[str, Any] = {
        "reason": REASON,
        "urgency": Referral.Urgency.HIGH,
        "shared_categories": SHARED,
        "handover_note": NOTE,
        "send": True,
    }
    values.update(extra)
    person_access = actions.referrer_for(membership, person.pk)
    return actions.create(
        person_access, actor=actor_for(membership), service=service, consent=consent, **values
    )
