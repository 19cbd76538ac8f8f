"""The privacy officer's review of emergency access: the queue, the verdict, the flag in the access log."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.chain.emergency.models import EmergencyAccess
from inbeeld.chain.emergency.tests.conftest import REASON
from inbeeld.core.models import AuditEvent
from inbeeld.core.roles import Role
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db
QUEUE = reverse("chain:emergency_review")


@pytest.fixture
def grant(login, outsider, person) -> EmergencyAccess:  # type: ignore[no-untyped-def]
    client = login(outsider)
    client.post(reverse("chain:emergency"), {"reason": REASON, "q": person.roepnaam, "person": person.pk})
    client.get(reverse("people:detail", kwargs={"pk": person.pk}))
    return EmergencyAccess.objects.get()


def _review_url(grant: EmergencyAccess) -> str:
    return reverse("chain:emergency_review_grant", kwargs={"pk": grant.pk})


def test_the_queue_shows_every_grant_unreviewed_first(login, grant, privacy_officer, outsider, person):
    now = timezone.now()
    reviewed = EmergencyAccess.objects.create(
        user=outsider.user,
        membership=outsider,
        person=person,
        reason=REASON,
        granted_at=now,
        expires_at=EmergencyAccess.expiry_for(now),
        reviewed_by=privacy_officer.user,
        reviewed_at=now,
        justified=True,
    )
    page = login(privacy_officer).get(QUEUE)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index(f'data-grant="{grant.pk}" class="unreviewed"') < html.index(
        f'data-grant="{reviewed.pk}" class="reviewed"'
    )
    assert REASON in html
    read = AuditEvent.objects.get(data="emergency_access.reviews")
    assert read.basis == "privacy_officer" and set(read.detail["grants"]) == {grant.pk, reviewed.pk}


def test_not_justified_needs_a_note(login, grant, privacy_officer):
    client = login(privacy_officer)
    refused = client.post(_review_url(grant), {"justified": "no", "review_note": " "})
    assert refused.status_code == 422 and refused.context["form"].has_error("review_note")
    assert client.post(_review_url(grant), {"review_note": "x"}).status_code == 422
    grant.refresh_from_db()
    assert grant.reviewed_at is None and grant.justified is None

    done = client.post(_review_url(grant), {"justified": "no", "review_note": "Geen spoed: kon wachten"})
    assert done.status_code == 302
    grant.refresh_from_db()
    assert grant.justified is False and grant.reviewed_by == privacy_officer.user
    assert grant.review_note == "Geen spoed: kon wachten" and grant.reviewed_at is not None
    event = AuditEvent.objects.get(data="emergency_access.review")
    assert event.action == "update" and event.emergency and event.person_id_snapshot == grant.person_id
    # A verdict stands.
    assert client.post(_review_url(grant), {"justified": "yes"}).status_code == 409
    assert client.get(_review_url(grant)).status_code == 200


def test_justified_needs_no_note(login, grant, privacy_officer):
    assert login(privacy_officer).post(_review_url(grant), {"justified": "yes"}).status_code == 302
    grant.refresh_from_db()
    assert grant.justified is True and grant.review_note == ""


def test_only_privacy_officers_of_the_same_network_review(login, grant, org_a, outsider):
    elsewhere = f.MembershipFactory(organisation=f.OrganisationFactory(), role=Role.PRIVACY_OFFICER)
    client = login(elsewhere)
    assert client.get(QUEUE).status_code == 200
    assert f'data-grant="{grant.pk}"' not in client.get(QUEUE).content.decode()
    assert client.post(_review_url(grant), {"justified": "yes"}).status_code == 404
    for role in (Role.COORDINATOR, Role.CASEWORKER, Role.ADMIN, Role.ANALYST):
        client = login(f.MembershipFactory(organisation=org_a, role=role, user__is_staff=role == Role.ADMIN))
        assert client.get(QUEUE).status_code == 404
        assert client.post(_review_url(grant), {"justified": "yes"}).status_code == 404
    assert login(outsider).post(_review_url(grant), {"justified": "yes"}).status_code == 404
    grant.refresh_from_db()
    assert grant.reviewed_at is None


def test_the_access_log_flags_emergency_reads(login, grant, privacy_officer, person):
    log = login(privacy_officer).get(reverse("people:access_log", kwargs={"pk": person.pk}))
    assert log.status_code == 200
    assert AuditEvent.objects.filter(
        person_id_snapshot=person.pk, emergency=True, data="person.page"
    ).exists()
    assert 'class="emergency"' in log.content.decode()
