"""The person register's web pages, as the standing users see them.

``member`` is a caseworker of A (full file), ``readonly_member`` an outreach worker of A (radar core),
``outsider`` a caseworker of B, which is not involved with ``person``. Status codes: see ``views``.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inbeeld.core.crypto import phone_index
from inbeeld.core.models import AuditEvent, Location
from inbeeld.core.roles import Role
from inbeeld.people.models import Alias, Consent, Involvement, Person, StatusChange
from inbeeld.people.views import DATA_LABELS
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _main(response) -> str:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _results(response) -> str:  # type: ignore[no-untyped-def]
    html = _main(response)
    return html[html.index('id="results"') :]


def _events(**filters: object) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**filters).order_by("id"))


def _detail(person: Person) -> str:
    return reverse("people:detail", kwargs={"pk": person.pk})


# --- list and search ----------------------------------------------------------------------------


def test_list_shows_own_persons_with_core_fields(login, member, person):
    person.key_worker = member.user
    person.save()
    Alias.objects.create(person=person, name="Zonnetje")
    response = login(member).get(reverse("people:list"))
    assert response.status_code == 200
    html = _main(response)
    assert person.roepnaam in html
    assert "Zonnetje" in html
    assert person.get_status_display() in html
    assert person.lead_organisation.name in html
    assert str(member.user) in html


def test_list_never_shows_another_organisations_person(login, outsider, member, person, org_b):
    own = f.PersonFactory(network=org_b.network, roepnaam="AlleenB", involved=[org_b])
    response = login(outsider).get(reverse("people:list"))
    html = _main(response)
    assert own.roepnaam in html
    assert person.roepnaam not in html and _detail(person) not in html
    response = login(outsider).get(reverse("people:list"), {"q": person.roepnaam})
    assert _detail(person) not in _results(response)


def test_search_by_roepnaam_and_alias(login, member, person, org_a):
    other = f.PersonFactory(network=org_a.network, roepnaam="Bloem", involved=[org_a])
    Alias.objects.create(person=other, name="Roosje")
    client = login(member)
    html = _results(client.get(reverse("people:list"), {"q": "roos"}))
    assert "Bloem" in html
    assert person.roepnaam not in html
    html = _results(client.get(reverse("people:list"), {"q": person.roepnaam.lower()}))
    assert person.roepnaam in html
    assert "Bloem" not in html


def test_search_by_exact_phone_through_the_blind_index(login, member, person):
    person.phone = "06-1234 5678"
    person.phone_index = phone_index(person.phone)
    person.save()
    client = login(member)
    assert person.roepnaam in _results(client.get(reverse("people:list"), {"q": "+31 6 12345678"}))
    # Part of a number finds nothing: the number is encrypted, only the exact index matches.
    assert person.roepnaam not in _results(client.get(reverse("people:list"), {"q": "12345678"}))


def test_list_read_and_search_are_audited(login, member, person):
    client = login(member)
    client.get(reverse("people:list"))
    client.get(reverse("people:list"), {"q": person.roepnaam})
    read, search = _events(data="person.list")
    assert read.action == AuditEvent.Action.READ
    assert search.action == AuditEvent.Action.SEARCH
    assert search.detail == {"persons": [person.pk]}


def test_htmx_search_answers_only_the_results(login, member, person):
    response = login(member).get(reverse("people:list"), {"q": person.roepnaam}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert person.roepnaam in html
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_list_paginates(login, member, org_a):
    for n in range(30):
        f.PersonFactory(network=org_a.network, roepnaam=f"Persoon{n:02d}", involved=[org_a])
    client = login(member)
    first = _main(client.get(reverse("people:list")))
    second = _main(client.get(reverse("people:list"), {"page": 2}))
    assert "Persoon00" in first and "Persoon29" not in first
    assert "Persoon29" in second


def test_search_with_control_characters_is_harmless(login, member, person):
    response = login(member).get(reverse("people:list"), {"q": "\x00\x1b" + person.roepnaam})
    assert response.status_code == 200
    assert person.roepnaam in _main(response)


# --- the person page --------------------------------------------------------------------------


def test_detail_shows_the_file_to_the_caseworker(login, member, person):
    person.legal_name = "Wettelijke Naam"
    person.save()
    response = login(member).get(_detail(person))
    assert response.status_code == 200
    html = _main(response)
    assert "Wettelijke Naam" in html
    assert reverse("people:edit", kwargs={"pk": person.pk}) in html
    assert reverse("people:consent_add", kwargs={"pk": person.pk}) in html
    (event,) = _events(data="person.page")
    assert event.person_id_snapshot == person.pk and event.detail == {"level": "file"}


def test_detail_shows_only_the_core_to_outreach(login, readonly_member, person):
    person.legal_name = "Wettelijke Naam"
    person.save()
    html = _main(login(readonly_member).get(_detail(person)))
    assert person.roepnaam in html
    assert "Wettelijke Naam" not in html
    assert reverse("people:edit", kwargs={"pk": person.pk}) not in html
    assert reverse("people:status", kwargs={"pk": person.pk}) in html
    assert reverse("people:access_log", kwargs={"pk": person.pk}) not in html


def test_invisible_person_looks_like_a_missing_one(login, outsider, person):
    client = login(outsider)
    hidden = client.get(_detail(person))
    missing = client.get(reverse("people:detail", kwargs={"pk": person.pk + 1000}))
    assert hidden.status_code == missing.status_code == 404
    assert _main(hidden) == _main(missing)


def test_privacy_officer_sees_consents_but_no_identity(login, org_a, person, member):
    officer = f.MembershipFactory(organisation=org_a, role=Role.PRIVACY_OFFICER)
    f.ConsentFactory(person=person, recipient=org_a, recorded_by=member.user, recorded_by_organisation=org_a)
    person.legal_name = "Wettelijke Naam"
    person.save()
    html = _main(login(officer).get(_detail(person)))
    assert "Wettelijke Naam" not in html
    assert 'id="consent-' in html
    assert reverse("people:access_log", kwargs={"pk": person.pk}) in html


# --- registering and editing ----------------------------------------------------------------------


def test_register_creates_person_involvement_and_audit_event(login, member):
    client = login(member)
    assert client.get(reverse("people:register")).status_code == 200
    response = client.post(
        reverse("people:register"),
        {
            "roepnaam": "Nieuwkomer",
            "aliases": "Nieuw, Komer",
            "phone": "06 11112222",
            "languages": "nl, ro",
            "status": "street_zone",
            "key_worker": member.user.pk,
            "reason": "Ontmoet op de zone",
        },
    )
    person = Person.objects.get(roepnaam="Nieuwkomer")
    assert response.status_code == 302 and response["Location"] == _detail(person)
    assert sorted(person.alias_names()) == ["Komer", "Nieuw"]
    assert person.languages == ["nl", "ro"]
    assert person.key_worker == member.user and person.lead_organisation == member.organisation
    assert Involvement.objects.get(person=person).organisation == member.organisation
    (event,) = _events(person_id_snapshot=person.pk, action=AuditEvent.Action.CREATE)
    assert event.data == "person"


def test_edit_saves_and_audits(login, member, person):
    client = login(member)
    url = reverse("people:edit", kwargs={"pk": person.pk})
    form = client.get(url)
    assert form.status_code == 200
    assert _events(data="person.edit")[0].action == AuditEvent.Action.READ
    response = client.post(url, {"roepnaam": "Hernoemd", "legal_name": "Echte Naam", "version": 1})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.roepnaam, person.legal_name, person.version) == ("Hernoemd", "Echte Naam", 2)


def test_edit_conflict_shows_both_values_and_saves_nothing(login, member, person, org_a):
    url = reverse("people:edit", kwargs={"pk": person.pk})
    first = login(f.MembershipFactory(organisation=org_a, role=Role.CASEWORKER))
    first.get(url)
    # The second editor loads the same version in another browser before the first one saves.
    f.with_totp(member.user)
    second = Client()
    second.force_login(member.user)
    second.get(url)
    assert first.post(url, {"roepnaam": "Eerste", "version": 1}).status_code == 302
    response = second.post(url, {"roepnaam": "Tweede", "phone": "0612345678", "version": 1})
    assert response.status_code == 409
    html = _main(response)
    assert "Eerste" in html and "Tweede" in html
    assert 'value="2"' in html  # a deliberate second save overwrites
    person.refresh_from_db()
    assert (person.roepnaam, person.phone, person.version) == ("Eerste", "", 2)


# --- status, lead, involvements ------------------------------------------------------------------


def test_change_status(login, readonly_member, person):
    client = login(readonly_member)
    url = reverse("people:status", kwargs={"pk": person.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"status": "exiting", "effective_on": TODAY().isoformat(), "note": "Wil stoppen"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == "exiting"
    change = StatusChange.objects.filter(person=person).latest("id")
    assert (change.from_status, change.note) == ("street_zone", "Wil stoppen")


def test_status_before_the_current_one_is_refused(login, member, person):
    url = reverse("people:status", kwargs={"pk": person.pk})
    response = login(member).post(url, {"status": "exiting", "effective_on": "2017-06-01"})
    assert response.status_code == 422
    assert "effective_on" in response.context["form"].errors


def test_assign_lead(login, member, person, org_b):
    other_worker = f.MembershipFactory(organisation=org_b, role=Role.CASEWORKER)
    client = login(member)
    url = reverse("people:lead", kwargs={"pk": person.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"lead_organisation": org_b.pk, "key_worker": other_worker.user.pk})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.lead_organisation, person.key_worker) == (org_b, other_worker.user)


def test_key_worker_outside_the_lead_organisation_is_refused(login, member, person, org_b):
    url = reverse("people:lead", kwargs={"pk": person.pk})
    response = login(member).post(url, {"lead_organisation": org_b.pk, "key_worker": member.user.pk})
    assert response.status_code == 422
    assert "key_worker" in response.context["form"].errors


def test_coordinator_involves_another_organisation(login, org_a, person, org_b):
    coordinator = f.MembershipFactory(organisation=org_b, role=Role.COORDINATOR)
    client = login(coordinator)
    url = reverse("people:involvement_add", kwargs={"pk": person.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"organisation": org_b.pk, "started_on": TODAY().isoformat()})
    assert response.status_code == 302
    assert person.involvements.filter(organisation=org_b, ended_on__isnull=True).exists()
    # The coordinator sees which organisations are involved, and may end an involvement.
    theirs = person.involvements.get(organisation=org_b)
    end_url = reverse("people:involvement_end", kwargs={"pk": person.pk, "involvement_pk": theirs.pk})
    assert end_url in _main(client.get(_detail(person)))


def test_caseworker_is_not_offered_another_organisation(login, member, person, org_b):
    url = reverse("people:involvement_add", kwargs={"pk": person.pk})
    client = login(member)
    assert org_b.name not in _main(client.get(url))
    response = client.post(url, {"organisation": org_b.pk, "started_on": TODAY().isoformat()})
    assert response.status_code == 422 and "organisation" in response.context["form"].errors
    assert not person.involvements.filter(organisation=org_b).exists()


def test_caseworker_ends_and_renews_own_involvement(login, member, person):
    client = login(member)
    own = person.involvements.get(organisation=member.organisation)
    end_url = reverse("people:involvement_end", kwargs={"pk": person.pk, "involvement_pk": own.pk})
    assert client.get(end_url).status_code == 200
    response = client.post(end_url, {"ended_on": TODAY().isoformat(), "end_reason": "Klaar"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.ended_on, own.end_reason) == (TODAY(), "Klaar")
    # Once its involvement has ended, the organisation may involve itself again.
    add_url = reverse("people:involvement_add", kwargs={"pk": person.pk})
    again = {"organisation": member.organisation.pk, "started_on": TODAY().isoformat()}
    response = client.post(add_url, again)
    assert response.status_code == 302
    assert person.involvements.filter(organisation=member.organisation, ended_on__isnull=True).count() == 1


def test_ending_another_organisations_involvement_is_forbidden(login, member, person, org_b):
    theirs = Involvement.objects.create(
        person=person, organisation=org_b, started_on=datetime.date(2019, 1, 1)
    )
    url = reverse("people:involvement_end", kwargs={"pk": person.pk, "involvement_pk": theirs.pk})
    assert login(member).post(url, {"ended_on": TODAY().isoformat()}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.ended_on is None


def test_involvement_of_another_person_is_not_found(login, member, person, org_a):
    someone = f.PersonFactory(network=org_a.network, involved=[org_a])
    theirs = someone.involvements.get()
    url = reverse("people:involvement_end", kwargs={"pk": person.pk, "involvement_pk": theirs.pk})
    assert login(member).post(url, {"ended_on": TODAY().isoformat()}).status_code == 404


# --- consents ------------------------------------------------------------------------------------


def test_record_and_withdraw_consent(login, member, person, org_b):
    client = login(member)
    add_url = reverse("people:consent_add", kwargs={"pk": person.pk})
    assert client.get(add_url).status_code == 200
    response = client.post(
        add_url,
        {
            "recipient": org_b.pk,
            "purpose": "referral",
            "data_categories": ["contacts", "health"],
            "basis": "consent",
            "how_given": "written",
            "valid_from": TODAY().isoformat(),
            "note": "Getekend formulier",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(person=person)
    assert consent.data_categories == ["contacts", "health"] and consent.recipient == org_b
    html = _main(client.get(_detail(person)))
    assert org_b.name in html and "Getekend formulier" in html
    withdraw_url = reverse("people:consent_withdraw", kwargs={"pk": person.pk, "consent_pk": consent.pk})
    assert client.get(withdraw_url).status_code == 200
    assert client.post(withdraw_url, {"note": "Mondeling ingetrokken"}).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawal_note == "Mondeling ingetrokken"
    again = client.post(withdraw_url, {"note": ""})
    assert again.status_code == 422
    assert again.context["form"].non_field_errors()


def test_consent_of_another_person_is_not_found(login, member, person, org_a):
    someone = f.PersonFactory(network=org_a.network, involved=[org_a])
    theirs = f.ConsentFactory(person=someone, recipient=org_a, recorded_by_organisation=org_a)
    url = reverse("people:consent_withdraw", kwargs={"pk": person.pk, "consent_pk": theirs.pk})
    assert login(member).get(url).status_code == 404


# --- the access log -------------------------------------------------------------------------------


def test_access_log_for_the_key_worker_is_itself_audited(login, member, person):
    person.key_worker = member.user
    person.save()
    client = login(member)
    client.get(_detail(person))
    response = client.get(reverse("people:access_log", kwargs={"pk": person.pk}))
    assert response.status_code == 200
    html = _main(response)
    assert member.user.email in html and str(DATA_LABELS["person.page"]) in html
    (event,) = _events(data="audit_log")
    assert event.person_id_snapshot == person.pk and event.user_id_snapshot == member.user.pk


def test_access_log_for_the_privacy_officer(login, org_b, person):
    officer = f.MembershipFactory(organisation=org_b, role=Role.PRIVACY_OFFICER)
    response = login(officer).get(reverse("people:access_log", kwargs={"pk": person.pk}))
    assert response.status_code == 200
    assert _events(data="audit_log")[0].basis == AuditEvent.Basis.PRIVACY_OFFICER


def test_access_log_is_closed_to_a_caseworker_who_is_not_key_worker(login, member, readonly_member, person):
    url = reverse("people:access_log", kwargs={"pk": person.pk})
    assert login(member).get(url).status_code == 403
    assert login(readonly_member).get(url).status_code == 403
    assert not _events(data="audit_log")


# --- layout ------------------------------------------------------------------------------------


def test_layout_shows_membership_switch_and_logout(login, member, org_b):
    f.MembershipFactory(user=member.user, organisation=org_b, role=Role.OUTREACH)
    html = login(member).get(reverse("people:list")).content.decode()
    assert reverse("switch_membership") in html
    assert re.search(rf'<option value="{member.pk}"\s+selected>', html)
    assert reverse("account_logout") in html and reverse("set_language") in html


def test_demo_banner_when_two_factor_is_waived(login, member, settings):
    settings.DEMO_MODE = settings.DEMO_WAIVE_2FA = True
    html = login(member).get(reverse("people:list")).content.decode()
    assert 'class="banner banner-demo"' in html


def test_volunteer_lands_on_the_shelter_with_an_explanation_instead_of_persons(login, org_a):
    volunteer = f.MembershipFactory(organisation=org_a, role=Role.VOLUNTEER)
    Location.objects.create(organisation=org_a, name="Opvang", kind=Location.Kind.SHELTER)
    client = login(volunteer)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("shelter:index"))
    assert 'id="volunteer-note"' in _main(response)
    assert reverse("people:list") not in _main(response)
    assert client.get(reverse("people:list")).status_code == 404


def test_account_pages_use_the_app_layout(client, login, member):
    assert 'class="app-header"' in client.get(reverse("account_login")).content.decode()
    client = login(member)
    for name in ("mfa_index", "account_logout"):
        html = client.get(reverse(name)).content.decode()
        assert 'class="app-header"' in html and "inbeeld.css" in html, name


def test_two_factor_setup_page_explains_why(client, member):
    # Without an authenticator, logging in leads to setting one up (the middleware's rule); allauth
    # asks for the password once more before an authenticator may be added.
    password = "lang-genoeg-wachtwoord"
    member.user.set_password(password)
    member.user.save()
    response = client.post(
        reverse("account_login"), {"login": member.user.email, "password": password}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    assert 'class="app-header"' in response.content.decode()
    response = client.post(response.redirect_chain[-1][0], {"password": password}, follow=True)
    assert response.request["PATH_INFO"] == reverse("mfa_activate_totp")
    html = response.content.decode()
    assert 'class="qr"' in html and 'name="code"' in html and 'class="app-header"' in html


def test_person_pages_are_not_cached(login, member, person):
    response = login(member).get(_detail(person))
    assert "no-store" in response["Cache-Control"]
