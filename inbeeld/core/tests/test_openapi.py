"""The OpenAPI document: well-formed OpenAPI 3.1, every operation fully described, and every
operation survives bodies generated from its own schema (a small stand-in for schemathesis).
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbeeld.care.models import Appointment, Intake
from inbeeld.chain.models import Service
from inbeeld.chain.tests.helpers import service

API = "/api/v1"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture
def doc(client, db) -> dict[str, Any]:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method in HTTP_METHODS
    ]


def resolve(doc: dict[str, Any], ref: str) -> dict[str, Any]:
    assert ref.startswith("#/"), ref
    node: Any = doc
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def test_document_is_openapi_31(doc):
    assert re.fullmatch(r"3\.1\.\d+", doc["openapi"])
    assert doc["info"]["title"] == "Inbeeld API"
    assert doc["info"]["version"] == "1"
    assert doc["paths"]
    schemes = doc["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"} in schemes.values()
    assert any(s["type"] == "apiKey" and s["in"] == "cookie" for s in schemes.values())


def test_every_reference_resolves(doc):
    refs = re.findall(r'"\$ref": "([^"]+)"', json.dumps(doc))
    assert refs
    for ref in set(refs):
        assert isinstance(resolve(doc, ref), dict), ref


def test_every_operation_is_fully_described(doc):
    ids = []
    for method, path, op in operations(doc):
        where = f"{method.upper()} {path}"
        assert path.startswith(f"{API}/"), where
        assert op.get("operationId"), where
        ids.append(op["operationId"])
        assert op.get("summary"), where
        codes = set(op["responses"])
        assert all(re.fullmatch(r"[1-5]\d\d", code) for code in codes), where
        assert any(code.startswith("2") for code in codes), where
        # Every operation needs a login (401) and refuses users without required 2FA (403).
        assert {"401", "403"} <= codes, where
        assert op.get("security"), where
        assert len(op["security"]) == 2, where  # a personal token or the browser session
        declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
        assert declared == set(re.findall(r"{(\w+)}", path)), where
        for parameter in op.get("parameters", []):
            if parameter["in"] == "path":
                assert parameter["required"] is True, where
        if declared:
            assert "404" in codes, where  # an object named in the path may not exist or not be visible
        if declared or op.get("parameters") or "requestBody" in op:
            assert "422" in codes, where
        if "requestBody" in op:
            assert op["requestBody"]["required"] is True, where
            assert "application/json" in op["requestBody"]["content"], where
        for code, response in op["responses"].items():
            assert response.get("description"), f"{where} {code}"
    assert len(ids) == len(set(ids)), "operationIds must be unique"


def test_input_schemas_refuse_unknown_fields(doc):
    for method, path, op in operations(doc):
        if "requestBody" in op:
            schema = op["requestBody"]["content"]["application/json"]["schema"]
            if "$ref" in schema:
                schema = resolve(doc, schema["$ref"])
            assert schema.get("additionalProperties") is False, f"{method.upper()} {path}"


def test_list_operations_are_paginated(doc):
    for method, path, op in operations(doc):
        schema = (
            op["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
        )
        if "$ref" in schema and resolve(doc, schema["$ref"]).get("properties", {}).get("items"):
            assert "page" in {p["name"] for p in op.get("parameters", [])}, f"{method.upper()} {path}"


def test_docs_page_is_served(client, db):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    assert "openapi.json" in response.content.decode()


# --- bodies generated from the document ------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def value_for(doc: dict[str, Any], schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A value that fits the schema, mostly: now and then anything at all."""
    if "$ref" in schema:
        return value_for(doc, resolve(doc, schema["$ref"]))
    if "anyOf" in schema:
        return st.one_of([value_for(doc, s) for s in schema["anyOf"]])
    if "enum" in schema:
        fitting: st.SearchStrategy[Any] = st.sampled_from(schema["enum"])
    elif schema.get("format") == "date":
        fitting = st.dates().map(lambda d: d.isoformat())
    elif schema.get("type") == "integer":
        fitting = st.integers(min_value=-(2**70), max_value=2**70) | st.integers(min_value=0, max_value=50)
    elif schema.get("type") == "array":
        fitting = st.lists(value_for(doc, schema.get("items", {})), max_size=4)
    elif schema.get("type") == "string":
        fitting = st.text(max_size=120) | st.sampled_from(["", "x" * 10_000, "\x00", "' OR 1=1 --"])
    elif schema.get("type") == "null":
        fitting = st.none()
    else:
        fitting = json_values
    return st.one_of(fitting, fitting, fitting, json_values)


def body_for(doc: dict[str, Any], schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    if "$ref" in schema:
        schema = resolve(doc, schema["$ref"])
    props = schema.get("properties", {})
    required = set(schema.get("required", []))
    return st.fixed_dictionaries(
        {k: value_for(doc, v) for k, v in props.items() if k in required},
        optional={k: value_for(doc, v) for k, v in props.items() if k not in required},
    )


def _write_operations() -> list[tuple[str, str]]:
    from inbeeld.api import api

    schema = api.get_openapi_schema()
    return sorted((m, p) for p, item in schema["paths"].items() for m in item if m != "get")


def _huiskamer_ids(member: Any) -> dict[str, int]:
    from inbeeld.core.models import Location
    from inbeeld.huiskamer.models import Visit

    location = Location.objects.create(
        organisation=member.organisation, name="Huiskamer", kind=Location.Kind.HUISKAMER
    )
    visit = Visit.objects.create(location=location, organisation=member.organisation, recorded_by=member.user)
    return {"location_id": location.pk, "visit_id": visit.pk}


def _shelter_site_id(member: Any) -> int:
    from inbeeld.core.models import Location

    return Location.objects.create(
        organisation=member.organisation, name="Opvang", kind=Location.Kind.SHELTER
    ).pk


def _tie_id(member: Any, person: Any) -> int:
    from inbeeld.people.models import NetworkTie

    return NetworkTie.objects.create(
        person=person,
        kind="friend",
        quality="supportive",
        name="Openapi friend",
        frequency="weekly",
        started_on=datetime.date(2024, 1, 1),
        organisation=member.organisation,
        recorded_by=member.user,
    ).pk


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), _write_operations(), ids=lambda v: v)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_bodies_never_cause_a_server_error(doc, login, member, person, org_b, method, path, data):
    from inbeeld.radar.models import Signal
    from inbeeld.testing import factories as f

    consent = f.ConsentFactory(
        person=person, recipient=org_b, recorded_by=member.user, recorded_by_organisation=member.organisation
    )
    start = timezone.now()
    appointment = Appointment.objects.create(
        person=person,
        organisation=member.organisation,
        worker=member.user,
        created_by=member.user,
        starts_at=start + datetime.timedelta(hours=2),
        ends_at=start + datetime.timedelta(hours=3),
    )
    ids = {
        "appointment_id": appointment.pk,
        "person_id": person.pk,
        "involvement_id": person.involvements.first().pk if person.involvements.exists() else 0,
        "consent_id": consent.pk,
        "intake_id": Intake.objects.create(
            organisation=member.organisation,
            started_by=member.user,
            step=Intake.Step.FIRST_CONTACT,
            person=person,
        ).pk,
        # Hypothesis reuses the database between examples: each signal gets an anchor of its own.
        "signal_id": Signal.objects.create(
            network=person.network,
            person=person,
            rule="not_seen_zone",
            anchor=f"t{Signal.objects.count()}",
            severity=2,
            opened_on=timezone.localdate(),
            facts={"days": 20, "since": "2018-01-01", "last_seen": None, "status": "street_zone"},
        ).pk,
    }
    ids.update(_huiskamer_ids(member))
    ids["tie_id"] = _tie_id(member, person)
    ids["site_id"] = _shelter_site_id(member)
    ids["service_id"] = service(member.organisation, name=f"Dienst {Service.objects.count()}").pk
    # Other ids (shelter sign-ups, waitlist entries …) belong to roles the member does not have: any id
    # is then "not found", and the body must still never cause a server error.
    url = re.sub(r"{(\w+)}", lambda m: str(ids.get(m.group(1), 0)), path)
    op = doc["paths"][path][method]
    schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    body = data.draw(body_for(doc, schema)) if schema else None
    client = login(member)
    response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
    assert response.status_code < 500, (method, url, body)
    assert response["Content-Type"].startswith("application/json")
