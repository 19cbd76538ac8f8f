"""The permission grid, generated from the URL configuration and the OpenAPI operations.

A route or API operation without an entry in some ``grid_*.py`` fails ``test_every_route_has_an_entry``;
each entry runs for every role, as a member of the involved organisation and of another one.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from inbeeld.api import api
from inbeeld.testing.grid import ANONYMOUS, ROLES, SCOPES, GridRoute, build_world

APPS_DIR = Path(__file__).resolve().parents[2]
API_PREFIX = "/api/v1"


def _grid_modules() -> Iterator[str]:
    # Apps may nest (inbeeld/chain/episodes/): every tests/grid_*.py below inbeeld/.
    for path in sorted(APPS_DIR.glob("**/tests/grid_*.py")):
        yield ".".join(path.relative_to(APPS_DIR.parent).with_suffix("").parts)


def all_entries() -> list[GridRoute]:
    entries: list[GridRoute] = []
    for module in _grid_modules():
        entries.extend(importlib.import_module(module).ROUTES)
    return entries


def _walk(patterns: list, namespace: str = "", prefix: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(pattern.url_patterns, full_ns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if pattern.name:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route
            else:
                yield route, route


def web_route_keys() -> set[str]:
    keys = set()
    for key, route in _walk(get_resolver().url_patterns):
        # API operations are covered one by one from the OpenAPI document below.
        if route.startswith("api/v1/") and key not in ("api:openapi-json", "api:openapi-view"):
            continue
        keys.add(key)
    return keys


def api_operation_keys() -> set[str]:
    schema = api.get_openapi_schema()
    keys = set()
    for path, operations in schema["paths"].items():
        for method in operations:
            keys.add(f"{method.upper()} {path}")
    return keys


ENTRIES = all_entries()


def test_every_route_has_an_entry() -> None:
    declared = [e.key for e in ENTRIES]
    duplicates = sorted({k for k in declared if declared.count(k) > 1})
    assert not duplicates, f"Routes with more than one grid entry: {duplicates}"
    missing = (web_route_keys() | api_operation_keys()) - set(declared)
    assert not missing, f"Routes without a policy decision in the permission grid: {sorted(missing)}"
    stale = set(declared) - (web_route_keys() | api_operation_keys())
    assert not stale, f"Grid entries for routes that no longer exist: {sorted(stale)}"


def test_every_entry_names_every_role() -> None:
    for entry in ENTRIES:
        assert set(entry.expect) == {*ROLES, ANONYMOUS}, entry.key


def _cells() -> Iterator[object]:
    for entry in ENTRIES:
        for role in [*ROLES, ANONYMOUS]:
            for index, scope in enumerate(SCOPES):
                if role == ANONYMOUS and scope == "other":
                    continue
                yield pytest.param(
                    entry, role, scope, entry.expect[role][index], id=f"{entry.key}|{role}|{scope}"
                )


def _request(client, entry: GridRoute, url: str, data: dict | None):  # type: ignore[no-untyped-def]
    method = entry.method.upper()
    if entry.json:
        body = json.dumps(data) if data is not None else ""
        return client.generic(method, url, body, content_type="application/json")
    if method == "GET":
        return client.get(url, data or {})
    return client.generic(method, url, data or {}) if method != "POST" else client.post(url, data or {})


@pytest.mark.django_db
@pytest.mark.parametrize(("entry", "role", "scope", "expected"), list(_cells()))
def test_permission_cell(client, entry: GridRoute, role: str, scope: str, expected: int) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    if role != ANONYMOUS:
        membership = world.member(role, scope)
        client.force_login(membership.user)
        session = client.session
        session["inbeeld_membership_id"] = membership.pk
        session.save()
    url = entry.path(world) if entry.path else reverse(entry.key, kwargs=entry.kwargs(world))
    data = entry.data(world) if entry.data else None
    response = _request(client, entry, url, data)
    assert response.status_code == expected, (
        f"{entry.method} {url} as {role} ({scope}): got {response.status_code}, expected {expected}"
    )
