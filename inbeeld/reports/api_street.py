"""The street counts API: the network's counts, recording one, correcting and deleting one.

As the web pages (``reports.views_street``): outreach workers and coordinators of the network; every other
role gets 404. Another organisation's count is 403 on PUT and DELETE; bad values are 422 naming the field.
"""

# No "from __future__ import annotations": ninja reads the views' annotations at runtime, and for
# paginated views it would resolve the strings in ninja's module, not this one.

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from inbeeld.core.api import Page, actor, errors, membership_of
from inbeeld.reports import actions_street as actions
from inbeeld.reports.models import StreetCount
from inbeeld.reports.schemas_street import StreetCountIn, StreetCountOut

router = Router(tags=["reports"])
ERRORS = errors(401, 403, 404, 422)
COUNTS = "/reports/street-counts"
T = TypeVar("T")


def _named_as_sent(write: Callable[[], T]) -> T:
    """The actions name the location "location"; the API's field is "location_id"."""
    try:
        return write()
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        named = {("location_id" if k == "location" else k): v for k, v in error.message_dict.items()}
        raise ValidationError(named) from None


def _input(payload: StreetCountIn) -> actions.StreetCountInput:
    return actions.StreetCountInput(
        location_id=payload.location_id,
        counted_on=payload.counted_on,
        count=payload.count,
        method=str(payload.method),
        note=payload.note,
    )


@router.get(
    COUNTS,
    response={200: list[StreetCountOut], **ERRORS},
    summary="The street counts of your network, newest first (outreach and coordinators)",
)
@paginate(Page)
def list_street_counts(request: HttpRequest) -> QuerySet[StreetCount]:
    return actions.counts_for(membership_of(request))


@router.post(COUNTS, response={201: StreetCountOut, **ERRORS}, summary="Record a street count")
def record_street_count(request: HttpRequest, payload: StreetCountIn) -> Status[StreetCount]:
    actions.require_recorder(membership_of(request))
    made = _named_as_sent(lambda: actions.record_count(actor=actor(request), data=_input(payload)))
    return Status(201, made)


@router.put(
    COUNTS + "/{count_id}",
    response={200: StreetCountOut, **ERRORS},
    summary="Correct a street count your organisation recorded",
)
def update_street_count(request: HttpRequest, count_id: int, payload: StreetCountIn) -> StreetCount:
    street_count = actions.count_for(membership_of(request), count_id)
    return _named_as_sent(
        lambda: actions.update_count(actor=actor(request), street_count=street_count, data=_input(payload))
    )


@router.delete(
    COUNTS + "/{count_id}",
    response={204: None, **ERRORS},
    summary="Delete a street count your organisation recorded",
)
def delete_street_count(request: HttpRequest, count_id: int) -> Status[Any]:
    street_count = actions.count_for(membership_of(request), count_id)
    actions.delete_count(actor=actor(request), street_count=street_count)
    return Status(204, None)
