"""A referral in the browser: the caseworker refers to the clinic, the clinic accepts, the caseworker sees the
status, the clinic sees the handover note, a third organisation sees nothing.

Selectors use ids, names and values: the journey holds in any language.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from e2e.test_contact_journey import log_in_in_time
from e2e.test_transfer_journey import _journey, _member
from inbeeld.chain.models import Category, Service
from inbeeld.chain.referrals.models import Referral
from inbeeld.core.models import Organisation
from inbeeld.people.models import Consent, DataCategory
from inbeeld.testing import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NOTE = "Spreek af in de huiskamer, zij belt niet graag (verzonnen)."


def _context(browser: Browser) -> BrowserContext:
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    context.set_default_timeout(15_000)
    return context


def test_caseworker_refers_to_the_clinic_which_accepts(live_server, page: Page, browser: Browser) -> None:
    network = f.NetworkFactory()
    sender = _member(f.OrganisationFactory(network=network, name="Zorg Test"), "verwijzer@example.test")
    clinic = f.OrganisationFactory(network=network, name="Kliniek Test", kind=Organisation.Kind.CLINIC)
    receiver = _member(clinic, "kliniek@example.test")
    third = _member(f.OrganisationFactory(network=network, name="Derde Test"), "derde@example.test")
    service = Service.objects.create(organisation=clinic, name="Detox Test", category=Category.DETOX)
    person = f.PersonFactory(
        network=network,
        roepnaam="Madelief",
        involved=[sender.organisation],
        lead_organisation=sender.organisation,
        key_worker=sender.user,
    )
    consent = f.ConsentFactory(
        person=person,
        recipient=clinic,
        purpose=Consent.Purpose.REFERRAL,
        data_categories=[DataCategory.HEALTH],
        recorded_by=sender.user,
        recorded_by_organisation=sender.organisation,
    )

    log_in_in_time(page, live_server.url, _journey(sender, person))
    page.goto(f"{live_server.url}/persons/{person.pk}/")
    page.locator("#refer").click()
    page.select_option("#id_service", str(service.pk))
    page.select_option("#id_urgency", Referral.Urgency.HIGH)
    page.fill("#id_reason", "Wil detox (verzonnen).")
    page.locator(f"input[name=shared_categories][value={DataCategory.HEALTH}]").check()
    page.select_option("#id_consent", str(consent.pk))
    page.fill("#id_handover_note", NOTE)
    page.locator("#id_send").check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/chain/referrals/\d+/$"))
    expect(page.locator("#referral")).to_have_attribute("data-state", Referral.State.SENT)
    detail = page.url

    clinic_context = _context(browser)
    try:
        clinic_page = clinic_context.new_page()
        log_in_in_time(clinic_page, live_server.url, _journey(receiver, person))
        clinic_page.goto(f"{live_server.url}/chain/referrals/")
        clinic_page.locator("#referrals-incoming a").first.click()
        expect(clinic_page.locator("#handover-note")).to_contain_text(NOTE)
        clinic_page.locator("#step-accepted button[type=submit]").click()
        expect(clinic_page.locator("#referral")).to_have_attribute("data-state", Referral.State.ACCEPTED)
    finally:
        clinic_context.close()

    page.goto(detail)
    expect(page.locator("#referral")).to_have_attribute("data-state", Referral.State.ACCEPTED)
    expect(page.locator("#referral-events li")).to_have_count(3)
    expect(page.locator("#handover-note")).to_have_count(0)

    third_context = _context(browser)
    try:
        third_page = third_context.new_page()
        log_in_in_time(third_page, live_server.url, _journey(third, person))
        response = third_page.goto(detail)
        assert response is not None and response.status == 404
        third_page.goto(f"{live_server.url}/chain/referrals/")
        expect(third_page.locator("#referrals-incoming tr[id^=referral-]")).to_have_count(0)
        expect(third_page.locator("#referrals-outgoing tr[id^=referral-]")).to_have_count(0)
    finally:
        third_context.close()

    assert Referral.objects.get(person=person).state == Referral.State.ACCEPTED
