"""Instruments are data: the Zelfredzaamheid-Matrix ships as names only, and more can be added."""

from __future__ import annotations

import pytest

from inbeeld.care.instruments import ZRM_2017, install
from inbeeld.care.models import Domain, Instrument


@pytest.mark.django_db
def test_the_zrm_2017_is_installed_with_13_domains_and_5_levels():
    zrm = Instrument.objects.get(network=None, code="zrm-2017")
    assert [d.name for d in zrm.domains.all()][:3] == ["Financiën", "Werk & opleiding", "Tijdsbesteding"]
    assert zrm.domains.count() == 13
    assert (zrm.min_level, zrm.max_level) == (1, 5)
    assert zrm.level_label(1) == "Acute problematiek"
    assert zrm.level_label(5, "en") == "Fully self-sufficient"
    assert zrm.domains.get(code="justitie").label("en") == "Justice"
    # names only: no indicator texts are shipped
    assert all(d.description == "" for d in zrm.domains.all())


@pytest.mark.django_db
def test_installing_again_changes_nothing():
    before = (Instrument.objects.count(), Domain.objects.count())
    install(Instrument, Domain, ZRM_2017)
    assert (Instrument.objects.count(), Domain.objects.count()) == before


@pytest.mark.django_db
def test_a_network_adds_its_own_instrument_without_code(network):
    esm = Instrument.objects.create(
        network=network,
        code="esm",
        name="Self-Sufficiency Matrix",
        levels=[{"value": v, "label": f"Level {v}"} for v in range(1, 6)],
    )
    Domain.objects.create(instrument=esm, code="income", name="Income", position=1)
    assert Instrument.objects.filter(code="esm", network=network).get().domains.count() == 1
