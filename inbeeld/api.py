"""The JSON API, mounted at /api/v1/: every app's router, one authentication, one way of saying no.

Errors have one shape whatever raised them: ``{"detail": "..."}``, and for validation errors (422)
``{"detail": [{"loc": [..., field], "msg": ..., "type": ...}]}`` like ninja's own. The texts come from
gettext in the request's language.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.operation import Operation

from inbeeld.care.api import routers as care_routers
from inbeeld.chain.api import routers as chain_routers
from inbeeld.core.api import router as core_router
from inbeeld.core.api_auth import API_AUTH
from inbeeld.huiskamer.api import router as huiskamer_router
from inbeeld.people.actions import EditConflict
from inbeeld.people.api import router as people_router
from inbeeld.radar.api import router as radar_router
from inbeeld.reports.api import router as reports_router
from inbeeld.shelter.api import routers as shelter_routers


class InbeeldAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # Operation ids are what generated clients call their methods: the view's name, not its module path.
        return operation.view_func.__name__


api = InbeeldAPI(
    title="Inbeeld API",
    version="1",
    description=(
        "Case coordination for the support network around street sex workers. "
        "Authenticate with your browser session or a personal API token "
        "(`Authorization: Bearer ibt_…`, made at /account/tokens/). "
        "Persons you may not see answer 404, exactly like persons that do not exist."
    ),
    urls_namespace="api",
    auth=API_AUTH,
)
api.add_router("/", core_router)
api.add_router("/", people_router)
for care_router in care_routers:
    api.add_router("/", care_router)
api.add_router("/", radar_router)
api.add_router("/", huiskamer_router)
for shelter_router in shelter_routers:
    api.add_router("/", shelter_router)
for chain_router in chain_routers:
    api.add_router("/", chain_router)
api.add_router("/", reports_router)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": _("Authentication required.")}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # The same text for "does not exist" and "not yours to see" (access rule 1), whatever raised it.
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or _("You may not do this.")}, status=403)


def _field_errors(exc: ValidationError) -> list[dict[str, Any]]:
    if not hasattr(exc, "error_dict"):
        return [{"loc": ["body"], "msg": message, "type": "value_error"} for message in exc.messages]
    return [
        {
            "loc": ["body"] if field == NON_FIELD_ERRORS else ["body", field],
            "msg": message,
            "type": "value_error",
        }
        for field, messages in exc.message_dict.items()
        for message in messages
    ]


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": _field_errors(exc)}, status=422)


@api.exception_handler(EditConflict)
def _conflict(request: HttpRequest, exc: EditConflict) -> HttpResponse:
    changed = [{"field": f, "current": now, "submitted": sent} for f, now, sent in exc.changed]
    return api.create_response(request, {"detail": str(exc), "changed": changed}, status=409)
