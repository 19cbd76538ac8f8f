"""The permission grid: every route × every role × own/other organisation, with the expected status.

Each area declares its routes in a ``grid_*.py`` module under its ``tests`` folder as a list named
``ROUTES`` of ``GridRoute``. ``core/tests/test_permissions.py`` collects them, checks that every URL
pattern and every API operation has exactly one entry, and runs each cell.

The world each cell runs in (``build_world``): one network with organisation A (involved with the
person, their lead) and organisation B (not involved); a member of every role in each. "own" acts as
the member in A, "other" as the member in B.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from inbeeld.core.models import Membership, Network, Organisation
from inbeeld.core.roles import Role
from inbeeld.people.models import Consent, DataCategory, Involvement, Person

ANONYMOUS = "anonymous"
ROLES: list[str] = [r.value for r in Role]
SCOPES = ("own", "other")


@dataclass
class World:
    network: Network
    org_a: Organisation
    org_b: Organisation
    person: Person
    involvement: Involvement
    consent: Consent
    members: dict[tuple[str, str], Membership] = field(default_factory=dict)

    def member(self, role: str, scope: str) -> Membership:
        return self.members[(role, scope)]


def build_world() -> World:
    from inbeeld.testing import factories as f

    network = f.NetworkFactory()
    org_a = f.OrganisationFactory(network=network, name="Org A", kind=Organisation.Kind.CARE_PROVIDER)
    org_b = f.OrganisationFactory(network=network, name="Org B", kind=Organisation.Kind.CLINIC)
    members: dict[tuple[str, str], Membership] = {}
    for role in ROLES:
        for scope, org in (("own", org_a), ("other", org_b)):
            members[(role, scope)] = f.MembershipFactory(
                organisation=org, role=role, user__is_staff=(role == Role.ADMIN)
            )
            f.with_totp(members[(role, scope)].user)
    key_worker = members[(Role.CASEWORKER, "own")].user
    person = f.PersonFactory(network=network, lead_organisation=org_a, key_worker=key_worker)
    involvement = Involvement.objects.create(
        person=person, organisation=org_a, started_on=datetime.date(2018, 1, 1), reason="grid"
    )
    consent = f.ConsentFactory(
        person=person,
        recipient=org_b,
        recorded_by=key_worker,
        recorded_by_organisation=org_a,
        data_categories=[DataCategory.CARE_PLAN],
    )
    return World(network, org_a, org_b, person, involvement, consent, members)


Expect = Mapping[str, tuple[int, int]]


@dataclass(frozen=True)
class GridRoute:
    """One route and what every role gets from it.

    ``key``: the URL name (``people:detail``; the pattern for unnamed routes) or, for an API
    operation, ``"METHOD /api/v1/path/{param}"`` as in the OpenAPI document.
    ``expect``: role → (status as a member of A, status as a member of B), and ``anonymous``.
    """

    key: str
    expect: Expect
    method: str = "GET"
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    data: Callable[[World], dict[str, Any]] | None = None
    json: bool = False
    path: Callable[[World], str] | None = None  # for API operations: the concrete path


def same_for_all(
    status: int, *, anonymous: int = 302, **overrides: tuple[int, int]
) -> dict[str, tuple[int, int]]:
    expect: dict[str, tuple[int, int]] = dict.fromkeys(ROLES, (status, status))
    expect.update(overrides)
    expect[ANONYMOUS] = (anonymous, anonymous)
    return expect


def by_role(
    *,
    default: Any = (404, 404),
    anonymous: Any = 302,
    **per_role: tuple[int, int],
) -> dict[str, tuple[int, int]]:
    """Expectations where unnamed roles get ``default`` (404: rule 1, not visible = not existing)."""
    unknown = set(per_role) - set(ROLES)
    if unknown:
        raise ValueError(f"Unknown roles in grid entry: {sorted(unknown)}")
    expect = {role: per_role.get(role, default) for role in ROLES}
    expect[ANONYMOUS] = (anonymous, anonymous)
    return expect
