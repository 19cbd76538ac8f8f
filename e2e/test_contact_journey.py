"""An outreach worker on the street records a contact on a 390×844 phone in fewer than eight actions.

Logged in through the real login page (password and TOTP), the worker picks the person by part of
their name with the live search, taps where and what, types a short note and saves: every click, fill
and key press after logging in is counted. "When" is already filled in with now.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page, expect

from e2e.test_journeys import Journey, assert_fits_phone, log_in
from inbeeld.care.models import Contact
from inbeeld.core.demo import DEMO_PASSWORD
from inbeeld.core.models import Organisation
from inbeeld.core.roles import Role
from inbeeld.people.models import Alias
from inbeeld.testing import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_ACTIONS = 7  # "in under 8 actions"
TAP_HEIGHT = 44  # px: the smallest comfortable tap target


@dataclass
class Counted:
    """The worker's hands: every click, fill and key press goes through here and is counted."""

    page: Page
    actions: int = 0

    def click(self, target: Locator) -> None:
        self.actions += 1
        target.click()

    def check(self, target: Locator) -> None:
        self.actions += 1
        target.check()

    def fill(self, target: Locator, text: str) -> None:
        self.actions += 1
        target.fill(text)


@pytest.fixture
def worker() -> Journey:
    organisation = f.OrganisationFactory(name="Straatwerk Test", kind=Organisation.Kind.CARE_PROVIDER)
    membership = f.MembershipFactory(
        organisation=organisation, role=Role.OUTREACH, user__email="veldwerker@example.test"
    )
    user = membership.user
    user.set_password(DEMO_PASSWORD)
    user.save()
    person = f.PersonFactory(
        network=organisation.network,
        roepnaam="Zonnebloem",
        involved=[organisation],
        lead_organisation=organisation,
    )
    Alias.objects.create(person=person, name="Bloem")
    f.PersonFactory(network=organisation.network, roepnaam="Madelief", involved=[organisation])
    return Journey(user=user, secret=f.with_totp(user), person=person, recipient=organisation)


def log_in_in_time(page: Page, base_url: str, journey: Journey, *, lands_on: str = r"/persons/$") -> None:
    """Log in, starting early enough in a 30-second TOTP window that the code is still valid when sent."""
    into_window = time.time() % 30
    if into_window > 22:
        time.sleep(30.5 - into_window)
    log_in(page, base_url, journey, lands_on=lands_on)


def _check_the_form_fits(page: Page) -> None:
    expect(page.locator("form.quick-contact button[type=submit]")).to_be_visible()
    page.wait_for_load_state()
    assert_fits_phone(page)
    for choice in page.locator("label.choice").all():
        box = choice.bounding_box()
        assert box is not None and box["height"] >= TAP_HEIGHT, "a choice is too small to tap"
    expect(page.locator("#id_occurred_at")).not_to_have_value("")


def _tap_the_rest_and_save(hands: Counted, note: str) -> None:
    page = hands.page
    hands.check(page.locator("input[name=channel][value=street_zone]"))
    hands.check(page.locator("input[name=kind][value=help]"))
    hands.fill(page.locator("#id_note"), note)
    hands.click(page.locator("form.quick-contact button[type=submit]"))


def _stored(journey: Journey, note: str) -> Contact:
    contact = Contact.objects.get()  # the note is encrypted: no query can look for it
    assert contact.note == note
    assert (contact.person_id, contact.recorded_by_id) == (journey.person.pk, journey.user.pk)
    assert (contact.channel, contact.kind) == ("street_zone", "help")
    return contact


def test_from_the_menu_in_under_eight_actions(live_server, phone_page: Page, worker: Journey) -> None:
    page = phone_page
    log_in_in_time(page, live_server.url, worker)
    hands = Counted(page)
    hands.click(page.locator("header nav a[href='/care/contacts/new/']"))
    expect(page).to_have_url(re.compile(r"/care/contacts/new/$"))
    _check_the_form_fits(page)
    hands.fill(page.locator("#contact-q"), "bloem")
    person = page.locator(f"#person-results input[name=person][value='{worker.person.pk}']")
    expect(person).to_be_visible()  # swapped in by the live search
    expect(page.locator("#person-results input[name=person]")).to_have_count(1)
    hands.check(person)
    _tap_the_rest_and_save(hands, "Gesproken op de zone")
    expect(page).to_have_url(re.compile(rf"/persons/{worker.person.pk}/$"))
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#contacts")).to_contain_text("Gesproken op de zone")
    page.wait_for_load_state()
    assert_fits_phone(page)
    assert hands.actions <= MAX_ACTIONS, f"{hands.actions} actions"
    _stored(worker, "Gesproken op de zone")


def test_from_the_person_page_the_person_is_already_chosen(
    live_server, phone_page: Page, worker: Journey
) -> None:
    page = phone_page
    log_in_in_time(page, live_server.url, worker)
    hands = Counted(page)
    hands.fill(page.locator("#q"), worker.person.roepnaam)
    hands.click(page.locator("#results").get_by_role("link", name=worker.person.roepnaam, exact=True))
    hands.click(page.locator(f'#contacts a[href$="?person={worker.person.pk}"]'))
    _check_the_form_fits(page)
    expect(page.locator(f"input[name=person][value='{worker.person.pk}']")).to_be_checked()
    _tap_the_rest_and_save(hands, "In de huiskamer gezien")
    expect(page).to_have_url(re.compile(rf"/persons/{worker.person.pk}/$"))
    assert hands.actions <= MAX_ACTIONS, f"{hands.actions} actions"
    _stored(worker, "In de huiskamer gezien")


def test_an_anonymous_contact(live_server, phone_page: Page, worker: Journey) -> None:
    page = phone_page
    log_in_in_time(page, live_server.url, worker)
    page.goto(f"{live_server.url}/care/contacts/new/")
    hands = Counted(page)
    hands.check(page.locator("input[name=person][value=anonymous]"))
    _tap_the_rest_and_save(hands, "Iemand nieuw op de zone")
    expect(page).to_have_url(re.compile(r"/care/contacts/new/$"))
    expect(page.locator(".flash-success")).to_be_visible()
    assert hands.actions <= MAX_ACTIONS
    contact = Contact.objects.get()
    assert (contact.note, contact.person) == ("Iemand nieuw op de zone", None)
