"""What every write and read of beds, stays and the waitlist shares: the audit basis, the rows of the
member's own sites, and the input rules the web forms and the API both go through.

Access: ``shelter.sites`` decides. A row (room, bed, stay, waitlist entry) is looked up among the
member's organisation's shelter sites only, so another organisation's row is 404 (rule 1); the
coordinator-only operations then refuse a volunteer with 403.
"""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.core import access, audit
from inbeeld.core.models import AuditEvent, Location, Membership
from inbeeld.people import validation as v
from inbeeld.shelter import sites

Action = AuditEvent.Action
BASIS = AuditEvent.Basis.SHELTER
NOTE_MAX = 1000
NAME_MAX = 60
M = TypeVar("M", bound=Model)


def record(
    actor: audit.Actor,
    *,
    action: str,
    data: str,
    person_id: int | None = None,
    object_id: int | str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """An audit event on the shelter register's basis; called inside the work's own transaction."""
    audit.record(
        actor, action=action, data=data, basis=BASIS, person_id=person_id, object_id=object_id, detail=detail
    )


def record_list(actor: audit.Actor, person_ids: list[int], *, data: str) -> None:
    """A page or list showing residents' roepnamen is a read of each of them."""
    with transaction.atomic():
        record(actor, action=Action.READ, data=data, detail={"persons": sorted(set(person_ids))})


def own_row(membership: Membership | None, queryset: QuerySet[M], pk: int | str, *, site_field: str) -> M:
    """A row at one of the member's sites (404 otherwise); the caller decides who may act on it."""
    own_sites = sites.sites_for(membership)
    try:
        found = queryset.filter(pk=int(pk), **{f"{site_field}__in": own_sites}).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise access.not_found()
    return found


def coordinated_row(
    membership: Membership | None, queryset: QuerySet[M], pk: int | str, *, site_field: str
) -> M:
    row = own_row(membership, queryset, pk, site_field=site_field)
    sites.require_coordinator(membership)
    return row


def require_site_coordinator(actor: audit.Actor, site: Location) -> Membership:
    """The actor coordinates this site (a write function's own check, whatever the caller did)."""
    membership = sites.require_coordinator(actor.membership)
    if actor.user is None or site.organisation_id != membership.organisation_id:
        raise access.not_found()
    if site.kind != Location.Kind.SHELTER:
        raise access.not_found()
    return membership


# --- input rules ------------------------------------------------------------------------------------


def clean_name(value: Any, *, field: str, max_length: int = NAME_MAX) -> str:
    if not isinstance(value, str):
        raise ValidationError({field: _("Enter a name.")})
    text = v.clean_text(value, field=field, max_length=max_length)
    if not text or "\n" in text:
        raise ValidationError({field: _("Enter a name on one line.")})
    return text


def clean_note(value: Any, *, field: str = "note") -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({field: _("Enter text.")})
    return v.clean_text(value, field=field, max_length=NOTE_MAX)


def clean_planned_end(value: Any, *, field: str = "planned_end_on") -> datetime.date | None:
    if value is None:
        return None
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise ValidationError({field: _("Enter a valid date.")})
    if value < timezone.localdate():
        raise ValidationError({field: _("The planned end cannot be before today.")})
    if value > timezone.localdate() + datetime.timedelta(days=5 * 366):
        raise ValidationError({field: _("This date is too far in the future.")})
    return value


def clean_choice(value: Any, values: list[Any], *, field: str) -> Any:
    if value not in values:
        raise ValidationError({field: _("Choose one of the options.")})
    return value


def unique_conflict(error: IntegrityError, names: dict[str, tuple[str, str]]) -> ValidationError:
    """Turn a refused unique constraint into the field it concerns: names maps a piece of the database's
    message (a constraint or column name) to (field, message). Anything else is not ours to explain."""
    text = str(error)
    for piece, (field, message) in names.items():
        if piece in text:
            return ValidationError({field: message})
    raise error
