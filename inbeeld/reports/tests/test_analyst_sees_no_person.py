"""An analyst never sees a person (rule 4), on any route any area has or adds.

Built on the permission grid: the routes where the grid lets an analyst in are a fixed, reviewed list
(none of them about a person), and every person-level route answers 404. Then, in the grid's world with
the person's roepnaam, alias and legal name made unique canaries, every GET route an analyst reaches is
requested and no answer may contain a canary. A coordinator, who does see persons, finds the roepnaam
on the person list: the canary is real, so the test can fail.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from inbeeld.core.tests.test_permissions import all_entries
from inbeeld.people.models import Alias
from inbeeld.testing.grid import GridRoute, World, build_world

ROEPNAAM, ALIAS, LEGAL_NAME = "Kanarie-Roep-7Q2", "Kanarie-Alias-7Q2", "Kanarie-Wettelijk-7Q2"
# Everything an analyst may open: figures, the partner-service directory, her own account, API docs.
ANALYST_ROUTES = frozenset(
    {
        "reports:dashboard",
        "reports:export_csv",
        "reports:export_pdf",
        "GET /api/v1/reports/indicators",
        "GET /api/v1/reports/indicators/{code}",
        "chain:services",
        "chain:service_detail",
        "chain:services_hsds",
        "GET /api/v1/services",
        "GET /api/v1/services/{service_id}",
        "GET /api/v1/services/hsds",
        "healthz",
        "api:openapi-json",
        "api:openapi-view",
        "GET /api/v1/me",
        "GET /api/v1/organisations",
        "tokens",
        "admin:login",
        "mfa_index",
        "mfa_reauthenticate",
        "account_logout",
        "account_inactive",
        "account_email",
        "account_email_verification_sent",
        "account_set_password",
        "account_reset_password",
        "account_confirm_email",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "account_reset_password_done",
        # The calendar feed answers to its secret key, not to whoever is logged in.
        "care:calendar_ics",
    }
)
ENTRIES = all_entries()


def _reached_by_analysts(entry: GridRoute) -> bool:
    return any(status < 300 for status in entry.expect["analyst"])


def test_analysts_reach_only_the_reviewed_routes() -> None:
    reached = {entry.key for entry in ENTRIES if _reached_by_analysts(entry)}
    assert reached <= ANALYST_ROUTES, f"Routes newly open to analysts: {sorted(reached - ANALYST_ROUTES)}"
    assert "reports:dashboard" in reached


def test_every_person_route_is_404_for_analysts() -> None:
    person_routes = [e for e in ENTRIES if "person" in e.key.lower() and e.key not in ANALYST_ROUTES]
    assert len(person_routes) > 20
    for entry in person_routes:
        assert entry.expect["analyst"] == (404, 404), entry.key


def _canaried_world() -> World:
    world = build_world()
    person = world.person
    person.roepnaam = ROEPNAAM
    person.legal_name = LEGAL_NAME
    person.save()
    Alias.objects.create(person=person, name=ALIAS)
    return world


@pytest.mark.django_db
def test_no_page_or_answer_an_analyst_gets_names_the_person(login: Any) -> None:
    world = _canaried_world()
    coordinator = login(world.member("coordinator", "own")).get(reverse("people:list"))
    assert ROEPNAAM in coordinator.content.decode(), "the canary must be findable where persons are shown"

    analyst = login(world.member("analyst", "own"))
    requested = 0
    for entry in ENTRIES:
        if entry.method != "GET" or entry.expect["analyst"][0] != 200 or entry.key == "care:calendar_ics":
            continue
        url = entry.path(world) if entry.path else reverse(entry.key, kwargs=entry.kwargs(world))
        response = analyst.get(url, entry.data(world) if entry.data else {})
        body = response.content.decode("utf-8", errors="replace")
        for canary in (ROEPNAAM, ALIAS, LEGAL_NAME):
            assert canary not in body, f"{entry.key} shows {canary} to an analyst"
        requested += 1
    assert requested >= 15
