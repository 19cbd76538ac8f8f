"""The partner services directory as Open Referral HSDS 3.0 JSON, and its validation.

The document has the shape of the HSDS 3.0 API's ``GET /organizations?full_service=true`` answer: one
page (``total_items``, ``page_number``… and ``contents``) of organization objects, each with its
``services`` fully nested (phones, languages, a category attribute, and ``service_at_locations`` with
the location, its address and its opening hours as weekly schedules). Every object's id is a UUID
derived (uuid5) from the primary key of the row it comes from, so ids are stable across exports.

``validate`` checks a document against the HSDS JSON Schemas copied into ``hsds_schema/`` (CC BY-SA 4.0,
see its README) with ``jsonschema``: the organizations against ``organization.json`` and their nested
services against ``service.json``, which pull in the other files by relative ``$ref``.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from inbeeld.chain.languages import english_name
from inbeeld.chain.models import Category, Service
from inbeeld.core.models import Location, Network, OpeningHours, Organisation

SCHEMA_DIR = Path(__file__).resolve().parent / "hsds_schema"
HSDS_VERSION = "3.0"
# Every id in the export is uuid5(NAMESPACE, "<kind>:<primary key>…"). Never change it: ids would change.
NAMESPACE = uuid.UUID("6f1d3c2e-5b7a-4e0c-9a51-3c8e2f4b7d10")
COUNTRY = "NL"
CATEGORY_TAXONOMY = "inbeeld-service-category"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# "Hoevepad 1, 9712 AB Hunzestad": street, then an optional Dutch postcode, then the city.
_ADDRESS = re.compile(r"^(?P<street>.+),\s*(?:(?P<postcode>\d{4}\s?[A-Za-z]{2})\s+)?(?P<city>[^,]+)$")

DOCUMENT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": [
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    ],
    "properties": {
        **{
            key: {"type": "integer", "minimum": 0}
            for key in ("total_items", "total_pages", "page_number", "size")
        },
        **{key: {"type": "boolean"} for key in ("first_page", "last_page", "empty")},
        "contents": {"type": "array", "items": {"$ref": "#/$defs/organization_with_services"}},
    },
    "$defs": {
        "organization_with_services": {
            "allOf": [{"$ref": "organization.json"}],
            "required": ["services"],
            "properties": {"services": {"type": "array", "items": {"$ref": "service.json"}}},
        }
    },
}


def hsds_id(kind: str, *keys: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *(str(k) for k in keys)])))


# --- validation --------------------------------------------------------------------------------------


@functools.cache
def registry() -> Registry:  # type: ignore[type-arg]
    """Every schema file under its file name, so relative ``$ref`` such as ``"phone.json"`` resolve."""
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        if path.name == "openapi.json":  # the specification's API description, not a schema
            continue
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((path.name, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


def validator() -> Draft202012Validator:
    return Draft202012Validator(
        DOCUMENT_SCHEMA, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def validate(document: Any) -> list[str]:
    """What is wrong with the document as HSDS 3.0, one line per error ("contents/0/services/1/id: …")."""
    errors = sorted(validator().iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(document)'}: {error.message}"
        for error in errors
    ]


# --- export ------------------------------------------------------------------------------------------


def _optional(**values: Any) -> dict[str, Any]:
    """Optional properties: left out when empty (an empty string is not a valid email address or URI)."""
    return {key: value for key, value in values.items() if value not in ("", None, [])}


def address(location: Location) -> list[dict[str, Any]]:
    text = location.address.strip()
    if not text:
        return []
    match = _ADDRESS.match(text)
    street, postcode, city = (
        (match["street"].strip(), (match["postcode"] or "").upper(), match["city"].strip())
        if match
        else (text, "", "")
    )
    return [
        {
            "id": hsds_id("address", location.pk),
            "location_id": hsds_id("location", location.pk),
            "address_1": street,
            "city": city,
            "state_province": "",
            "postal_code": postcode,
            "country": COUNTRY,
            "address_type": "physical",
        }
    ]


def schedules(location: Location) -> list[dict[str, Any]]:
    """One weekly schedule per opening time, with the days it applies to (``byday``: "MO,TU")."""
    days: dict[tuple[datetime.time, datetime.time], list[int]] = {}
    for hours in sorted(location.opening_hours.all(), key=lambda h: (h.weekday, h.opens_at)):
        days.setdefault((hours.opens_at, hours.closes_at), []).append(hours.weekday)
    return [
        {
            "id": hsds_id("schedule", location.pk, f"{opens:%H:%M}", f"{closes:%H:%M}"),
            "location_id": hsds_id("location", location.pk),
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": ",".join(WEEKDAYS[d] for d in weekdays),
            "opens_at": f"{opens:%H:%M}",
            "closes_at": f"{closes:%H:%M}",
            "notes": f"Local time ({settings.TIME_ZONE})",
            **_optional(
                valid_from=location.opened_on.isoformat() if location.opened_on else None,
                valid_to=location.closed_on.isoformat() if location.closed_on else None,
            ),
        }
        for (opens, closes), weekdays in days.items()
    ]


def location_object(location: Location) -> dict[str, Any]:
    return {
        "id": hsds_id("location", location.pk),
        "location_type": "physical",
        "organization_id": hsds_id("organization", location.organisation_id),
        "name": location.name,
        **_optional(addresses=address(location), schedules=schedules(location)),
    }


def _category(service: Service) -> dict[str, Any]:
    term_id = hsds_id("taxonomy_term", CATEGORY_TAXONOMY, service.category)
    label = Category(service.category).label
    return {
        "id": hsds_id("attribute", "category", service.pk),
        "link_id": hsds_id("service", service.pk),
        "link_type": "service",
        "link_entity": "service",
        "taxonomy_term_id": term_id,
        "value": service.category,
        "taxonomy_term": {
            "id": term_id,
            "code": service.category,
            "name": str(label),
            "description": str(label),
            "taxonomy": CATEGORY_TAXONOMY,
        },
    }


def service_object(service: Service) -> dict[str, Any]:
    sid = hsds_id("service", service.pk)
    phones = [{"id": hsds_id("phone", "service", service.pk), "service_id": sid, "number": service.phone}]
    languages = [
        {
            "id": hsds_id("language", service.pk, code),
            "service_id": sid,
            "code": code,
            **_optional(name=english_name(code)),
        }
        for code in service.languages
    ]
    at_locations = [
        {
            "id": hsds_id("service_at_location", service.pk, location.pk),
            "service_id": sid,
            "location_id": hsds_id("location", location.pk),
            "location": location_object(location),
        }
        for location in service.locations.all()
    ]
    return {
        "id": sid,
        "organization_id": hsds_id("organization", service.organisation_id),
        "name": service.name,
        "status": service.status,
        "last_modified": service.updated_at.isoformat(),
        "attributes": [_category(service)],
        **_optional(
            description=service.description,
            url=service.url,
            email=service.email,
            eligibility_description=service.eligibility,
            application_process=service.application_process,
            fees_description=service.fees,
            phones=phones if service.phone else [],
            languages=languages,
            service_at_locations=at_locations,
        ),
    }


def organization_object(organisation: Organisation, services: Iterable[Service]) -> dict[str, Any]:
    services = list(services)
    locations = {loc.pk: loc for service in services for loc in service.locations.all()}
    return {
        "id": hsds_id("organization", organisation.pk),
        "name": organisation.name,
        "description": str(organisation.get_kind_display()),
        **_optional(locations=[location_object(loc) for loc in sorted(locations.values(), key=_by_name)]),
        "services": [service_object(service) for service in services],
    }


def _by_name(location: Location) -> tuple[str, int]:
    return (location.name, location.pk)


def export_network(network: Network | int) -> dict[str, Any]:
    """The network's directory (every service, inactive ones marked so) as one HSDS 3.0 page."""
    locations = Location.objects.order_by("name", "pk").prefetch_related(
        Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens_at"))
    )
    services = (
        Service.objects.in_network(network)
        .select_related("organisation")
        .prefetch_related(Prefetch("locations", queryset=locations))
        .order_by("organisation__name", "organisation_id", "name", "pk")
    )
    grouped: dict[int, tuple[Organisation, list[Service]]] = {}
    for service in services:
        grouped.setdefault(service.organisation_id, (service.organisation, []))[1].append(service)
    contents = [organization_object(organisation, listed) for organisation, listed in grouped.values()]
    return {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }
