"""The demo caseworker's day, in a real browser: log in with 2FA, find a person, record a consent.

Once on a desktop-sized window and once on a 390×844 phone, where nothing may be wider than the screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from inbeeld.core import access
from inbeeld.core.demo import DEMO_PASSWORD
from inbeeld.core.models import Organisation, User
from inbeeld.people.models import Consent, Person
from inbeeld.testing.factories import totp_code, with_totp

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CASEWORKER = "caseworker@demo.inbeeld.test"
PHONE_WIDTH = 390


@dataclass
class Journey:
    user: User
    secret: str
    person: Person
    recipient: Organisation


@pytest.fixture
def journey() -> Journey:
    # The demo loader refuses outside demo mode unless forced: its password is public.
    call_command("load_demo", force=True, verbosity=0)
    user = User.objects.get(email=CASEWORKER)
    secret = with_totp(user)
    membership = user.active_memberships().first()
    assert membership is not None, "the demo caseworker has no membership"
    # A person the caseworker's organisation is involved with, with a roepnaam no other one contains.
    persons = list(access.visible_persons(membership).order_by("roepnaam"))
    names = [p.roepnaam.lower() for p in persons]
    person = next(p for p in persons if sum(p.roepnaam.lower() in n for n in names) == 1)
    recipient = Organisation.objects.filter(network=person.network).exclude(pk=membership.organisation_id)
    return Journey(user, secret, person, recipient.order_by("name").first())  # type: ignore[arg-type]


def log_in(page: Page, base_url: str, journey: Journey, *, lands_on: str = r"/persons/$") -> None:
    for sheet in ("vendor/pico/pico.min.css", "inbeeld/inbeeld.css"):
        # Without its stylesheets the phone layout cannot be judged; say why rather than measure junk.
        assert page.request.get(f"{base_url}/static/{sheet}").ok, f"{sheet} is not served (STATICFILES_DIRS?)"
    page.goto(f"{base_url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    page.fill("input[name=login]", journey.user.email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    # The password alone is not enough for a role that sees person data.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.fill("input[name=code]", totp_code(journey.secret))
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(lands_on))


def find_and_open(page: Page, journey: Journey) -> None:
    page.fill("#q", journey.person.roepnaam)
    # Live search: the results are swapped in without a page load, and the URL follows.
    link = page.locator("#results").get_by_role("link", name=journey.person.roepnaam, exact=True)
    expect(link).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?q="))
    expect(page.locator("#results tbody tr")).to_have_count(1)
    link.click()
    expect(page).to_have_url(re.compile(rf"/persons/{journey.person.pk}/$"))
    expect(page.locator("h1")).to_have_text(journey.person.roepnaam)


def record_consent(page: Page, journey: Journey, note: str) -> None:
    page.locator(f'a[href="/persons/{journey.person.pk}/consents/new/"]').click()
    page.select_option("#id_recipient", label=journey.recipient.name)
    page.select_option("#id_purpose", "referral")
    page.get_by_label("Contacten en afspraken").check()
    page.select_option("#id_how_given", "written")
    page.fill("#id_note", note)
    page.get_by_role("button", name="Toestemming vastleggen").click()
    expect(page).to_have_url(re.compile(rf"/persons/{journey.person.pk}/$"))
    expect(page.locator(".flash-success")).to_be_visible()
    consent_card = page.locator("article.consent", has_text=journey.recipient.name).first
    expect(consent_card).to_contain_text("Contacten en afspraken")
    expect(consent_card).to_contain_text(note)


def assert_fits_phone(page: Page) -> None:
    # A click that navigates returns before the new document exists; measure the page that loaded.
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide on a {PHONE_WIDTH}px phone"


def test_caseworker_finds_a_person_and_records_a_consent(live_server, page: Page, journey: Journey) -> None:
    log_in(page, live_server.url, journey)
    find_and_open(page, journey)
    record_consent(page, journey, "Formulier getekend in de huiskamer")
    consent = Consent.objects.filter(person=journey.person).latest("id")
    assert (
        consent.recorded_by == journey.user
        and consent.recipient == journey.recipient
        and consent.data_categories == ["contacts"]
    )
    assert consent.note == "Formulier getekend in de huiskamer"


def test_the_same_on_a_phone(live_server, phone_page: Page, journey: Journey) -> None:
    page = phone_page
    log_in(page, live_server.url, journey)
    assert_fits_phone(page)
    find_and_open(page, journey)
    assert_fits_phone(page)
    page.locator(f'a[href="/persons/{journey.person.pk}/consents/new/"]').click()
    expect(page).to_have_url(re.compile(rf"/persons/{journey.person.pk}/consents/new/$"))
    assert_fits_phone(page)
    # Every control of the consent form is on screen and wide enough to tap.
    for selector in ("#id_recipient", "#id_purpose", "#id_how_given", "#id_valid_from", "#id_note"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH, selector
        assert box["height"] >= 32, f"{selector} is too small to tap"
    page.go_back()
    record_consent(page, journey, "Mondeling, op straat")
    assert_fits_phone(page)
    assert Consent.objects.filter(person=journey.person).latest("id").note == "Mondeling, op straat"


def test_english_switch(live_server, page: Page, journey: Journey) -> None:
    log_in(page, live_server.url, journey)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Persons")
    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator("h1")).to_have_text("Personen")
