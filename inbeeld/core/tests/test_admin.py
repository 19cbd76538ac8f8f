"""The application manager's admin: accounts and organisations, never case content."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inbeeld.core.admin import admin_site
from inbeeld.core.models import Organisation
from inbeeld.core.roles import Role
from inbeeld.testing import factories as f


def test_no_person_data_is_registered_in_the_admin():
    registered = {model._meta.label for model in admin_site._registry}
    assert registered == {
        "core.Network",
        "core.Organisation",
        "core.Location",
        "core.User",
        "core.Membership",
        "care.Instrument",
        "radar.RuleSetting",
        "radar.KeyDate",
        "reports.ReportSettings",
    }


@pytest.mark.django_db
def test_admin_role_manages_organisations(client, network):
    manager = f.MembershipFactory(organisation=f.OrganisationFactory(network=network), role=Role.ADMIN)
    manager.user.is_staff = True
    manager.user.save()
    f.with_totp(manager.user)
    client.force_login(manager.user)
    response = client.post(
        reverse("admin:core_organisation_add"),
        {"network": network.pk, "name": "Schuldhulp Noord", "kind": Organisation.Kind.OTHER},
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Schuldhulp Noord", network=network).exists()


@pytest.mark.django_db
def test_staff_flag_without_the_admin_role_is_not_enough(client, member):
    member.user.is_staff = True
    member.user.save()
    f.with_totp(member.user)
    client.force_login(member.user)
    response = client.get(reverse("admin:core_organisation_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
