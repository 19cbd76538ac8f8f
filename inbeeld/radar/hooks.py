"""Every newly registered person gets a radar line at once ("never seen yet"), not only at the next run."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from inbeeld.people.models import Person
from inbeeld.radar.models import PersonState


@receiver(post_save, sender=Person, dispatch_uid="radar:new_person")
def _new_person(
    sender: type[Person], instance: Person, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        PersonState.objects.get_or_create(
            person=instance,
            defaults={"network_id": instance.network_id, "in_view_at": instance.registered_at},
        )
