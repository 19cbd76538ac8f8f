"""The huiskamer register: which locations a member works at, registering visits, totals.

Access: hosts, caseworkers and outreach workers (``access.may_use_huiskamer``) use the locations of kind
huiskamer of their own organisation; every other role, and every other organisation's location, is 404
(rule 1). A named visit needs the person to be one the member may record a contact for
(``Need.RECORD_CONTACT``). Writes are one transaction with their audit event; the web form and the API
share the input rules here, so they refuse the same things.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.care.actions.contacts import FUTURE_GRACE, aware, clean_topics, collect
from inbeeld.core import access, audit
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.models import AuditEvent, Location, Membership
from inbeeld.huiskamer.models import Intent, Service, Visit
from inbeeld.people import validation as v

Action = AuditEvent.Action
NOTE_MAX = 1000


def require_huiskamer(membership: Membership | None) -> Membership:
    membership = access.require_membership(membership)
    if not access.may_use_huiskamer(membership):
        raise access.not_found()
    return membership


def locations_for(membership: Membership | None) -> QuerySet[Location]:
    """The huiskamer locations of the member's organisation (open or closed), by name."""
    membership = require_huiskamer(membership)
    return Location.objects.filter(
        organisation_id=membership.organisation_id, kind=Location.Kind.HUISKAMER
    ).order_by("name", "id")


def location_for(membership: Membership | None, pk: int | str) -> Location:
    try:
        location = locations_for(membership).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        location = None
    if location is None:
        raise access.not_found()
    return location


def visit_for(membership: Membership | None, pk: int | str) -> Visit:
    membership = require_huiskamer(membership)
    visit = (
        Visit.objects.filter(pk=pk, organisation_id=membership.organisation_id)
        .select_related("location", "person")
        .first()
    )
    if visit is None:
        raise access.not_found()
    return visit


# --- input rules ------------------------------------------------------------------------------------


def clean_arrived_at(value: datetime.datetime | None, *, field: str = "arrived_at") -> datetime.datetime:
    moment = aware(value, field=field)
    if moment > timezone.now() + FUTURE_GRACE:
        raise ValidationError({field: _("A visit cannot be in the future.")})
    return moment


def clean_services(values: Any, *, field: str = "services") -> list[str]:
    if values is None:
        return []
    if not isinstance(values, list | tuple) or any(
        not isinstance(value, str) or value not in Service.values for value in values
    ):
        raise ValidationError({field: _("Choose from the list.")})
    return list(dict.fromkeys(values))


def clean_intent(value: Any, *, field: str = "intent") -> str:
    if value in (None, ""):
        return str(Intent.UNKNOWN)
    if not isinstance(value, str) or value not in Intent.values:
        raise ValidationError({field: _("Choose one of the options.")})
    return value


def clean_language(value: Any, *, field: str = "language") -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or len(value) != 2 or not value.isascii() or not value.isalpha():
        raise ValidationError({field: _("Enter a two-letter language code, such as nl or ro.")})
    return value.lower()


def clean_first_visit(value: Any, *, field: str = "first_visit") -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise ValidationError({field: _("Answer yes, no or leave it empty.")})


# --- writes -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitInput:
    arrived_at: datetime.datetime | None = None
    first_visit: bool | None = None
    intent: str = ""
    language: str = ""
    questions: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    note: str = ""


def register_visit(
    *,
    actor: audit.Actor,
    location: Location,
    person_access: PersonAccess | None,
    data: VisitInput,
) -> Visit:
    """A visit of a known person, or an anonymous one (``person_access`` None): counted, not named."""
    membership = require_huiskamer(actor.membership)
    if actor.user is None or location.organisation_id != membership.organisation_id:
        raise access.not_found()
    if person_access is not None and not person_access.allows(Need.RECORD_CONTACT):
        raise ValidationError({"person": _("Choose a person you work with.")})
    values = collect(
        {
            "arrived_at": lambda: clean_arrived_at(data.arrived_at or timezone.now()),
            "first_visit": lambda: clean_first_visit(data.first_visit),
            "intent": lambda: clean_intent(data.intent),
            "language": lambda: clean_language(data.language),
            "questions": lambda: clean_topics(data.questions, field="questions"),
            "services": lambda: clean_services(data.services),
            "note": lambda: v.clean_text(data.note, field="note", max_length=NOTE_MAX),
        }
    )
    with transaction.atomic():
        visit = Visit.objects.create(
            location=location,
            person=person_access.person if person_access else None,
            organisation_id=membership.organisation_id,
            recorded_by=actor.user,
            **values,
        )
        audit.record(
            actor,
            action=Action.CREATE,
            data="huiskamer.visit",
            basis=person_access.basis if person_access else AuditEvent.Basis.INVOLVEMENT,
            person_id=visit.person_id,
            object_id=visit.pk,
            detail={"location": location.pk, "anonymous": visit.person_id is None},
        )
    return visit


def mark_left(*, actor: audit.Actor, visit: Visit, left_at: datetime.datetime | None = None) -> Visit:
    moment = aware(left_at or timezone.now(), field="left_at")
    if moment > timezone.now() + FUTURE_GRACE:
        raise ValidationError({"left_at": _("Leaving cannot be in the future.")})
    if moment < visit.arrived_at:
        raise ValidationError({"left_at": _("Leaving cannot be before arriving.")})
    if visit.left_at is not None:
        raise ValidationError({"left_at": _("This visit has already been marked as left.")})
    with transaction.atomic():
        visit.left_at = moment
        visit.save(update_fields=["left_at"])
        audit.record(
            actor,
            action=Action.UPDATE,
            data="huiskamer.visit",
            basis=AuditEvent.Basis.INVOLVEMENT,
            person_id=visit.person_id,
            object_id=visit.pk,
            detail={"left": True},
        )
    return visit


# --- reads ------------------------------------------------------------------------------------------


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def visits_on(location: Location, day: datetime.date) -> QuerySet[Visit]:
    start, end = day_bounds(day)
    return (
        Visit.objects.filter(location=location, arrived_at__gte=start, arrived_at__lt=end)
        .select_related("person")
        .order_by("arrived_at", "id")
    )


def record_visits_read(actor: audit.Actor, visits: list[Visit], *, data: str) -> None:
    """Showing roepnamen is a read of each of them (anonymous visits name nobody)."""
    person_ids = sorted({visit.person_id for visit in visits if visit.person_id is not None})
    if person_ids:
        access.record_list_read(actor, person_ids, data=data, searched=False)


@dataclass
class Totals:
    visits: int = 0
    named: int = 0
    anonymous: int = 0
    first_visits: int = 0
    intents: dict[str, int] = field(default_factory=dict)
    services: dict[str, int] = field(default_factory=dict)
    questions: dict[str, int] = field(default_factory=dict)


def totals(location: Location, start: datetime.date, end: datetime.date) -> Totals:
    """Counts of the visits arriving on the days from ``start`` up to (not including) ``end``."""
    rows = Visit.objects.filter(
        location=location, arrived_at__gte=day_bounds(start)[0], arrived_at__lt=day_bounds(end)[0]
    ).values_list("person_id", "first_visit", "intent", "services", "questions")
    result = Totals()
    intents: Counter[str] = Counter()
    services: Counter[str] = Counter()
    questions: Counter[str] = Counter()
    for person_id, first_visit, intent, given, asked in rows.iterator():
        result.visits += 1
        if person_id is None:
            result.anonymous += 1
        else:
            result.named += 1
        if first_visit:
            result.first_visits += 1
        intents[intent] += 1
        services.update(given or [])
        questions.update(asked or [])
    result.intents = {key: intents[key] for key in Intent.values}
    result.services = {key: services[key] for key in Service.values}
    result.questions = dict(sorted(questions.items()))
    return result


def day_and_month(location: Location, day: datetime.date) -> tuple[Totals, Totals]:
    month_start = day.replace(day=1)
    next_month = (month_start + datetime.timedelta(days=32)).replace(day=1)
    return totals(location, day, day + datetime.timedelta(days=1)), totals(location, month_start, next_month)
