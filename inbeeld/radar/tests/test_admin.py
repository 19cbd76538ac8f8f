"""The application manager switches rules off and sets thresholds per network; contradictions are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inbeeld.core.roles import Role
from inbeeld.radar import rules
from inbeeld.radar.models import RuleSetting
from inbeeld.testing import factories as f


@pytest.fixture
def manager_client(client, network):  # type: ignore[no-untyped-def]
    manager = f.MembershipFactory(organisation=f.OrganisationFactory(network=network), role=Role.ADMIN)
    manager.user.is_staff = True
    manager.user.save()
    f.with_totp(manager.user)
    client.force_login(manager.user)
    return client


def _post(client, network, **values):  # type: ignore[no-untyped-def]
    data = {"network": network.pk, "rule": "not_seen_zone", "enabled": "on", "escalate_after_days": 2}
    data.update(values)
    return client.post(reverse("admin:radar_rulesetting_add"), data, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.django_db
def test_a_network_sets_its_thresholds(manager_client, network):
    response = _post(manager_client, network, amber_at=5, red_at=10)
    assert response.status_code == 302
    assert rules.thresholds_for(network)["not_seen_zone"].amber_at == 5


@pytest.mark.django_db
def test_switching_a_rule_off(manager_client, network):
    response = _post(manager_client, network, amber_at=7, red_at=14, enabled="")
    assert response.status_code == 302
    assert rules.thresholds_for(network)["not_seen_zone"].enabled is False


@pytest.mark.django_db
def test_red_before_amber_is_refused_naming_the_field(manager_client, network):
    response = _post(manager_client, network, amber_at=10, red_at=5)
    assert response.status_code == 200
    assert "red_at" in response.context["adminform"].form.errors
    assert not RuleSetting.objects.exists()


@pytest.mark.django_db
def test_days_before_rules_count_down(manager_client, network):
    response = _post(manager_client, network, rule="consent_expiring", amber_at=3, red_at=14)
    assert "red_at" in response.context["adminform"].form.errors
    response = _post(manager_client, network, rule="consent_expiring", amber_at=14, red_at=3)
    assert response.status_code == 302


@pytest.mark.django_db
def test_unknown_rules_are_not_offered(manager_client, network):
    response = _post(manager_client, network, rule="no_such_rule", amber_at=1, red_at=2)
    assert "rule" in response.context["adminform"].form.errors
