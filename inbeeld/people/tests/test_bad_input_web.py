"""Bad input on every write form of the person register.

Refused input answers 422 with the form again and a translated error next to the named field, and
writes nothing at all (not even an audit event). Injection strings that are valid text are stored as
typed and rendered escaped. A 500 would raise in the test client, so "never a 500" needs no assert.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.core.models import AuditEvent
from inbeeld.core.roles import Role
from inbeeld.people.models import Alias, Consent, Involvement, Person, StatusChange
from inbeeld.testing import factories as f
from inbeeld.testing.bad_input import HTML, LONG, MISSING, with_change

pytestmark = pytest.mark.django_db

PAST, FUTURE = "1850-01-01", "2200-01-01"
SQL = "'; DROP TABLE people_person; --"


@dataclass
class Ctx:
    person: Person
    involvement: Involvement
    consent: Consent
    member: Any
    coordinator: Any
    org_b: Any


@pytest.fixture
def ctx(member, person, org_a, org_b) -> Ctx:
    involvement = person.involvements.get(organisation=org_a)
    consent = f.ConsentFactory(
        person=person, recipient=org_b, recorded_by=member.user, recorded_by_organisation=org_a
    )
    coordinator = f.MembershipFactory(organisation=org_b, role=Role.COORDINATOR)
    return Ctx(person, involvement, consent, member, coordinator, org_b)


def _today() -> str:
    return timezone.localdate().isoformat()


@dataclass(frozen=True)
class WriteForm:
    url: Callable[[Ctx], str]
    valid: Callable[[Ctx], dict[str, Any]]
    # Involving another organisation is the coordinator's; everything else the caseworker's.
    by_coordinator: bool = False

    def client(self, login: Callable[[Any], Any], ctx: Ctx) -> Any:
        return login(ctx.coordinator if self.by_coordinator else ctx.member)


def _on_person(name: str) -> Callable[[Ctx], str]:
    return lambda c: reverse(f"people:{name}", kwargs={"pk": c.person.pk})


FORMS: dict[str, WriteForm] = {
    "register": WriteForm(
        lambda c: reverse("people:register"), lambda c: {"roepnaam": "Geldig", "status": "unknown"}
    ),
    "edit": WriteForm(_on_person("edit"), lambda c: {"roepnaam": "Geldig", "version": c.person.version}),
    "status": WriteForm(_on_person("status"), lambda c: {"status": "exiting", "effective_on": _today()}),
    "lead": WriteForm(_on_person("lead"), lambda c: {"lead_organisation": c.org_b.pk, "key_worker": ""}),
    "involvement_add": WriteForm(
        _on_person("involvement_add"),
        lambda c: {"organisation": c.org_b.pk, "started_on": _today()},
        by_coordinator=True,
    ),
    "involvement_end": WriteForm(
        lambda c: reverse(
            "people:involvement_end", kwargs={"pk": c.person.pk, "involvement_pk": c.involvement.pk}
        ),
        lambda c: {"ended_on": _today(), "end_reason": ""},
    ),
    "consent_add": WriteForm(
        _on_person("consent_add"),
        lambda c: {
            "recipient": c.org_b.pk,
            "purpose": "referral",
            "data_categories": ["contacts"],
            "basis": "consent",
            "how_given": "verbal",
            "valid_from": _today(),
        },
    ),
    "consent_withdraw": WriteForm(
        lambda c: reverse("people:consent_withdraw", kwargs={"pk": c.person.pk, "consent_pk": c.consent.pk}),
        lambda c: {"note": ""},
    ),
}

# (form, what is wrong, field, value): the field that must carry the error is the one changed.
BAD: list[tuple[str, str, str, Any]] = [
    # missing required fields
    ("register", "missing", "roepnaam", MISSING),
    ("register", "blank", "roepnaam", "   "),
    ("register", "missing", "status", MISSING),
    ("edit", "missing", "roepnaam", MISSING),
    ("edit", "missing", "version", MISSING),
    ("status", "missing", "status", MISSING),
    ("status", "missing", "effective_on", MISSING),
    ("lead", "missing", "lead_organisation", MISSING),
    ("involvement_add", "missing", "organisation", MISSING),
    ("involvement_add", "missing", "started_on", MISSING),
    ("involvement_end", "missing", "ended_on", MISSING),
    ("consent_add", "missing", "recipient", MISSING),
    ("consent_add", "missing", "purpose", MISSING),
    ("consent_add", "missing", "data_categories", MISSING),
    ("consent_add", "missing", "how_given", MISSING),
    ("consent_add", "missing", "valid_from", MISSING),
    # wrong types and unknown choices
    ("register", "type", "birth_year", "negentien"),
    ("register", "type", "date_of_birth", "31-31-1990"),
    ("register", "type", "status", "vermist"),
    ("register", "type", "key_worker", "iemand"),
    ("register", "type", "key_worker", "99999999"),
    ("register", "type", "languages", "Nederlands"),
    ("register", "type", "nationality", "Nederland"),
    ("register", "type", "phone", "bel me"),
    ("edit", "type", "version", "nieuwste"),
    ("edit", "type", "birth_year", "1.5"),
    ("status", "type", "status", "weg"),
    ("status", "type", "effective_on", "gisteren"),
    ("lead", "type", "lead_organisation", "A"),
    ("lead", "type", "key_worker", str(10**20)),
    ("involvement_add", "type", "organisation", "99999999"),
    ("involvement_add", "type", "started_on", "2020-13-45"),
    ("involvement_end", "type", "ended_on", "morgen"),
    ("consent_add", "type", "recipient", "B"),
    ("consent_add", "type", "purpose", "marketing"),
    ("consent_add", "type", "data_categories", ["everything"]),
    ("consent_add", "type", "basis", "zomaar"),
    ("consent_add", "type", "how_given", "telepathie"),
    ("consent_add", "type", "valid_to", "nooit"),
    # dates far in the past or the future
    ("register", "date", "date_of_birth", PAST),
    ("register", "date", "date_of_birth", FUTURE),
    ("register", "date", "birth_year", "1850"),
    ("register", "date", "birth_year", "2200"),
    ("status", "date", "effective_on", PAST),
    ("status", "date", "effective_on", FUTURE),
    ("involvement_add", "date", "started_on", PAST),
    ("involvement_add", "date", "started_on", FUTURE),
    ("involvement_end", "date", "ended_on", PAST),
    ("involvement_end", "date", "ended_on", FUTURE),
    ("consent_add", "date", "valid_from", PAST),
    ("consent_add", "date", "valid_from", FUTURE),
    ("consent_add", "date", "valid_to", FUTURE),
    ("consent_add", "date", "valid_to", "2001-01-01"),
    # 10,000 characters
    ("register", "long", "roepnaam", LONG),
    ("register", "long", "aliases", LONG),
    ("register", "long", "legal_name", LONG),
    ("register", "long", "address", LONG),
    ("register", "long", "reason", LONG),
    ("edit", "long", "roepnaam", LONG),
    ("status", "long", "note", LONG),
    ("involvement_add", "long", "reason", LONG),
    ("involvement_end", "long", "end_reason", LONG),
    ("consent_add", "long", "note", LONG),
    ("consent_withdraw", "long", "note", LONG),
    # control characters
    ("register", "control", "roepnaam", "Ann\x00a"),
    ("register", "control", "roepnaam", "Ann\x1ba"),
    ("register", "control", "legal_name", "Anna\x1b[31m"),
    ("register", "control", "aliases", "Ann, B\x1bea"),
    ("register", "control", "phone", "0612\x1b345678"),
    ("register", "control", "reason", "reden\x00"),
    ("edit", "control", "roepnaam", "\x1b"),
    ("status", "control", "note", "notitie\x1b"),
    ("involvement_add", "control", "reason", "\x00"),
    ("involvement_end", "control", "end_reason", "klaar\x1b"),
    ("consent_add", "control", "note", "\x1b[2J"),
    ("consent_withdraw", "control", "note", "ingetrokken\x00"),
]


def _state() -> tuple[Any, ...]:
    """Everything a write could touch; equal before and after means nothing was written."""
    person_rows = sorted(
        Person.objects.values_list(
            "pk", "roepnaam", "status", "version", "lead_organisation_id", "key_worker_id"
        )
    )
    return (
        person_rows,
        Alias.objects.count(),
        StatusChange.objects.count(),
        sorted(Involvement.objects.values_list("pk", "ended_on")),
        sorted(Consent.objects.values_list("pk", "withdrawn_at")),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(("form_name", "kind", "field", "value"), BAD, ids=lambda v: str(v)[:20])
def test_bad_input_is_refused_next_to_the_field(login, ctx, form_name, kind, field, value):
    form = FORMS[form_name]
    client = form.client(login, ctx)
    before = _state()
    response = client.post(form.url(ctx), with_change(form.valid(ctx), field, value))
    assert response.status_code == 422, (form_name, kind, field)
    errors = response.context["form"].errors
    assert field in errors, f"{form_name}: expected an error on {field}, got {errors.as_data()}"
    if field != "version":  # hidden: its error is shown above the form
        assert f'id="id_{field}_error"' in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize("form_name", sorted(FORMS))
def test_valid_baseline_of_each_form_is_accepted(login, ctx, form_name):
    # Proves the refusals above come from the one bad field, not from a broken baseline.
    form = FORMS[form_name]
    response = form.client(login, ctx).post(form.url(ctx), form.valid(ctx))
    assert response.status_code == 302


def test_empty_post_names_every_required_field(login, ctx):
    response = login(ctx.member).post(FORMS["consent_add"].url(ctx), {})
    assert response.status_code == 422
    errors = response.context["form"].errors
    for field in ("recipient", "purpose", "data_categories", "how_given", "valid_from", "basis"):
        assert field in errors


def test_errors_are_translated(login, ctx):
    client = login(ctx.member)
    response = client.post(reverse("people:register"), {"roepnaam": "A\x1bB", "status": "unknown"})
    assert "Bevat tekens die niet zijn toegestaan." in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("people:register"), {"roepnaam": "A\x1bB", "status": "unknown"})
    assert "Contains characters that are not allowed." in response.content.decode()


def test_recipient_from_another_network_is_refused(login, ctx):
    stranger = f.OrganisationFactory()
    data = {**FORMS["consent_add"].valid(ctx), "recipient": stranger.pk}
    before = _state()
    response = login(ctx.member).post(FORMS["consent_add"].url(ctx), data)
    assert response.status_code == 422 and "recipient" in response.context["form"].errors
    assert _state() == before


def test_key_worker_of_another_organisation_is_refused_at_registration(login, ctx, org_b):
    theirs = f.MembershipFactory(organisation=org_b, role=Role.CASEWORKER)
    data = {"roepnaam": "Geldig", "status": "unknown", "key_worker": theirs.user.pk}
    before = _state()
    response = login(ctx.member).post(reverse("people:register"), data)
    assert response.status_code == 422 and "key_worker" in response.context["form"].errors
    assert _state() == before


@pytest.mark.parametrize("text", [SQL, HTML])
def test_injection_strings_are_stored_literally_and_rendered_escaped(login, ctx, text):
    client = login(ctx.member)
    response = client.post(reverse("people:register"), {"roepnaam": text, "status": "unknown"})
    assert response.status_code == 302
    person = Person.objects.get(roepnaam=text)
    note_data = {"status": "exiting", "effective_on": _today(), "note": text}
    assert client.post(reverse("people:status", kwargs={"pk": person.pk}), note_data).status_code == 302
    consent = {**FORMS["consent_add"].valid(ctx), "note": text}
    assert client.post(reverse("people:consent_add", kwargs={"pk": person.pk}), consent).status_code == 302
    assert Consent.objects.get(person=person).note == text
    # Notes are encrypted, so compare after decryption rather than in SQL.
    assert StatusChange.objects.filter(person=person).latest("id").note == text
    for url in (reverse("people:detail", kwargs={"pk": person.pk}), reverse("people:list")):
        html = client.get(url, {"q": text} if url.endswith("/persons/") else {}).content.decode()
        assert text not in html
        assert "&lt;script&gt;" in html if text == HTML else "&#x27;; DROP TABLE" in html


def test_absurd_ids_in_the_url_are_not_found(login, ctx):
    client = login(ctx.member)
    huge = 10**20
    assert client.get(reverse("people:detail", kwargs={"pk": huge})).status_code == 404
    url = reverse("people:involvement_end", kwargs={"pk": ctx.person.pk, "involvement_pk": huge})
    assert client.post(url, {"ended_on": _today()}).status_code == 404


def test_search_with_injection_strings_is_harmless(login, ctx):
    client = login(ctx.member)
    for text in (SQL, HTML, LONG, "%", "_"):
        response = client.get(reverse("people:list"), {"q": text})
        assert response.status_code == 200
        assert "<script>alert(1)" not in response.content.decode()
    assert Person.objects.filter(pk=ctx.person.pk).exists()


def test_dates_are_reused_without_the_time_zone_shifting_them(login, ctx):
    # The date input sends ISO dates; the stored date is the one typed, whatever the language.
    day = datetime.date(2019, 3, 31)
    form = FORMS["involvement_add"]
    data = {"organisation": ctx.org_b.pk, "started_on": day.isoformat()}
    response = form.client(login, ctx).post(form.url(ctx), data)
    assert response.status_code == 302
    assert Involvement.objects.get(person=ctx.person, organisation=ctx.org_b).started_on == day
