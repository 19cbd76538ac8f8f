"""The person's printable access report: who saw what, when, on which basis, in Dutch or English.

The PDF's text is read back with ``pdf_text`` (care.tests.test_plan_pdf). Expected labels are taken
from the translation catalogue in the report's language, so the tests hold before and after the
Dutch translations are added.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from inbeeld.care.tests.test_plan_pdf import _objects, pdf_text
from inbeeld.chain.tests.test_sharing_matrix import _same_page
from inbeeld.core import audit
from inbeeld.core.models import AuditEvent
from inbeeld.core.roles import Role
from inbeeld.people.models import DataCategory
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(member, person, outsider, org_a):
    """The member is key worker; B's caseworker read the contacts on a consent, once in an emergency."""
    person.key_worker = member.user
    person.save()
    consent = f.ConsentFactory(
        person=person,
        recipient=outsider.organisation,
        recorded_by=member.user,
        recorded_by_organisation=org_a,
        data_categories=[DataCategory.CONTACTS],
    )
    actor = audit.Actor(user=outsider.user, membership=outsider)
    with transaction.atomic():
        audit.record(
            actor,
            action=AuditEvent.Action.READ,
            data="person.timeline",
            basis=AuditEvent.Basis.CONSENT,
            person_id=person.pk,
            consent_id=consent.pk,
        )
        audit.record(
            actor,
            action=AuditEvent.Action.READ,
            data="person.page",
            basis=AuditEvent.Basis.EMERGENCY,
            person_id=person.pk,
            emergency=True,
        )
    return consent


def _get(client, name, person, **params):  # type: ignore[no-untyped-def]
    return client.get(reverse(name, kwargs={"pk": person.pk}), params)


def _expected(language: str, consent, outsider) -> list[str]:  # type: ignore[no-untyped-def]
    with translation.override(language):
        return [
            gettext("Access report"),
            gettext("Consent used"),
            gettext("Who"),
            gettext("Basis"),
            str(AuditEvent.Basis.CONSENT.label),
            str(AuditEvent.Basis.EMERGENCY.label),
            str(AuditEvent.Action.EXPORT.label),
            audit.data_label("person.timeline"),
            audit.data_label("access_report"),
            str(consent.get_purpose_display()),
            outsider.user.email,
            outsider.organisation.name,
            f"#{consent.pk}",
        ]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_pdf_holds_every_read_in_the_chosen_language(login, member, person, outsider, logged, language):
    params = {} if language == "nl" else {"lang": "en"}  # Dutch by default
    response = _get(login(member), "people:access_report_pdf", person, **params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert person.roepnaam not in response["Content-Disposition"]
    assert f"access-report-{person.pk}-{language}.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    for expected in [person.roepnaam, *_expected(language, logged, outsider)]:
        assert expected in text, expected
    assert f"/Lang ({language})".encode() in b"".join(_objects(response.content).values())


def test_the_english_report_reads_in_english(login, member, person, logged):
    response = _get(login(member), "people:access_report", person, lang="en")
    html = response.content.decode()
    with translation.override("en"):
        assert '<html lang="en">' in html
        assert "Access report" in html
        assert "Consent used" in html
        assert "emergency access" in html


def test_the_page_is_dutch_unless_english_is_asked(login, member, person, outsider, logged):
    for params in ({}, {"lang": "xx"}, {"lang": "nl"}):
        response = _get(login(member), "people:access_report", person, **params)
        assert response.status_code == 200
        html = response.content.decode()
        assert '<html lang="nl">' in html
        for expected in _expected("nl", logged, outsider):
            assert expected in html, expected


def test_printing_is_audited_as_an_export(login, member, person, logged):
    client = login(member)
    _get(client, "people:access_report_pdf", person, lang="en")
    _get(client, "people:access_report", person)
    exports = AuditEvent.objects.filter(data="access_report").order_by("id")
    assert [(e.action, e.detail) for e in exports] == [
        (AuditEvent.Action.EXPORT, {"language": "en", "format": "pdf"}),
        (AuditEvent.Action.EXPORT, {"language": "nl", "format": "html"}),
    ]
    assert {(e.person_id_snapshot, e.user_id_snapshot, e.basis) for e in exports} == {
        (person.pk, member.user.pk, AuditEvent.Basis.INVOLVEMENT)
    }


def test_the_privacy_officer_of_another_organisation_may_print(login, org_b, person, logged):
    officer = f.MembershipFactory(organisation=org_b, role=Role.PRIVACY_OFFICER)
    response = _get(login(officer), "people:access_report", person)
    assert response.status_code == 200
    export = AuditEvent.objects.get(data="access_report")
    assert export.basis == AuditEvent.Basis.PRIVACY_OFFICER


def test_who_may_not_print_it(login, member, readonly_member, outsider, person, logged):
    # Outreach of an involved organisation sees the person but not their access log: 403.
    assert _get(login(readonly_member), "people:access_report", person).status_code == 403
    # B is not involved: the person does not exist for B's caseworker, as an unknown id does not.
    hidden = _get(login(outsider), "people:access_report_pdf", person)
    person.pk += 10_000
    unknown = _get(login(outsider), "people:access_report_pdf", person)
    assert hidden.status_code == unknown.status_code == 404
    assert _same_page(hidden) == _same_page(unknown)
    assert not AuditEvent.objects.filter(data="access_report").exists()
