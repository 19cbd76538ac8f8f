"""The radar rule "referral waiting": quiet on day 6, amber on day 7, red on day 14, cleared on answering."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from inbeeld.chain.referrals import actions
from inbeeld.chain.referrals.models import Referral
from inbeeld.chain.referrals.tests.helpers import actor_for, consent_for, refer, service_of
from inbeeld.people.models import Person
from inbeeld.radar import rules
from inbeeld.radar.actions.run import run_radar
from inbeeld.radar.models import Colour, RuleSetting, Signal

pytestmark = pytest.mark.django_db
RULE = "referral_waiting"
SENT_ON = timezone.localdate() - datetime.timedelta(days=30)


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def sent(member, person, org_b):
    Person.objects.filter(pk=person.pk).update(registered_at=_noon(SENT_ON - datetime.timedelta(days=60)))
    referral = refer(member, person, service_of(org_b), consent_for(person, org_b))
    referral.events.update(at=_noon(SENT_ON))
    return referral


def _signal(referral: Referral, after_days: int) -> Signal | None:
    run_radar(referral.person.network, as_of=SENT_ON + datetime.timedelta(days=after_days))
    return Signal.objects.filter(person=referral.person, rule=RULE, state=Signal.State.OPEN).first()


def test_registered_with_defaults():
    rule = rules.get(RULE)
    assert rule is not None
    assert (rule.default_amber, rule.default_red) == (7, 14)


def test_day_6_nothing_day_7_amber_day_14_red(sent):
    assert _signal(sent, 6) is None
    amber = _signal(sent, 7)
    assert amber is not None and amber.severity == Colour.AMBER and amber.anchor == str(sent.pk)
    red = _signal(sent, 14)
    assert red is not None and red.severity == Colour.RED and red.pk == amber.pk


def test_cleared_when_the_referral_leaves_sent(sent, outsider):
    assert _signal(sent, 8) is not None
    seen = actions.referral_for(outsider, sent.pk)
    actions.transition(seen, actor=actor_for(outsider), to=Referral.State.ACCEPTED)
    sent.events.filter(state=Referral.State.ACCEPTED).update(at=_noon(SENT_ON + datetime.timedelta(days=9)))
    assert _signal(sent, 10) is None
    assert _signal(sent, 8) is not None, "as of day 8 it was still waiting"


def test_threshold_is_configurable(sent):
    RuleSetting.objects.create(
        network=sent.person.network, rule=RULE, enabled=True, amber_at=3, red_at=5, escalate_after_days=3
    )
    assert _signal(sent, 2) is None
    signal = _signal(sent, 3)
    assert signal is not None and signal.severity == Colour.AMBER
