"""The demo's visitor register: anonymous visits on opening days, named visits where the demo met persons."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import F

from inbeeld.care.models import Channel, Contact
from inbeeld.core.demo import HUISKAMER
from inbeeld.huiskamer.models import Visit


@pytest.mark.django_db
def test_the_demo_huiskamer_has_a_register_since_it_opened():
    call_command("load_demo", force=True, verbosity=0)
    visits = Visit.objects.filter(location__name=HUISKAMER)
    first = visits.order_by("arrived_at").first()
    assert first is not None
    location = first.location
    assert location.opened_on is not None and first.arrived_at.date() >= location.opened_on
    assert visits.filter(person__isnull=True).count() > 100
    open_days = set(location.opening_hours.values_list("weekday", flat=True))
    anonymous = visits.filter(person__isnull=True).values_list("arrived_at", flat=True)
    assert {moment.weekday() for moment in anonymous} <= open_days
    named = visits.filter(person__isnull=False).count()
    assert named == Contact.objects.filter(channel=Channel.HUISKAMER, person__isnull=False).count() > 0
    assert not visits.filter(left_at__lt=F("arrived_at")).exists()
    # Loading again changes nothing.
    call_command("load_demo", force=True, verbosity=0)
    assert Visit.objects.count() == visits.count()
