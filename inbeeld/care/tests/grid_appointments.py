"""Permission grid for appointments, the agenda and the calendar feed (web and API).

Levels as in ``grid_contacts``. Decisions:
- READ_APPOINTMENTS: caseworkers and outreach workers who see the person; for everyone else a person's
  appointments do not exist (404), and so neither does one appointment's outcome form.
- PLAN_APPOINTMENTS: caseworkers and outreach workers who see the person; other roles that see the
  person are refused (403).
- An appointment's outcome: the organisation that planned it (A), by its planners.
- The agenda and the calendar feed page belong to the roles that can be an appointment's worker
  (caseworker, outreach): 404 for roles without a by-name list, 403 for other list roles.
- The ICS feed needs no login: its secret address decides, for anyone who has it.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from inbeeld.care.actions.appointments import create_calendar_feed
from inbeeld.care.forms_contacts import DATETIME_LOCAL
from inbeeld.care.models import Appointment
from inbeeld.core.audit import Actor
from inbeeld.testing.grid import GridRoute, World, by_role, same_for_all

API = "/api/v1"
OK, CREATED, CHANGED, FORBIDDEN, UNSEEN = 200, 201, 302, 403, 404

READERS = {"caseworker": (OK, UNSEEN), "outreach": (OK, UNSEEN)}
PLANNERS = {
    "caseworker": (OK, UNSEEN),
    "outreach": (OK, UNSEEN),
    "host": (FORBIDDEN, UNSEEN),
    "shelter_coordinator": (FORBIDDEN, UNSEEN),
    "coordinator": (FORBIDDEN, FORBIDDEN),
    "privacy_officer": (FORBIDDEN, FORBIDDEN),
}
WORKERS = {
    "caseworker": (OK, OK),
    "outreach": (OK, OK),
    "host": (FORBIDDEN, FORBIDDEN),
    "shelter_coordinator": (FORBIDDEN, FORBIDDEN),
    "coordinator": (FORBIDDEN, FORBIDDEN),
    "privacy_officer": (FORBIDDEN, FORBIDDEN),
}


def _as(status: int, expect: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """The same decisions for an operation that answers ``status`` instead of 200."""
    return {role: tuple(status if s == OK else s for s in pair) for role, pair in expect.items()}  # type: ignore[misc]


def _tomorrow(hour: int) -> str:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))).strftime(DATETIME_LOCAL)


def _planned(w: World) -> int:
    """An appointment of A with the person that started an hour ago, by A's caseworker."""
    worker = w.member("caseworker", "own").user
    start = timezone.now() - datetime.timedelta(hours=1)
    appointment = Appointment.objects.create(
        person=w.person,
        organisation=w.org_a,
        worker=worker,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=45),
        place="Huiskamer",
        created_by=worker,
    )
    return appointment.pk


def _feed_token(w: World) -> str:
    membership = w.member("outreach", "own")
    _feed, token = create_calendar_feed(actor=Actor(user=membership.user, membership=membership))
    return token


def api(expect: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    return by_role(anonymous=401, **expect)


ROUTES: list[GridRoute] = [
    # --- web ---
    GridRoute("care:appointment_list", by_role(**READERS), kwargs=lambda w: {"pk": w.person.pk}),
    GridRoute(
        "care:appointment_new",
        by_role(**_as(CHANGED, PLANNERS)),
        method="POST",
        kwargs=lambda w: {"pk": w.person.pk},
        data=lambda w: {"starts_at": _tomorrow(10), "ends_at": _tomorrow(11), "place": "Huiskamer"},
    ),
    GridRoute(
        "care:appointment_status",
        by_role(**_as(CHANGED, READERS)),
        method="POST",
        kwargs=lambda w: {"pk": w.person.pk, "appointment_pk": _planned(w)},
        data=lambda w: {"status": "attended"},
    ),
    GridRoute("care:agenda", by_role(**WORKERS)),
    GridRoute("care:calendar_feed", by_role(**WORKERS), method="POST", data=lambda w: {"action": "create"}),
    GridRoute(
        "care:calendar_ics",
        same_for_all(OK, anonymous=OK),
        kwargs=lambda w: {"token": _feed_token(w)},
    ),
    # --- API ---
    GridRoute(
        "GET /api/v1/persons/{person_id}/appointments",
        path=lambda w: f"{API}/persons/{w.person.pk}/appointments",
        expect=api(READERS),
    ),
    GridRoute(
        "POST /api/v1/persons/{person_id}/appointments",
        method="POST",
        json=True,
        path=lambda w: f"{API}/persons/{w.person.pk}/appointments",
        data=lambda w: {"starts_at": _tomorrow(10), "ends_at": _tomorrow(11), "place": "Kantoor"},
        expect=api(_as(CREATED, PLANNERS)),
    ),
    GridRoute(
        "POST /api/v1/appointments/{appointment_id}/status",
        method="POST",
        json=True,
        path=lambda w: f"{API}/appointments/{_planned(w)}/status",
        data=lambda w: {"status": "attended"},
        expect=api(READERS),
    ),
    GridRoute("GET /api/v1/agenda", path=lambda w: f"{API}/agenda", expect=api(WORKERS)),
]
