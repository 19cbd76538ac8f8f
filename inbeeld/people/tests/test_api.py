"""The JSON API: authentication (session and personal tokens), pagination, search, edit conflicts,
what each role sees of a person, auditing of every read, and that nothing leaks across organisations.

Which role may call which operation is the permission grid's job (grid_api.py); here are the rest.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone, translation

from inbeeld.core.models import ApiToken, AuditEvent
from inbeeld.core.roles import Role
from inbeeld.core.tokens import create_token, revoke_token
from inbeeld.people.models import Person
from inbeeld.testing import factories as f

API = "/api/v1"


def bearer(membership) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Headers for a call with a fresh personal token made in this membership (its user has TOTP)."""
    if not membership.user.authenticator_set.exists():
        f.with_totp(membership.user)
    _token, key = create_token(membership=membership, name="test")
    return {"Authorization": f"Bearer {key}"}


def post_json(client: Client, url: str, body: object, method: str = "post", **kwargs):  # type: ignore[no-untyped-def]
    return getattr(client, method)(url, json.dumps(body), content_type="application/json", **kwargs)


def events() -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("id"))


# --- authentication ---------------------------------------------------------------------------------


@pytest.mark.django_db
class TestTokenAuth:
    def test_token_acts_in_the_membership_it_was_made_in(self, client, member, network):
        other_org = f.OrganisationFactory(network=network)
        second = f.MembershipFactory(user=member.user, organisation=other_org, role=Role.OUTREACH)
        response = client.get(f"{API}/me", headers=bearer(second))
        assert response.status_code == 200
        body = response.json()
        assert body["acting"]["id"] == second.pk
        assert body["acting"]["role"] == "outreach"
        assert body["via_token"] is True
        assert body["user"]["email"] == member.user.email

    def test_token_reads_persons_with_the_tokens_role(self, client, member, person):
        response = client.get(f"{API}/persons/{person.pk}", headers=bearer(member))
        assert response.status_code == 200
        assert response.json()["level"] == "file"
        assert AuditEvent.objects.get(data="person.api").source == "api"

    @pytest.mark.parametrize(
        "header",
        [
            "",
            "Bearer",
            "Bearer ibt_nonsense",
            "Bearer " + "ibt_" + "x" * 5000,
            "Basic dXNlcjpwYXNz",
            "Token ibt_x",
        ],
    )
    def test_missing_or_unknown_token_is_401(self, client, db, header):
        headers = {"Authorization": header} if header else {}
        response = client.get(f"{API}/me", headers=headers)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Bearer"
        assert "detail" in response.json()

    def test_revoked_token_is_401(self, client, member):
        headers = bearer(member)
        revoke_token(ApiToken.objects.get(), acting_user=member.user)
        assert client.get(f"{API}/me", headers=headers).status_code == 401

    def test_token_of_ended_membership_is_401(self, client, member):
        headers = bearer(member)
        member.ended_on = timezone.localdate()
        member.save()
        assert client.get(f"{API}/me", headers=headers).status_code == 401

    def test_token_of_inactive_user_is_401(self, client, member):
        headers = bearer(member)
        member.user.is_active = False
        member.user.save()
        assert client.get(f"{API}/me", headers=headers).status_code == 401

    def test_user_without_required_two_factor_is_403_by_token(self, client, member, person):
        _token, key = create_token(membership=member, name="no 2fa")
        response = client.get(f"{API}/persons/{person.pk}", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 403
        assert not AuditEvent.objects.exists()

    def test_user_without_required_two_factor_is_403_by_session(self, client, member, person):
        client.force_login(member.user)
        assert client.get(f"{API}/persons").status_code == 403

    def test_last_used_is_written_at_most_once_a_minute(self, client, member):
        headers = bearer(member)
        client.get(f"{API}/me", headers=headers)
        first = ApiToken.objects.get().last_used_at
        assert first is not None
        client.get(f"{API}/me", headers=headers)
        assert ApiToken.objects.get().last_used_at == first
        ApiToken.objects.update(last_used_at=first - datetime.timedelta(minutes=2))
        client.get(f"{API}/me", headers=headers)
        later = ApiToken.objects.get().last_used_at
        assert later is not None and later > first


@pytest.mark.django_db
class TestSessionAuth:
    def test_session_write_needs_csrf_but_token_write_does_not(self, member, login):
        login(member)
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(member.user)
        assert post_json(strict, f"{API}/persons", {"roepnaam": "Zonder"}).status_code == 403
        assert strict.get(f"{API}/persons").status_code == 200  # reads are safe methods
        tokened = Client(enforce_csrf_checks=True)
        response = post_json(tokened, f"{API}/persons", {"roepnaam": "Met token"}, headers=bearer(member))
        assert response.status_code == 201
        assert list(Person.objects.values_list("roepnaam", flat=True)) == ["Met token"]

    def test_anonymous_write_is_401_not_a_csrf_error(self, db):
        response = post_json(Client(enforce_csrf_checks=True), f"{API}/persons", {"roepnaam": "X"})
        assert response.status_code == 401

    def test_me_lists_memberships_and_the_acting_one(self, member, login):
        body = login(member).get(f"{API}/me").json()
        assert body["acting"]["id"] == member.pk
        assert [m["id"] for m in body["memberships"]] == [member.pk]
        assert body["via_token"] is False


# --- lists ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_persons_are_paginated(member, org_a, login, settings):
    settings.API_PAGE_SIZE = 3
    for n in range(7):
        f.PersonFactory(network=org_a.network, roepnaam=f"P{n}", involved=[org_a])
    client = login(member)
    pages = [client.get(f"{API}/persons", {"page": page}).json() for page in (1, 2, 3, 4)]
    assert [p["count"] for p in pages] == [7, 7, 7, 7]
    assert [len(p["items"]) for p in pages] == [3, 3, 1, 0]
    names = [item["roepnaam"] for p in pages for item in p["items"]]
    assert names == [f"P{n}" for n in range(7)]
    # Each page is a read of the persons on it, recorded with exactly those persons.
    listed = [e.detail["persons"] for e in AuditEvent.objects.filter(data="person.list").order_by("id")]
    assert [len(ids) for ids in listed] == [3, 3, 1, 0]


@pytest.mark.django_db
def test_list_item_is_the_radar_core(member, person, login):
    f.OrganisationFactory(network=person.network)
    person.key_worker = member.user
    person.save()
    item = login(member).get(f"{API}/persons").json()["items"][0]
    assert set(item) == {
        "id",
        "roepnaam",
        "aliases",
        "status",
        "status_since",
        "lead_organisation_id",
        "lead_organisation",
        "key_worker_id",
        "key_worker",
    }
    assert item["key_worker_id"] == member.user.pk
    assert item["lead_organisation"] == person.lead_organisation.name


@pytest.mark.django_db
def test_search_by_exact_phone_and_by_name(member, login):
    client = login(member)
    response = post_json(
        client, f"{API}/persons", {"roepnaam": "Mira", "phone": "06-1234 5678", "aliases": ["Mimi"]}
    )
    assert response.status_code == 201
    f.PersonFactory(network=member.organisation.network, roepnaam="Anna", involved=[member.organisation])

    def found(q: str) -> list[str]:
        return [i["roepnaam"] for i in client.get(f"{API}/persons", {"q": q}).json()["items"]]

    assert found("0612345678") == ["Mira"]
    assert found("+31 6 12345678") == ["Mira"]
    assert found("061234") == []  # phone numbers are encrypted: exact numbers only
    assert found("mim") == ["Mira"]
    assert found("ann") == ["Anna"]
    searches = AuditEvent.objects.filter(data="person.list", action=AuditEvent.Action.SEARCH)
    assert searches.count() == 5


@pytest.mark.django_db
class TestNoLeaks:
    """An outsider learns nothing about A's persons: not from the list, not from a search, not from a 404."""

    @pytest.fixture
    def known(self, member, login):
        client = login(member)
        body = {"roepnaam": "Zeldzaam", "phone": "0687654321", "legal_name": "Geheime Naam"}
        return post_json(client, f"{API}/persons", body).json()

    @pytest.mark.parametrize("q", ["", "Zeldzaam", "zeld", "0687654321", "Geheime Naam", "' OR 1=1 --"])
    def test_outsider_search_finds_nothing(self, client, known, outsider, q):
        for role in (Role.CASEWORKER, Role.OUTREACH, Role.HOST, Role.SHELTER_COORDINATOR):
            membership = f.MembershipFactory(organisation=outsider.organisation, role=role)
            body = client.get(f"{API}/persons", {"q": q}, headers=bearer(membership)).json()
            assert body == {"items": [], "count": 0}, role

    def test_other_network_coordinator_sees_nothing(self, client, known):
        elsewhere = f.MembershipFactory(role=Role.COORDINATOR)
        body = client.get(f"{API}/persons", {"q": "0687654321"}, headers=bearer(elsewhere)).json()
        assert body["count"] == 0
        response = client.get(f"{API}/persons/{known['id']}", headers=bearer(elsewhere))
        assert response.status_code == 404

    def test_invisible_and_missing_look_the_same(self, client, known, outsider):
        headers = bearer(outsider)
        invisible = client.get(f"{API}/persons/{known['id']}", headers=headers)
        missing = client.get(f"{API}/persons/{known['id'] + 1000}", headers=headers)
        assert invisible.status_code == missing.status_code == 404
        assert invisible.json() == missing.json()
        for sub in ("involvements", "consents", "access-log"):
            assert client.get(f"{API}/persons/{known['id']}/{sub}", headers=headers).json() == missing.json()

    def test_organisations_are_those_of_the_own_network(self, client, member, org_a, org_b):
        f.OrganisationFactory(name="Elders")
        names = [
            o["name"] for o in client.get(f"{API}/organisations", headers=bearer(member)).json()["items"]
        ]
        assert sorted(names) == sorted([org_a.name, org_b.name])


# --- one person -------------------------------------------------------------------------------------


@pytest.fixture
def filled(member, person, org_b):
    person.legal_name = "Wettelijke Naam"
    person.phone = "0611111111"
    person.key_worker = member.user  # so the member may read the access log too
    person.save()
    f.ConsentFactory(
        person=person, recipient=org_b, recorded_by=member.user, recorded_by_organisation=member.organisation
    )
    return person


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "scope", "level", "sections"),
    [
        (Role.CASEWORKER, "a", "file", {"identity", "status_history", "involvements", "consents"}),
        (Role.OUTREACH, "a", "core", set()),
        (Role.HOST, "a", "core", set()),
        (Role.COORDINATOR, "b", "core", {"involvements"}),
        (Role.PRIVACY_OFFICER, "b", "privacy", {"consents"}),
    ],
)
def test_person_sections_by_role(client, filled, org_a, org_b, role, scope, level, sections):
    membership = f.MembershipFactory(organisation=org_a if scope == "a" else org_b, role=role)
    body = client.get(f"{API}/persons/{filled.pk}", headers=bearer(membership)).json()
    assert body["level"] == level
    optional = {"identity", "status_history", "involvements", "consents"}
    assert {name for name in optional if body[name] is not None} == sections
    assert body["roepnaam"] == filled.roepnaam
    if "identity" not in sections:
        assert "Wettelijke Naam" not in json.dumps(body)
        assert "0611111111" not in json.dumps(body)


@pytest.mark.django_db
class TestAuditedReads:
    def test_each_read_writes_exactly_one_event(self, client, member, filled):
        headers = bearer(member)
        expected = [
            ("", "person.api"),
            ("/involvements", "person.involvements"),
            ("/consents", "person.consents"),
            ("/access-log", "audit_log"),
        ]
        for suffix, data in expected:
            before = AuditEvent.objects.count()
            assert client.get(f"{API}/persons/{filled.pk}{suffix}", headers=headers).status_code == 200
            new = events()[before:]
            assert [(e.data, e.person_id_snapshot, e.source, e.action) for e in new] == [
                (data, filled.pk, "api", "read")
            ], suffix

    def test_access_log_shows_who_read_newest_first(self, client, member, filled):
        headers = bearer(member)
        client.get(f"{API}/persons/{filled.pk}", headers=headers)
        log = client.get(f"{API}/persons/{filled.pk}/access-log", headers=headers).json()
        assert [(e["data"], e["action"]) for e in log["items"]] == [
            ("audit_log", "read"),
            ("person.api", "read"),
        ]
        first = log["items"][0]
        assert (first["user"], first["organisation"], first["role"], first["source"]) == (
            member.user.email,
            member.organisation.name,
            "caseworker",
            "api",
        )
        assert "detail" not in first and "ip_address" not in first

    def test_refused_read_writes_no_event(self, client, readonly_member, filled):
        headers = bearer(readonly_member)
        for suffix in ("/involvements", "/consents"):
            assert client.get(f"{API}/persons/{filled.pk}{suffix}", headers=headers).status_code == 404
        assert not AuditEvent.objects.exists()

    def test_write_writes_its_event_and_no_extra_read(self, client, member, person):
        response = post_json(
            client,
            f"{API}/persons/{person.pk}/status",
            {"status": "exiting", "effective_on": timezone.localdate().isoformat()},
            headers=bearer(member),
        )
        assert response.status_code == 200
        assert response.json()["status"] == "exiting"
        assert [(e.action, e.data) for e in events()] == [("update", "person.status")]

    def test_edit_without_changes_is_recorded_as_a_read(self, client, member, person):
        response = post_json(
            client,
            f"{API}/persons/{person.pk}",
            {"version": person.version},
            method="patch",
            headers=bearer(member),
        )
        assert response.status_code == 200
        assert [(e.action, e.data) for e in events()] == [("read", "person.api")]


@pytest.mark.django_db
class TestEdit:
    def test_patch_changes_only_what_is_sent(self, client, member, filled):
        headers = bearer(member)
        response = post_json(
            client,
            f"{API}/persons/{filled.pk}",
            {"version": filled.version, "aliases": ["Nieuw"], "legal_name": None},
            method="patch",
            headers=headers,
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["aliases"] == ["Nieuw"]
        assert body["identity"]["legal_name"] == ""
        assert body["identity"]["phone"] == "0611111111"
        assert body["version"] == filled.version + 1

    def test_stale_version_is_409_and_writes_nothing(self, client, member, filled):
        headers = bearer(member)
        url = f"{API}/persons/{filled.pk}"
        first = post_json(client, url, {"version": 1, "roepnaam": "Eerste"}, method="patch", headers=headers)
        assert first.status_code == 200
        stale = post_json(
            client,
            url,
            {"version": 1, "roepnaam": "Tweede", "phone": "0622222222"},
            method="patch",
            headers=headers,
        )
        assert stale.status_code == 409
        body = stale.json()
        assert body["detail"]
        assert {c["field"]: (c["current"], c["submitted"]) for c in body["changed"]} == {
            "roepnaam": ("Eerste", "Tweede"),
            "phone": ("0611111111", "0622222222"),
        }
        filled.refresh_from_db()
        assert (filled.roepnaam, filled.version) == ("Eerste", 2)

    def test_register_makes_the_registrar_lead_and_involved(self, client, readonly_member):
        body = post_json(
            client, f"{API}/persons", {"roepnaam": "Straat"}, headers=bearer(readonly_member)
        ).json()
        assert body["level"] == "core"
        assert body["lead_organisation_id"] == readonly_member.organisation_id
        assert body["identity"] is None

    def test_assign_lead_and_key_worker(self, client, member, person, org_b):
        other_worker = f.MembershipFactory(organisation=org_b, role=Role.CASEWORKER)
        coordinator = f.MembershipFactory(organisation=org_b, role=Role.COORDINATOR)
        response = client.put(
            f"{API}/persons/{person.pk}/lead",
            json.dumps({"lead_organisation_id": org_b.pk, "key_worker_id": other_worker.user_id}),
            content_type="application/json",
            headers=bearer(coordinator),
        )
        assert response.status_code == 200, response.json()
        assert (response.json()["lead_organisation_id"], response.json()["key_worker_id"]) == (
            org_b.pk,
            other_worker.user_id,
        )


@pytest.mark.django_db
class TestInvolvementsAndConsents:
    def test_add_and_end_an_involvement(self, client, member, person, org_b):
        headers = bearer(member)
        today = timezone.localdate().isoformat()
        body = {"organisation_id": org_b.pk, "started_on": today, "reason": "Verwezen"}
        url = f"{API}/persons/{person.pk}/involvements"
        # Involving B opens the file to B: A's caseworker may not, the network's coordinator may.
        assert post_json(client, url, body, headers=headers).status_code == 403
        coordinator = f.MembershipFactory(organisation=org_b, role=Role.COORDINATOR)
        added = post_json(client, url, body, headers=bearer(coordinator))
        assert added.status_code == 201
        involvement = added.json()
        assert (involvement["organisation_id"], involvement["ended_on"]) == (org_b.pk, None)
        # ending B's involvement is B's (or the coordinator's) call, not A's
        end_url = f"{API}/persons/{person.pk}/involvements/{involvement['id']}/end"
        assert post_json(client, end_url, {"ended_on": today}, headers=headers).status_code == 403
        ended = post_json(client, end_url, {"ended_on": today}, headers=bearer(coordinator))
        assert ended.status_code == 200
        assert ended.json()["ended_on"] == today
        listed = client.get(f"{API}/persons/{person.pk}/involvements", headers=headers).json()
        assert listed["count"] == 2

    def test_an_involvement_of_another_person_is_404(self, client, member, person, org_a):
        stranger = f.PersonFactory(network=org_a.network, involved=[org_a])
        involvement = stranger.involvements.get()
        url = f"{API}/persons/{person.pk}/involvements/{involvement.pk}/end"
        response = post_json(
            client, url, {"ended_on": timezone.localdate().isoformat()}, headers=bearer(member)
        )
        assert response.status_code == 404
        involvement.refresh_from_db()
        assert involvement.ended_on is None

    def test_record_and_withdraw_a_consent(self, client, member, person, org_b):
        headers = bearer(member)
        recorded = post_json(
            client,
            f"{API}/persons/{person.pk}/consents",
            {
                "recipient_id": org_b.pk,
                "purpose": "referral",
                "data_categories": ["contacts", "health"],
                "how_given": "written",
                "valid_from": timezone.localdate().isoformat(),
                "note": "Getekend formulier",
            },
            headers=headers,
        )
        assert recorded.status_code == 201, recorded.json()
        consent = recorded.json()
        assert (consent["is_valid"], consent["note"]) == (True, "Getekend formulier")
        url = f"{API}/persons/{person.pk}/consents/{consent['id']}/withdraw"
        withdrawn = post_json(client, url, {"note": "Op verzoek"}, headers=headers)
        assert withdrawn.status_code == 200
        assert withdrawn.json()["is_valid"] is False
        again = post_json(client, url, {}, headers=headers)
        assert again.status_code == 422
        assert again.json()["detail"][0]["loc"] == ["body", "consent"]

    def test_a_consent_of_another_person_is_404(self, client, member, person, org_a, org_b):
        stranger = f.PersonFactory(network=org_a.network, involved=[org_a])
        consent = f.ConsentFactory(
            person=stranger, recipient=org_b, recorded_by=member.user, recorded_by_organisation=org_a
        )
        url = f"{API}/persons/{person.pk}/consents/{consent.pk}/withdraw"
        assert post_json(client, url, {}, headers=bearer(member)).status_code == 404
        consent.refresh_from_db()
        assert consent.withdrawn_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_errors_speak_the_requests_language(client, outsider, person, language):
    headers = {**bearer(outsider), "Accept-Language": language}
    with translation.override(language):
        expected = {"detail": translation.gettext("Not found.")}
    assert client.get(f"{API}/persons/{person.pk}", headers=headers).json() == expected
