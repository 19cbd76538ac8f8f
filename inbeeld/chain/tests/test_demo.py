"""The demo's partner services directory: every demo organisation offers what the brief says it does."""

from __future__ import annotations

import pytest

from inbeeld.chain.demo import load_services
from inbeeld.chain.models import Category, Service
from inbeeld.core.demo import CLINIC, FOUNDATION, MUNICIPALITY, SHELTER, load_network


@pytest.mark.django_db
def test_every_demo_organisation_has_its_services_with_locations_and_hours():
    demo = load_network()
    created = load_services(demo)
    assert created["services"] == Service.objects.count() == 11
    assert created["partner_organisations"] == 4
    offered = {
        key: set(Service.objects.filter(organisation=org).values_list("category", flat=True))
        for key, org in demo.organisations.items()
    }
    assert offered[CLINIC] == {Category.DETOX, Category.ADDICTION_CARE}
    assert Category.JOB_COACHING in offered[FOUNDATION]
    assert offered[MUNICIPALITY] == {Category.DEBT_HELP, Category.HOUSING}
    assert offered[SHELTER] == {Category.HOUSING}
    categories = set(Service.objects.values_list("category", flat=True))
    assert {Category.GP, Category.STI_CLINIC, Category.ANTI_TRAFFICKING, Category.LEGAL_AID} <= categories
    for service in Service.objects.prefetch_related("locations__opening_hours"):
        locations = list(service.locations.all())
        assert locations and all(loc.organisation_id == service.organisation_id for loc in locations)
    assert all(s.url.endswith(".test/") for s in Service.objects.exclude(url=""))
    assert load_services(demo) == {}
