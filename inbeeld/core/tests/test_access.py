"""The access policy, rule by rule, without HTTP in between."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from inbeeld.core import access
from inbeeld.core.access import Level, Need
from inbeeld.core.roles import Role
from inbeeld.people.models import DataCategory
from inbeeld.testing import factories as f

# role → (level when the member's organisation is involved, level when it is not)
EXPECTED_LEVELS = {
    Role.CASEWORKER: (Level.FILE, Level.NONE),
    Role.OUTREACH: (Level.CORE, Level.NONE),
    Role.HOST: (Level.CORE, Level.NONE),
    Role.SHELTER_COORDINATOR: (Level.CORE, Level.NONE),
    Role.VOLUNTEER: (Level.NONE, Level.NONE),
    Role.COORDINATOR: (Level.CORE, Level.CORE),
    Role.ANALYST: (Level.NONE, Level.NONE),
    Role.PRIVACY_OFFICER: (Level.PRIVACY, Level.PRIVACY),
    Role.ADMIN: (Level.NONE, Level.NONE),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_levels_per_role(role, org_a, org_b, person):
    involved = f.MembershipFactory(organisation=org_a, role=role)
    not_involved = f.MembershipFactory(organisation=org_b, role=role)
    expected_involved, expected_other = EXPECTED_LEVELS[role]
    assert access.level_for(involved, person)[0] == expected_involved
    assert access.level_for(not_involved, person)[0] == expected_other
    listed = set(access.visible_persons(involved)) if expected_involved else None
    if expected_involved:
        assert listed == {person}
    else:
        with pytest.raises(Http404):
            access.visible_persons(involved)


@pytest.mark.django_db
def test_other_network_is_invisible_even_to_coordinators(person):
    elsewhere = f.OrganisationFactory()  # a new network
    for role in (Role.COORDINATOR, Role.PRIVACY_OFFICER, Role.CASEWORKER):
        membership = f.MembershipFactory(organisation=elsewhere, role=role)
        assert access.person_access(membership, person) is None
        assert person not in access.visible_persons(membership)


@pytest.mark.django_db
def test_ended_membership_and_ended_involvement_lose_access(member, person):
    assert access.person_access(member, person) is not None
    involvement = person.involvements.get()
    involvement.ended_on = timezone.localdate() - datetime.timedelta(days=1)
    involvement.save()
    person.lead_organisation = None
    person.save()
    assert access.person_access(member, person) is None
    member.ended_on = timezone.localdate()
    assert access.level_for(member, person)[0] == Level.NONE


@pytest.mark.django_db
def test_lead_organisation_counts_as_involved(org_b, network):
    lead_only = f.PersonFactory(network=network, lead_organisation=org_b)
    caseworker = f.MembershipFactory(organisation=org_b, role=Role.CASEWORKER)
    assert access.level_for(caseworker, lead_only)[0] == Level.FILE


@pytest.mark.django_db
def test_not_visible_and_not_existing_look_the_same(outsider, person):
    with pytest.raises(Http404) as invisible:
        access.person_for(outsider, person.pk, Need.READ_CORE)
    with pytest.raises(Http404) as missing:
        access.person_for(outsider, 999_999, Need.READ_CORE)
    with pytest.raises(Http404) as garbage:
        access.person_for(outsider, "1 OR 1=1", Need.READ_CORE)
    assert str(invisible.value) == str(missing.value) == str(garbage.value)


@pytest.mark.django_db
def test_visible_but_not_allowed_is_403_for_writes_and_404_for_file_reads(readonly_member, person):
    with pytest.raises(PermissionDenied):
        access.person_for(readonly_member, person.pk, Need.EDIT)
    with pytest.raises(Http404):
        access.person_for(readonly_member, person.pk, Need.READ_FILE)
    assert access.person_for(readonly_member, person.pk, Need.CHANGE_STATUS).level == Level.CORE


@pytest.mark.django_db
def test_access_log_for_key_worker_and_privacy_officer_only(member, person, org_b):
    assert not access.person_access(member, person).allows(Need.READ_ACCESS_LOG)  # type: ignore[union-attr]
    person.key_worker = member.user
    assert access.person_access(member, person).allows(Need.READ_ACCESS_LOG)  # type: ignore[union-attr]
    officer = f.MembershipFactory(organisation=org_b, role=Role.PRIVACY_OFFICER)
    grant = access.person_access(officer, person)
    assert grant is not None and grant.allows(Need.READ_ACCESS_LOG)
    assert not grant.allows(Need.READ_FILE)


TODAY = datetime.date.today()
CONSENT_STATES = {
    "none": None,
    "valid": {},
    "expired": {
        "valid_from": TODAY - datetime.timedelta(days=400),
        "valid_to": TODAY - datetime.timedelta(days=1),
    },
    "not yet valid": {"valid_from": TODAY + datetime.timedelta(days=10)},
    "withdrawn": {"withdrawn_at": timezone.now()},
    "other recipient": {"recipient": "org_a"},
    "other category": {"data_categories": [DataCategory.HEALTH]},
}


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(CONSENT_STATES))
def test_another_organisations_records_follow_consent(state, org_a, org_b, person, member):
    # B becomes involved too; A's records reach B only with a valid consent covering the category.
    person.involvements.create(organisation=org_b, started_on=datetime.date(2020, 1, 1))
    viewer = f.MembershipFactory(organisation=org_b, role=Role.CASEWORKER)
    overrides = CONSENT_STATES[state]
    if overrides is not None:
        fields = {
            "person": person,
            "recipient": org_b,
            "recorded_by": member.user,
            "recorded_by_organisation": org_a,
        }
        fields.update({k: (org_a if v == "org_a" else v) for k, v in overrides.items()})
        f.ConsentFactory(**fields)
    grant = access.person_access(viewer, person)
    assert grant is not None and grant.level == Level.FILE
    seen = grant.sees_records_of(org_a.pk, DataCategory.CARE_PLAN)
    if state == "valid":
        assert seen is not None and seen[0] == "consent"
    else:
        assert seen is None
    # its own records it always sees
    assert grant.sees_records_of(org_b.pk, DataCategory.CARE_PLAN) == ("involvement", None)


@pytest.mark.django_db
def test_a_recorded_legal_basis_is_marked_as_such(org_a, org_b, person, member):
    person.involvements.create(organisation=org_b, started_on=datetime.date(2020, 1, 1))
    viewer = f.MembershipFactory(organisation=org_b, role=Role.CASEWORKER)
    f.ConsentFactory(
        person=person,
        recipient=org_b,
        basis="vital_interest",
        how_given="not_applicable",
        recorded_by=member.user,
        recorded_by_organisation=org_a,
    )
    grant = access.person_access(viewer, person)
    assert grant is not None
    seen = grant.sees_records_of(org_a.pk, DataCategory.CARE_PLAN)
    assert seen is not None and seen[0] == "legal_basis"
