"""A huiskamer host at the door, on a tablet (820×1180): two anonymous visits and one named visit.

Logged in through the real login page (password and TOTP), the host opens the huiskamer from the menu,
registers two anonymous visitors (one a first visit, one who came for food and a shower) and one known
visitor found with the live search, then sees all three on "today" and in the day totals.
Selectors use names and values, not texts, so the journey holds in every language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from e2e.test_contact_journey import TAP_HEIGHT, log_in_in_time
from e2e.test_journeys import Journey
from inbeeld.core.demo import DEMO_PASSWORD
from inbeeld.core.models import Location, Organisation
from inbeeld.core.roles import Role
from inbeeld.huiskamer.models import Visit
from inbeeld.testing import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TABLET: ViewportSize = {"width": 820, "height": 1180}


@pytest.fixture
def tablet_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        locale="nl-NL", timezone_id="Europe/Amsterdam", viewport=TABLET, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def host() -> tuple[Journey, Location]:
    organisation = f.OrganisationFactory(name="Huiskamer Test", kind=Organisation.Kind.CARE_PROVIDER)
    membership = f.MembershipFactory(
        organisation=organisation, role=Role.HOST, user__email="gastvrouw@example.test"
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
    location = Location.objects.create(
        organisation=organisation, name="De Huiskamer", kind=Location.Kind.HUISKAMER
    )
    journey = Journey(user=user, secret=f.with_totp(user), person=person, recipient=organisation)
    return journey, location


def _open_the_form(page: Page) -> None:
    page.locator("a[href$='/visits/new/']").first.click()
    expect(page).to_have_url(re.compile(r"/huiskamer/locations/\d+/visits/new/$"))
    for choice in page.locator("label.choice").all():
        box = choice.bounding_box()
        assert box is not None and box["height"] >= TAP_HEIGHT, "a choice is too small to tap"


def _save(page: Page) -> None:
    page.locator("form.quick-contact button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/huiskamer/locations/\d+/$"))
    expect(page.locator(".flash-success")).to_be_visible()


def test_a_host_registers_two_anonymous_visits_and_one_named_visit(
    live_server, tablet_page: Page, host: tuple[Journey, Location]
) -> None:
    journey, location = host
    page = tablet_page
    log_in_in_time(page, live_server.url, journey)
    page.locator("header nav a[href='/huiskamer/']").click()
    expect(page).to_have_url(re.compile(rf"/huiskamer/locations/{location.pk}/$"))

    _open_the_form(page)
    page.locator("input[name=person][value=anonymous]").check()
    page.locator("input[name=first_visit][value=yes]").check()
    page.locator("input[name=intent][value=info_only]").check()
    _save(page)

    _open_the_form(page)
    page.locator("input[name=person][value=anonymous]").check()
    page.locator("input[name=services][value=food]").check()
    page.locator("input[name=services][value=shower]").check()
    page.fill("#id_language", "ro")
    _save(page)

    _open_the_form(page)
    page.fill("#visit-q", "zonne")
    person = page.locator(f"#person-results input[name=person][value='{journey.person.pk}']")
    expect(person).to_be_visible()  # swapped in by the live search
    person.check()
    page.locator("input[name=questions][value=housing]").check()
    _save(page)

    inside = page.locator("#inside li.visit")
    expect(inside).to_have_count(3)
    expect(page.locator("#inside")).to_contain_text("Zonnebloem")
    expect(page.locator("#open-questions")).to_contain_text("Zonnebloem")

    visits = list(Visit.objects.order_by("id"))
    assert [v.person_id for v in visits] == [None, None, journey.person.pk]
    assert visits[0].first_visit is True and visits[1].services == ["food", "shower"]
    assert visits[1].language == "ro" and visits[2].questions == ["housing"]

    # One leaves: the register moves them to "came and left".
    page.locator(f"form[action$='/visits/{visits[0].pk}/left/'] button").click()
    expect(page.locator("#inside li.visit")).to_have_count(2)
    expect(page.locator("#left li.visit")).to_have_count(1)

    page.locator(f"a[href$='/huiskamer/locations/{location.pk}/totals/']").click()
    cells = page.locator("#totals tbody tr").first.locator("td")
    expect(cells.first).to_have_text("3")  # visits today
    expect(page.locator("#totals tbody tr").nth(1).locator("td").first).to_have_text("1")  # named
    expect(page.locator("#totals tbody tr").nth(2).locator("td").first).to_have_text("2")  # anonymous
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
