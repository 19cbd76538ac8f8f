"""A transfer of lead in the browser, both sides confirming.

The lead organisation's caseworker opens the person, proposes a transfer to the clinic with a handover
note; the clinic's caseworker (not yet involved) finds it in the transfers list, reads the note, chooses
herself as key worker and accepts. Selectors use ids, names and values: the journey holds in any language.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.test_contact_journey import log_in_in_time
from e2e.test_journeys import Journey
from inbeeld.chain.transfers.models import LeadTransfer
from inbeeld.core.demo import DEMO_PASSWORD
from inbeeld.core.models import Membership, Organisation
from inbeeld.core.roles import Role
from inbeeld.people.models import Person
from inbeeld.testing import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NOTE = "Voorkeur voor afspraken op dinsdag (verzonnen)."


def _member(organisation: Organisation, email: str) -> Membership:
    membership = f.MembershipFactory(organisation=organisation, role=Role.CASEWORKER, user__email=email)
    membership.user.set_password(DEMO_PASSWORD)
    membership.user.save()
    return membership


def _journey(membership: Membership, person: Person) -> Journey:
    user = membership.user
    return Journey(user=user, secret=f.with_totp(user), person=person, recipient=membership.organisation)


def test_a_lead_moves_to_another_organisation_with_both_sides_confirming(
    live_server, page: Page, browser: Browser
) -> None:
    network = f.NetworkFactory()
    sender = _member(f.OrganisationFactory(network=network, name="Zorg Test"), "zender@example.test")
    clinic = f.OrganisationFactory(network=network, name="Kliniek Test", kind=Organisation.Kind.CLINIC)
    receiver = _member(clinic, "ontvanger@example.test")
    person = f.PersonFactory(
        network=network,
        roepnaam="Klaproos",
        involved=[sender.organisation],
        lead_organisation=sender.organisation,
        key_worker=sender.user,
    )
    proposing, accepting = _journey(sender, person), _journey(receiver, person)

    log_in_in_time(page, live_server.url, proposing)
    page.goto(f"{live_server.url}/persons/{proposing.person.pk}/")
    page.locator("#propose-transfer").click()
    page.select_option("#id_to_organisation", str(clinic.pk))
    page.fill("#id_handover_note", NOTE)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/chain/transfers/\d+/$"))
    expect(page.locator("#transfer")).to_have_attribute("data-state", "proposed")

    other = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    other.set_default_timeout(15_000)
    second = other.new_page()
    try:
        log_in_in_time(second, live_server.url, accepting)
        second.goto(f"{live_server.url}/chain/transfers/")
        second.locator("#transfers-incoming a").first.click()
        expect(second.locator("#handover-note")).to_contain_text(NOTE)
        second.select_option("#id_to_key_worker", str(receiver.user.pk))
        second.locator("#accept-form button[type=submit]").click()
        expect(second.locator("#transfer")).to_have_attribute("data-state", "accepted")
    finally:
        other.close()

    transfer = LeadTransfer.objects.get(person=proposing.person)
    proposing.person.refresh_from_db()
    assert transfer.state == LeadTransfer.State.ACCEPTED
    assert (proposing.person.lead_organisation, proposing.person.key_worker) == (clinic, receiver.user)
