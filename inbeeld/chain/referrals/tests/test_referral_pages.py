"""Referrals on the web and the API: the inbox, who reads the handover note, a third organisation sees
nothing, the legal-basis list for the privacy officer, the person-page section, refused input as 422."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inbeeld.chain.referrals.models import Referral
from inbeeld.chain.referrals.tests.helpers import NOTE, REASON, consent_for, events, refer, service_of
from inbeeld.core.models import AuditEvent
from inbeeld.core.roles import Role
from inbeeld.people.models import Consent, DataCategory
from inbeeld.testing import factories as f

State = Referral.State
pytestmark = pytest.mark.django_db


@pytest.fixture
def service(org_b):
    return service_of(org_b)


@pytest.fixture
def consent(person, org_b):
    return consent_for(person, org_b)


@pytest.fixture
def third(network):
    org_c = f.OrganisationFactory(network=network, name="Derde Test C")
    return f.MembershipFactory(organisation=org_c, role=Role.CASEWORKER)


def test_refer_accept_and_who_sees_what(login, member, outsider, third, network, person, service, consent):
    client = login(member)
    page = client.get(reverse("people:detail", args=[person.pk]))
    assert b'id="refer"' in page.content
    assert client.get(reverse("chain:referral_create", args=[person.pk])).status_code == 200
    response = client.post(
        reverse("chain:referral_create", args=[person.pk]),
        {
            "service": service.pk,
            "urgency": "urgent",
            "reason": REASON,
            "shared_categories": [DataCategory.HEALTH],
            "consent": consent.pk,
            "handover_note": NOTE,
            "send": "on",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get(person=person)
    assert (referral.state, referral.urgency, referral.referred_by) == (State.SENT, "urgent", member.user)
    detail = reverse("chain:referral_detail", args=[referral.pk])
    sender_page = client.get(detail)
    assert REASON.encode() in sender_page.content and NOTE.encode() not in sender_page.content

    client = login(outsider)
    inbox = client.get(reverse("chain:referrals"))
    assert b'id="referral-%d"' % referral.pk in inbox.content
    assert person.roepnaam.encode() in inbox.content
    receiver_page = client.get(detail)
    assert b'id="handover-note"' in receiver_page.content and NOTE.encode() in receiver_page.content
    assert [
        e.basis for e in events(person, "referral.detail", organisation_id_snapshot=outsider.organisation_id)
    ] == [AuditEvent.Basis.CONSENT]
    step = reverse("chain:referral_step", args=[referral.pk, State.ACCEPTED])
    assert client.post(step).status_code == 302
    assert client.post(step).status_code == 422  # already accepted: refused naming state
    assert b'id="state_error"' in client.post(step).content

    client = login(member)
    page = client.get(detail)
    assert b'data-state="accepted"' in page.content and NOTE.encode() not in page.content
    assert client.post(step).status_code == 403
    section = client.get(reverse("people:detail", args=[person.pk]))
    assert b'id="referral-%d" data-state="accepted"' % referral.pk in section.content

    coordinator = f.MembershipFactory(
        organisation=f.OrganisationFactory(network=network, name="Gemeente Test"), role=Role.COORDINATOR
    )
    for other in (third, coordinator):
        client = login(other)
        assert client.get(detail).status_code == 404
        assert client.post(step).status_code == 404
        if other is third:
            assert b"referral-%d" % referral.pk not in client.get(reverse("chain:referrals")).content
    assert login(coordinator).get(reverse("chain:referrals")).status_code == 404


def test_decline_needs_a_reason_on_the_web(login, member, outsider, person, service, consent):
    referral = refer(member, person, service, consent)
    client = login(outsider)
    step = reverse("chain:referral_step", args=[referral.pk, State.DECLINED])
    assert client.post(step, {"reason": ""}).status_code == 422
    assert client.post(step, {"reason": "Geen plek (verzonnen)"}).status_code == 302
    assert Referral.objects.get(pk=referral.pk).state == State.DECLINED
    assert client.post(reverse("chain:referral_step", args=[referral.pk, "bogus"])).status_code == 404


def test_refer_without_consent_is_refused_with_422(login, member, person, service):
    response = login(member).post(
        reverse("chain:referral_create", args=[person.pk]),
        {"service": service.pk, "urgency": "normal", "reason": REASON, "shared_categories": ["health"]},
    )
    assert response.status_code == 422
    assert "consent" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_legal_basis_is_marked_and_listed_for_the_privacy_officer(
    login, member, org_a, person, org_b, service
):
    basis = consent_for(person, org_b, basis=Consent.Basis.VITAL_INTEREST)
    on_basis = refer(member, person, service, basis)
    plain = refer(member, person, service, consent_for(person, org_b))
    page = login(member).get(reverse("chain:referral_detail", args=[on_basis.pk]))
    assert b'class="legal-basis"' in page.content
    officer = f.MembershipFactory(organisation=org_a, role=Role.PRIVACY_OFFICER)
    client = login(officer)
    listing = client.get(reverse("chain:referrals_legal_basis"))
    assert listing.status_code == 200
    assert b'id="referral-%d"' % on_basis.pk in listing.content
    assert b'id="referral-%d"' % plain.pk not in listing.content
    assert REASON.encode() not in listing.content and NOTE.encode() not in listing.content
    assert events(person, "referral.legal_basis")[0].basis == AuditEvent.Basis.PRIVACY_OFFICER
    assert client.get(reverse("chain:referral_detail", args=[on_basis.pk])).status_code == 404
    assert login(member).get(reverse("chain:referrals_legal_basis")).status_code == 404


def test_api_refer_list_and_step(login, member, outsider, person, service, consent):
    client = login(member)
    payload = {
        "service": service.pk,
        "reason": REASON,
        "urgency": "high",
        "shared_categories": ["health"],
        "consent": consent.pk,
        "handover_note": NOTE,
        "send": True,
    }
    created = client.post(f"/api/v1/persons/{person.pk}/referrals", payload, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert (body["state"], body["handover_note"], body["legal_basis"]) == ("sent", None, False)
    refused = client.post(
        f"/api/v1/persons/{person.pk}/referrals",
        {**payload, "consent": None},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "consent" in str(refused.json())

    client = login(outsider)
    incoming = client.get("/api/v1/referrals?direction=incoming").json()
    assert [r["id"] for r in incoming] == [body["id"]] and incoming[0]["handover_note"] == NOTE
    accepted = client.post(
        f"/api/v1/referrals/{body['id']}/steps", {"to": "accepted"}, content_type="application/json"
    )
    assert accepted.status_code == 200
    assert [e["state"] for e in accepted.json()["events"]] == ["draft", "sent", "accepted"]
    again = client.post(
        f"/api/v1/referrals/{body['id']}/steps", {"to": "accepted"}, content_type="application/json"
    )
    assert again.status_code == 422 and "state" in str(again.json())
