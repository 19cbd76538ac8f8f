"""Fixtures for emergency access: a person with a care plan, a privacy officer, time travel."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from unittest import mock

import pytest
from django.utils import timezone

from inbeeld.care.models import CarePlan, Goal, PlanAction, PlanVersion
from inbeeld.core.roles import Role
from inbeeld.testing import factories as f

REASON = "Haar zus belt: sinds drie dagen onvindbaar, mogelijk in nood"
GOAL = "Een eigen kamer vinden voor de winter"
ACTION = "Samen naar de woningcorporatie gaan"


@pytest.fixture
def planned_person(person, member):  # type: ignore[no-untyped-def]
    """The person of organisation A with a care plan (version 2 is the latest) and an alias."""
    person.aliases.create(name="Zonnetje")
    plan = CarePlan.objects.create(person=person, organisation=member.organisation, created_by=member.user)
    for number, goal_text in ((1, "Oud doel"), (2, GOAL)):
        version = PlanVersion.objects.create(plan=plan, number=number, saved_by=member.user, own_words="Rust")
        goal = Goal.objects.create(version=version, position=1, description=goal_text)
        PlanAction.objects.create(goal=goal, position=1, who=PlanAction.Who.PERSON, what=ACTION)
    plan.current_number = 2
    plan.save(update_fields=["current_number"])
    return person


@pytest.fixture
def privacy_officer(org_b):  # type: ignore[no-untyped-def]
    return f.MembershipFactory(organisation=org_b, role=Role.PRIVACY_OFFICER)


@pytest.fixture
def travel() -> Callable[..., AbstractContextManager[None]]:
    """``with travel(hours=24, seconds=1):`` — every ``timezone.now()`` answers that much later."""

    @contextmanager
    def _travel(**delta: float) -> Iterator[None]:
        later = timezone.now() + datetime.timedelta(**delta)
        with mock.patch("django.utils.timezone.now", return_value=later):
            yield

    return _travel
