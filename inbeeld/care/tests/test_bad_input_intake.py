"""Bad input on every form of the intake, completed or kept for later.

Refused input answers 422 with the step again and an error next to the named field, and writes nothing
at all: no record, no change to the intake or its draft, not even an audit event. Injection strings
that are valid text are stored as typed and rendered escaped. A 500 would raise in the test client.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from inbeeld.care.models import Appointment, Contact, Intake
from inbeeld.care.tests.grid_intake import make_intake, step_data
from inbeeld.core.models import AuditEvent
from inbeeld.people.models import Consent, Person
from inbeeld.testing import factories as f
from inbeeld.testing.bad_input import HTML, LONG, MISSING, with_change

pytestmark = pytest.mark.django_db

SQL = "'; DROP TABLE care_intake; --"
Step = Intake.Step


@dataclass
class Ctx:
    member: Any
    person: Person
    org_b: Any


@pytest.fixture
def ctx(member, person, org_b) -> Ctx:
    person.key_worker = member.user
    person.save()
    return Ctx(member, person, org_b)


@dataclass(frozen=True)
class StepForm:
    step: str
    url_name: str
    then: str = "continue"
    more: Callable[[Ctx], dict[str, Any]] = lambda c: {}

    def url(self, ctx: Ctx) -> str:
        if self.url_name == "care:intake_start":
            return reverse(self.url_name)
        person = None if self.step == Step.PERSON else ctx.person
        intake = make_intake(ctx.member.organisation, ctx.member.user, self.step, person)
        return reverse(self.url_name, kwargs={"pk": intake.pk})

    def valid(self, ctx: Ctx) -> dict[str, Any]:
        data = step_data(self.step, recipient=ctx.org_b, key_worker=ctx.member.user)
        return {**data, "then": self.then, **self.more(ctx)}


FORMS: dict[str, StepForm] = {
    "register": StepForm(Step.PERSON, "care:intake_start", "register"),
    "register_resumed": StepForm(Step.PERSON, "care:intake_person", "register"),
    "choose": StepForm(Step.PERSON, "care:intake_start", "choose", lambda c: {"person": c.person.pk}),
    "contact": StepForm(Step.FIRST_CONTACT, "care:intake_contact"),
    "consent": StepForm(Step.CONSENT, "care:intake_consent"),
    "key_worker": StepForm(Step.KEY_WORKER, "care:intake_key_worker"),
    "assessment": StepForm(Step.ASSESSMENT, "care:intake_assessment"),
    # "Save and continue later" with each step's form.
    "register_save": StepForm(Step.PERSON, "care:intake_start", "save"),
    "contact_save": StepForm(Step.FIRST_CONTACT, "care:intake_contact", "save"),
    "consent_save": StepForm(Step.CONSENT, "care:intake_consent", "save"),
    "key_worker_save": StepForm(Step.KEY_WORKER, "care:intake_key_worker", "save"),
    "assessment_save": StepForm(Step.ASSESSMENT, "care:intake_assessment", "save"),
}

# (form, what is wrong, field, value): the field that must carry the error is the one changed.
BAD: list[tuple[str, str, str, Any]] = [
    # missing required fields
    ("register", "missing", "roepnaam", MISSING),
    ("register", "blank", "roepnaam", "   "),
    ("register_resumed", "missing", "roepnaam", MISSING),
    ("choose", "missing", "person", MISSING),
    ("contact", "missing", "occurred_at", MISSING),
    ("contact", "missing", "channel", MISSING),
    ("contact", "missing", "kind", MISSING),
    ("consent", "missing", "recipient", MISSING),
    ("consent", "missing", "purpose", MISSING),
    ("consent", "missing", "data_categories", MISSING),
    ("consent", "missing", "how_given", MISSING),
    ("consent", "missing", "valid_from", MISSING),
    ("key_worker", "missing", "key_worker", MISSING),
    ("assessment", "missing", "starts_at", MISSING),
    ("assessment", "missing", "duration_minutes", MISSING),
    # wrong types, unknown choices, values out of range
    ("register", "type", "languages", "Nederlands"),
    ("register", "type", "nationality", "Nederland"),
    ("register", "type", "phone", "bel me"),
    ("choose", "type", "person", "iemand"),
    ("choose", "type", "person", "99999999"),
    ("choose", "type", "person", str(10**20)),
    ("contact", "type", "occurred_at", "gisteren"),
    ("contact", "type", "channel", "fiets"),
    ("contact", "type", "kind", "roddel"),
    ("contact", "type", "topics", ["alles"]),
    ("contact", "type", "duration_minutes", "lang"),
    ("contact", "range", "duration_minutes", "100000"),
    ("contact", "range", "duration_minutes", "0"),
    ("contact", "type", "location", "99999999"),
    ("consent", "type", "recipient", "B"),
    ("consent", "type", "purpose", "marketing"),
    ("consent", "type", "how_given", "telepathie"),
    ("key_worker", "type", "key_worker", "iemand"),
    ("key_worker", "type", "key_worker", "99999999"),
    ("key_worker", "type", "languages", "Nederlands"),
    ("assessment", "type", "starts_at", "morgen"),
    ("assessment", "type", "duration_minutes", "7"),
    ("assessment", "type", "location", "99999999"),
    # dates far in the past or the future
    ("contact", "date", "occurred_at", "1850-01-01T10:00"),
    ("contact", "date", "occurred_at", "2200-01-01T10:00"),
    ("consent", "date", "valid_from", "1850-01-01"),
    ("consent", "date", "valid_from", "2200-01-01"),
    ("consent", "date", "valid_to", "2200-01-01"),
    ("assessment", "date", "starts_at", "2020-01-01T10:00"),
    ("assessment", "date", "starts_at", "2200-01-01T10:00"),
    ("assessment", "date", "starts_at", "9999-12-31T23:30"),
    # 10,000 characters
    ("register", "long", "roepnaam", LONG),
    ("register", "long", "aliases", LONG),
    ("register", "long", "languages", LONG),
    ("contact", "long", "note", LONG),
    ("consent", "long", "note", LONG),
    ("key_worker", "long", "languages", LONG),
    ("assessment", "long", "place", LONG),
    # control characters
    ("register", "control", "roepnaam", "Ann\x00a"),
    ("register", "control", "roepnaam", "Ann\x1ba"),
    ("register", "control", "aliases", "Ann, B\x1bea"),
    ("register", "control", "phone", "0612\x1b345678"),
    ("contact", "control", "note", "\x1b[2J"),
    ("contact", "control", "note", "notitie\x00"),
    ("consent", "control", "note", "\x1b[2J"),
    ("key_worker", "control", "languages", "nl\x1b"),
    ("assessment", "control", "place", "Huis\x1bkamer"),
    ("assessment", "control", "place", "Huis\nkamer"),
    # what is kept for later is checked too (only leaving things out is fine there)
    ("register_save", "long", "roepnaam", LONG),
    ("register_save", "control", "roepnaam", "Ann\x1ba"),
    ("register_save", "control", "aliases", "\x00"),
    ("contact_save", "type", "channel", "fiets"),
    ("contact_save", "type", "occurred_at", "gisteren"),
    ("contact_save", "long", "note", LONG),
    ("contact_save", "control", "note", "\x1b[2J"),
    ("consent_save", "type", "recipient", "B"),
    ("consent_save", "type", "data_categories", ["alles"]),
    ("key_worker_save", "type", "key_worker", "99999999"),
    ("assessment_save", "type", "starts_at", "morgen"),
    ("assessment_save", "control", "place", "Huis\x1bkamer"),
]


def _state() -> tuple[Any, ...]:
    """Everything a step could touch; equal before and after means nothing was written."""
    return (
        sorted(Intake.objects.values_list("pk", "step", "person_id", "completed_at")),
        sorted((i.pk, i.draft) for i in Intake.objects.all()),
        sorted(Person.objects.values_list("pk", "version", "key_worker_id", "lead_organisation_id")),
        Contact.objects.count(),
        Consent.objects.count(),
        Appointment.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(("form_name", "kind", "field", "value"), BAD, ids=lambda v: str(v)[:20])
def test_bad_input_is_refused_next_to_the_field(login, ctx, form_name, kind, field, value):
    form = FORMS[form_name]
    client = login(ctx.member)
    url = form.url(ctx)
    before = _state()
    response = client.post(url, with_change(form.valid(ctx), field, value))
    assert response.status_code == 422, (form_name, kind, field)
    bound = response.context["choose" if form_name == "choose" else "form"]
    if form_name.startswith("register"):
        bound = response.context["register"]
    errors = bound.errors
    assert field in errors, f"{form_name}: expected an error on {field}, got {errors.as_data()}"
    assert f'id="id_{field}_error"' in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize("form_name", sorted(FORMS))
def test_valid_baseline_of_each_form_is_accepted(login, ctx, form_name):
    # Proves the refusals above come from the one bad field, not from a broken baseline.
    form = FORMS[form_name]
    response = login(ctx.member).post(form.url(ctx), form.valid(ctx))
    assert response.status_code == 302, response.content.decode()[:3000]


def test_an_empty_submission_names_every_required_field(login, ctx):
    response = login(ctx.member).post(FORMS["contact"].url(ctx), {})
    assert response.status_code == 422
    assert {"occurred_at", "channel", "kind"} <= set(response.context["form"].errors)


def test_an_empty_draft_is_fine(login, ctx):
    url = FORMS["contact_save"].url(ctx)
    assert login(ctx.member).post(url, {"then": "save"}).status_code == 302


def test_a_recipient_from_another_network_is_refused(login, ctx):
    stranger = f.OrganisationFactory()
    form = FORMS["consent"]
    url = form.url(ctx)
    before = _state()
    response = login(ctx.member).post(url, {**form.valid(ctx), "recipient": stranger.pk})
    assert response.status_code == 422 and "recipient" in response.context["form"].errors
    assert _state() == before


@pytest.mark.parametrize("text", [SQL, HTML])
def test_injection_strings_are_stored_literally_and_rendered_escaped(login, ctx, text):
    client = login(ctx.member)
    response = client.post(reverse("care:intake_start"), {"then": "save", "roepnaam": text})
    assert response.status_code == 302
    intake = Intake.objects.get()
    html = client.get(reverse("care:intake_list")).content.decode()
    assert text not in html
    assert ("&lt;script&gt;" if text == HTML else "&#x27;; DROP TABLE") in html
    html = client.get(reverse("care:intake_person", kwargs={"pk": intake.pk})).content.decode()
    assert text not in html
    client.post(
        reverse("care:intake_person", kwargs={"pk": intake.pk}), {"then": "register", "roepnaam": text}
    )
    intake.refresh_from_db()
    assert intake.person is not None and intake.person.roepnaam == text
    contact = {**FORMS["contact"].valid(ctx), "note": text}
    url = reverse("care:intake_contact", kwargs={"pk": intake.pk})
    assert client.post(url, contact).status_code == 302
    assert Contact.objects.get(person=intake.person).note == text
    html = client.get(reverse("care:intake_consent", kwargs={"pk": intake.pk})).content.decode()
    assert text not in html


def test_absurd_ids_in_the_url_are_not_found(login, ctx):
    client = login(ctx.member)
    for name in ("care:intake_detail", "care:intake_contact", "care:intake_discard"):
        url = reverse(name, kwargs={"pk": 10**20})
        assert (client.post(url) if name.endswith("discard") else client.get(url)).status_code == 404


def test_search_with_injection_strings_is_harmless(login, ctx):
    client = login(ctx.member)
    for text in (SQL, HTML, LONG, "%", "_", "\x00"):
        for key in ("q", "roepnaam"):
            response = client.get(reverse("care:intake_start"), {key: text})
            assert response.status_code == 200
            assert "<script>alert(1)" not in response.content.decode()
