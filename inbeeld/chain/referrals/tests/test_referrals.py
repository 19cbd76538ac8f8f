"""Referrals through the write functions: lifecycle with events, illegal steps and consents refused."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from inbeeld.chain.referrals import actions
from inbeeld.chain.referrals.models import Referral
from inbeeld.chain.referrals.tests.helpers import actor_for, consent_for, events, refer, service_of
from inbeeld.core.models import AuditEvent
from inbeeld.people.models import Consent, DataCategory, Involvement

State = Referral.State
pytestmark = pytest.mark.django_db
ALL_STATES = list(State.values)


@pytest.fixture
def service(org_b):
    return service_of(org_b)


@pytest.fixture
def consent(person, org_b):
    return consent_for(person, org_b)


def _step(membership, referral, to, reason=""):
    seen = actions.referral_for(membership, referral.pk)
    return actions.transition(seen, actor=actor_for(membership), to=to, reason=reason)


def test_lifecycle_with_an_event_per_step(member, outsider, person, org_a, org_b, service, consent):
    referral = refer(member, person, service, consent)
    assert (referral.state, referral.from_organisation, referral.to_organisation) == (
        State.SENT,
        org_a,
        org_b,
    )
    assert not Involvement.objects.filter(person=person, organisation=org_b).exists()
    _step(outsider, referral, State.ACCEPTED)
    assert Involvement.objects.filter(person=person, organisation=org_b, ended_on__isnull=True).exists()
    _step(outsider, referral, State.STARTED)
    _step(outsider, referral, State.COMPLETED)
    referral.refresh_from_db()
    assert referral.state == State.COMPLETED
    rows = list(referral.events.values_list("state", "actor_id", "organisation_id", "at"))
    assert [r[:3] for r in rows] == [
        (State.DRAFT, member.user_id, org_a.pk),
        (State.SENT, member.user_id, org_a.pk),
        (State.ACCEPTED, outsider.user_id, org_b.pk),
        (State.STARTED, outsider.user_id, org_b.pk),
        (State.COMPLETED, outsider.user_id, org_b.pk),
    ]
    assert all(r[3] is not None and r[3].date() <= timezone.now().date() for r in rows)
    written = events(person, "referral")
    assert [e.detail["state"] for e in written] == [s for s, *_ in rows]
    assert [e.action for e in written][:2] == [AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE]
    assert written[2].basis == AuditEvent.Basis.CONSENT  # B accepted on the consent
    assert events(person, "involvement", action=AuditEvent.Action.CREATE)


def test_accepting_keeps_an_existing_involvement(member, outsider, person, org_b, service, consent):
    Involvement.objects.create(person=person, organisation=org_b, started_on=datetime.date(2020, 1, 1))
    referral = refer(member, person, service, consent)
    _step(outsider, referral, State.ACCEPTED)
    assert Involvement.objects.filter(person=person, organisation=org_b).count() == 1


def test_decline_needs_a_reason_and_dropping_ends(member, outsider, person, service, consent):
    referral = refer(member, person, service, consent)
    with pytest.raises(ValidationError) as error:
        _step(outsider, referral, State.DECLINED)
    assert sorted(error.value.message_dict) == ["reason"]
    _step(outsider, referral, State.DECLINED, reason="Geen plek (verzonnen)")
    referral.refresh_from_db()
    assert (referral.state, referral.decline_reason) == (State.DECLINED, "Geen plek (verzonnen)")
    other = refer(member, person, service, consent)
    for to in (State.ACCEPTED, State.STARTED, State.DROPPED):
        _step(outsider, other, to)
    assert Referral.objects.get(pk=other.pk).state == State.DROPPED


def _reach(member, outsider, person, service, consent, state):
    """A referral in ``state`` by the legal path."""
    referral = refer(member, person, service, consent, send=False)
    path = {
        State.DRAFT: [],
        State.SENT: [(member, State.SENT)],
        State.WITHDRAWN: [(member, State.WITHDRAWN)],
        State.ACCEPTED: [(member, State.SENT), (outsider, State.ACCEPTED)],
        State.DECLINED: [(member, State.SENT), (outsider, State.DECLINED)],
        State.STARTED: [(member, State.SENT), (outsider, State.ACCEPTED), (outsider, State.STARTED)],
    }
    path[State.COMPLETED] = [*path[State.STARTED], (outsider, State.COMPLETED)]
    path[State.DROPPED] = [*path[State.STARTED], (outsider, State.DROPPED)]
    for who, to in path[state]:
        _step(who, referral, to, reason="Verzonnen reden")
    referral.refresh_from_db()
    assert referral.state == state
    return referral


@pytest.mark.parametrize("start", ALL_STATES)
def test_every_illegal_transition_is_refused_naming_state(member, outsider, person, service, consent, start):
    referral = _reach(member, outsider, person, service, consent, start)
    for to, (sources, side) in actions.TRANSITIONS.items():
        if start in sources:
            continue
        who = member if side is actions.Side.FROM else outsider
        if start == State.DRAFT and who is outsider:
            continue  # the receiver does not see a draft at all (404)
        count = referral.events.count()
        with pytest.raises(ValidationError) as error:
            _step(who, referral, to, reason="Verzonnen reden")
        assert sorted(error.value.message_dict) == ["state"], (start, to)
        assert referral.events.count() == count
        assert Referral.objects.get(pk=referral.pk).state == start


def test_the_wrong_side_is_refused(member, outsider, person, service, consent):
    referral = refer(member, person, service, consent)
    with pytest.raises(PermissionDenied):
        _step(member, referral, State.ACCEPTED)
    with pytest.raises(PermissionDenied):
        _step(outsider, referral, State.WITHDRAWN)


def test_a_draft_is_the_senders_own(member, outsider, person, service, consent):
    referral = refer(member, person, service, consent, send=False)
    assert referral.state == State.DRAFT
    with pytest.raises(Exception) as error:
        actions.referral_for(outsider, referral.pk)
    assert getattr(error.value, "status_code", 404) == 404 and type(error.value).__name__ == "Http404"


def _refused(member, person, service, consent, **extra):
    count = Referral.objects.count()
    with pytest.raises(ValidationError) as error:
        refer(member, person, service, consent, **extra)
    assert Referral.objects.count() == count
    return sorted(error.value.message_dict)


def test_without_consent_or_legal_basis_refused(member, person, service):
    assert _refused(member, person, service, None) == ["consent"]


def test_consent_that_does_not_fit_is_refused(member, person, org_a, org_b, service, network):
    today = timezone.localdate()
    expired = consent_for(person, org_b, valid_to=today - datetime.timedelta(days=1))
    withdrawn = consent_for(person, org_b)
    Consent.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
    withdrawn.refresh_from_db()
    future = consent_for(person, org_b, valid_from=today + datetime.timedelta(days=2))
    from inbeeld.testing import factories as f

    org_c = f.OrganisationFactory(network=network, name="Derde Test C")
    wrong_recipient = consent_for(person, org_c)
    narrow = consent_for(person, org_b, categories=[DataCategory.CARE_PLAN])
    for consent in (expired, withdrawn, future, wrong_recipient, narrow):
        assert _refused(member, person, service, consent) == ["consent"], consent


def test_consent_withdrawn_before_sending_refuses_sending(member, person, service, consent):
    referral = refer(member, person, service, consent, send=False)
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=timezone.now())
    with pytest.raises(ValidationError) as error:
        _step(member, referral, State.SENT)
    assert sorted(error.value.message_dict) == ["consent"]
    assert Referral.objects.get(pk=referral.pk).state == State.DRAFT


def test_other_values_are_refused_naming_the_field(member, person, org_a, service, consent):
    assert _refused(member, person, service, consent, reason=" ") == ["reason"]
    assert _refused(member, person, service, consent, urgency="asap") == ["urgency"]
    assert _refused(member, person, service, consent, shared_categories=[]) == ["shared_categories"]
    own = service_of(org_a, "Eigen dienst Test")
    assert _refused(member, person, own, consent) == ["service"]


def test_who_may_refer(member, readonly_member, outsider, person):
    with pytest.raises(PermissionDenied):
        actions.referrer_for(readonly_member, person.pk)
    with pytest.raises(Exception) as error:
        actions.referrer_for(outsider, person.pk)
    assert type(error.value).__name__ == "Http404"
    assert actions.referrer_for(member, person.pk).person == person


def test_legal_basis_referral_is_marked(member, person, org_b, service):
    basis = consent_for(person, org_b, basis=Consent.Basis.VITAL_INTEREST)
    referral = refer(member, person, service, basis)
    assert referral.on_legal_basis
    assert events(person, "referral")[-1].detail["legal_basis"] is True
