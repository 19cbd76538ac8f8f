"""What a worker does with a signal: acknowledge it, resolve it with an outcome. Each write is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.core import audit
from inbeeld.core.access import PersonAccess
from inbeeld.core.models import AuditEvent
from inbeeld.people.validation import clean_text
from inbeeld.radar.actions.sightings import refresh_colour
from inbeeld.radar.models import Signal

NOTE_MAX = 2000


def _locked(signal: Signal) -> Signal:
    locked = Signal.objects.select_for_update().get(pk=signal.pk)
    if locked.state != Signal.State.OPEN:
        raise ValidationError({"state": _("This signal is no longer open.")})
    return locked


def cleaned_note(note: str, errors: dict[str, str], *, max_length: int) -> str:
    """The note as stored, or "" with the reason in ``errors`` (under "note")."""
    try:
        return clean_text(note, field="note", max_length=max_length)
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
        return ""


def _record_update(actor: audit.Actor, signal: Signal, person_access: PersonAccess, **detail: object) -> None:
    audit.record(
        actor,
        action=AuditEvent.Action.UPDATE,
        data="radar.signal",
        basis=person_access.basis,
        person_id=signal.person_id,
        object_id=signal.pk,
        detail={**detail, "rule": signal.rule},
    )


def acknowledge_signal(signal: Signal, *, person_access: PersonAccess, actor: audit.Actor) -> Signal:
    """The assignee (or a colleague, or a coordinator) has seen the signal and takes it on."""
    with transaction.atomic():
        signal = _locked(signal)
        if signal.acknowledged_at is None:
            signal.acknowledged_at = timezone.now()
            signal.acknowledged_by = actor.user
            signal.save(update_fields=["acknowledged_at", "acknowledged_by"])
        _record_update(actor, signal, person_access, acknowledged=True)
    return signal


def resolve_signal(
    signal: Signal, *, person_access: PersonAccess, actor: audit.Actor, outcome: str, note: str = ""
) -> Signal:
    errors: dict[str, str] = {}
    note = cleaned_note(note, errors, max_length=NOTE_MAX)
    if outcome not in Signal.Outcome.values:
        errors["outcome"] = _("Choose an outcome.")
    elif outcome == Signal.Outcome.OTHER and not note and "note" not in errors:
        errors["note"] = _("Say in a few words what happened when the outcome is 'other'.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        signal = _locked(signal)
        now = timezone.now()
        signal.state = Signal.State.RESOLVED
        signal.outcome = outcome
        signal.outcome_note = note
        signal.resolved_at = now
        signal.resolved_by = actor.user
        signal.resolved_by_organisation_id = person_access.own_organisation_id
        if signal.acknowledged_at is None:
            signal.acknowledged_at, signal.acknowledged_by = now, actor.user
        signal.save()
        refresh_colour(signal.person_id)
        _record_update(actor, signal, person_access, resolved=outcome)
    return signal
