"""The huiskamer API: a location's visits on a day, registering a visit, marking it left, totals.

As in ``care.api.contacts``: roles outside the huiskamer and other organisations' locations are 404;
a person_id the caller may not record for is a 422 naming person_id; bad values are 422 naming the field.
"""

# No "from __future__ import annotations": ninja reads the views' annotations at runtime.

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from inbeeld.core import access
from inbeeld.core.access import Need
from inbeeld.core.api import actor, errors, membership_of
from inbeeld.huiskamer import actions
from inbeeld.huiskamer.models import Visit
from inbeeld.huiskamer.schemas import DayTotalsOut, LeftIn, VisitIn, VisitOut

router = Router(tags=["huiskamer"])
ERRORS = errors(401, 403, 404, 422)


@router.get(
    "/huiskamer/locations/{location_id}/visits",
    response={200: list[VisitOut], **ERRORS},
    summary="The visits of a huiskamer location on one day (default today), in order of arrival",
)
def list_visits(request: HttpRequest, location_id: int, day: datetime.date | None = None) -> list[Visit]:
    location = actions.location_for(membership_of(request), location_id)
    visits = list(actions.visits_on(location, day or timezone.localdate()))
    actions.record_visits_read(actor(request), visits, data="huiskamer.visits.api")
    return visits


@router.post(
    "/huiskamer/locations/{location_id}/visits",
    response={201: VisitOut, **ERRORS},
    summary="Register a visit: of a person (person_id) or anonymous (anonymous: true)",
)
def register_visit(request: HttpRequest, location_id: int, payload: VisitIn) -> Status[Visit]:
    membership = actions.require_huiskamer(membership_of(request))
    location = actions.location_for(membership, location_id)
    if payload.anonymous and payload.person_id is not None:
        raise ValidationError({"anonymous": _("Send a person_id or anonymous: true, not both.")})
    found = None
    if payload.person_id is None:
        if not payload.anonymous:
            raise ValidationError({"person_id": _("Send the person's id, or anonymous: true.")})
    else:
        try:
            found = access.person_for(membership, payload.person_id, Need.RECORD_CONTACT)
        except (Http404, PermissionDenied):
            raise ValidationError({"person_id": _("Choose a person you work with.")}) from None
    visit = actions.register_visit(
        actor=actor(request),
        location=location,
        person_access=found,
        data=actions.VisitInput(
            arrived_at=payload.arrived_at,
            first_visit=payload.first_visit,
            intent=str(payload.intent),
            language=payload.language,
            questions=[str(t) for t in payload.questions],
            services=[str(s) for s in payload.services],
            note=payload.note,
        ),
    )
    return Status(201, visit)


@router.post(
    "/huiskamer/visits/{visit_id}/left",
    response={200: VisitOut, **ERRORS},
    summary="Mark a visitor as left (default now)",
)
def mark_left(request: HttpRequest, visit_id: int, payload: LeftIn) -> Visit:
    visit = actions.visit_for(membership_of(request), visit_id)
    return actions.mark_left(actor=actor(request), visit=visit, left_at=payload.left_at)


@router.get(
    "/huiskamer/locations/{location_id}/totals",
    response={200: DayTotalsOut, **ERRORS},
    summary="Day and month totals of a huiskamer location (counts only, no names)",
)
def location_totals(request: HttpRequest, location_id: int, day: datetime.date | None = None) -> DayTotalsOut:
    location = actions.location_for(membership_of(request), location_id)
    on = day or timezone.localdate()
    day_totals, month_totals = actions.day_and_month(location, on)
    return DayTotalsOut.model_validate(
        {
            "location_id": location.pk,
            "day": on,
            "day_totals": day_totals.__dict__,
            "month_totals": month_totals.__dict__,
        }
    )
