"""The daily digest: one e-mail a day per worker with their open signals, naming nobody beyond a roepnaam.

The world: a caseworker of A (key worker) and a second caseworker of A, each with signals of persons A
is involved with; a network coordinator (municipality C); a user who left and an inactive one.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from inbeeld.core.models import AuditEvent, Membership, Organisation, User
from inbeeld.core.roles import Role
from inbeeld.people.models import Alias, Person
from inbeeld.radar import rules
from inbeeld.radar.digest import send_digests
from inbeeld.radar.models import Colour, DigestSent, Signal
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_network(settings):  # type: ignore[no-untyped-def]
    """The digest goes out in the network's language; these tests read it in English."""
    settings.LANGUAGE_CODE = "en"


DAY = datetime.date(2025, 3, 10)
LEGAL_NAME = "Wilhelmina Wettelijk-Achternaam"
ALIAS = "Schuilnaam-Zwaluw"
NOTE = "Geheime notitie over de woning"


# --- the world ------------------------------------------------------------------------------------


def link(signal: Signal) -> str:
    return settings.BASE_URL + reverse("radar:signal", args=[signal.pk])


def open_signal(
    person: Person,
    assigned_to: User | None,
    *,
    severity: int = Colour.AMBER,
    rule: str = "not_seen_zone",
    opened_on: datetime.date = DAY - datetime.timedelta(days=3),
    escalated: bool = False,
) -> Signal:
    return Signal.objects.create(
        network=person.network,
        person=person,
        rule=rule,
        anchor=f"{rule}:{person.pk}:{opened_on}",
        severity=severity,
        facts={"days": 12, "last_seen": "2025-02-26", "since": "2025-02-26", "status": "street_zone"},
        opened_on=opened_on,
        escalated_on=DAY if escalated else None,
        assigned_to=assigned_to,
        outcome_note=NOTE,  # never on an open signal in practice: here to prove it is not mailed
    )


@pytest.fixture
def municipality(network) -> Organisation:
    return f.OrganisationFactory(network=network, name="Gemeente Test C", kind="municipality")


@pytest.fixture
def coordinator(municipality) -> Membership:
    return f.MembershipFactory(
        organisation=municipality, role=Role.COORDINATOR, user__full_name="Coördinator"
    )


@pytest.fixture
def colleague(org_a) -> Membership:
    return f.MembershipFactory(organisation=org_a, role=Role.OUTREACH)


@pytest.fixture
def world(network, org_a, member, colleague) -> dict[str, Any]:
    noor = f.PersonFactory(network=network, roepnaam="Noor", involved=[org_a], key_worker=member.user)
    noor.legal_name = LEGAL_NAME
    noor.save()
    Alias.objects.create(person=noor, name=ALIAS)
    sam = f.PersonFactory(network=network, roepnaam="Sam", involved=[org_a], key_worker=colleague.user)
    return {
        "noor": noor,
        "sam": sam,
        "noor_red": open_signal(noor, member.user, severity=Colour.RED),
        "noor_amber": open_signal(noor, member.user, rule="no_shows"),
        "sam_amber": open_signal(sam, colleague.user),
    }


def mails_to(user: User) -> list[mail.EmailMultiAlternatives]:
    return [m for m in mail.outbox if m.to == [user.email]]  # type: ignore[misc]


def html_of(message: mail.EmailMultiAlternatives) -> str:
    (content, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return str(content)


# --- the tests ------------------------------------------------------------------------------------


def test_each_worker_gets_one_email_with_their_open_signals(world, member, colleague):
    assert send_digests(DAY) == 2
    (mine,) = mails_to(member.user)
    for text in (mine.body, html_of(mine)):
        assert "Noor" in text and "Sam" not in text
        assert link(world["noor_red"]) in text and link(world["noor_amber"]) in text
        assert "Not seen (street zone)" in text and "No-shows in a row" in text
    assert "(red)" in mine.body and "open for 3 days" in mine.body
    assert link(world["noor_red"]).startswith(f"{settings.BASE_URL}/radar/")
    assert mine.subject == "Inbeeld: 2 open signals on the radar"
    (theirs,) = mails_to(colleague.user)
    assert "Sam" in theirs.body and "Noor" not in theirs.body
    assert link(world["sam_amber"]) in theirs.body


def test_running_twice_a_day_mails_nobody_twice(world, member, colleague):
    assert send_digests(DAY) == 2
    assert send_digests(DAY) == 0
    assert len(mail.outbox) == 2
    assert DigestSent.objects.filter(day=DAY).count() == 2
    # The next day is a new digest.
    assert send_digests(DAY + datetime.timedelta(days=1)) == 2
    assert len(mail.outbox) == 4


def test_the_digest_names_nobody_beyond_the_roepnaam(world, member):
    send_digests(DAY)
    (mine,) = mails_to(member.user)
    reason = rules.reason_for(world["noor_red"])
    for text in (mine.subject, mine.body, html_of(mine)):
        assert LEGAL_NAME not in text and "Wettelijk" not in text
        assert ALIAS not in text
        assert NOTE not in text
        assert reason not in text and "2025-02-26" not in text


def test_a_coordinator_gets_the_escalated_and_unassigned_signals_of_the_network(
    world, network, org_a, member, coordinator
):
    escalated = open_signal(world["sam"], None, severity=Colour.RED, rule="discharged", escalated=True)
    escalated.assigned_to = member.user
    escalated.save()
    unassigned = open_signal(world["sam"], None, rule="status_unknown")
    elsewhere = f.OrganisationFactory(name="Ander netwerk")
    stranger = f.PersonFactory(network=elsewhere.network, roepnaam="Vreemdeling", involved=[elsewhere])
    open_signal(stranger, None, escalated=True)
    send_digests(DAY)
    (theirs,) = mails_to(coordinator.user)
    assert link(escalated) in theirs.body and link(unassigned) in theirs.body
    assert "Escalated in the network" in theirs.body and "Not assigned to anyone" in theirs.body
    assert link(world["noor_red"]) not in theirs.body  # assigned and not escalated: the key worker's
    assert "Vreemdeling" not in theirs.body
    # The key worker gets the escalated one too: it is still theirs.
    assert link(escalated) in mails_to(member.user)[0].body


def test_inactive_users_and_ended_memberships_get_nothing(world, network, org_a, member, colleague):
    member.user.is_active = False
    member.user.save()
    colleague.ended_on = DAY - datetime.timedelta(days=1)
    colleague.save()
    assert send_digests(DAY) == 0
    assert mail.outbox == []


def test_roles_without_a_radar_get_nothing(world, org_a, colleague):
    colleague.role = Role.ANALYST
    colleague.save()
    send_digests(DAY)
    assert mails_to(colleague.user) == []


def test_signals_of_persons_the_organisation_left_are_not_mailed(world, member):
    world["noor"].involvements.update(ended_on=DAY - datetime.timedelta(days=1))
    send_digests(DAY)
    assert mails_to(member.user) == []


def test_workers_without_open_signals_get_nothing(world, member, colleague):
    Signal.objects.filter(assigned_to=colleague.user).update(state=Signal.State.CLEARED, cleared_on=DAY)
    assert send_digests(DAY) == 1
    assert mails_to(colleague.user) == []
    assert not DigestSent.objects.filter(user=colleague.user).exists()


def test_each_email_is_audited_as_an_export_naming_its_persons(world, member, colleague):
    send_digests(DAY)
    events = AuditEvent.objects.filter(data="radar.digest").order_by("id")
    assert [(e.action, e.user_id_snapshot) for e in events] == [
        (AuditEvent.Action.EXPORT, member.user_id),
        (AuditEvent.Action.EXPORT, colleague.user_id),
    ]
    mine = events[0]
    assert mine.detail["persons"] == [world["noor"].pk]
    assert sorted(mine.detail["signals"]) == sorted([world["noor_red"].pk, world["noor_amber"].pk])
    assert mine.detail["day"] == DAY.isoformat() and mine.basis == AuditEvent.Basis.INVOLVEMENT


def test_the_digest_is_in_the_networks_language_whatever_is_active(world, member, settings):
    settings.LANGUAGE_CODE = "nl"
    with translation.override("en"):
        send_digests(DAY)
    (mine,) = mails_to(member.user)
    assert 'lang="nl"' in html_of(mine)
    assert mine.subject == "Inbeeld: 2 open signalen op de radar"
    assert "Niet gezien (tippelzone)" in mine.body and "Aan jou toegewezen" in mine.body


class _RefusesOne(LocmemBackend):
    """A mail server that refuses one address."""

    refused = ""

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        if any(self.refused in m.to for m in messages):
            raise ConnectionRefusedError("refused")
        return super().send_messages(messages)


def test_a_refused_email_is_retried_by_the_next_run_and_the_others_still_go(world, member, colleague):
    _RefusesOne.refused = member.user.email
    with override_settings(EMAIL_BACKEND=f"{__name__}._RefusesOne"):
        assert send_digests(DAY) == 1
    assert mails_to(member.user) == [] and len(mails_to(colleague.user)) == 1
    assert not DigestSent.objects.filter(user=member.user).exists()
    assert not AuditEvent.objects.filter(data="radar.digest", user_id_snapshot=member.user_id).exists()
    assert send_digests(DAY) == 1
    assert len(mails_to(member.user)) == 1 and len(mails_to(colleague.user)) == 1


def test_a_long_list_is_cut_off_with_a_link_to_the_radar(world, member, monkeypatch):
    monkeypatch.setattr("inbeeld.radar.digest.SECTION_MAX", 1)
    send_digests(DAY)
    (mine,) = mails_to(member.user)
    assert mine.subject == "Inbeeld: 2 open signals on the radar"
    assert link(world["noor_red"]) in mine.body and link(world["noor_amber"]) not in mine.body
    assert f"… and 1 more on the radar: {settings.BASE_URL}{reverse('radar:dashboard')}" in mine.body
    event = AuditEvent.objects.get(data="radar.digest", user_id_snapshot=member.user_id)
    assert (event.detail["signals"], event.detail["not_listed"]) == ([world["noor_red"].pk], 1)
    assert DigestSent.objects.get(user=member.user).signal_count == 2
