"""The partner services API: the directory (list, one service), adding and changing a service, and the
directory as Open Referral HSDS 3.0 JSON.

As the web pages (``chain.views_services``): every member of the network reads; another network's service
is 404; writes follow ``actions.may_edit_services`` (else 403); bad values are 422 naming the field; a
stale ``version`` is 409 with the fields that differ.
"""

# No "from __future__ import annotations": ninja reads the views' annotations at runtime.

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from inbeeld.chain import actions_services as actions
from inbeeld.chain import hsds
from inbeeld.chain.models import Category, Service
from inbeeld.chain.schemas_services import ConflictOut, ServiceIn, ServiceOut, ServicePatchIn
from inbeeld.core.api import Page, errors, membership_of
from inbeeld.core.models import Organisation

router = Router(tags=["services"])
ERRORS = errors(401, 403, 404, 422)


@router.get(
    "/services/hsds",
    response={200: dict[str, Any], **errors(401, 403, 404)},
    summary="The partner services as Open Referral HSDS 3.0 JSON: organizations with nested services",
)
def services_hsds(request: HttpRequest) -> dict[str, Any]:
    membership = actions.require_member(membership_of(request))
    return hsds.export_network(membership.organisation.network_id)


@router.get(
    "/services",
    response={200: list[ServiceOut], **ERRORS},
    summary="The partner services directory of your network (active services unless inactive=true)",
)
@paginate(Page)
def list_services(
    request: HttpRequest,
    q: str = "",
    category: Category | None = None,
    language: str = "",
    organisation_id: int | None = None,
    inactive: bool = False,
) -> list[Service]:
    services = actions.services_for(membership_of(request))
    return actions.filter_directory(
        services, q=q, category=category, organisation=organisation_id, language=language, inactive=inactive
    )


@router.get("/services/{service_id}", response={200: ServiceOut, **ERRORS}, summary="A partner service")
def get_service(request: HttpRequest, service_id: int) -> Service:
    return actions.service_for(membership_of(request), service_id)


@router.post("/services", response={201: ServiceOut, **ERRORS}, summary="Add a service to the directory")
def create_service(request: HttpRequest, payload: ServiceIn) -> Status[Service]:
    membership = actions.require_may_add(membership_of(request))
    organisation_id = payload.organisation_id or membership.organisation_id
    organisation = Organisation.objects.filter(
        pk=organisation_id, network_id=membership.organisation.network_id
    ).first()
    if organisation is None:
        raise ValidationError({"organisation_id": _("Choose an organisation of your network.")})
    data = actions.ServiceInput(**payload.model_dump(exclude={"organisation_id"}))
    return Status(201, actions.create_service(acting=membership, organisation=organisation, data=data))


@router.patch(
    "/services/{service_id}",
    response={200: ServiceOut, 409: ConflictOut, **ERRORS},
    summary="Change a service (also status: inactive to deactivate it)",
    description="Send the `version` you read. If someone saved the service since, nothing is written "
    "and the answer is 409 with the fields that differ.",
)
def update_service(request: HttpRequest, service_id: int, payload: ServicePatchIn) -> Service:
    membership = membership_of(request)
    service = actions.service_for(membership, service_id)
    actions.require_edit(membership, service.organisation)
    current: dict[str, Any] = {name: getattr(service, name) for name in actions.FIELDS}
    current["location_ids"] = sorted(service.locations.values_list("pk", flat=True))
    sent = payload.model_dump(exclude_unset=True, exclude={"version"})
    for name, value in sent.items():
        if value is None and name != "status":
            raise ValidationError({name: _("This field cannot be null.")})
    data = actions.ServiceInput(**{**current, **sent})
    return actions.update_service(
        acting=membership, service=service, data=data, expected_version=payload.version
    )
