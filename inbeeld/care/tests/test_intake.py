"""The intake wizard: a full run, saving half-way and resuming, a host's hand-over, who sees an intake.

``member`` is a caseworker of A; ``host`` a huiskamer host of A; ``outsider`` a caseworker of B.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.urls import reverse

from inbeeld.care.actions import intake as actions
from inbeeld.care.models import Appointment, Contact, Intake
from inbeeld.care.tests.grid_intake import make_intake, step_data
from inbeeld.core.models import AuditEvent
from inbeeld.core.roles import Role
from inbeeld.people.models import Consent, Person
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db
Step = Intake.Step
STEP_NAMES: dict[str, str] = {
    Step.PERSON: "care:intake_person",
    Step.FIRST_CONTACT: "care:intake_contact",
    Step.CONSENT: "care:intake_consent",
    Step.KEY_WORKER: "care:intake_key_worker",
    Step.ASSESSMENT: "care:intake_assessment",
}


@pytest.fixture
def host(org_a):  # type: ignore[no-untyped-def]
    return f.MembershipFactory(organisation=org_a, role=Role.HOST)


def _url(intake: Intake, step: str | None = None) -> str:
    return reverse(STEP_NAMES[step or intake.step], kwargs={"pk": intake.pk})


def _data(step: str, member: Any, org_b: Any, **changes: Any) -> dict[str, Any]:
    return {**step_data(step, recipient=org_b, key_worker=member.user), **changes}


def _html(response: Any) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _run(client: Any, intake: Intake, member: Any, org_b: Any, *steps: str) -> Intake:
    for step in steps:
        response = client.post(_url(intake, step), _data(step, member, org_b))
        assert response.status_code == 302, (step, response.content.decode()[:2000])
        intake.refresh_from_db()
    return intake


def _start(client: Any, **data: Any) -> Intake:
    response = client.post(reverse("care:intake_start"), {"then": "register", "roepnaam": "Nieuw", **data})
    assert response.status_code == 302
    return Intake.objects.latest("id")


# --- a full run ---------------------------------------------------------------------------------


def test_a_full_run_commits_every_step_to_its_records(login, member, org_a, org_b):
    client = login(member)
    assert client.get(reverse("care:intake_start")).status_code == 200
    response = client.post(
        reverse("care:intake_start"),
        {"then": "register", "roepnaam": "Zonnebloem", "aliases": "Zon", "phone": "06 1234 5678"},
    )
    intake = Intake.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(intake, Step.FIRST_CONTACT)
    person = Person.objects.get(roepnaam="Zonnebloem")
    assert intake.person == person and intake.organisation == org_a and intake.started_by == member.user
    assert person.lead_organisation == org_a and person.involvements.filter(organisation=org_a).exists()

    intake = _run(client, intake, member, org_b, Step.FIRST_CONTACT, Step.CONSENT, Step.KEY_WORKER)
    assert intake.step == Step.ASSESSMENT
    assert intake.first_contact == Contact.objects.get(person=person)
    assert Consent.objects.get(person=person).recipient == org_b
    person.refresh_from_db()
    assert person.languages == ["nl", "ro"] and person.key_worker == member.user
    assert person.lead_organisation == org_a

    response = client.post(_url(intake), _data(Step.ASSESSMENT, member, org_b))
    intake.refresh_from_db()
    assert response["Location"] == reverse("care:intake_detail", kwargs={"pk": intake.pk})
    appointment = Appointment.objects.get(person=person)
    assert intake.first_assessment == appointment and appointment.worker == member.user
    assert appointment.place == "Huiskamer" and appointment.purpose
    assert intake.step == Step.DONE and intake.completed_at is not None and intake.draft == ""

    # Finishing links to the person page and to making a care plan; it is no longer in progress.
    page = _html(client.get(response["Location"]))
    assert reverse("people:detail", kwargs={"pk": person.pk}) in page
    assert reverse("care:plan_edit", kwargs={"pk": person.pk}) in page
    assert "Zonnebloem" not in _html(client.get(reverse("care:intake_list")))
    # A finished intake's step pages lead to its summary.
    response = client.get(_url(intake, Step.CONSENT))
    assert response["Location"] == reverse("care:intake_detail", kwargs={"pk": intake.pk})


def test_every_step_writes_its_audit_events(login, member, org_b):
    client = login(member)
    intake = _start(client)
    _run(client, intake, member, org_b, Step.FIRST_CONTACT, Step.CONSENT, Step.KEY_WORKER, Step.ASSESSMENT)
    events = AuditEvent.objects.filter(person_id_snapshot=intake.person_id).order_by("id")
    written = [(e.action, e.data) for e in events if e.action != AuditEvent.Action.READ]
    assert written == [
        ("create", "person"),
        ("create", "intake"),
        ("update", "intake"),
        ("create", "contact"),
        ("update", "intake"),
        ("create", "consent"),
        ("update", "intake"),
        ("update", "person"),
        ("update", "person.lead"),
        ("update", "intake"),
        ("create", "appointment"),
        ("update", "intake"),
    ]
    steps = [e.detail.get("step") for e in events if e.data == "intake" and e.action == "update"]
    assert steps == [Step.FIRST_CONTACT, Step.CONSENT, Step.KEY_WORKER, Step.ASSESSMENT, Step.DONE]
    assert all(e.object_id == str(intake.pk) for e in events if e.data == "intake")
    # Showing the person on a step page is a read.
    client.get(reverse("care:intake_detail", kwargs={"pk": intake.pk}))
    assert AuditEvent.objects.filter(
        person_id_snapshot=intake.person_id, action="read", data="intake"
    ).exists()


def test_a_step_is_one_transaction(login, member, org_b, person, monkeypatch):
    intake = make_intake(member.organisation, member.user, Step.FIRST_CONTACT, person)
    before = AuditEvent.objects.count()

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the intake's own write fails")

    monkeypatch.setattr(actions, "_advance", broken)
    client = login(member)
    client.raise_request_exception = False
    response = client.post(_url(intake), _data(Step.FIRST_CONTACT, member, org_b))
    assert response.status_code == 500
    assert not Contact.objects.exists() and AuditEvent.objects.count() == before
    intake.refresh_from_db()
    assert intake.step == Step.FIRST_CONTACT


# --- step 1: finding or registering the person ---------------------------------------------------


def test_search_finds_visible_persons_only_and_is_audited(login, member, person, org_b):
    theirs = f.PersonFactory(network=org_b.network, roepnaam=person.roepnaam + "B", involved=[org_b])
    response = login(member).get(reverse("care:intake_start"), {"q": person.roepnaam})
    html = _html(response)
    assert person.roepnaam in html and theirs.roepnaam not in html
    event = AuditEvent.objects.filter(action="search").latest("id")
    assert event.detail == {"persons": [person.pk]} and event.request_path == reverse("care:intake_start")


def test_choosing_a_person_from_the_list(login, member, person):
    client = login(member)
    response = client.post(reverse("care:intake_start"), {"then": "choose", "person": person.pk})
    intake = Intake.objects.get()
    assert response.status_code == 302 and intake.person == person and intake.step == Step.FIRST_CONTACT
    # One intake in progress per person: the second is refused, next to the search results.
    response = client.post(reverse("care:intake_start"), {"then": "choose", "person": person.pk})
    assert response.status_code == 422 and "person" in response.context["choose"].errors
    assert Intake.objects.count() == 1
    search = client.get(reverse("care:intake_start"), {"q": person.roepnaam})
    assert reverse("care:intake_list") in _html(search)


def test_a_person_the_member_does_not_see_cannot_be_chosen(login, member, org_b):
    theirs = f.PersonFactory(network=org_b.network, involved=[org_b])
    before = AuditEvent.objects.count()
    response = login(member).post(reverse("care:intake_start"), {"then": "choose", "person": theirs.pk})
    assert response.status_code == 422 and "person" in response.context["choose"].errors
    assert not Intake.objects.exists() and AuditEvent.objects.count() == before


def test_walk_in_with_a_prefilled_roepnaam(login, host, person):
    response = login(host).get(reverse("care:intake_start"), {"roepnaam": person.roepnaam})
    html = _html(response)
    assert f'value="{person.roepnaam}"' in html
    # The roepnaam is searched too, so a walk-in already in the list is not registered twice.
    assert 'name="then" value="choose"' in html


# --- saving half-way and resuming ----------------------------------------------------------------


def test_save_half_way_and_resume_with_the_draft_restored(login, member, org_b):
    client = login(member)
    counts = (Person.objects.count(), AuditEvent.objects.filter(action="create", data="person").count())
    response = client.post(
        reverse("care:intake_start"), {"then": "save", "roepnaam": "Later", "aliases": "La, Lata"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("care:intake_list")
    intake = Intake.objects.get()
    assert intake.person is None and intake.step == Step.PERSON
    assert (Person.objects.count(), AuditEvent.objects.filter(data="person").count()) == counts
    assert json.loads(intake.draft)["person"]["roepnaam"] == "Later"
    listed = _html(client.get(reverse("care:intake_list")))
    assert "Later" in listed and _url(intake) in listed
    resumed = _html(client.get(_url(intake)))
    assert 'value="Later"' in resumed and 'value="La, Lata"' in resumed

    intake = _run(client, intake, member, org_b, Step.PERSON)
    note = "Komt terug na het weekend"
    response = client.post(
        _url(intake),
        {"then": "save", "channel": "phone", "kind": "advice", "topics": ["housing", "health"], "note": note},
    )
    assert response.status_code == 302 and not Contact.objects.exists()
    intake.refresh_from_db()
    assert intake.step == Step.FIRST_CONTACT
    form = client.get(_url(intake)).context["form"]
    assert form.initial["note"] == note and form.initial["topics"] == ["housing", "health"]
    html = _html(client.get(_url(intake)))
    assert note in html and re.search(r'value="phone"[^>]*checked', html)
    # Completing the step turns the draft into records and forgets it.
    intake = _run(client, intake, member, org_b, Step.FIRST_CONTACT)
    assert "first_contact" not in json.loads(intake.draft or "{}")
    assert intake.draft == "" or "person" not in json.loads(intake.draft)


def test_the_draft_is_encrypted_at_rest(login, member):
    from django.db import connection

    login(member).post(reverse("care:intake_start"), {"then": "save", "roepnaam": "Geheimpje"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT draft FROM care_intake")
        (stored,) = cursor.fetchone()
    assert "Geheimpje" not in stored


def test_a_submission_for_a_step_already_done_writes_nothing(login, member, org_b, person):
    intake = make_intake(member.organisation, member.user, Step.CONSENT, person)
    client = login(member)
    response = client.post(_url(intake, Step.FIRST_CONTACT), _data(Step.FIRST_CONTACT, member, org_b))
    assert response.status_code == 302 and response["Location"] == _url(intake, Step.CONSENT)
    assert not Contact.objects.exists()
    assert client.get(_url(intake, Step.FIRST_CONTACT))["Location"] == _url(intake, Step.CONSENT)
    assert client.get(reverse("care:intake_detail", kwargs={"pk": intake.pk}))["Location"] == _url(intake)


def test_no_consent_yet(login, member, person):
    intake = make_intake(member.organisation, member.user, Step.CONSENT, person)
    response = login(member).post(_url(intake), {"then": "skip"})
    intake.refresh_from_db()
    assert response.status_code == 302 and intake.step == Step.KEY_WORKER
    assert not Consent.objects.filter(person=person).exists()
    event = AuditEvent.objects.filter(data="intake").latest("id")
    assert event.detail == {"step": Step.KEY_WORKER, "consent": None}


def test_the_key_worker_is_a_caseworker_of_the_acting_organisation(login, member, org_a, org_b, person):
    intake = make_intake(org_a, member.user, Step.KEY_WORKER, person)
    outreach = f.MembershipFactory(organisation=org_a, role=Role.OUTREACH)
    theirs = f.MembershipFactory(organisation=org_b, role=Role.CASEWORKER)
    client = login(member)
    for user in (outreach.user, theirs.user):
        response = client.post(_url(intake), {"languages": "nl", "key_worker": user.pk})
        assert response.status_code == 422 and "key_worker" in response.context["form"].errors
    person.refresh_from_db()
    assert person.key_worker is None
    # The form proposes the acting caseworker.
    assert client.get(_url(intake)).context["form"].initial["key_worker"] == member.user.pk


def test_discarding_an_intake_keeps_what_its_steps_recorded(login, member, person):
    intake = make_intake(member.organisation, member.user, Step.CONSENT, person)
    response = login(member).post(reverse("care:intake_discard", kwargs={"pk": intake.pk}))
    assert response.status_code == 302 and not Intake.objects.exists()
    assert Person.objects.filter(pk=person.pk).exists()
    event = AuditEvent.objects.filter(data="intake").latest("id")
    assert (event.action, event.person_id_snapshot, event.object_id) == ("delete", person.pk, str(intake.pk))


# --- a host's hand-over --------------------------------------------------------------------------


def test_a_host_starts_and_a_caseworker_continues(login, host, member, org_b, client):
    host_client = login(host)
    intake = _start(host_client, roepnaam="Inloop")
    intake = _run(host_client, intake, member, org_b, Step.FIRST_CONTACT)
    assert intake.step == Step.CONSENT and intake.started_by == host.user
    contact = Contact.objects.get(person=intake.person)
    assert contact.recorded_by == host.user and contact.channel == "huiskamer"

    page = host_client.get(_url(intake))
    assert page.status_code == 200 and 'id="intake-handover"' in _html(page)
    assert '<form method="post" id="intake-step"' not in _html(page)
    before = (Consent.objects.count(), AuditEvent.objects.exclude(action="read").count())
    assert host_client.post(_url(intake), _data(Step.CONSENT, member, org_b)).status_code == 403
    assert host_client.post(_url(intake), {"then": "save", "note": "x"}).status_code == 403
    assert host_client.post(_url(intake), {"then": "skip"}).status_code == 403
    assert (Consent.objects.count(), AuditEvent.objects.exclude(action="read").count()) == before
    listed = host_client.get(reverse("care:intake_list"))
    assert listed.context["rows"][0]["may_continue"] is False

    caseworker = login(member)
    assert "Inloop" in _html(caseworker.get(reverse("care:intake_list")))
    intake = _run(caseworker, intake, member, org_b, Step.CONSENT, Step.KEY_WORKER, Step.ASSESSMENT)
    assert intake.step == Step.DONE
    assert Person.objects.get(intakes=intake).key_worker == member.user


# --- who sees an intake --------------------------------------------------------------------------


def test_another_organisation_cannot_open_or_list_it(login, member, outsider, org_b, person):
    intake = make_intake(member.organisation, member.user, Step.FIRST_CONTACT, person)
    theirs_host = f.MembershipFactory(organisation=org_b, role=Role.HOST)
    for membership in (outsider, theirs_host):
        client = login(membership)
        for name in (*STEP_NAMES.values(), "care:intake_detail"):
            assert client.get(reverse(name, kwargs={"pk": intake.pk})).status_code == 404, name
        assert client.post(reverse("care:intake_discard", kwargs={"pk": intake.pk})).status_code == 404
        assert client.get(reverse("care:intake_list")).context["rows"] == []
    assert Intake.objects.filter(pk=intake.pk).exists()


def test_other_roles_of_the_same_organisation_do_not_see_it(login, member, readonly_member, person):
    intake = make_intake(member.organisation, member.user, Step.FIRST_CONTACT, person)
    client = login(readonly_member)
    assert client.get(reverse("care:intake_detail", kwargs={"pk": intake.pk})).status_code == 404
    assert client.get(reverse("care:intake_list")).status_code == 403


def test_an_intake_whose_person_is_no_longer_visible_is_hidden(login, member, org_a, org_b, person):
    intake = make_intake(org_a, member.user, Step.CONSENT, person)
    person.involvements.update(ended_on="2020-01-01")
    person.lead_organisation = org_b
    person.save()
    client = login(member)
    assert client.get(_url(intake)).status_code == 404
    assert client.get(reverse("care:intake_list")).context["rows"] == []


def test_the_list_read_is_audited(login, member, person):
    make_intake(member.organisation, member.user, Step.CONSENT, person)
    login(member).get(reverse("care:intake_list"))
    event = AuditEvent.objects.filter(data="intake.list").latest("id")
    assert event.detail == {"persons": [person.pk]}
