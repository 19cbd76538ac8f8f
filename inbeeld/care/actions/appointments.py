"""Appointments: planning one, marking it attended / no-show / cancelled, a worker's week, the ICS feed.

An appointment belongs to the organisation that planned it (rule 2, as contacts: another organisation's
appointments show only with the person's consent for contacts and appointments). Only the owning
organisation changes its status. Writes are one transaction each and write their audit event.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.care.actions.contacts import (
    RecordScope,
    aware,
    clean_line,
    clean_location,
    collect,
    record_scope,
)
from inbeeld.care.models import Appointment, CalendarFeed
from inbeeld.core import access, audit, roles
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.models import AuditEvent, Location, Membership, Organisation, User
from inbeeld.people import validation as v
from inbeeld.people.models import DataCategory

Action = AuditEvent.Action
Status = Appointment.Status

# Who can be the worker of an appointment, and so has an agenda and a calendar feed.
WORKER_ROLES = roles.PLAN_APPOINTMENTS
PLAN_AHEAD = datetime.timedelta(days=2 * 366)
LONGEST = datetime.timedelta(hours=24)
# Planning "now" takes a moment to type: a start this little in the past is still "now".
PAST_GRACE = datetime.timedelta(minutes=5)
PURPOSE_MAX = 1000
PLACE_MAX = 120
FEED_PAST = datetime.timedelta(days=30)
FEED_AHEAD = datetime.timedelta(days=180)
# The outcome statuses and which of them need the appointment to have started.
OUTCOMES = (Status.ATTENDED, Status.NO_SHOW, Status.CANCELLED)
AFTER_START = (Status.ATTENDED, Status.NO_SHOW)
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def workers_of(organisation: Organisation | int) -> QuerySet[User]:
    """The members of an organisation who can be an appointment's worker."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role__in=WORKER_ROLES,
            memberships__ended_on__isnull=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def require_worker(membership: Membership | None) -> Membership:
    """The acting member, if their role has an agenda: 404 for roles without persons, else 403."""
    membership = access.require_membership(membership)
    if membership.role not in roles.LIST_PERSONS:
        raise access.not_found()
    if membership.role not in WORKER_ROLES:
        raise PermissionDenied(_("Your role has no agenda."))
    return membership


# --- reads ------------------------------------------------------------------------------------------


def read_appointments(
    actor: audit.Actor, person_id: int | str, *, data: str
) -> tuple[PersonAccess, RecordScope]:
    """For a page or API list of one person's appointments: decide (404/403), then audit the read."""
    return access.read_records(
        actor, person_id, Need.READ_APPOINTMENTS, Appointment.objects.all(), DataCategory.CONTACTS, data=data
    )


def appointments_of(person_access: PersonAccess, scope: RecordScope) -> QuerySet[Appointment]:
    """The appointments of this person the viewer sees, latest first."""
    appointments = Appointment.objects.filter(person=person_access.person).order_by("-starts_at", "-id")
    return scope.apply(appointments).select_related("organisation", "worker", "location")


def may_change_status(person_access: PersonAccess, appointment: Appointment) -> bool:
    return (
        person_access.allows(Need.PLAN_APPOINTMENTS)
        and appointment.organisation_id == person_access.own_organisation_id
    )


def status_choices(appointment: Appointment, now: datetime.datetime | None = None) -> list[Status]:
    """The statuses a planned appointment can be given now: attended and no-show once it has started."""
    if appointment.status != Status.PLANNED:
        return []
    started = appointment.starts_at <= (now or timezone.now())
    return [s for s in OUTCOMES if started or s not in AFTER_START]


def appointment_for(
    membership: Membership | None, appointment_id: int | str, *, person_id: int | str | None = None
) -> tuple[PersonAccess, Appointment]:
    """An appointment whose status this member may change: 404 when they may not see it, else 403."""
    try:
        appointment = Appointment.objects.select_related("location").get(pk=int(appointment_id))
    except (Appointment.DoesNotExist, ValueError, TypeError, OverflowError):
        raise access.not_found() from None
    if person_id is not None and str(appointment.person_id) != str(person_id):
        raise access.not_found()
    person_access = access.person_for(membership, appointment.person_id, Need.READ_APPOINTMENTS)
    if not record_scope(person_access, Appointment.objects.filter(pk=appointment.pk)).shows(
        appointment.organisation_id
    ):
        raise access.not_found()
    if not may_change_status(person_access, appointment):
        raise PermissionDenied(_("Only the organisation that planned the appointment changes it."))
    return person_access, appointment


# --- writes -----------------------------------------------------------------------------------------


def _clean_worker(worker: User | None, organisation_id: int) -> User:
    if worker is None:
        raise ValidationError({"worker": _("This field is required.")})
    if not workers_of(organisation_id).filter(pk=worker.pk).exists():
        raise ValidationError({"worker": _("Choose a caseworker or outreach worker of your organisation.")})
    return worker


def _clean_times(
    starts_at: datetime.datetime | None, ends_at: datetime.datetime | None
) -> tuple[datetime.datetime, datetime.datetime]:
    clean = collect(
        {
            "starts_at": lambda: aware(starts_at, field="starts_at"),
            "ends_at": lambda: aware(ends_at, field="ends_at"),
        }
    )
    start, end = clean["starts_at"], clean["ends_at"]
    now = timezone.now()
    if start < now - PAST_GRACE:
        raise ValidationError({"starts_at": _("An appointment cannot be planned in the past.")})
    if start > now + PLAN_AHEAD:
        raise ValidationError({"starts_at": _("Plan at most two years ahead.")})
    if end <= start:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    if end - start > LONGEST:
        raise ValidationError({"ends_at": _("An appointment lasts at most 24 hours.")})
    return start, end


def plan_appointment(
    person_access: PersonAccess,
    *,
    actor: audit.Actor,
    worker: User | None,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    location: Location | None = None,
    place: str = "",
    purpose: str = "",
) -> Appointment:
    if not person_access.allows(Need.PLAN_APPOINTMENTS):
        raise PermissionDenied(_("Your role may not do this for this person."))
    if actor.user is None:
        raise ValueError("An appointment is planned by a member.")
    organisation_id = person_access.own_organisation_id
    clean = collect(
        {
            "worker": lambda: _clean_worker(worker, organisation_id),
            "times": lambda: _clean_times(starts_at, ends_at),
            "location": lambda: clean_location(location, person_access.person.network_id),
            "place": lambda: clean_line(place, field="place", max_length=PLACE_MAX),
            "purpose": lambda: v.clean_text(purpose, field="purpose", max_length=PURPOSE_MAX),
        }
    )
    start, end = clean.pop("times")
    with transaction.atomic():
        appointment = Appointment.objects.create(
            person=person_access.person,
            organisation_id=organisation_id,
            starts_at=start,
            ends_at=end,
            created_by=actor.user,
            **clean,
        )
        audit.record(
            actor,
            action=Action.CREATE,
            data="appointment",
            basis=person_access.basis,
            person_id=person_access.person.pk,
            object_id=appointment.pk,
        )
    return appointment


def set_appointment_status(
    person_access: PersonAccess, appointment: Appointment, *, actor: audit.Actor, status: str
) -> Appointment:
    if appointment.person_id != person_access.person.pk:
        raise access.not_found()
    if not may_change_status(person_access, appointment):
        raise PermissionDenied(_("Only the organisation that planned the appointment changes it."))
    if status not in OUTCOMES:
        raise ValidationError({"status": _("Choose attended, no-show or cancelled.")})
    with transaction.atomic():
        current = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if current.status != Status.PLANNED:
            raise ValidationError({"status": _("Only a planned appointment can be changed.")})
        if status not in status_choices(current):
            raise ValidationError({"status": _("The appointment has not started yet.")})
        current.status = status
        current.status_changed_at = timezone.now()
        current.save(update_fields=["status", "status_changed_at"])
        audit.record(
            actor,
            action=Action.UPDATE,
            data="appointment.status",
            basis=person_access.basis,
            person_id=person_access.person.pk,
            object_id=current.pk,
            detail={"status": status},
        )
    appointment.status, appointment.status_changed_at = current.status, current.status_changed_at
    return appointment


# --- a worker's week --------------------------------------------------------------------------------


def parse_week(text: str | None, *, field: str = "week") -> datetime.date:
    """The Monday of an ISO week such as 2026-W48; empty means this week."""
    if not text:
        today = timezone.localdate()
        return today - datetime.timedelta(days=today.weekday())
    match = _WEEK.match(text.strip())
    try:
        if not match:
            raise ValueError(text)
        year, week = int(match[1]), int(match[2])
        if not v.EARLIEST_RECORD_DATE.year <= year <= 2100:
            raise ValueError(text)
        return datetime.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValidationError({field: _("Enter a week like 2026-W48.")}) from None


def week_label(monday: datetime.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class AgendaEntry:
    appointment: Appointment
    person_id: int | None  # None: the viewer may not see this person
    roepnaam: str | None
    purpose: str | None  # None: not the viewer's to read
    statuses: list[Status]  # the statuses the viewer may give it now


@dataclass
class Agenda:
    monday: datetime.date
    entries: list[AgendaEntry]

    @property
    def week(self) -> str:
        return week_label(self.monday)

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)

    @property
    def previous_week(self) -> str:
        return week_label(self.monday - datetime.timedelta(days=7))

    @property
    def next_week(self) -> str:
        return week_label(self.monday + datetime.timedelta(days=7))


def _week_bounds(monday: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(monday + datetime.timedelta(days=7), datetime.time.min)
    )
    return start, end


def agenda(actor: audit.Actor, monday: datetime.date) -> Agenda:
    """The acting user's own appointments in the week from this Monday, as this member may see them.

    The roepnamen shown are a read of those persons and recorded as one list read.
    """
    membership = require_worker(actor.membership)
    start, end = _week_bounds(monday)
    appointments = (
        Appointment.objects.filter(worker=membership.user, starts_at__gte=start, starts_at__lt=end)
        .select_related("person", "location", "organisation")
        .order_by("starts_at", "id")
    )
    entries: list[AgendaEntry] = []
    seen: dict[int, tuple[PersonAccess | None, RecordScope | None]] = {}
    for appointment in appointments:
        if appointment.person_id not in seen:
            found = access.person_access(membership, appointment.person)
            scope = None
            if found is not None and found.allows(Need.READ_APPOINTMENTS):
                scope = record_scope(found, Appointment.objects.all())
            seen[appointment.person_id] = (found, scope)
        found, scope = seen[appointment.person_id]
        readable = found is not None and scope is not None and scope.shows(appointment.organisation_id)
        changeable = found is not None and readable and may_change_status(found, appointment)
        entries.append(
            AgendaEntry(
                appointment=appointment,
                person_id=appointment.person_id if found else None,
                roepnaam=appointment.person.roepnaam if found else None,
                purpose=appointment.purpose if readable else None,
                statuses=status_choices(appointment) if changeable else [],
            )
        )
    shown = sorted({e.person_id for e in entries if e.person_id is not None})
    if shown:
        access.record_list_read(actor, shown, data="appointments.agenda", searched=False)
    return Agenda(monday=monday, entries=entries)


# --- the calendar feed ------------------------------------------------------------------------------


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_feed(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def create_calendar_feed(*, actor: audit.Actor) -> tuple[CalendarFeed, str]:
    """A new secret feed address for the acting worker; an earlier one stops working. Shown once."""
    membership = require_worker(actor.membership)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        # One active feed per user: lock the user so two clicks at once cannot both make one.
        User.objects.select_for_update().filter(pk=membership.user_id).first()
        CalendarFeed.objects.filter(user=membership.user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        feed = CalendarFeed.objects.create(user=membership.user, key_hash=hash_feed_token(token))
    return feed, token


def revoke_calendar_feed(*, actor: audit.Actor) -> bool:
    membership = require_worker(actor.membership)
    with transaction.atomic():
        revoked = CalendarFeed.objects.filter(user=membership.user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    return revoked > 0


def feed_owner(token: str) -> User | None:
    """The worker whose active feed this token opens; None for unknown, revoked or malformed tokens."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.filter(
            key_hash=hash_feed_token(token), revoked_at__isnull=True, user__is_active=True
        )
        .select_related("user")
        .first()
    )
    return feed.user if feed else None


def feed_appointments(user: User, now: datetime.datetime | None = None) -> QuerySet[Appointment]:
    """What a worker's feed holds: times and places only, 30 days back to 180 days ahead."""
    now = now or timezone.now()
    return (
        Appointment.objects.filter(
            worker=user, starts_at__gte=now - FEED_PAST, starts_at__lte=now + FEED_AHEAD
        )
        .select_related("location")
        .order_by("starts_at", "id")
    )
