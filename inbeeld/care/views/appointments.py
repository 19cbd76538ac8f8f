"""Web pages for appointments: plan one, give it its outcome, a person's appointments, a worker's week,
the person-page section, and the worker's calendar feed (ICS) behind a secret, revocable address.

Status codes as in ``people.views``. The feed itself needs no login: its address is the secret, and an
unknown or revoked address answers 404 with the same text as any other missing page.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from inbeeld.care.actions import appointments as actions
from inbeeld.care.forms_appointments import AppointmentForm, AppointmentStatusForm
from inbeeld.care.models import Appointment
from inbeeld.core import access
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.audit import Actor
from inbeeld.people import sections
from inbeeld.people.view_support import done, form_data, form_page, person_access_for, submit

LIST_PAGE_SIZE = 25
SECTION_UPCOMING = 5
SECTION_RECENT = 3
RECENT = datetime.timedelta(days=30)


def acting_membership(request: HttpRequest) -> Any:
    return getattr(request, "membership", None)


def _rows(person_access: PersonAccess, shown: Any) -> list[tuple[Appointment, list[Appointment.Status]]]:
    """Each appointment with the outcomes this viewer may give it now (none when not theirs to change)."""
    now = timezone.now()
    return [
        (a, actions.status_choices(a, now) if actions.may_change_status(person_access, a) else [])
        for a in shown
    ]


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def appointment_new(request: HttpRequest, pk: int) -> HttpResponse:
    person_access = person_access_for(request, pk, Need.PLAN_APPOINTMENTS, data="appointment.form")
    person = person_access.person
    form = AppointmentForm(form_data(request), membership=person_access.membership)
    saved = submit(
        request,
        form,
        lambda: actions.plan_appointment(
            person_access, actor=Actor.from_request(request), **form.appointment_input()
        ),
    )
    if saved is not None:
        return done(request, _("The appointment is planned."), person.pk)
    return form_page(
        request,
        {
            "form": form,
            "person": person,
            "title": _("Plan an appointment"),
            "intro": _("Calendar feeds show only “Afspraak” and the place: never the person or the purpose."),
            "submit": _("Plan appointment"),
        },
    )


@login_required
@never_cache
@require_GET
def appointment_list(request: HttpRequest, pk: int) -> HttpResponse:
    person_access, scope = actions.read_appointments(
        Actor.from_request(request), pk, data="appointments.list"
    )
    shown = actions.appointments_of(person_access, scope)
    page = Paginator(shown, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "person": person_access.person,
        "page_obj": page,
        "rows": _rows(person_access, page),
        "may_plan": person_access.allows(Need.PLAN_APPOINTMENTS),
        "own_organisation_id": person_access.own_organisation_id,
    }
    return render(request, "care/appointments/list.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def appointment_status(request: HttpRequest, pk: int, appointment_pk: int) -> HttpResponse:
    person_access, appointment = actions.appointment_for(
        acting_membership(request), appointment_pk, person_id=pk
    )
    form = AppointmentStatusForm(form_data(request))
    saved = submit(
        request,
        form,
        lambda: actions.set_appointment_status(
            person_access, appointment, actor=Actor.from_request(request), status=form.cleaned_data["status"]
        ),
    )
    if saved is not None:
        messages.success(
            request, _("The appointment is now: %(status)s.") % {"status": saved.get_status_display()}
        )
        if request.POST.get("next") == "agenda":
            return redirect(
                f"{reverse('care:agenda')}?week={actions.week_label(timezone.localdate(saved.starts_at))}"
            )
        return redirect("people:detail", pk=person_access.person.pk)
    if request.method == "GET":
        access.read_person(Actor.from_request(request), pk, Need.READ_APPOINTMENTS, data="appointment.status")
    facts = [
        (_("When"), _when(appointment)),
        (_("Place"), appointment.place_label() or "—"),
        (_("Status"), appointment.get_status_display()),
    ]
    return form_page(
        request,
        {
            "form": form,
            "person": person_access.person,
            "facts": facts,
            "title": _("Outcome of the appointment"),
            "submit": _("Save"),
        },
    )


def _when(appointment: Appointment) -> str:
    start = timezone.localtime(appointment.starts_at)
    end = timezone.localtime(appointment.ends_at)
    return f"{formats.date_format(start, 'SHORT_DATETIME_FORMAT')}–{formats.time_format(end, 'TIME_FORMAT')}"


def appointments_section(request: HttpRequest, person_access: PersonAccess) -> str | None:
    """Upcoming and recent appointments the viewer may see, with outcome buttons for those allowed."""
    if not person_access.allows(Need.READ_APPOINTMENTS):
        return None
    scope = actions.record_scope(person_access, Appointment.objects.all())
    shown = actions.appointments_of(person_access, scope)
    now = timezone.now()
    upcoming = list(shown.filter(ends_at__gte=now).order_by("starts_at", "id")[:SECTION_UPCOMING])
    recent = list(shown.filter(ends_at__lt=now, starts_at__gte=now - RECENT)[:SECTION_RECENT])
    if upcoming or recent:
        access.record_shared_read(
            Actor.from_request(request), person_access, scope.shared, data="appointments.section"
        )
    context = {
        "person": person_access.person,
        "upcoming": _rows(person_access, upcoming),
        "recent": _rows(person_access, recent),
        "may_plan": person_access.allows(Need.PLAN_APPOINTMENTS),
        "own_organisation_id": person_access.own_organisation_id,
    }
    return render_to_string("care/appointments/_section.html", context, request=request)


sections.register(sections.Section("appointments", 45, appointments_section))


# --- the worker's week ------------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def agenda(request: HttpRequest) -> HttpResponse:
    actions.require_worker(acting_membership(request))
    context: dict[str, Any] = {"this_week": actions.week_label(actions.parse_week(None))}
    try:
        monday = actions.parse_week(request.GET.get("week"))
    except ValidationError as error:
        context["error"] = error.message_dict["week"][0]
        return render(request, "care/appointments/agenda.html", context, status=422)
    week = actions.agenda(Actor.from_request(request), monday)
    context["week"] = week
    context["days"] = [
        (day, [e for e in week.entries if timezone.localdate(e.appointment.starts_at) == day])
        for day in (monday + datetime.timedelta(days=n) for n in range(7))
    ]
    return render(request, "care/appointments/agenda.html", context)


# --- the calendar feed ------------------------------------------------------------------------------


@never_cache  # the response to a POST holds the new address: no cache may keep it
@login_required
@require_http_methods(["GET", "POST"])
def calendar_feed(request: HttpRequest) -> HttpResponse:
    membership = actions.require_worker(acting_membership(request))
    actor = Actor.from_request(request)
    feed_url, error = None, ""
    what = request.POST.get("action") if request.method == "POST" else None
    if what == "revoke":
        if actions.revoke_calendar_feed(actor=actor):
            messages.success(request, _("The calendar address is revoked: it no longer works."))
        return redirect("care:calendar_feed")
    if what == "create":
        _feed, token = actions.create_calendar_feed(actor=actor)
        # Shown in this one response only (not via a redirect), so the address is never stored anywhere.
        feed_url = request.build_absolute_uri(reverse("care:calendar_ics", kwargs={"token": token}))
    elif request.method == "POST":
        error = _("Choose to make or to revoke an address.")
    context = {
        "feed": actions.active_feed(membership.user),
        "feed_url": feed_url,
        # Calendar apps subscribe (rather than download once) to the same address with this scheme.
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed_url else None,
        "error": error,
    }
    return render(request, "care/appointments/calendar_feed.html", context, status=422 if error else 200)


def _ics_text(value: str) -> str:
    """A TEXT value as RFC 5545 (3.3.11) wants it: backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (3.1): CRLF and one space, never inside a UTF-8 character."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _ics_time(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(appointments: Any, *, now: datetime.datetime, name: str) -> str:
    """A worker's appointments as an iCalendar (RFC 5545) feed: "Afspraak" and the place, nothing else.

    The summary is always the Dutch word: a calendar shown on a phone's lock screen must never name the
    person or the purpose, in any language.
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Inbeeld//Agenda//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ics_text(name)}",
        "X-PUBLISHED-TTL:PT1H",
    ]
    stamp = _ics_time(now)
    for appointment in appointments:
        cancelled = appointment.status == Appointment.Status.CANCELLED
        lines += [
            "BEGIN:VEVENT",
            f"UID:appointment-{appointment.pk}@inbeeld",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_ics_time(appointment.starts_at)}",
            f"DTEND:{_ics_time(appointment.ends_at)}",
            "SUMMARY:Afspraak",
        ]
        place = appointment.place_label()
        if place:
            lines.append(f"LOCATION:{_ics_text(place)}")
        lines += [f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}", "TRANSP:OPAQUE", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


@never_cache
@require_safe
def calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    worker = actions.feed_owner(token)
    if worker is None:
        raise access.not_found()
    now = timezone.now()
    body = calendar(actions.feed_appointments(worker, now), now=now, name=_("Inbeeld appointments"))
    response = HttpResponse(body.encode(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="inbeeld.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


urlpatterns = [
    path("persons/<int:pk>/appointments/", appointment_list, name="appointment_list"),
    path("persons/<int:pk>/appointments/new/", appointment_new, name="appointment_new"),
    path(
        "persons/<int:pk>/appointments/<int:appointment_pk>/status/",
        appointment_status,
        name="appointment_status",
    ),
    path("agenda/", agenda, name="agenda"),
    path("calendar/", calendar_feed, name="calendar_feed"),
    path("calendar/<str:token>.ics", calendar_ics, name="calendar_ics"),
]
