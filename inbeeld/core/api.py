"""The core API router (who am I, which organisations are in my network) and what every router shares:
the error schemas, page-number pagination and the audit actor of an API request.

Nothing here returns person data.
"""

# No "from __future__ import annotations": ninja reads the views' annotations at runtime, and
# for paginated views it would resolve the strings in ninja's module, not this one.

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from inbeeld.core import access, audit
from inbeeld.core.models import Membership, Organisation

# --- shared by every router -----------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    loc: list[str | int] = Field(
        description='Where the error is, e.g. ["body", "roepnaam"]; the last part names the field.'
    )
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


_ERROR_SCHEMAS: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}


def errors(*codes: int) -> dict[int, Any]:
    """The error responses an operation documents (their bodies come from the API's exception handlers)."""
    return {code: _ERROR_SCHEMAS[code] for code in codes}


# Pages beyond this are refused (422) rather than turned into a database OFFSET no engine accepts.
MAX_PAGE = 1_000_000


class Page(PageNumberPagination):
    """``?page=N`` with the page size fixed by INBEELD_API_PAGE_SIZE: one size for every client."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        size = settings.API_PAGE_SIZE  # read per request, not at import, so the setting always applies
        offset = (pagination.page - 1) * size
        return {
            self.items_attribute: list(queryset[offset : offset + size]),
            "count": self._items_count(queryset),
        }


def actor(request: HttpRequest) -> audit.Actor:
    return audit.Actor.from_request(request, source="api")


def membership_of(request: HttpRequest) -> Membership | None:
    return getattr(request, "membership", None)


# --- the core router ------------------------------------------------------------------------------

router = Router(tags=["account"])


class UserOut(Schema):
    id: int
    email: str
    full_name: str


class OrganisationOut(Schema):
    id: int
    name: str
    kind: Organisation.Kind


class MembershipOut(Schema):
    id: int
    organisation: OrganisationOut
    role: str
    role_label: str

    @staticmethod
    def resolve_role_label(obj: Membership) -> str:
        return str(obj.get_role_display())


class MeOut(Schema):
    user: UserOut
    memberships: list[MembershipOut]
    acting: MembershipOut | None = Field(description="The membership this request acts in.")
    via_token: bool


@router.get("/me", response={200: MeOut, **errors(401, 403)}, summary="Who is calling, acting in which role")
def me(request: HttpRequest) -> dict[str, Any]:
    return {
        "user": request.user,
        "memberships": getattr(request, "memberships", []),
        "acting": membership_of(request),
        "via_token": getattr(request, "api_token", None) is not None,
    }


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **errors(401, 403, 404, 422)},
    summary="The organisations of the acting member's network",
)
@paginate(Page)
def list_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    membership = access.require_membership(membership_of(request))
    return Organisation.objects.filter(network_id=membership.organisation.network_id).order_by("name", "id")
