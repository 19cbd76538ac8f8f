"""Contacts: recording a moment of contact, named or anonymous, and which contacts a viewer sees.

Writes are one transaction each and write their audit event. A contact (like an appointment) belongs
to the organisation that recorded it: the viewer's own organisation's records show to every viewer the
policy lets read them; another organisation's only as the person's consent allows (rule 2).
The rules about input live here, so the web form and the API refuse exactly the same things.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.care.models import Channel, Contact, ContactKind, Topic
from inbeeld.core import access, audit, roles
from inbeeld.core.access import Need, PersonAccess, RecordScope
from inbeeld.core.models import AuditEvent, Location, Network
from inbeeld.people import validation as v
from inbeeld.people.models import DataCategory

Action = AuditEvent.Action
M = TypeVar("M", bound=Model)

NOTE_MAX = 1000
DURATION_MAX = 12 * 60  # minutes
# A phone's clock or a slow form may be a little ahead of the server: that is not "in the future".
FUTURE_GRACE = datetime.timedelta(minutes=5)
EARLIEST = datetime.datetime.combine(v.EARLIEST_RECORD_DATE, datetime.time.min)


# --- input rules shared with appointments -------------------------------------------------------


def collect(steps: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run each field's check; raise one ValidationError naming every refused field."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    for name, step in steps.items():
        try:
            out[name] = step()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return out


def aware(value: datetime.datetime | None, *, field: str) -> datetime.datetime:
    """A moment with its time zone; a moment without one is read in the network's time zone."""
    if value is None:
        raise ValidationError({field: _("This field is required.")})
    if not isinstance(value, datetime.datetime):
        raise ValidationError({field: _("Enter a valid date and time.")})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value < timezone.make_aware(EARLIEST):
        raise ValidationError({field: _("A date before 2000 is not plausible here.")})
    return value


def clean_choice(value: Any, choices: type[Any], *, field: str) -> str:
    if not isinstance(value, str) or value not in choices.values:
        raise ValidationError({field: _("Choose one of the options.")})
    return value


def clean_location(location: Location | None, network_id: int, *, field: str = "location") -> Location | None:
    if location is None:
        return None
    if location.organisation.network_id != network_id:
        raise ValidationError({field: _("Choose a location of this network.")})
    return location


def clean_line(value: str, *, field: str, max_length: int) -> str:
    """One line of text: as ``clean_text``, without line breaks or tabs."""
    text = v.clean_text(value, field=field, max_length=max_length)
    if any(ch in text for ch in "\r\n\t"):
        raise ValidationError({field: _("Contains characters that are not allowed.")})
    return text


def locations_of(network: Network | int) -> QuerySet[Location]:
    return Location.objects.filter(organisation__network=network).order_by("name")


def clean_occurred_at(value: datetime.datetime | None, *, field: str = "occurred_at") -> datetime.datetime:
    moment = aware(value, field=field)
    if moment > timezone.now() + FUTURE_GRACE:
        raise ValidationError({field: _("A contact cannot be in the future.")})
    return moment


def clean_topics(values: Any, *, field: str = "topics") -> list[str]:
    if values is None:
        return []
    if not isinstance(values, list | tuple):
        raise ValidationError({field: _("Choose topics from the list.")})
    topics: list[str] = []
    for value in values:
        if not isinstance(value, str) or value not in Topic.values:
            raise ValidationError({field: _("Choose topics from the list.")})
        if value not in topics:
            topics.append(value)
    return topics


def topic_labels(topics: list[str]) -> list[str]:
    labels = dict(Topic.choices)
    return [str(labels.get(topic, topic)) for topic in topics]


def clean_duration(value: Any, *, field: str = "duration_minutes") -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= DURATION_MAX:
        raise ValidationError(
            {field: _("Enter a duration between 1 and %(max)d minutes.") % {"max": DURATION_MAX}}
        )
    return value


# --- who sees which records (rule 2) ---------------------------------------------------------------


def record_scope(person_access: PersonAccess, records: QuerySet[Any]) -> RecordScope:
    return access.record_scope(person_access, records, DataCategory.CONTACTS)


def record_read(
    actor: audit.Actor, person_access: PersonAccess, scope: RecordScope, *, data: str, own: bool = True
) -> None:
    """Record a read of this person's records: on the viewer's own basis, and on each consent used.

    ``own=False`` when ``access.read_person`` has already recorded the read on the viewer's own basis.
    """
    access.record_shared_read(actor, person_access, scope.shared, data=data, own=own)


def read_contacts(actor: audit.Actor, person_id: int | str, *, data: str) -> tuple[PersonAccess, RecordScope]:
    """For a page or API list of one person's contacts: decide (404/403), then audit the read."""
    return access.read_records(
        actor, person_id, Need.READ_CONTACTS, Contact.objects.all(), DataCategory.CONTACTS, data=data
    )


def contacts_of(person_access: PersonAccess, scope: RecordScope) -> QuerySet[Contact]:
    """The contacts of this person the viewer sees, newest first."""
    contacts = Contact.objects.filter(person=person_access.person)
    return scope.apply(contacts).select_related("organisation", "recorded_by", "location")


# --- writes -----------------------------------------------------------------------------------------


def require_recorder(membership: Any) -> Any:
    """The acting member, if they record contacts at all: 404 for roles without persons, else 403."""
    membership = access.require_membership(membership)
    if membership.role not in roles.LIST_PERSONS:
        raise access.not_found()
    if not access.may_record_anonymous_contact(membership):
        raise PermissionDenied(_("Your role does not record contacts."))
    return membership


def record_contact(
    *,
    actor: audit.Actor,
    person_access: PersonAccess | None,
    occurred_at: datetime.datetime | None,
    channel: str,
    kind: str,
    topics: list[str],
    duration_minutes: int | None = None,
    note: str = "",
    location: Location | None = None,
) -> Contact:
    """Record a contact with a person, or an anonymous one (``person_access`` None): counted, not named."""
    membership = person_access.membership if person_access else actor.membership
    if membership is None or actor.user is None:
        raise ValueError("A contact is recorded by a member.")
    if person_access is None:
        if not access.may_record_anonymous_contact(membership):
            raise PermissionDenied(_("Your role does not record contacts."))
    elif not person_access.allows(Need.RECORD_CONTACT):
        raise PermissionDenied(_("Your role may not do this for this person."))
    network_id = membership.organisation.network_id
    clean = collect(
        {
            "occurred_at": lambda: clean_occurred_at(occurred_at),
            "channel": lambda: clean_choice(channel, Channel, field="channel"),
            "kind": lambda: clean_choice(kind, ContactKind, field="kind"),
            "topics": lambda: clean_topics(topics),
            "duration_minutes": lambda: clean_duration(duration_minutes),
            "note": lambda: v.clean_text(note, field="note", max_length=NOTE_MAX),
            "location": lambda: clean_location(location, network_id),
        }
    )
    person = person_access.person if person_access else None
    with transaction.atomic():
        contact = Contact.objects.create(
            person=person,
            organisation_id=membership.organisation_id,
            recorded_by=actor.user,
            **clean,
        )
        audit.record(
            actor,
            action=Action.CREATE,
            data="contact",
            basis=person_access.basis if person_access else AuditEvent.Basis.INVOLVEMENT,
            person_id=person.pk if person else None,
            object_id=contact.pk,
            detail={} if person else {"anonymous": True},
        )
    return contact
