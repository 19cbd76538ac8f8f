"""Recording a person's exit route towards a key date (the transition board)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.core import audit
from inbeeld.core.access import PersonAccess
from inbeeld.core.models import AuditEvent
from inbeeld.radar.actions.signals import cleaned_note
from inbeeld.radar.models import ExitRoute, KeyDate

NOTE_MAX = 1000


def set_exit_route(
    key_date: KeyDate, *, person_access: PersonAccess, actor: audit.Actor, route: str, note: str = ""
) -> ExitRoute:
    errors: dict[str, str] = {}
    note = cleaned_note(note, errors, max_length=NOTE_MAX)
    if route not in ExitRoute.Route.values:
        errors["route"] = _("Choose an exit route.")
    if key_date.network_id != person_access.person.network_id:
        errors["key_date"] = _("This key date belongs to another network.")
    if errors:
        raise ValidationError(errors)
    if actor.user is None:
        raise ValidationError({"route": _("Only a signed-in worker records an exit route.")})
    with transaction.atomic():
        exit_route, created = ExitRoute.objects.select_for_update().get_or_create(
            person=person_access.person,
            key_date=key_date,
            defaults={
                "route": route,
                "note": note,
                "organisation_id": person_access.own_organisation_id,
                "recorded_by": actor.user,
            },
        )
        if not created:
            exit_route.route, exit_route.note = route, note
            exit_route.organisation_id = person_access.own_organisation_id
            exit_route.recorded_by = actor.user
            exit_route.recorded_at = timezone.now()
            exit_route.save()
        audit.record(
            actor,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            data="radar.exit_route",
            basis=person_access.basis,
            person_id=person_access.person.pk,
            object_id=exit_route.pk,
            detail={"route": route, "key_date": key_date.pk},
        )
    return exit_route
