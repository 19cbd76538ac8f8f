"""A caseworker runs an intake through to a first plan with two goals, and sees the spider chart.

In a real browser (Debian's Chromium): log in on the login page with a password and a TOTP code, run
every step of the intake for a walk-in, record the first assessment, make the first care plan with two
goals and find the radar chart drawn on the person page. Controls are found by their names and ids, not
by their (translated) labels.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from inbeeld.care.instruments import install
from inbeeld.care.models import Appointment, Assessment, CarePlan, Contact, Domain, Instrument, Intake
from inbeeld.core.models import Organisation, User
from inbeeld.core.roles import Role
from inbeeld.people.models import Consent, Person
from inbeeld.testing import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Intake-reis-2019-tippelzone"
ROEPNAAM = "Merel"


@dataclass
class Caseworker:
    user: User
    secret: str
    partner: Organisation


@pytest.fixture
def caseworker() -> Caseworker:
    # Transactional tests empty every table, the instrument that a migration loads included.
    install(Instrument, Domain)
    network = f.NetworkFactory()
    organisation = f.OrganisationFactory(network=network, name="Stichting Reis")
    partner = f.OrganisationFactory(network=network, name="Kliniek Reis", kind=Organisation.Kind.CLINIC)
    membership = f.MembershipFactory(
        organisation=organisation, role=Role.CASEWORKER, user__full_name="Casemanager Reis"
    )
    user = membership.user
    user.set_password(PASSWORD)
    user.save()
    return Caseworker(user, f.with_totp(user), partner)


def log_in(page: Page, base_url: str, caseworker: Caseworker) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", caseworker.user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.fill("input[name=code]", f.totp_code(caseworker.secret))
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/persons/$"))


def _step_button(page: Page, then: str) -> None:
    page.locator(f"main form button[name=then][value={then}]").click()


def run_intake(page: Page, base_url: str, caseworker: Caseworker) -> Person:
    page.goto(f"{base_url}/care/intake/")
    page.locator('main a[href="/care/intake/new/"]').click()
    # Step 1: nobody of that name in the list yet, so register the walk-in.
    page.fill("#q", ROEPNAAM)
    page.locator("#intake-search button[type=submit]").click()
    expect(page.locator("#intake-results")).to_have_count(0)
    page.fill("#id_roepnaam", ROEPNAAM)
    page.fill("#id_languages", "nl, en")
    _step_button(page, "register")
    person = Person.objects.get(roepnaam=ROEPNAAM)
    expect(page).to_have_url(re.compile(r"/care/intake/\d+/first-contact/$"))
    # Step 2: the first contact, now (the default), at the office (the caseworker's default).
    expect(page.locator("input[name=channel][value=office]")).to_be_checked()
    page.locator("input[name=kind][value=information]").check()
    page.locator("input[name=topics][value=housing]").check()
    page.fill("#id_note", "Kwam binnen via de huiskamer")
    _step_button(page, "continue")
    # Step 3: consent for the clinic to receive contacts and appointments.
    expect(page).to_have_url(re.compile(r"/consent/$"))
    page.select_option("#id_recipient", label=caseworker.partner.name)
    page.select_option("#id_purpose", "referral")
    page.locator("input[name=data_categories][value=contacts]").check()
    page.select_option("#id_how_given", "written")
    _step_button(page, "continue")
    # Step 4: languages as registered, the caseworker themselves as key worker (proposed).
    expect(page).to_have_url(re.compile(r"/key-worker/$"))
    expect(page.locator("#id_languages")).to_have_value("nl, en")
    expect(page.locator("#id_key_worker")).to_have_value(str(caseworker.user.pk))
    _step_button(page, "continue")
    # Step 5: the first assessment, tomorrow at ten in the huiskamer.
    expect(page).to_have_url(re.compile(r"/first-assessment/$"))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.fill("#id_starts_at", f"{tomorrow.isoformat()}T10:00")
    page.fill("#id_place", "Huiskamer")
    _step_button(page, "continue")
    expect(page).to_have_url(re.compile(r"/care/intake/\d+/$"))
    expect(page.locator(f'#intake-person-link[href="/persons/{person.pk}/"]')).to_be_visible()
    expect(page.locator("#intake-plan-link")).to_be_visible()
    return person


def record_first_assessment(page: Page) -> None:
    page.locator("#intake-assessment-link").click()
    expect(page).to_have_url(re.compile(r"/assessments/new/$"))
    domains = page.locator("main fieldset.domain")
    expect(domains).to_have_count(13)
    for index in range(13):
        domains.nth(index).locator(f"input[type=radio][value='{index % 5 + 1}']").check()
    page.locator("main form[method=post] .actions button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/persons/\d+/$"))


def make_first_plan(page: Page, person: Person) -> None:
    page.locator(f'main a[href="/care/persons/{person.pk}/plan/edit/"]').first.click()
    expect(page).to_have_url(re.compile(r"/plan/edit/$"))
    page.fill("#id_own_words", "Een eigen plek en weer werken")
    evaluation = timezone.localdate() + datetime.timedelta(days=90)
    page.fill("#id_evaluation_date", evaluation.isoformat())
    goals = [
        ("Een eigen woning vinden", "Inschrijven bij de woningcorporatie"),
        ("Schulden op een rij", "Papieren meenemen"),
    ]
    for index, (goal, action) in enumerate(goals):
        if index:
            page.locator("main form button[name=add_goal]").click()
        page.fill(f"#id_goals-{index}-description", goal)
        page.fill(f"#id_goals-{index}-actions-0-what", action)
        page.select_option(f"#id_goals-{index}-actions-0-who", "person")
    page.locator("main form .actions button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/care/persons/{person.pk}/plan/$"))


def test_caseworker_runs_an_intake_to_a_first_plan_and_sees_the_spider_chart(
    live_server, page: Page, caseworker: Caseworker
) -> None:
    log_in(page, live_server.url, caseworker)
    person = run_intake(page, live_server.url, caseworker)
    intake = Intake.objects.get(person=person)
    assert intake.step == Intake.Step.DONE and intake.completed_at is not None
    assert Contact.objects.get(person=person).note == "Kwam binnen via de huiskamer"
    assert Consent.objects.get(person=person).recipient == caseworker.partner
    person.refresh_from_db()
    assert person.key_worker == caseworker.user and person.languages == ["nl", "en"]
    assert Appointment.objects.get(person=person).worker == caseworker.user

    record_first_assessment(page)
    assert Assessment.objects.filter(person=person).count() == 1
    make_first_plan(page, person)
    plan = CarePlan.objects.get(person=person)
    version = plan.current_version()
    assert version is not None
    assert [g.description for g in version.goals.all()] == ["Een eigen woning vinden", "Schulden op een rij"]

    page.goto(f"{live_server.url}/persons/{person.pk}/")
    chart = page.locator("canvas#assessment-chart")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("data-spider-drawn", "1")
