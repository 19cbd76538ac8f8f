"""Break the glass on the web: the search, the grant, what it opens, its expiry after 24 hours, the audit."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from inbeeld.chain.emergency.models import EMERGENCY_HOURS, EmergencyAccess
from inbeeld.chain.emergency.tests.conftest import ACTION, GOAL, REASON
from inbeeld.core import access
from inbeeld.core.access import Level, Need
from inbeeld.core.crypto import phone_index
from inbeeld.core.models import AuditEvent
from inbeeld.core.roles import Role
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db
START = reverse("chain:emergency")


def _break(client, person, *, q: str | None = None, reason: str = REASON):  # type: ignore[no-untyped-def]
    return client.post(START, {"reason": reason, "q": q or person.roepnaam, "person": person.pk})


def _grant_url(grant: EmergencyAccess) -> str:
    return reverse("chain:emergency_grant", kwargs={"pk": grant.pk})


def _person_url(person) -> str:  # type: ignore[no-untyped-def]
    return reverse("people:detail", kwargs={"pk": person.pk})


class TestBreakTheGlass:
    def test_search_grant_and_what_it_opens_are_all_audited_and_flagged(
        self, login, outsider, planned_person
    ):
        client = login(outsider)
        assert client.get(START).status_code == 200
        assert client.get(_person_url(planned_person)).status_code == 404

        found = client.post(START, {"reason": REASON, "q": planned_person.roepnaam.upper()})
        assert found.status_code == 200
        assert f'data-person="{planned_person.pk}"' in found.content.decode()
        search = AuditEvent.objects.get(data="emergency_access.search")
        assert search.action == "search" and search.emergency and search.basis == "emergency"
        assert search.detail["persons"] == [planned_person.pk]

        response = _break(client, planned_person)
        grant = EmergencyAccess.objects.get()
        assert response.status_code == 302 and response["Location"] == _grant_url(grant)
        assert grant.membership == outsider and grant.user == outsider.user and grant.reason == REASON
        assert grant.expires_at - grant.granted_at == datetime.timedelta(hours=EMERGENCY_HOURS)
        assert grant.justified is None and grant.reviewed_at is None
        created = AuditEvent.objects.get(data="emergency_access", action="create")
        assert created.emergency and created.person_id_snapshot == planned_person.pk

        page = client.get(_grant_url(grant))
        html = page.content.decode()
        assert page.status_code == 200
        assert GOAL in html and ACTION in html and "Oud doel" not in html
        assert 'id="radar-core"' in html
        read = AuditEvent.objects.get(data="emergency_access.page")
        assert read.emergency and read.basis == "emergency" and read.person_id_snapshot == planned_person.pk

        assert client.get(_person_url(planned_person)).status_code == 200
        person_read = AuditEvent.objects.get(data="person.page")
        assert person_read.emergency and person_read.basis == "emergency"
        # Never more than the radar core: the file stays closed.
        assert client.get(reverse("care:plan", kwargs={"pk": planned_person.pk})).status_code == 404

    def test_a_reason_is_required_and_really_written(self, login, outsider, person):
        client = login(outsider)
        for reason in ("", "nood"):
            response = _break(client, person, reason=reason)
            assert response.status_code == 422
            assert response.context["form"].has_error("reason")
        assert not EmergencyAccess.objects.exists()
        assert not AuditEvent.objects.filter(data__startswith="emergency_access").exists()

    @pytest.mark.parametrize(
        "role", [Role.COORDINATOR, Role.PRIVACY_OFFICER, Role.VOLUNTEER, Role.ANALYST, Role.ADMIN]
    )
    def test_roles_that_may_not_break_the_glass_get_404(self, login, org_b, person, role):
        client = login(f.MembershipFactory(organisation=org_b, role=role, user__is_staff=role == Role.ADMIN))
        assert client.get(START).status_code == 404
        assert _break(client, person).status_code == 404
        assert not EmergencyAccess.objects.exists()

    def test_an_active_grant_is_reused(self, login, outsider, person):
        client = login(outsider)
        _break(client, person)
        _break(client, person)
        assert EmergencyAccess.objects.count() == 1
        found = client.post(START, {"reason": REASON, "q": person.roepnaam})
        assert 'class="active-grant"' in found.content.decode()

    def test_a_person_seen_normally_needs_no_grant(self, login, member, person):
        client = login(member)
        found = client.post(START, {"reason": REASON, "q": person.roepnaam})
        assert 'class="sees-normally"' in found.content.decode()
        assert _break(client, person).status_code == 422
        assert not EmergencyAccess.objects.exists()

    def test_search_is_exact_alias_and_phone_count(self, login, outsider, planned_person):
        planned_person.phone = "06 1234 5678"
        planned_person.phone_index = phone_index(planned_person.phone)
        planned_person.save()
        client = login(outsider)
        for term in ("zonnetje", "0612345678"):
            found = client.post(START, {"reason": REASON, "q": term})
            assert f'data-person="{planned_person.pk}"' in found.content.decode(), term
        partial = client.post(START, {"reason": REASON, "q": planned_person.roepnaam[:-1]})
        assert 'data-person="' not in partial.content.decode()
        # An id the search did not find is not granted: ids are not guessed.
        assert _break(client, planned_person, q="Zonnetj").status_code == 404

    def test_too_many_matches_show_nobody(self, login, outsider, network):
        for _ in range(6):
            f.PersonFactory(network=network, roepnaam="Sam")
        found = login(outsider).post(START, {"reason": REASON, "q": "sam"})
        assert 'class="too-many"' in found.content.decode()
        assert 'data-person="' not in found.content.decode()
        assert AuditEvent.objects.get(data="emergency_access.search").detail["persons"] == []

    def test_a_worker_of_another_network_never_finds_the_person(self, login, person):
        elsewhere = f.MembershipFactory(organisation=f.OrganisationFactory(), role=Role.CASEWORKER)
        client = login(elsewhere)
        found = client.post(START, {"reason": REASON, "q": person.roepnaam})
        assert found.status_code == 200 and 'data-person="' not in found.content.decode()
        assert _break(client, person).status_code == 404
        assert not EmergencyAccess.objects.exists()


class TestExpiry:
    def test_access_ends_after_24_hours(self, login, outsider, planned_person, travel):
        client = login(outsider)
        _break(client, planned_person)
        grant = EmergencyAccess.objects.get()
        with travel(hours=EMERGENCY_HOURS, seconds=-1):
            client = login(outsider)  # the session itself expires long before a day has passed
            assert client.get(_grant_url(grant)).status_code == 200
            assert client.get(_person_url(planned_person)).status_code == 200
        with travel(hours=EMERGENCY_HOURS, seconds=1):
            client = login(outsider)
            assert client.get(_grant_url(grant)).status_code == 404
            assert client.get(_person_url(planned_person)).status_code == 404
            assert access.person_access(outsider, planned_person) is None
            # Expired, but still there for the privacy officer's review.
            assert EmergencyAccess.objects.get().justified is None
            # The glass may be broken again, with a new reason: a new grant, a new review item.
            assert _break(client, planned_person).status_code == 302
        assert EmergencyAccess.objects.count() == 2

    def test_only_the_holder_uses_a_grant(self, login, outsider, org_b, person):
        _break(login(outsider), person)
        grant = EmergencyAccess.objects.get()
        colleague = f.MembershipFactory(organisation=org_b, role=Role.CASEWORKER)
        client = login(colleague)
        assert client.get(_grant_url(grant)).status_code == 404
        assert client.get(_person_url(person)).status_code == 404


class TestPolicy:
    def test_without_a_grant_nothing_changes(self, outsider, person, member):
        assert access.level_for(outsider, person) == (Level.NONE, "")
        assert access.level_for(member, person) == (Level.FILE, AuditEvent.Basis.INVOLVEMENT)

    def test_a_grant_gives_the_radar_core_and_no_more(self, login, outsider, person):
        _break(login(outsider), person)
        found = access.person_access(outsider, person)
        assert found is not None
        assert (found.level, found.basis) == (Level.CORE, AuditEvent.Basis.EMERGENCY)
        assert found.allows(Need.READ_CORE) and found.allows(Need.READ_RADAR)
        assert not found.allows(Need.READ_FILE) and not found.allows(Need.READ_CARE)

    def test_an_ended_membership_loses_its_grant(self, login, outsider, person):
        _break(login(outsider), person)
        outsider.ended_on = timezone.localdate()
        outsider.save()
        assert access.person_access(outsider, person) is None

    def test_a_reviewed_grant_always_has_a_verdict(self, outsider, person, privacy_officer):
        now = timezone.now()
        grant = EmergencyAccess.objects.create(
            user=outsider.user,
            membership=outsider,
            person=person,
            reason=REASON,
            granted_at=now,
            expires_at=EmergencyAccess.expiry_for(now),
        )
        grant.reviewed_by, grant.reviewed_at = privacy_officer.user, now
        with pytest.raises(IntegrityError), transaction.atomic():
            grant.save()
