"""Nobody disappears: a coordinator sees a red person on the radar; the key worker records a contact,
resolves the signal as "seen", and the person turns green.

Both log in through the real login page (password and TOTP) in Dutch, the default language.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.test_contact_journey import log_in_in_time
from e2e.test_journeys import Journey
from inbeeld.care.models import Contact
from inbeeld.core.demo import DEMO_PASSWORD
from inbeeld.core.models import AuditEvent, Membership, Organisation
from inbeeld.core.roles import Role
from inbeeld.people.models import Person, Status, StatusChange
from inbeeld.radar.actions.run import run_radar
from inbeeld.radar.models import Colour, PersonState, Signal
from inbeeld.testing import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _member(organisation: Organisation, role: str, email: str) -> Membership:
    membership = f.MembershipFactory(organisation=organisation, role=role, user__email=email)
    membership.user.set_password(DEMO_PASSWORD)
    membership.user.save()
    return membership


def _on_the_zone(
    roepnaam: str, foundation: Organisation, key_worker: Membership, last_seen_days_ago: int
) -> Person:
    now = timezone.now()
    person = f.PersonFactory(
        network=foundation.network,
        roepnaam=roepnaam,
        involved=[foundation],
        lead_organisation=foundation,
        key_worker=key_worker.user,
        registered_at=now - datetime.timedelta(days=60),
    )
    StatusChange.objects.create(
        person=person,
        to_status=Status.STREET_ZONE,
        effective_on=timezone.localdate() - datetime.timedelta(days=60),
    )
    Contact.objects.create(
        person=person,
        organisation=foundation,
        recorded_by=key_worker.user,
        occurred_at=now - datetime.timedelta(days=last_seen_days_ago),
        channel="street_zone",
        kind="sighting",
    )
    return person


@pytest.fixture
def radar_world() -> tuple[Journey, Journey]:
    municipality = f.OrganisationFactory(name="Gemeente Test", kind=Organisation.Kind.MUNICIPALITY)
    foundation = f.OrganisationFactory(
        network=municipality.network, name="Stichting Test", kind=Organisation.Kind.CARE_PROVIDER
    )
    coordinator = _member(municipality, Role.COORDINATOR, "regisseur@example.test")
    key_worker = _member(foundation, Role.CASEWORKER, "casemanager@example.test")
    missing = _on_the_zone("Zonnebloem", foundation, key_worker, last_seen_days_ago=20)
    _on_the_zone("Madelief", foundation, key_worker, last_seen_days_ago=1)
    run_radar(municipality.network, as_of=timezone.localdate())
    return (
        Journey(coordinator.user, f.with_totp(coordinator.user), missing, foundation),
        Journey(key_worker.user, f.with_totp(key_worker.user), missing, foundation),
    )


def _open_radar(page: Page) -> None:
    page.locator("header nav").get_by_role("link", name="Radar", exact=True).click()
    expect(page).to_have_url(re.compile(r"/radar/$"))


def _log_out(page: Page) -> None:
    page.locator("header form[action*='logout'] button").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_a_red_person_turns_green_when_the_key_worker_has_seen_them(
    live_server, page: Page, radar_world: tuple[Journey, Journey]
) -> None:
    coordinator, key_worker = radar_world
    person = coordinator.person
    row = page.locator(f"#person-{person.pk}")

    # The coordinator sees the whole network's radar: the missing person is red, and says why.
    log_in_in_time(page, live_server.url, coordinator)
    _open_radar(page)
    expect(row).to_have_class(re.compile("radar-row-red"))
    expect(row).to_contain_text("Rood")
    expect(row).to_contain_text("20 dagen")
    expect(page.locator(".radar-counts")).to_contain_text("Rood 1")
    _log_out(page)

    # The key worker records a contact with one click from the radar …
    log_in_in_time(page, live_server.url, key_worker)
    _open_radar(page)
    expect(row).to_have_class(re.compile("radar-row-red"))
    row.locator("a.radar-contact").click()
    expect(page).to_have_url(re.compile(rf"/care/contacts/new/\?person={person.pk}$"))
    expect(page.locator(f"input[name=person][value='{person.pk}']")).to_be_checked()
    page.locator("input[name=channel][value=street_zone]").check()
    page.locator("input[name=kind][value=sighting]").check()
    page.locator("form.quick-contact button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/persons/{person.pk}/$"))

    # … then opens the signal and resolves it as seen.
    _open_radar(page)
    row.locator(".radar-signals a").first.click()
    expect(page).to_have_url(re.compile(r"/radar/signals/\d+/$"))
    page.locator("input[name=outcome][value=seen]").check()
    page.locator("form.radar-resolve button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()

    _open_radar(page)
    expect(row).to_have_class(re.compile("radar-row-green"))
    expect(row).to_contain_text("Groen")
    expect(page.locator(".radar-counts")).to_contain_text("Rood 0")

    signal = Signal.objects.get(person=person, rule="not_seen_zone")
    assert (signal.state, signal.outcome, signal.resolved_by) == ("resolved", "seen", key_worker.user)
    assert PersonState.objects.get(person=person).colour == Colour.GREEN
    assert AuditEvent.objects.filter(
        data="radar.signal", person_id_snapshot=person.pk, action="update"
    ).exists()
