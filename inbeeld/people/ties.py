"""The social network map (issue 5): a person's ties, who sees which, writes and the network size series.

A tie belongs to the organisation that recorded it. The viewer's own organisation's ties show to every
viewer the policy lets read the map (``Need.READ_NETWORK_MAP``: the file's caseworkers); another
organisation's ties only with the person's consent for ``DataCategory.NETWORK_MAP`` (rule 2), read only.
Writes are one transaction each and write their audit event; the rules about input live here, so the
web forms and the API refuse exactly the same things.
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

from inbeeld.core import access, audit
from inbeeld.core.access import Need, PersonAccess, RecordScope
from inbeeld.core.models import AuditEvent
from inbeeld.people import validation as v
from inbeeld.people.models import ContactFrequency, DataCategory, NetworkTie, TieKind, TieQuality

Action = AuditEvent.Action
NAME_MAX = 80
NOTE_MAX = 1000
SERIES_MONTHS = 12


# --- who sees which ties (rule 2) -------------------------------------------------------------------


def tie_scope(person_access: PersonAccess) -> RecordScope:
    """Whose ties of this person the viewer sees: their own organisation's, others' by consent."""
    if not person_access.allows(Need.READ_NETWORK_MAP):
        return RecordScope(frozenset())
    return access.record_scope(person_access, NetworkTie.objects.all(), DataCategory.NETWORK_MAP)


def read_ties(actor: audit.Actor, person_id: int | str, *, data: str) -> tuple[PersonAccess, RecordScope]:
    """For a page or API read of one person's map: decide (404), then audit the read."""
    return access.read_records(
        actor, person_id, Need.READ_NETWORK_MAP, NetworkTie.objects.all(), DataCategory.NETWORK_MAP, data=data
    )


def ties_of(person_access: PersonAccess, scope: RecordScope) -> QuerySet[NetworkTie]:
    ties = NetworkTie.objects.filter(person=person_access.person)
    return scope.apply(ties).select_related("organisation", "recorded_by")


def tie_for_edit(person_access: PersonAccess, tie_id: int | str) -> NetworkTie:
    """A tie of this person the member may change: 404 if they do not see it, 403 if another's."""
    try:
        tie = NetworkTie.objects.filter(pk=int(tie_id), person=person_access.person).first()
    except (TypeError, ValueError):
        tie = None
    if tie is None or tie.organisation_id not in tie_scope(person_access).organisation_ids:
        raise access.not_found()
    if not may_edit(person_access, tie):
        raise PermissionDenied(_("Only the organisation that recorded a tie changes it."))
    return tie


def may_edit(person_access: PersonAccess, tie: NetworkTie) -> bool:
    own = tie.organisation_id == person_access.own_organisation_id
    return own and person_access.allows(Need.EDIT_NETWORK_MAP)


# --- the network size over time ---------------------------------------------------------------------


@dataclass(frozen=True)
class SizePoint:
    on: datetime.date
    size: int
    supportive: int
    risk: int


def month_ends(months: int = SERIES_MONTHS, today: datetime.date | None = None) -> list[datetime.date]:
    """The last day of each of the last ``months`` months, oldest first; today for the current month."""
    today = today or timezone.localdate()
    days = [today]
    first = today.replace(day=1)
    for _i in range(months - 1):
        last = first - datetime.timedelta(days=1)
        days.append(last)
        first = last.replace(day=1)
    return list(reversed(days))


def size_series(ties: QuerySet[NetworkTie], days: list[datetime.date] | None = None) -> list[SizePoint]:
    """Network size (ties open on the day), supportive and risk ties, for each day."""
    rows = list(ties.values_list("started_on", "ended_on", "quality"))
    out = []
    for day in days or month_ends():
        open_ = [q for start, end, q in rows if start <= day and (end is None or end > day)]
        out.append(
            SizePoint(
                on=day,
                size=len(open_),
                supportive=sum(1 for q in open_ if q == TieQuality.SUPPORTIVE),
                risk=sum(1 for q in open_ if q == TieQuality.RISK),
            )
        )
    return out


# --- input rules ------------------------------------------------------------------------------------


def _choice(value: Any, choices: Any, field: str) -> str:
    if not isinstance(value, str) or value not in choices.values:
        raise ValidationError({field: _("Choose one of the options.")})
    return value


def _clean(
    *,
    kind: Any,
    quality: Any,
    name: Any,
    frequency: Any,
    started_on: datetime.date | None,
    note: Any,
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    steps = {
        "kind": lambda: _choice(kind, TieKind, "kind"),
        "quality": lambda: _choice(quality, TieQuality, "quality"),
        "name": lambda: v.clean_name(name if isinstance(name, str) else "", field="name"),
        "frequency": lambda: _choice(frequency, ContactFrequency, "frequency"),
        "started_on": lambda: v.clean_record_date(started_on, field="started_on"),
        "note": lambda: v.clean_text(
            note if isinstance(note, str) else "", field="note", max_length=NOTE_MAX
        ),
    }
    for field, step in steps.items():
        try:
            out[field] = step()
        except ValidationError as error:
            for name_, messages in error.message_dict.items():
                errors.setdefault(name_, []).extend(messages)
    risk_contact = out.get("kind") == TieKind.RISK_CONTACT
    if risk_contact and "quality" in out and out["quality"] != TieQuality.RISK:
        errors.setdefault("quality", []).append(_("A risk contact is a tie of quality risk."))
    if errors:
        raise ValidationError(errors)
    return out


# --- writes -----------------------------------------------------------------------------------------


def add_tie(
    person_access: PersonAccess,
    *,
    actor: audit.Actor,
    kind: Any,
    quality: Any,
    name: Any,
    frequency: Any,
    started_on: datetime.date | None = None,
    note: Any = "",
) -> NetworkTie:
    if not person_access.allows(Need.EDIT_NETWORK_MAP) or actor.user is None:
        raise PermissionDenied(_("Your role may not do this for this person."))
    clean = _clean(
        kind=kind,
        quality=quality,
        name=name,
        frequency=frequency,
        started_on=started_on or timezone.localdate(),
        note=note,
    )
    with transaction.atomic():
        tie = NetworkTie.objects.create(
            person=person_access.person,
            organisation_id=person_access.own_organisation_id,
            recorded_by=actor.user,
            **clean,
        )
        audit.record(
            actor,
            action=Action.CREATE,
            data="network_tie",
            basis=person_access.basis,
            person_id=person_access.person.pk,
            object_id=tie.pk,
        )
    return tie


def change_tie(
    person_access: PersonAccess,
    tie: NetworkTie,
    *,
    actor: audit.Actor,
    kind: Any,
    quality: Any,
    name: Any,
    frequency: Any,
    started_on: datetime.date | None,
    note: Any = "",
) -> NetworkTie:
    if not may_edit(person_access, tie):
        raise PermissionDenied(_("Only the organisation that recorded a tie changes it."))
    clean = _clean(
        kind=kind, quality=quality, name=name, frequency=frequency, started_on=started_on, note=note
    )
    if tie.ended_on is not None and clean["started_on"] > tie.ended_on:
        raise ValidationError({"started_on": _("A tie cannot start after it ended.")})
    with transaction.atomic():
        changed = sorted(f for f, value in clean.items() if getattr(tie, f) != value)
        for field, value in clean.items():
            setattr(tie, field, value)
        tie.save()
        audit.record(
            actor,
            action=Action.UPDATE,
            data="network_tie",
            basis=person_access.basis,
            person_id=person_access.person.pk,
            object_id=tie.pk,
            detail={"fields": changed},
        )
    return tie


def end_tie(
    person_access: PersonAccess, tie: NetworkTie, *, actor: audit.Actor, ended_on: datetime.date | None
) -> NetworkTie:
    """End a tie: it stays on the map's history, no longer in the network size from that day."""
    if not may_edit(person_access, tie):
        raise PermissionDenied(_("Only the organisation that recorded a tie changes it."))
    day = v.clean_record_date(ended_on, field="ended_on")
    if tie.ended_on is not None:
        raise ValidationError({"ended_on": _("This tie has ended already.")})
    if day < tie.started_on:
        raise ValidationError({"ended_on": _("A tie cannot end before it started.")})
    with transaction.atomic():
        tie.ended_on = day
        tie.save(update_fields=["ended_on"])
        audit.record(
            actor,
            action=Action.UPDATE,
            data="network_tie",
            basis=person_access.basis,
            person_id=person_access.person.pk,
            object_id=tie.pk,
            detail={"ended": True},
        )
    return tie
