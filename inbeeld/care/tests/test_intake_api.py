"""The intake API: a full run, a draft kept and resumed (web and API alike), steps out of order, a host's
hand-over, who sees an intake, the audit trail, and bad input on every body.

``member`` is a caseworker of A; ``host`` a huiskamer host of A; ``outsider`` a caseworker of B. Which
role may call what is the grid's job (``grid_intake_api.py``). Refused input answers 422 naming the
field and writes nothing at all, not even an audit event; a 500 would raise in the test client.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.care.models import Appointment, Contact, Intake
from inbeeld.care.tests.grid_intake import make_intake
from inbeeld.core.models import AuditEvent, Location
from inbeeld.core.roles import Role
from inbeeld.people.models import Consent, Person
from inbeeld.testing import factories as f
from inbeeld.testing.bad_input import HTML, LONG, MISSING

pytestmark = pytest.mark.django_db
API = "/api/v1"
Step = Intake.Step
SQL = "'; DROP TABLE care_intake; --"


@pytest.fixture
def host(org_a):  # type: ignore[no-untyped-def]
    return f.MembershipFactory(organisation=org_a, role=Role.HOST)


def tomorrow_ten() -> str:
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    return tomorrow.replace(hour=10, minute=0, second=0, microsecond=0).isoformat()


def step_body(step: str, *, recipient: Any, key_worker: Any) -> dict[str, Any]:
    """A valid body completing ``step``."""
    bodies: dict[str, dict[str, Any]] = {
        Step.PERSON: {"person": {"roepnaam": "Nieuw"}},
        Step.FIRST_CONTACT: {"channel": "huiskamer", "kind": "information", "topics": ["housing"]},
        Step.CONSENT: {
            "consent": {
                "recipient_id": recipient.pk,
                "purpose": "referral",
                "data_categories": ["contacts"],
                "how_given": "verbal",
                "valid_from": timezone.localdate().isoformat(),
            }
        },
        Step.KEY_WORKER: {"languages": ["nl", "ro"], "key_worker_id": key_worker.pk},
        Step.ASSESSMENT: {"starts_at": tomorrow_ten(), "duration_minutes": 90, "place": "Huiskamer"},
    }
    return bodies[step]


SUFFIX: dict[str, str] = {
    Step.PERSON: "/person",
    Step.FIRST_CONTACT: "/first-contact",
    Step.CONSENT: "/consent",
    Step.KEY_WORKER: "/key-worker",
    Step.ASSESSMENT: "/first-assessment",
}


def url(intake: Intake | int, suffix: str = "") -> str:
    pk = intake if isinstance(intake, int) else intake.pk
    return f"{API}/intakes/{pk}{suffix}"


def send(client: Any, method: str, path: str, body: Any = None, *, raw: bool = False) -> Any:
    data = body if raw else json.dumps(body)
    return client.generic(
        method, path, data if body is not None or raw else "", content_type="application/json"
    )


def run(client: Any, intake_id: int, member: Any, org_b: Any, *steps: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for step in steps:
        body = step_body(step, recipient=org_b, key_worker=member.user)
        response = send(client, "POST", url(intake_id, SUFFIX[step]), body)
        assert response.status_code == 200, (step, response.json())
        out = response.json()
    return out


def start(client: Any, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = send(client, "POST", f"{API}/intakes", body or {"person": {"roepnaam": "Nieuw"}})
    assert response.status_code == 201, response.json()
    return response.json()


def state() -> tuple[Any, ...]:
    """Everything an intake write could touch; equal before and after means nothing was written."""
    return (
        sorted(Intake.objects.values_list("pk", "step", "person_id", "completed_at")),
        sorted((i.pk, i.draft) for i in Intake.objects.all()),
        sorted(Person.objects.values_list("pk", "version", "key_worker_id", "lead_organisation_id")),
        Contact.objects.count(),
        Consent.objects.count(),
        Appointment.objects.count(),
        AuditEvent.objects.count(),
    )


# --- a full run -----------------------------------------------------------------------------------


def test_a_full_run_through_the_api(login, member, org_a, org_b):
    client = login(member)
    body = {"person": {"roepnaam": "Zonnebloem", "aliases": ["Zon"], "phone": "06 1234 5678"}}
    out = start(client, body)
    intake = Intake.objects.get()
    person = Person.objects.get(roepnaam="Zonnebloem")
    assert out["id"] == intake.pk and out["step"] == Step.FIRST_CONTACT and out["done"] == [Step.PERSON]
    assert out["person_id"] == person.pk and out["roepnaam"] == "Zonnebloem" and out["may_continue"]
    assert person.alias_names() == ["Zon"] and person.lead_organisation == org_a

    out = run(client, intake.pk, member, org_b, Step.FIRST_CONTACT, Step.CONSENT, Step.KEY_WORKER)
    assert out["step"] == Step.ASSESSMENT and out["first_contact_id"] == Contact.objects.get(person=person).pk
    assert Consent.objects.get(person=person).recipient == org_b
    person.refresh_from_db()
    assert person.languages == ["nl", "ro"] and person.key_worker == member.user

    out = run(client, intake.pk, member, org_b, Step.ASSESSMENT)
    appointment = Appointment.objects.get(person=person)
    assert out["step"] == Step.DONE and out["completed_at"] and out["first_assessment_id"] == appointment.pk
    assert out["done"] == [Step.PERSON, Step.FIRST_CONTACT, Step.CONSENT, Step.KEY_WORKER, Step.ASSESSMENT]
    assert appointment.worker == member.user and appointment.place == "Huiskamer"
    assert appointment.ends_at - appointment.starts_at == datetime.timedelta(minutes=90)
    assert out["may_continue"] is False and out["draft"] == {}
    # A completed intake is still there to look at, but no longer in progress.
    assert client.get(url(intake)).json()["step"] == Step.DONE
    assert client.get(f"{API}/intakes").json() == {"items": [], "count": 0}


def test_starting_with_someone_you_see_once_per_person(login, member, person):
    client = login(member)
    out = start(client, {"person_id": person.pk})
    assert out["person_id"] == person.pk and out["step"] == Step.FIRST_CONTACT
    before = state()
    response = send(client, "POST", f"{API}/intakes", {"person_id": person.pk})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "person_id"]
    assert state() == before


def test_every_write_records_its_audit_events(login, member, org_b):
    client = login(member)
    intake_id = start(client)["id"]
    run(client, intake_id, member, org_b, Step.FIRST_CONTACT, Step.CONSENT, Step.KEY_WORKER, Step.ASSESSMENT)
    person_id = Intake.objects.get().person_id
    assert person_id is not None
    events = AuditEvent.objects.filter(person_id_snapshot=person_id).order_by("id")
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
    assert {e.source for e in events} == {"api"}
    steps = [e.detail.get("step") for e in events if e.data == "intake" and e.action == "update"]
    assert steps == [Step.FIRST_CONTACT, Step.CONSENT, Step.KEY_WORKER, Step.ASSESSMENT, Step.DONE]
    # Reading the intake shows its person: an audited read. The list's roepnamen are one too.
    client.get(url(intake_id))
    assert events.filter(action="read", data="intake").count() == 1
    intake = make_intake(member.organisation, member.user, Step.CONSENT, Person.objects.get(pk=person_id))
    client.get(f"{API}/intakes")
    listed = AuditEvent.objects.filter(data="intake.list").latest("id")
    assert listed.detail == {"persons": [person_id]} and listed.source == "api"
    # Keeping a draft and discarding write their own.
    send(client, "PUT", url(intake, "/draft"), {"step": "consent", "answers": {"note": "Later"}})
    assert AuditEvent.objects.filter(data="intake").latest("id").detail == {"draft": "consent"}
    assert send(client, "DELETE", url(intake)).status_code == 204
    event = AuditEvent.objects.filter(data="intake").latest("id")
    assert (event.action, event.object_id, event.source) == ("delete", str(intake.pk), "api")


def test_no_consent_yet(login, member, person):
    intake = make_intake(member.organisation, member.user, Step.CONSENT, person)
    response = send(login(member), "POST", url(intake, "/consent"), {"consent": None})
    assert response.status_code == 200 and response.json()["step"] == Step.KEY_WORKER
    assert not Consent.objects.filter(person=person).exists()
    assert AuditEvent.objects.filter(data="intake").latest("id").detail == {
        "step": Step.KEY_WORKER,
        "consent": None,
    }


def test_languages_left_out_are_kept(login, member, person):
    person.languages = ["bg"]
    person.save()
    intake = make_intake(member.organisation, member.user, Step.KEY_WORKER, person)
    response = send(login(member), "POST", url(intake, "/key-worker"), {"key_worker_id": member.user.pk})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.languages == ["bg"] and person.key_worker == member.user


# --- drafts ---------------------------------------------------------------------------------------


def test_save_a_draft_and_resume_it_on_the_web_or_in_the_api(login, member, org_b, person):
    intake = make_intake(member.organisation, member.user, Step.FIRST_CONTACT, person)
    client = login(member)
    note = "Komt terug na het weekend"
    answers = {"channel": "phone", "kind": "advice", "topics": ["housing", "health"], "note": note}
    response = send(client, "PUT", url(intake, "/draft"), {"step": "first_contact", "answers": answers})
    assert response.status_code == 200 and not Contact.objects.exists()
    assert response.json()["step"] == Step.FIRST_CONTACT
    assert {k: response.json()["draft"][k] for k in answers} == answers
    assert client.get(url(intake)).json()["draft"]["note"] == note
    # The wizard resumes the draft kept through the API.
    web = client.get(reverse("care:intake_contact", kwargs={"pk": intake.pk}))
    assert web.context["form"].initial["note"] == note
    assert web.context["form"].initial["topics"] == ["housing", "health"]
    # Completing the step turns the draft into records and forgets it.
    out = run(client, intake.pk, member, org_b, Step.FIRST_CONTACT)
    assert out["draft"] == {} and "first_contact" not in json.loads(Intake.objects.get().draft or "{}")

    # A draft kept on the web before the person step resumes in the API.
    client.post(reverse("care:intake_start"), {"then": "save", "roepnaam": "Later"})
    kept = Intake.objects.get(person__isnull=True)
    listed = client.get(f"{API}/intakes").json()["items"]
    assert {"id": kept.pk, "roepnaam": "Later", "person_id": None} == {
        k: v for k, v in listed[0].items() if k in ("id", "roepnaam", "person_id")
    }
    assert client.get(url(kept)).json()["draft"]["roepnaam"] == "Later"
    draft = {"step": "person", "answers": {"roepnaam": "Later", "aliases": "La, Lata"}}
    assert send(client, "PUT", url(kept, "/draft"), draft).json()["draft"]["aliases"] == "La, Lata"
    resumed = client.get(reverse("care:intake_person", kwargs={"pk": kept.pk}))
    assert 'value="La, Lata"' in resumed.content.decode()
    out = run(client, kept.pk, member, org_b, Step.PERSON)
    assert out["step"] == Step.FIRST_CONTACT and out["roepnaam"] == "Nieuw"


# --- steps out of order ---------------------------------------------------------------------------


def test_a_step_the_intake_is_not_at_is_409_and_writes_nothing(login, member, org_b, person):
    intake = make_intake(member.organisation, member.user, Step.CONSENT, person)
    client = login(member)
    before = state()
    for step in (Step.PERSON, Step.FIRST_CONTACT, Step.KEY_WORKER, Step.ASSESSMENT):
        body = step_body(step, recipient=org_b, key_worker=member.user)
        response = send(client, "POST", url(intake, SUFFIX[step]), body)
        assert response.status_code == 409, step
        assert response.json()["step"] == Step.CONSENT and response.json()["detail"]
    draft = {"step": "first_contact", "answers": {"note": "x"}}
    response = send(client, "PUT", url(intake, "/draft"), draft)
    assert response.status_code == 409 and response.json()["step"] == Step.CONSENT
    assert state() == before
    # A completed intake: every step, its draft and discarding it are 409.
    intake.step, intake.completed_at = Step.DONE, timezone.now()
    intake.save()
    before = state()
    assert send(client, "POST", url(intake, "/consent"), {"consent": None}).json()["step"] == Step.DONE
    assert send(client, "DELETE", url(intake)).status_code == 409
    assert state() == before


# --- a host's hand-over ---------------------------------------------------------------------------


def test_a_host_starts_and_a_caseworker_continues(login, host, member, org_b):
    host_client = login(host)
    intake_id = start(host_client, {"person": {"roepnaam": "Inloop"}})["id"]
    out = run(host_client, intake_id, member, org_b, Step.FIRST_CONTACT)
    assert out["step"] == Step.CONSENT and out["may_continue"] is False
    assert Contact.objects.get().recorded_by == host.user
    before = state()
    for body in (step_body(Step.CONSENT, recipient=org_b, key_worker=member.user), {"consent": None}):
        assert send(host_client, "POST", url(intake_id, "/consent"), body).status_code == 403
    draft = {"step": "consent", "answers": {"note": "x"}}
    assert send(host_client, "PUT", url(intake_id, "/draft"), draft).status_code == 403
    assert state() == before
    assert host_client.get(f"{API}/intakes").json()["items"][0]["may_continue"] is False

    caseworker = login(member)
    assert caseworker.get(f"{API}/intakes").json()["items"][0]["may_continue"] is True
    out = run(caseworker, intake_id, member, org_b, Step.CONSENT, Step.KEY_WORKER, Step.ASSESSMENT)
    assert out["step"] == Step.DONE and Person.objects.get(intakes=intake_id).key_worker == member.user


# --- who sees an intake ---------------------------------------------------------------------------


def test_another_organisation_gets_404(login, member, outsider, org_b, person):
    intake = make_intake(member.organisation, member.user, Step.FIRST_CONTACT, person)
    theirs_host = f.MembershipFactory(organisation=org_b, role=Role.HOST)
    before = state()
    for membership in (outsider, theirs_host):
        client = login(membership)
        assert client.get(url(intake)).status_code == 404
        for step, suffix in SUFFIX.items():
            body = step_body(step, recipient=org_b, key_worker=membership.user)
            assert send(client, "POST", url(intake, suffix), body).status_code == 404, suffix
        draft = {"step": "first_contact", "answers": {}}
        assert send(client, "PUT", url(intake, "/draft"), draft).status_code == 404
        assert send(client, "DELETE", url(intake)).status_code == 404
    assert state() == before
    for membership in (outsider, theirs_host):
        assert login(membership).get(f"{API}/intakes").json()["items"] == []


def test_other_roles_and_anonymous_callers(login, client, member, readonly_member, org_a, person):
    intake = make_intake(member.organisation, member.user, Step.FIRST_CONTACT, person)
    assert client.get(f"{API}/intakes").status_code == 401
    assert client.get(url(intake)).status_code == 401
    outreach = login(readonly_member)
    assert outreach.get(url(intake)).status_code == 404
    assert outreach.get(f"{API}/intakes").status_code == 403
    assert send(outreach, "POST", f"{API}/intakes", {"person": {"roepnaam": "X"}}).status_code == 403
    volunteer = login(f.MembershipFactory(organisation=org_a, role=Role.VOLUNTEER))
    assert volunteer.get(f"{API}/intakes").status_code == 404
    assert volunteer.get(url(intake)).status_code == 404


def test_an_intake_whose_person_is_no_longer_visible_is_hidden(login, member, org_b, person):
    intake = make_intake(member.organisation, member.user, Step.CONSENT, person)
    person.involvements.update(ended_on="2020-01-01")
    person.lead_organisation = org_b
    person.save()
    client = login(member)
    assert client.get(url(intake)).status_code == 404
    assert client.get(f"{API}/intakes").json()["items"] == []


def test_the_list_is_paginated_newest_first(login, member, settings):
    settings.API_PAGE_SIZE = 2
    client = login(member)
    ids = [start(client, {"person": {"roepnaam": f"Naam {n}"}})["id"] for n in range(3)]
    first = client.get(f"{API}/intakes").json()
    assert first["count"] == 3 and [i["id"] for i in first["items"]] == ids[::-1][:2]
    second = client.get(f"{API}/intakes", {"page": 2}).json()
    assert [i["roepnaam"] for i in second["items"]] == ["Naam 0"]
    for page in ("0", "abc", str(10**30)):
        assert client.get(f"{API}/intakes", {"page": page}).status_code == 422


def test_discarding_keeps_what_the_steps_recorded(login, member, person):
    intake = make_intake(member.organisation, member.user, Step.CONSENT, person)
    response = send(login(member), "DELETE", url(intake))
    assert response.status_code == 204 and not Intake.objects.exists()
    assert Person.objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize("text", [SQL, HTML, "Zoë ‘Z’ Ünal-O’Brien"])
def test_injection_strings_are_stored_verbatim(login, member, text):
    client = login(member)
    assert start(client, {"person": {"roepnaam": text}})["roepnaam"] == text
    assert client.get(f"{API}/intakes").json()["items"][0]["roepnaam"] == text
    assert Person.objects.get().roepnaam == text


# --- bad input on every body ----------------------------------------------------------------------


@dataclass
class Ctx:
    member: Any
    person: Person
    org_b: Any
    theirs: Person  # a person of B
    foreign_org: Any  # an organisation in another network
    foreign_person: Person
    foreign_location: Location
    foreign_user: Any
    outreach: Any  # an outreach worker of A: not a key worker
    outsider: Any  # a caseworker of B


@pytest.fixture
def ctx(member, person, org_a, org_b, outsider) -> Ctx:
    person.key_worker = member.user
    person.save()
    foreign = f.MembershipFactory(role=Role.CASEWORKER)
    return Ctx(
        member=member,
        person=person,
        org_b=org_b,
        theirs=f.PersonFactory(network=org_a.network, involved=[org_b]),
        foreign_org=foreign.organisation,
        foreign_person=f.PersonFactory(network=foreign.organisation.network, involved=[foreign.organisation]),
        foreign_location=Location.objects.create(
            organisation=foreign.organisation, name="Elders", kind="office"
        ),
        foreign_user=foreign.user,
        outreach=f.MembershipFactory(organisation=org_a, role=Role.OUTREACH),
        outsider=outsider,
    )


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    step: str | None  # the step of the intake it acts on; None: starts one
    suffix: str
    valid: Callable[[Ctx], dict[str, Any]]

    def path(self, ctx: Ctx) -> str:
        if self.step is None:
            return f"{API}/intakes"
        person = None if self.step == Step.PERSON else ctx.person
        return url(make_intake(ctx.member.organisation, ctx.member.user, self.step, person), self.suffix)


def _valid(step: str) -> Callable[[Ctx], dict[str, Any]]:
    return lambda c: step_body(step, recipient=c.org_b, key_worker=c.member.user)


ENDPOINTS = {
    e.name: e
    for e in [
        Endpoint("start", "POST", None, "", _valid(Step.PERSON)),
        Endpoint("choose", "POST", None, "", lambda c: {"person_id": c.person.pk}),
        Endpoint("person", "POST", Step.PERSON, "/person", _valid(Step.PERSON)),
        Endpoint("contact", "POST", Step.FIRST_CONTACT, "/first-contact", _valid(Step.FIRST_CONTACT)),
        Endpoint("consent", "POST", Step.CONSENT, "/consent", _valid(Step.CONSENT)),
        Endpoint("key_worker", "POST", Step.KEY_WORKER, "/key-worker", _valid(Step.KEY_WORKER)),
        Endpoint("assessment", "POST", Step.ASSESSMENT, "/first-assessment", _valid(Step.ASSESSMENT)),
        Endpoint(
            "draft",
            "PUT",
            Step.FIRST_CONTACT,
            "/draft",
            lambda c: {"step": "first_contact", "answers": {"note": "Later", "topics": ["housing"]}},
        ),
    ]
}


def _changed(body: dict[str, Any], where: str, value: Any, ctx: Ctx) -> dict[str, Any]:
    """``body`` with the field at ``where`` ("consent.note") set to ``value`` (or left out: MISSING)."""
    body = json.loads(json.dumps(body))
    *parents, name = where.split(".")
    node = body
    for parent in parents:
        node = node.setdefault(parent, {})
    if value is MISSING:
        node.pop(name, None)
    else:
        node[name] = value(ctx) if callable(value) else value
    return body


BAD_IDS: dict[str, Any] = {
    "unknown": 987_654_321,
    "huge": 10**30,
    "negative": -1,
    "text": "1 OR 1=1",
    "fraction": 1.5,
}
CONTROL: dict[str, Any] = {"nul": "a\x00b", "escape": "a\x1b[2Jb", "rtl-override": "a\u202eb"}


def _bad() -> Iterator[tuple[str, str, str, Any, str]]:
    """(endpoint, label, where, value, the field the error must name)."""
    for name in ("start", "person"):
        yield name, "no-person", "person", MISSING, "person"
        for where, value in [
            ("person.roepnaam", MISSING),
            ("person.roepnaam", "   "),
            ("person.roepnaam", None),
            ("person.roepnaam", 12),
            ("person.roepnaam", LONG),
            ("person.aliases", "Zon"),
            ("person.aliases", [LONG]),
            ("person.aliases", ["B\x1bea"]),
            ("person.languages", "nl"),
            ("person.languages", ["Nederlands"]),
            ("person.nationality", "Nederland"),
            ("person.phone", "bel me"),
            ("person.phone", "0612\x1b345678"),
            ("person.legal_name", "Anna"),
            ("person.bogus", 1),
        ]:
            yield name, repr(value)[:12], where, value, where.split(".")[-1]
        for label, value in CONTROL.items():
            yield name, label, "person.roepnaam", value, "roepnaam"
        yield name, "both", "person_id", lambda c: c.person.pk, "person_id"
        yield name, "not-an-object", "person", "Nieuw", "person"
    for label, value in {
        **BAD_IDS,
        "another-organisations": lambda c: c.theirs.pk,
        "other-network": lambda c: c.foreign_person.pk,
        "null": None,
    }.items():
        yield "choose", label, "person_id", value, "person_id" if value is not None else "person"
    yield (
        "choose",
        "already-in-an-intake",
        "person_id",
        lambda c: make_intake(c.member.organisation, c.member.user, Step.CONSENT, c.person).person_id,
        "person_id",
    )
    for where, value in [
        ("channel", MISSING),
        ("channel", None),
        ("channel", "fiets"),
        ("kind", MISSING),
        ("kind", "roddel"),
        ("topics", ["alles"]),
        ("topics", "housing"),
        ("duration_minutes", "lang"),
        ("duration_minutes", 0),
        ("duration_minutes", 100_000),
        ("duration_minutes", 1.5),
        ("occurred_at", "gisteren"),
        ("occurred_at", "1850-01-01T10:00:00"),
        ("occurred_at", "2200-01-01T10:00:00Z"),
        ("occurred_at", lambda c: (timezone.now() + datetime.timedelta(minutes=30)).isoformat()),
        ("note", LONG),
        ("note", "\x1b[2J"),
        ("note", "nul\x00"),
        ("note", 12),
        ("location_id", 987_654_321),
        ("location_id", lambda c: c.foreign_location.pk),
        ("location_id", "Huiskamer"),
        ("person_id", 1),
        ("organisation_id", 1),
    ]:
        yield "contact", repr(value)[:12], where, value, where
    for where, value in [
        ("consent", MISSING),
        ("consent", "ja"),
        ("consent.recipient_id", MISSING),
        ("consent.recipient_id", 987_654_321),
        ("consent.recipient_id", lambda c: c.foreign_org.pk),
        ("consent.recipient_id", "B"),
        ("consent.purpose", "marketing"),
        ("consent.data_categories", []),
        ("consent.data_categories", ["alles"]),
        ("consent.data_categories", "contacts"),
        ("consent.how_given", "telepathie"),
        ("consent.how_given", "not_applicable"),
        ("consent.valid_from", "1850-01-01"),
        ("consent.valid_from", "2200-01-01"),
        ("consent.valid_from", "gisteren"),
        ("consent.valid_to", "2200-01-01"),
        ("consent.note", LONG),
        ("consent.note", "\x1b[2J"),
        ("consent.bogus", 1),
        ("bogus", 1),
    ]:
        yield "consent", repr(value)[:12], where, value, where.split(".")[-1]
    for where, value in [
        ("key_worker_id", MISSING),
        ("key_worker_id", None),
        *[("key_worker_id", v) for v in BAD_IDS.values()],
        ("key_worker_id", lambda c: c.outreach.user_id),
        ("key_worker_id", lambda c: c.outsider.user_id),
        ("key_worker_id", lambda c: c.foreign_user.pk),
        ("languages", "nl"),
        ("languages", ["Nederlands"]),
        ("languages", [LONG]),
        ("languages", ["nl\x1b"]),
        ("lead_organisation_id", 1),
    ]:
        yield "key_worker", repr(value)[:12], where, value, where
    for where, value in [
        ("starts_at", MISSING),
        ("starts_at", "morgen"),
        ("starts_at", "2020-01-01T10:00:00"),
        ("starts_at", "2200-01-01T10:00:00"),
        ("starts_at", "9999-12-31T23:30:00"),
        ("duration_minutes", 7),
        ("duration_minutes", "lang"),
        ("duration_minutes", 0),
        ("place", LONG),
        ("place", "Huis\x1bkamer"),
        ("place", "Huis\nkamer"),
        ("location_id", 987_654_321),
        ("location_id", lambda c: c.foreign_location.pk),
        ("ends_at", lambda c: tomorrow_ten()),
        ("purpose", "iets"),
    ]:
        yield "assessment", repr(value)[:12], where, value, where
    for where, value in [
        ("step", MISSING),
        ("step", "done"),
        ("step", "later"),
        ("answers", MISSING),
        ("answers", "note"),
        ("answers", ["note"]),
        ("answers.note", 12),
        ("answers.note", None),
        ("answers.note", LONG),
        ("answers.note", "\x1b[2J"),
        ("answers.note", ["a", "b"]),
        ("answers.channel", "fiets"),
        ("answers.occurred_at", "gisteren"),
        ("answers.topics", ["alles"]),
        ("answers.location", "987654321"),
        ("answers.bogus", "x"),
        ("answers.then", "save"),
        ("bogus", 1),
    ]:
        yield "draft", repr(value)[:12], where, value, where.split(".")[-1]


CASES = list(_bad())


def _names_field(detail: list[dict[str, Any]], field: str) -> bool:
    return any(field in [str(part) for part in error["loc"]] for error in detail)


@pytest.mark.parametrize(
    ("name", "where", "value", "field"),
    [pytest.param(n, w, v, fd, id=f"{n}-{w}-{i}-{label}") for i, (n, label, w, v, fd) in enumerate(CASES)],
)
def test_bad_input_is_422_naming_the_field(login, ctx, name, where, value, field):
    endpoint = ENDPOINTS[name]
    client = login(ctx.member)
    path = endpoint.path(ctx)
    body = _changed(endpoint.valid(ctx), where, value, ctx)
    before = state()
    response = send(client, endpoint.method, path, body)
    assert response.status_code == 422, response.content[:500]
    detail = response.json()["detail"]
    assert _names_field(detail, field), detail
    assert all(error["msg"] for error in detail)
    assert state() == before


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_the_valid_baseline_is_accepted(login, ctx, name):
    # Proves the refusals above come from the one bad field, not from a broken baseline.
    endpoint = ENDPOINTS[name]
    response = send(login(ctx.member), endpoint.method, endpoint.path(ctx), endpoint.valid(ctx))
    assert response.status_code in (200, 201), response.json()


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", 422), ("[1, 2]", 422), ('"text"', 422), ("{not json", 400), ("null", 422), ("\x00", 400)],
    ids=["empty", "array", "string", "malformed", "null", "nul-byte"],
)
def test_a_body_that_is_not_an_object_is_refused(login, ctx, name, raw, expected):
    endpoint = ENDPOINTS[name]
    client = login(ctx.member)
    path = endpoint.path(ctx)
    before = state()
    assert send(client, endpoint.method, path, raw, raw=True).status_code == expected
    assert state() == before


def test_a_draft_too_long_to_keep_is_refused(login, ctx):
    path = ENDPOINTS["draft"].path(ctx)
    before = state()
    body = {"step": "first_contact", "answers": {"topics": ["housing"] * 3000}}
    response = send(login(ctx.member), "PUT", path, body)
    assert response.status_code == 422 and response.json()["detail"][0]["msg"]
    assert state() == before


@pytest.mark.parametrize("bad_id", ["abc", "1.5", "1e3", "%20", "0x10"])
def test_non_integer_ids_in_the_path_are_422(login, ctx, bad_id):
    client = login(ctx.member)
    response = client.get(f"{API}/intakes/{bad_id}")
    assert response.status_code == 422 and _names_field(response.json()["detail"], "intake_id")
    assert send(client, "DELETE", f"{API}/intakes/{bad_id}").status_code == 422


@pytest.mark.parametrize("bad_id", ["-1", "0", "987654321", str(10**30)])
def test_unknown_intakes_are_404(login, ctx, bad_id):
    client = login(ctx.member)
    assert client.get(f"{API}/intakes/{bad_id}").status_code in (404, 422)
    body = {"consent": None}
    assert send(client, "POST", f"{API}/intakes/{bad_id}/consent", body).status_code in (404, 422)
    assert send(client, "DELETE", f"{API}/intakes/{bad_id}").status_code in (404, 422)
