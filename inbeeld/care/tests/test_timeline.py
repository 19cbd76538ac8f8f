"""The person's timeline: every kind of record, newest first, filtered by what the viewer may see."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.care import models as care
from inbeeld.core import access
from inbeeld.core.models import AuditEvent
from inbeeld.core.roles import Role
from inbeeld.people import timeline
from inbeeld.people.models import DataCategory, StatusChange
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def _contact(person, org, user, days_ago: int, note: str = "") -> care.Contact:  # type: ignore[no-untyped-def]
    return care.Contact.objects.create(
        person=person,
        organisation=org,
        recorded_by=user,
        occurred_at=NOW - datetime.timedelta(days=days_ago),
        channel=care.Channel.STREET_ZONE,
        kind=care.ContactKind.SIGHTING,
        topics=[care.Topic.SAFETY],
        note=note,
    )


@pytest.fixture
def history(person, org_a, org_b, member):  # type: ignore[no-untyped-def]
    """A's contact (2 days ago), B's contact (1 day ago), A's assessment and plan, a status change."""
    person.involvements.create(organisation=org_b, started_on=datetime.date(2020, 1, 1))
    b_worker = f.MembershipFactory(organisation=org_b, role=Role.CASEWORKER)
    _contact(person, org_a, member.user, 2, note="Notitie van A")
    _contact(person, org_b, b_worker.user, 1, note="Notitie van B")
    zrm = care.Instrument.objects.get(code="zrm-2017")
    care.Assessment.objects.create(
        person=person, instrument=zrm, organisation=org_a, assessed_on=NOW.date(), assessed_by=member.user
    )
    plan = care.CarePlan.objects.create(
        person=person, organisation=org_a, created_by=member.user, current_number=1
    )
    care.PlanVersion.objects.create(
        plan=plan, number=1, saved_by=member.user, saved_at=NOW - datetime.timedelta(days=3)
    )
    StatusChange.objects.create(person=person, to_status="exiting", effective_on=datetime.date(2021, 5, 1))
    return b_worker


def _kinds(membership, person) -> list[str]:  # type: ignore[no-untyped-def]
    grant = access.person_access(membership, person)
    assert grant is not None
    entries, _ = timeline.page(grant, 1)
    return [e.kind for e in entries]


def test_the_caseworker_sees_everything_of_their_organisation_newest_first(history, member, person):
    kinds = _kinds(member, person)
    # B's contact is B's record: without consent A does not see it
    assert kinds == ["assessment", "contact", "plan_version", "status"]


def test_another_organisations_records_follow_consent(history, member, person, org_a, org_b):
    b_worker = history
    assert _kinds(b_worker, person) == ["contact", "status"]  # only B's own contact
    f.ConsentFactory(
        person=person,
        recipient=org_b,
        data_categories=[DataCategory.CONTACTS],
        recorded_by=member.user,
        recorded_by_organisation=org_a,
    )
    assert _kinds(b_worker, person) == ["contact", "contact", "status"]  # contacts, but not the plan


def test_outreach_sees_contacts_not_care_and_coordinator_only_the_status(
    history, readonly_member, person, network
):
    assert _kinds(readonly_member, person) == ["contact", "status"]
    coordinator = f.MembershipFactory(
        organisation=f.OrganisationFactory(network=network), role=Role.COORDINATOR
    )
    assert _kinds(coordinator, person) == ["status"]


def test_pages_of_a_long_history(person, org_a, member):
    for day in range(30):
        _contact(person, org_a, member.user, day)
    grant = access.person_access(member, person)
    assert grant is not None
    first, more = timeline.page(grant, 1, 25)
    second, more_after = timeline.page(grant, 2, 25)
    assert (len(first), more, len(second), more_after) == (25, True, 5, False)
    whens = [e.sort_key for e in first + second]
    assert whens == sorted(whens, reverse=True)


def test_the_page_and_the_api_are_audited_reads(history, login, member, person):
    client = login(member)
    before = AuditEvent.objects.count()
    page = client.get(reverse("people:timeline", args=[person.pk]))
    assert page.status_code == 200
    assert "Notitie van A" in page.content.decode()
    assert "Notitie van B" not in page.content.decode()
    api = client.get(f"/api/v1/persons/{person.pk}/timeline")
    assert api.status_code == 200
    assert [item["kind"] for item in api.json()["items"]] == [
        "assessment",
        "contact",
        "plan_version",
        "status",
    ]
    events = AuditEvent.objects.order_by("id")[before:]
    assert [(e.data, e.person_id_snapshot) for e in events] == [
        ("person.timeline", person.pk),
        ("person.timeline", person.pk),
    ]
