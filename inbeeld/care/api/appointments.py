"""The appointments API: a person's appointments, planning one, its outcome, and the caller's week.

Same semantics as ``people.api``: 404 when the person (or appointment) is not the caller's to see, 403
when the role may not do this, 422 naming the field for refused input. Reads and writes are audited.
"""

# No "from __future__ import annotations": ninja reads the views' annotations at runtime.

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from inbeeld.care.actions import appointments as actions
from inbeeld.care.api.contacts import ERRORS, location_of
from inbeeld.care.models import Appointment
from inbeeld.care.schemas_appointments import (
    AgendaOut,
    AppointmentIn,
    AppointmentOut,
    AppointmentStatusIn,
    WeekText,
)
from inbeeld.core import access
from inbeeld.core.access import Need
from inbeeld.core.api import Page, actor, membership_of
from inbeeld.core.models import Membership, User

router = Router(tags=["appointments"])


def _worker(membership: Membership, worker_id: int | None) -> User:
    if worker_id is None:
        return membership.user
    worker = actions.workers_of(membership.organisation_id).filter(pk=worker_id).first()
    if worker is None:
        raise ValidationError(
            {"worker_id": _("Choose a caseworker or outreach worker of your organisation.")}
        )
    return worker


@router.get(
    "/persons/{person_id}/appointments",
    response={200: list[AppointmentOut], **ERRORS},
    summary="A person's appointments you may see, latest first",
)
@paginate(Page)
def list_person_appointments(request: HttpRequest, person_id: int) -> QuerySet[Appointment]:
    found, scope = actions.read_appointments(actor(request), person_id, data="appointments.api")
    return actions.appointments_of(found, scope)


@router.post(
    "/persons/{person_id}/appointments",
    response={201: AppointmentOut, **ERRORS},
    summary="Plan an appointment with a person",
)
def plan_appointment(request: HttpRequest, person_id: int, payload: AppointmentIn) -> Status[Appointment]:
    found = access.person_for(membership_of(request), person_id, Need.PLAN_APPOINTMENTS)
    appointment = actions.plan_appointment(
        found,
        actor=actor(request),
        worker=_worker(found.membership, payload.worker_id),
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        location=location_of(found.membership, payload.location_id),
        place=payload.place,
        purpose=payload.purpose,
    )
    return Status(201, appointment)


@router.post(
    "/appointments/{appointment_id}/status",
    response={200: AppointmentOut, **ERRORS},
    summary="Mark an appointment attended, no-show or cancelled",
    description="Only a planned appointment, only by the organisation that planned it; attended and "
    "no-show not before it starts.",
)
def set_appointment_status(request: HttpRequest, appointment_id: int, payload: AppointmentStatusIn) -> Any:
    found, appointment = actions.appointment_for(membership_of(request), appointment_id)
    return actions.set_appointment_status(
        found, appointment, actor=actor(request), status=str(payload.status)
    )


@router.get(
    "/agenda",
    response={200: AgendaOut, **ERRORS},
    summary="Your own appointments in one week",
    description="`week` is an ISO week such as 2026-W48; default this week. A person's roepnaam shows "
    "only when you may see that person, the purpose only when it is yours to read.",
)
def my_agenda(request: HttpRequest, week: WeekText | None = None) -> dict[str, Any]:
    agenda = actions.agenda(actor(request), actions.parse_week(week))
    return {
        "week": agenda.week,
        "starts_on": agenda.monday,
        "ends_on": agenda.sunday,
        "previous_week": agenda.previous_week,
        "next_week": agenda.next_week,
        "appointments": [
            {
                "id": e.appointment.pk,
                "starts_at": e.appointment.starts_at,
                "ends_at": e.appointment.ends_at,
                "status": e.appointment.status,
                "status_label": str(e.appointment.get_status_display()),
                "place_label": e.appointment.place_label(),
                "organisation_id": e.appointment.organisation_id,
                "person_id": e.person_id,
                "roepnaam": e.roepnaam,
                "purpose": e.purpose,
                "statuses": e.statuses,
            }
            for e in agenda.entries
        ],
    }
