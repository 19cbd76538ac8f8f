"""A shelter volunteer on a phone: signs up for a shift with a gap, then writes in the house log.

Logged in through the real login page (password and TOTP), the volunteer (with a valid VOG) opens the
shelter, goes to the roster, signs up for the first shift that still needs volunteers,
then writes a house log entry about a resident. Selectors use ids, names and classes, not texts, so the
journey holds in every language.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.test_contact_journey import log_in_in_time
from e2e.test_journeys import Journey
from inbeeld.core.demo import DEMO_PASSWORD
from inbeeld.core.models import Location, Organisation
from inbeeld.core.roles import Role
from inbeeld.shelter.models import HouseLogEntry, ShiftSignup
from inbeeld.shelter.tests.grid_shelter_volunteers import resident_at, slot_at, with_vog
from inbeeld.testing import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def volunteer() -> tuple[Journey, Location]:
    organisation = f.OrganisationFactory(name="Opvang Test", kind=Organisation.Kind.SHELTER)
    membership = f.MembershipFactory(
        organisation=organisation, role=Role.VOLUNTEER, user__email="vrijwilliger@example.test"
    )
    coordinator = f.MembershipFactory(organisation=organisation, role=Role.SHELTER_COORDINATOR)
    user = membership.user
    user.set_password(DEMO_PASSWORD)
    user.save()
    with_vog(membership)
    site = Location.objects.create(organisation=organisation, name="De Opvang", kind=Location.Kind.SHELTER)
    slot_at(site, needed=2)
    person = f.PersonFactory(network=organisation.network, roepnaam="Madelief", involved=[organisation])
    resident_at(site, person, coordinator.user)
    journey = Journey(user=user, secret=f.with_totp(user), person=person, recipient=organisation)
    return journey, site


def test_a_volunteer_signs_up_for_a_gap_and_writes_the_house_log(
    live_server, phone_page: Page, volunteer: tuple[Journey, Location]
) -> None:
    journey, site = volunteer
    page = phone_page
    log_in_in_time(page, live_server.url, journey, lands_on=rf"/shelter/sites/{site.pk}/$")
    expect(page).to_have_url(re.compile(rf"/shelter/sites/{site.pk}/$"))
    expect(page.locator("#volunteer-note")).to_be_visible()

    page.locator(f"a[href$='/sites/{site.pk}/roster/']").click()
    expect(page.locator("#gap-count")).to_have_attribute("data-gaps", "14")
    gap = page.locator("tr.shift.gap:has(form.signup)").first
    shift_id = int(gap.get_attribute("data-shift") or 0)
    gap.locator("form.signup button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(f"tr[data-shift='{shift_id}'] li[data-signup]")).to_have_count(1)
    signup = ShiftSignup.objects.active().get()
    assert signup.shift_id == shift_id and signup.volunteer.membership.user == journey.user

    page.goto(f"{live_server.url}/shelter/sites/{site.pk}/")
    page.locator(f"a[href$='/sites/{site.pk}/house-log/']").click()
    expect(page.locator("#house-log-notice")).to_be_visible()
    page.fill("#id_text", "Madelief heeft vanavond samen met ons gekookt.")
    page.select_option("#id_person", str(journey.person.pk))
    page.locator("#house-log-form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#entries article.entry")).to_have_count(1)
    entry = HouseLogEntry.objects.get()
    assert entry.person == journey.person and entry.author == journey.user and entry.location == site
    assert "gekookt" in entry.text
