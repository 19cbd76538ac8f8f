"""Street counts (issue 7): outreach records dated headcounts on the network's street zones.

Who: the network's outreach workers and coordinators (``access.may_record_street_counts``) list every
count of their network and add one on any of its street-zone locations; every other role gets 404 on
every page and operation (rule 1), analysts too: they see the counts only through disclosure control
in the reports, since a raw count of 3 is a small number. A count is corrected or deleted only by a
recorder of the organisation that recorded it; a recorder of another organisation sees the count in the
list, so for them it is 403, not 404.

Street counts are not person data: a write is one transaction with one audit event that names no person.
The rules about input live here, so the web form and the API refuse exactly the same things.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.care.actions.contacts import clean_choice, clean_line, collect
from inbeeld.core import access, audit, roles
from inbeeld.core.models import AuditEvent, Location, Membership
from inbeeld.people import validation as v
from inbeeld.reports.models import StreetCount

Action = AuditEvent.Action
DATA = "reports.street_count"
NOTE_MAX = 200
# More people than this on one street zone on one evening is a typo, not a count.
COUNT_MAX = 10_000


# --- who ---------------------------------------------------------------------------------------------


def require_recorder(membership: Membership | None) -> Membership:
    membership = access.require_membership(membership)
    if not access.may_record_street_counts(membership):
        raise access.not_found()
    return membership


def street_zones(membership: Membership | None) -> QuerySet[Location]:
    """The street-zone locations of the member's network (open or closed), by name."""
    membership = require_recorder(membership)
    return (
        Location.objects.filter(
            organisation__network_id=membership.organisation.network_id, kind=Location.Kind.STREET_ZONE
        )
        .select_related("organisation")
        .order_by("name", "pk")
    )


def counts_for(membership: Membership | None) -> QuerySet[StreetCount]:
    """Every street count of the member's network, newest first."""
    membership = require_recorder(membership)
    return (
        StreetCount.objects.filter(location__organisation__network_id=membership.organisation.network_id)
        .select_related("location", "organisation", "recorded_by")
        .order_by("-counted_on", "-recorded_at", "-pk")
    )


def may_change(membership: Membership | None, street_count: StreetCount) -> bool:
    return access.may_record_street_counts(membership) and (
        membership is not None and street_count.organisation_id == membership.organisation_id
    )


def count_for(membership: Membership | None, pk: int | str) -> StreetCount:
    """A count of the member's network: 404 if not; 403 if another organisation recorded it."""
    try:
        found = counts_for(membership).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise access.not_found()
    if not may_change(membership, found):
        raise PermissionDenied(_("Only the organisation that recorded a count corrects or deletes it."))
    return found


def _basis(membership: Membership) -> str:
    if membership.role in roles.NETWORK_WIDE:
        return AuditEvent.Basis.NETWORK_ROLE
    return AuditEvent.Basis.INVOLVEMENT


# --- input rules -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StreetCountInput:
    location_id: int | None = None
    counted_on: datetime.date | None = None
    count: int | None = None
    method: str = StreetCount.Method.COUNTED
    note: str = ""


def clean_location(membership: Membership, location_id: Any, *, field: str = "location") -> Location:
    location = None
    if isinstance(location_id, int) and not isinstance(location_id, bool):
        location = street_zones(membership).filter(pk=location_id).first()
    if location is None:
        raise ValidationError({field: _("Choose a street zone of your network.")})
    return location


def clean_counted_on(value: Any, location: Location | None, *, field: str = "counted_on") -> datetime.date:
    if value is None:
        raise ValidationError({field: _("This field is required.")})
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise ValidationError({field: _("Enter a valid date.")})
    if value > timezone.localdate():
        raise ValidationError({field: _("A count cannot be in the future.")})
    if value < v.EARLIEST_RECORD_DATE:
        raise ValidationError({field: _("A date before 2000 is not plausible here.")})
    if location is not None and location.opened_on is not None and value < location.opened_on:
        raise ValidationError(
            {field: _("The street zone opened on %(day)s.") % {"day": location.opened_on.isoformat()}}
        )
    if location is not None and location.closed_on is not None and value > location.closed_on:
        raise ValidationError(
            {field: _("The street zone closed on %(day)s.") % {"day": location.closed_on.isoformat()}}
        )
    return value


def clean_count(value: Any, *, field: str = "count") -> int:
    if value is None:
        raise ValidationError({field: _("This field is required.")})
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError({field: _("Enter a whole number.")})
    if value < 0:
        raise ValidationError({field: _("A count cannot be negative.")})
    if value > COUNT_MAX:
        raise ValidationError({field: _("At most %(max)d.") % {"max": COUNT_MAX}})
    return value


def clean_input(membership: Membership, data: StreetCountInput) -> dict[str, Any]:
    """The values of a count, or one ValidationError naming every refused field (the date's rules
    depend on the location, so the location is checked first, but its error is reported with the rest)."""
    errors: dict[str, list[str]] = {}
    try:
        location = clean_location(membership, data.location_id)
    except ValidationError as error:
        errors.update(error.message_dict)
        location = None
    try:
        rest = collect(
            {
                "counted_on": lambda: clean_counted_on(data.counted_on, location),
                "count": lambda: clean_count(data.count),
                "method": lambda: clean_choice(data.method, StreetCount.Method, field="method"),
                "note": lambda: clean_line(data.note, field="note", max_length=NOTE_MAX),
            }
        )
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
        rest = {}
    if errors:
        raise ValidationError(errors)
    return {"location": location, **rest}


def _detail(street_count: StreetCount) -> dict[str, Any]:
    return {
        "location": street_count.location_id,
        "counted_on": street_count.counted_on.isoformat(),
        "count": street_count.count,
        "method": street_count.method,
    }


# --- writes ------------------------------------------------------------------------------------------


def record_count(*, actor: audit.Actor, data: StreetCountInput) -> StreetCount:
    membership = require_recorder(actor.membership)
    if actor.user is None:
        raise access.not_found()
    values = clean_input(membership, data)
    with transaction.atomic():
        street_count = StreetCount.objects.create(
            organisation_id=membership.organisation_id, recorded_by=actor.user, **values
        )
        audit.record(
            actor,
            action=Action.CREATE,
            data=DATA,
            basis=_basis(membership),
            object_id=street_count.pk,
            detail=_detail(street_count),
        )
    return street_count


def update_count(*, actor: audit.Actor, street_count: StreetCount, data: StreetCountInput) -> StreetCount:
    """Correct a count of the member's own organisation (who recorded it and when stay as they are)."""
    membership = require_recorder(actor.membership)
    count_for(membership, street_count.pk)
    values = clean_input(membership, data)
    with transaction.atomic():
        stored = StreetCount.objects.select_for_update().get(pk=street_count.pk)
        changed = sorted(name for name, value in values.items() if getattr(stored, name) != value)
        for name, value in values.items():
            setattr(stored, name, value)
        stored.save(update_fields=list(values))
        audit.record(
            actor,
            action=Action.UPDATE,
            data=DATA,
            basis=_basis(membership),
            object_id=stored.pk,
            detail={**_detail(stored), "changed": changed},
        )
    return stored


def delete_count(*, actor: audit.Actor, street_count: StreetCount) -> None:
    membership = require_recorder(actor.membership)
    count_for(membership, street_count.pk)
    with transaction.atomic():
        detail = _detail(street_count)
        pk = street_count.pk
        StreetCount.objects.filter(pk=pk).delete()
        audit.record(
            actor, action=Action.DELETE, data=DATA, basis=_basis(membership), object_id=pk, detail=detail
        )
