"""Keep each person's radar line in step with the person between two runs.

A newly registered person gets a line at once ("never seen yet", in view since registration); a
status change shows on the line at once (one indexed UPDATE, nothing when the status is unchanged).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from inbeeld.people.models import Person
from inbeeld.radar.models import PersonState


@receiver(post_save, sender=Person, dispatch_uid="radar:person_saved")
def _person_saved(
    sender: type[Person], instance: Person, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    if created:
        PersonState.objects.get_or_create(
            person=instance,
            defaults={
                "network_id": instance.network_id,
                "in_view_at": instance.registered_at,
                "status": instance.status,
            },
        )
        return
    PersonState.objects.filter(person_id=instance.pk).exclude(status=instance.status).update(
        status=instance.status
    )
