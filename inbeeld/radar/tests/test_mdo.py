"""The network meeting (MDO) agenda: who is on it, who is only counted, and its PDF.

The world: a care foundation (A) and a clinic (B) are involved with most persons; the coordinator works
from the municipality (C), which is involved with nobody. A person is named on the agenda only when
every attending organisation is involved with them or is the coordinator's own organisation.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from inbeeld.care.tests.test_plan_pdf import _objects, pdf_text
from inbeeld.core.models import AuditEvent, Organisation
from inbeeld.core.roles import Role
from inbeeld.people.models import Alias, Person
from inbeeld.radar.models import Colour, Signal
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db

OPENED = datetime.date(2025, 3, 1)


@pytest.fixture
def municipality(network) -> Organisation:
    return f.OrganisationFactory(network=network, name="Gemeente Test C", kind="municipality")


@pytest.fixture
def coordinator(municipality):  # type: ignore[no-untyped-def]
    return f.MembershipFactory(organisation=municipality, role=Role.COORDINATOR)


def flagged(
    network,  # type: ignore[no-untyped-def]
    roepnaam: str,
    involved: list[Organisation],
    severity: int = Colour.RED,
    escalated: bool = False,
    key_worker=None,  # type: ignore[no-untyped-def]
) -> Person:
    person = f.PersonFactory(
        network=network,
        roepnaam=roepnaam,
        involved=involved,
        key_worker=key_worker,
        legal_name=f"Wettelijk {roepnaam}",
    )
    Alias.objects.create(person=person, name=f"Alias{roepnaam}")
    Signal.objects.create(
        network=network,
        person=person,
        rule="not_seen_zone",
        anchor="2025-02-01",
        severity=severity,
        facts={"days": 28, "last_seen": "2025-02-01", "since": "2025-02-01", "status": "street_zone"},
        opened_on=OPENED,
        escalated_on=OPENED + datetime.timedelta(days=2) if escalated else None,
    )
    return person


@pytest.fixture
def persons(network, org_a, org_b, member):  # type: ignore[no-untyped-def]
    both = [org_a, org_b]
    return {
        "red": flagged(network, "Roodje", both, key_worker=member.user),
        "amber": flagged(network, "Oranjetje", both, severity=Colour.AMBER),
        "escalated": flagged(network, "Escalante", both, severity=Colour.AMBER, escalated=True),
        "only_a": flagged(network, "Alleen-A", [org_a]),
    }


def _agenda(client, *organisations: Organisation):  # type: ignore[no-untyped-def]
    response = client.get(reverse("radar:mdo"), {"org": [o.pk for o in organisations]})
    assert response.status_code == 200
    return response


def test_red_and_escalated_persons_are_on_the_agenda_amber_alone_is_not(
    login, coordinator, persons, org_a, org_b
):
    response = _agenda(login(coordinator), org_a, org_b)
    agenda = response.context["agenda"]
    assert set(agenda.person_ids) == {persons["red"].pk, persons["escalated"].pk}
    html = response.content.decode()
    assert "Roodje" in html and "Escalante" in html
    assert "Oranjetje" not in html
    # Red first, then the escalated amber one.
    assert agenda.person_ids == [persons["red"].pk, persons["escalated"].pk]
    # The radar core, never the file.
    assert "Niet gezien (tippelzone)" in html  # Dutch, the default
    assert str(persons["red"].key_worker) in html
    assert "Wettelijk" not in html and "Alias" not in html


def test_a_person_not_every_attending_organisation_is_involved_with_is_only_counted(
    login, coordinator, persons, org_a, org_b
):
    response = _agenda(login(coordinator), org_a, org_b)
    assert persons["only_a"].pk not in response.context["agenda"].person_ids
    assert response.context["agenda"].not_shown == 1
    html = response.content.decode()
    assert "Alleen-A" not in html
    assert "Nog 1 persoon heeft een rood of geëscaleerd signaal" in html


def test_a_meeting_of_the_involved_organisation_and_the_coordinators_own_names_them(
    login, coordinator, persons, org_a, municipality
):
    agenda = _agenda(login(coordinator), org_a, municipality).context["agenda"]
    assert persons["only_a"].pk in agenda.person_ids
    assert agenda.not_shown == 0


def test_without_a_choice_every_organisation_of_the_network_attends(
    login, coordinator, persons, org_a, org_b, municipality
):
    agenda = login(coordinator).get(reverse("radar:mdo")).context["agenda"]
    assert set(agenda.attending_ids) == {org_a.pk, org_b.pk, municipality.pk}
    assert set(agenda.person_ids) == {persons["red"].pk, persons["escalated"].pk}
    assert agenda.not_shown == 1


def test_organisations_of_another_network_cannot_be_ticked(login, coordinator, persons, org_a, org_b):
    elsewhere = f.OrganisationFactory(name="Elders")
    agenda = _agenda(login(coordinator), org_a, elsewhere).context["agenda"]
    assert agenda.attending_ids == [org_a.pk]


def test_another_networks_persons_never_appear(login, coordinator, persons, org_a, org_b):
    other = f.OrganisationFactory(name="Ander netwerk")
    stranger = flagged(other.network, "Vreemdeling", [other])
    agenda = _agenda(login(coordinator), org_a, org_b).context["agenda"]
    assert stranger.pk not in agenda.person_ids
    assert agenda.not_shown == 1  # only_a, not the stranger


def test_closed_signals_do_not_put_anyone_on_the_agenda(login, coordinator, persons, org_a, org_b):
    Signal.objects.filter(person=persons["red"]).update(state=Signal.State.CLEARED, cleared_on=OPENED)
    agenda = _agenda(login(coordinator), org_a, org_b).context["agenda"]
    assert persons["red"].pk not in agenda.person_ids


def test_showing_the_agenda_is_an_audited_read_of_each_person_named(
    login, coordinator, persons, org_a, org_b
):
    _agenda(login(coordinator), org_a, org_b)
    event = AuditEvent.objects.get(data="radar.mdo")
    assert event.action == AuditEvent.Action.READ
    assert event.basis == AuditEvent.Basis.NETWORK_ROLE
    assert sorted(event.detail["persons"]) == sorted([persons["red"].pk, persons["escalated"].pk])


def test_only_the_coordinator_runs_the_meeting(login, member, network):
    analyst = f.MembershipFactory(organisation=member.organisation, role=Role.ANALYST)
    assert login(member).get(reverse("radar:mdo")).status_code == 403
    assert login(analyst).get(reverse("radar:mdo_pdf")).status_code == 404
    assert not AuditEvent.objects.filter(data="radar.mdo").exists()


def _pdf(client, *organisations: Organisation) -> bytes:  # type: ignore[no-untyped-def]
    response = client.get(reverse("radar:mdo_pdf"), {"org": [o.pk for o in organisations]})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "mdo-agenda-" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    return bytes(response.content)


def test_the_pdf_holds_the_agenda_with_date_and_attending_organisations(
    login, coordinator, persons, org_a, org_b
):
    content = _pdf(login(coordinator), org_a, org_b)
    text = pdf_text(content)
    assert "Roodje" in text and "Escalante" in text
    assert "Oranjetje" not in text and "Alleen-A" not in text and "Wettelijk" not in text
    assert org_a.name in text and org_b.name in text
    assert b"/Lang (nl)" in b"".join(_objects(content).values())


def test_the_pdf_follows_the_chosen_language(login, coordinator, persons, org_a, org_b):
    client = login(coordinator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    content = _pdf(client, org_a, org_b)
    assert "Network meeting" in pdf_text(content)
    assert b"/Lang (en)" in b"".join(_objects(content).values())


def test_the_pdf_is_audited_as_an_export_naming_the_persons(login, coordinator, persons, org_a, org_b):
    _pdf(login(coordinator), org_a, org_b)
    event = AuditEvent.objects.get(data="radar.mdo", action=AuditEvent.Action.EXPORT)
    assert sorted(event.detail["persons"]) == sorted([persons["red"].pk, persons["escalated"].pk])
    assert sorted(event.detail["organisations"]) == sorted([org_a.pk, org_b.pk])
    assert event.detail["not_shown"] == 1
    assert (event.user_id_snapshot, event.role) == (coordinator.user_id, Role.COORDINATOR)


def test_the_radar_menu_leads_coordinators_to_the_meeting(login, coordinator, member):
    menu = login(coordinator).get(reverse("radar:dashboard")).content.decode()
    assert f'href="{reverse("radar:mdo")}"' in menu
    other = login(member).get(reverse("radar:dashboard")).content.decode()
    assert f'href="{reverse("radar:mdo")}"' not in other
