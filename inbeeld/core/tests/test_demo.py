"""The demo network: idempotent, one working login per role, and the published street-zone figures."""

from __future__ import annotations

import datetime
import io
import itertools

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from inbeeld.core import access
from inbeeld.core.demo import (
    CLINIC,
    DEMO_PASSWORD,
    EXTRA_USERS,
    FOUNDATION,
    NETWORK_SLUG,
    ORGANISATIONS,
    ROLE_USERS,
    SHELTER,
    SHELTER_OPENED_ON,
    ZONE_CLOSED_ON,
)
from inbeeld.core.models import AuditEvent, Location, Membership, Network, Organisation, User
from inbeeld.core.roles import Role
from inbeeld.people.demo import STREET_ZONE_FIGURES, plan_persons, planned_street_zone_count
from inbeeld.people.history import status_counts_on, street_zone_count
from inbeeld.people.models import Consent, DataCategory, Involvement, Person, Status, StatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True
    settings.DEMO_WAIVE_2FA = True


def load(**kwargs) -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out, **kwargs)
    return out.getvalue()


def demo_network() -> Network:
    return Network.objects.get(slug=NETWORK_SLUG)


def table_counts() -> dict[str, int]:
    labels = ("core", "people", "account")
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in labels
    }


def test_refuses_outside_demo_or_debug_mode(settings):
    settings.DEMO_MODE = False
    settings.DEBUG = False
    with pytest.raises(CommandError, match="INBEELD_DEMO=1"):
        load()
    assert not Network.objects.filter(slug=NETWORK_SLUG).exists()


def test_second_run_changes_nothing(demo_mode):
    audit_before = AuditEvent.objects.count()
    first = load()
    assert "Demo network loaded" in first
    after_first = table_counts()
    events = list(AuditEvent.objects.order_by("id")[audit_before:])
    assert [e.data for e in events] == ["demo", "radar.run"]  # the summary, then the radar's first run
    summary = events[0]
    assert (summary.action, summary.data, summary.basis, summary.source) == (
        "maintenance",
        "demo",
        "system",
        "system",
    )
    assert summary.detail["created"]["persons"] == Person.objects.count()

    second = load()
    assert "nothing changed" in second
    assert table_counts() == after_first
    assert AuditEvent.objects.count() == audit_before + 2


def test_prints_a_login_per_role_and_the_2fa_waiver(demo_mode):
    output = load()
    assert "http://127.0.0.1:8000/" in output
    for role in Role.values:
        assert f"{role}@demo.inbeeld.test / {DEMO_PASSWORD}  ({role}, " in output
    assert "Two-factor authentication is waived in demo mode (INBEELD_DEMO=1)." in output
    assert load(verbosity=0) == ""


def test_network_organisations_locations_and_users(demo_mode):
    load()
    network = demo_network()
    assert network.name == "Netwerk Groningen (demo)"
    # The four organisations of the story, by name and kind (partner services add a few more partners).
    found = set(Organisation.objects.filter(network=network).values_list("name", "kind"))
    assert set(ORGANISATIONS.values()) <= found

    zone = Location.objects.get(organisation__network=network, kind=Location.Kind.STREET_ZONE)
    assert zone.closed_on == ZONE_CLOSED_ON == datetime.date(2019, 3, 31)
    shelter = Location.objects.get(organisation__network=network, kind=Location.Kind.SHELTER)
    assert shelter.opened_on == SHELTER_OPENED_ON == datetime.date(2019, 4, 1)
    assert shelter.organisation.kind == Organisation.Kind.VOLUNTEER_INITIATIVE
    huiskamer = Location.objects.get(organisation__network=network, kind=Location.Kind.HUISKAMER)
    assert huiskamer.opening_hours.count() >= 3
    assert huiskamer.organisation.kind == Organisation.Kind.CARE_PROVIDER

    assert {spec.role for spec in ROLE_USERS} == set(Role.values)
    expected_org_kind: dict[str, str] = {
        Role.CASEWORKER: "care_provider",
        Role.OUTREACH: "care_provider",
        Role.HOST: "care_provider",
        Role.SHELTER_COORDINATOR: "volunteer_initiative",
        Role.VOLUNTEER: "volunteer_initiative",
        Role.COORDINATOR: "municipality",
        Role.ANALYST: "municipality",
        Role.PRIVACY_OFFICER: "municipality",
        Role.ADMIN: "municipality",
    }
    for spec in (*ROLE_USERS, *EXTRA_USERS):
        user = User.objects.get(email=spec.email)
        membership = Membership.objects.get(user=user, ended_on__isnull=True)
        assert membership.role == spec.role
        assert membership.organisation.network == network
        if spec in ROLE_USERS:
            assert spec.email == f"{spec.role}@demo.inbeeld.test"
            assert membership.organisation.kind == expected_org_kind[spec.role]
        assert user.is_staff == (spec.role == Role.ADMIN)
        assert not user.is_superuser
    # One hash for all, and it is the demo password (checked once: argon2 is slow on purpose).
    assert (
        User.objects.filter(email__endswith="@demo.inbeeld.test").values("password").distinct().count() == 1
    )
    assert User.objects.get(email="caseworker@demo.inbeeld.test").check_password(DEMO_PASSWORD)


def test_demo_logins_work(demo_mode, client):
    load()
    response = client.post(
        "/accounts/login/", {"login": "caseworker@demo.inbeeld.test", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/persons/").status_code == 200
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": "admin@demo.inbeeld.test", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_street_zone_figures_from_status_histories(demo_mode):
    load()
    network = demo_network()
    for day, expected in STREET_ZONE_FIGURES:
        assert abs(street_zone_count(day, network) - expected) <= 3, day
    assert street_zone_count(datetime.date(2017, 1, 15), network) == pytest.approx(62, abs=3)
    assert street_zone_count(datetime.date(2017, 11, 15), network) == pytest.approx(45, abs=3)
    assert street_zone_count(datetime.date(2018, 7, 1), network) == pytest.approx(38, abs=3)
    assert street_zone_count(datetime.date(2019, 3, 15), network) == pytest.approx(6, abs=3)
    for day in (datetime.date(2019, 4, 1), datetime.date(2020, 1, 1), timezone.localdate()):
        assert street_zone_count(day, network) == 0
    assert street_zone_count(datetime.date(2016, 12, 1), network) == 0  # before the by-name list
    # The series only goes down in the big steps: monthly counts never jump up by more than two.
    months = [datetime.date(2017 + m // 12, m % 12 + 1, 15) for m in range(27)]
    series = [street_zone_count(day, network) for day in months]
    assert all(b - a <= 2 for a, b in itertools.pairwise(series))


def test_persons_and_their_histories(demo_mode):
    load()
    network = demo_network()
    persons = Person.objects.in_network(network)
    assert 65 <= persons.count() <= 75
    assert persons.values("roepnaam").distinct().count() == persons.count()
    for person in persons.prefetch_related("status_changes"):
        changes = sorted(person.status_changes.all(), key=lambda c: (c.effective_on, c.recorded_at))
        assert changes, person
        assert changes[0].from_status == ""
        for before, after in itertools.pairwise(changes):
            assert after.effective_on > before.effective_on
            assert after.from_status == before.to_status
        assert (person.status, person.status_since) == (changes[-1].to_status, changes[-1].effective_on)
        assert changes[0].effective_on >= datetime.date(2017, 1, 1)
        assert person.lead_organisation is not None
        if person.status not in (Status.MOVED_AWAY, Status.DECEASED):
            assert person.key_worker is not None
    assert persons.filter(status=Status.DECEASED).count() == 2
    returners = [
        p for p in persons if StatusChange.objects.filter(person=p, to_status=Status.STREET_ZONE).count() >= 2
    ]
    assert len(returners) >= 2  # some come back to the zone for a while
    later = persons.filter(
        status_changes__from_status="", status_changes__effective_on__gte=datetime.date(2019, 4, 1)
    )
    assert later.count() >= 4  # walk-ins and shelter residents arriving after the zone closed
    counts = status_counts_on(datetime.date(2017, 1, 15), network)
    assert counts[Status.STREET_ZONE] == street_zone_count(datetime.date(2017, 1, 15), network)

    # Invented phone numbers only, in the never-issued 06-00000xxx range, findable by exact search.
    with_phone = persons.exclude(phone="")
    assert with_phone.count() >= 3
    for person in with_phone:
        assert person.phone.startswith("06-00000") and len(person.phone) == 11
        assert persons.search(person.phone).filter(pk=person.pk).exists()
    assert persons.exclude(legal_name="").count() >= 3


def test_involvements_consents_and_who_sees_whom(demo_mode):
    load()
    network = demo_network()
    foundation = Organisation.objects.get(network=network, name=ORGANISATIONS[FOUNDATION][0])
    clinic = Organisation.objects.get(network=network, name=ORGANISATIONS[CLINIC][0])
    shelter = Organisation.objects.get(network=network, name=ORGANISATIONS[SHELTER][0])
    persons = Person.objects.in_network(network)
    assert (
        Involvement.objects.filter(organisation=foundation).values("person").distinct().count()
        == persons.count()
    )
    treated = persons.filter(status_changes__to_status=Status.IN_TREATMENT).distinct()
    assert set(Involvement.objects.filter(organisation=clinic).values_list("person", flat=True)) == set(
        treated.values_list("pk", flat=True)
    )
    assert Involvement.objects.current().filter(organisation=shelter).exists()
    assert not Involvement.objects.filter(organisation=shelter, started_on__lt=SHELTER_OPENED_ON).exists()

    consents = Consent.objects.filter(person__network=network)
    clinic_valid = consents.valid_on().filter(recipient=clinic, purpose=Consent.Purpose.CARE_COORDINATION)
    assert clinic_valid.exists()
    assert all(set(c.data_categories) == {DataCategory.CARE_PLAN, DataCategory.HEALTH} for c in clinic_valid)
    assert consents.filter(recipient=foundation, recorded_by_organisation=clinic).exists()
    today = timezone.localdate()
    assert consents.filter(withdrawn_at__isnull=True, valid_to__lt=today).count() >= 1  # expired
    assert consents.filter(withdrawn_at__isnull=False).count() >= 1  # withdrawn

    def member(email: str) -> Membership:
        return Membership.objects.get(user__email=email)

    caseworker = member("caseworker@demo.inbeeld.test")
    assert access.visible_persons(caseworker).count() == persons.count()
    assert persons.filter(key_worker=caseworker.user).count() >= 10
    residents = access.visible_persons(member("shelter_coordinator@demo.inbeeld.test"))
    assert 0 < residents.count() < persons.count()
    assert access.visible_persons(member("coordinator@demo.inbeeld.test")).count() == persons.count()
    assert access.visible_persons(member("caseworker.kliniek@demo.inbeeld.test")).exists()


def test_plan_is_deterministic_and_matches_the_figures_exactly():
    first, second = plan_persons(), plan_persons()
    assert [(p.roepnaam, p.events, p.aliases, p.phone) for p in first] == [
        (p.roepnaam, p.events, p.aliases, p.phone) for p in second
    ]
    for day, expected in STREET_ZONE_FIGURES:
        assert planned_street_zone_count(first, day) == expected
    assert all(p.events == sorted(p.events) for p in first)
