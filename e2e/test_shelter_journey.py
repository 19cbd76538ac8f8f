"""A shelter coordinator at the desk: from the waitlist to a bed.

Logged in through the real login page (password and TOTP), the coordinator opens the shelter from the
menu, goes to the waitlist, presses "Check in" on the first person (the most urgent), picks a free bed,
ticks the house rules and saves; the bed board shows the new resident in that bed.
Selectors use ids, names and values, not texts, so the journey holds in every language.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from e2e.test_contact_journey import log_in_in_time
from e2e.test_journeys import Journey
from inbeeld.core.demo import DEMO_PASSWORD
from inbeeld.core.models import Location, Organisation
from inbeeld.core.roles import Role
from inbeeld.shelter.models import Bed, HouseRules, Priority, Room, Stay, WaitlistEntry
from inbeeld.testing import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shelter() -> tuple[Journey, Location, list[Bed]]:
    organisation = f.OrganisationFactory(name="Opvang Test", kind=Organisation.Kind.SHELTER)
    membership = f.MembershipFactory(
        organisation=organisation, role=Role.SHELTER_COORDINATOR, user__email="opvang@example.test"
    )
    user = membership.user
    user.set_password(DEMO_PASSWORD)
    user.save()
    site = Location.objects.create(organisation=organisation, name="De Opvang", kind=Location.Kind.SHELTER)
    HouseRules.objects.create(location=site, version=1, text="Rust na 23 uur.", published_by=user)
    room = Room.objects.create(location=site, name="Kamer 1")
    beds = [Bed.objects.create(room=room, label=label) for label in ("A", "B")]
    network = organisation.network
    first = f.PersonFactory(network=network, roepnaam="Madelief", involved=[organisation])
    second = f.PersonFactory(network=network, roepnaam="Klaproos", involved=[organisation])
    for person, priority, since in ((second, Priority.NORMAL, 20), (first, Priority.URGENT, 2)):
        WaitlistEntry.objects.create(
            location=site,
            person=person,
            priority=priority,
            added_on=datetime.date.today() - datetime.timedelta(days=since),
            requested_by_organisation=organisation,
            organisation=organisation,
            added_by=user,
        )
    journey = Journey(user=user, secret=f.with_totp(user), person=first, recipient=organisation)
    return journey, site, beds


def test_a_coordinator_checks_the_first_person_on_the_waitlist_in(
    live_server, page: Page, shelter: tuple[Journey, Location, list[Bed]]
) -> None:
    journey, site, beds = shelter
    # The shelter is the coordinator's work: they land on their site.
    log_in_in_time(page, live_server.url, journey, lands_on=rf"/shelter/sites/{site.pk}/$")

    page.locator(f"a[href='/shelter/sites/{site.pk}/waitlist/']").click()
    entries = page.locator("#waitlist li.entry")
    expect(entries).to_have_count(2)
    first = entries.first
    expect(first).to_have_attribute("data-person", str(journey.person.pk))  # urgent before long waiting
    first.locator("a.check-in").click()
    expect(page).to_have_url(re.compile(rf"/shelter/sites/{site.pk}/check-in/\?entry=\d+$"))

    expect(page.locator(f"#waiting-persons input[name=person][value='{journey.person.pk}']")).to_be_checked()
    page.locator(f"input[name=bed][value='{beds[1].pk}']").check()
    page.locator("input[name=house_rules_accepted]").check()
    page.locator("#check-in-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/shelter/sites/{site.pk}/beds/$"))
    expect(page.locator(".flash-success")).to_be_visible()
    row = page.locator(f"tr.bed[data-bed='{beds[1].pk}']")
    expect(row).to_have_attribute("data-person", str(journey.person.pk))
    expect(row).to_contain_text("Madelief")
    totals = page.locator("#bed-totals")
    expect(totals).to_have_attribute("data-occupied", "1")
    expect(totals).to_have_attribute("data-free", "1")

    stay = Stay.objects.get()
    assert (stay.person_id, stay.bed_id, stay.house_rules.version) == (journey.person.pk, beds[1].pk, 1)
    assert stay.checked_out_at is None and stay.checked_in_by == journey.user
    placed = WaitlistEntry.objects.get(person=journey.person)
    assert placed.outcome == WaitlistEntry.Outcome.PLACED and placed.stay == stay
    assert WaitlistEntry.objects.waiting().count() == 1
