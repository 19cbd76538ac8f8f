"""Recompute every phone blind index with the current INBEELD_BLIND_INDEX_KEY (after changing that key)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from inbeeld.core import audit
from inbeeld.core.crypto import phone_index
from inbeeld.core.models import AuditEvent
from inbeeld.people.models import Person


class Command(BaseCommand):
    help = "Recompute the phone blind index of every person with the current blind index key."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        updated = 0
        last_pk = 0
        while True:
            batch = list(
                Person.objects.filter(pk__gt=last_pk)
                .exclude(phone="")
                .order_by("pk")
                .only("pk", "phone")[:batch_size]
            )
            if not batch:
                break
            with transaction.atomic():
                for person in batch:
                    Person.objects.filter(pk=person.pk).update(phone_index=phone_index(person.phone))
            updated += len(batch)
            last_pk = batch[-1].pk
        with transaction.atomic():
            audit.record(
                audit.Actor.system("rebuild_blind_index"),
                action=AuditEvent.Action.MAINTENANCE,
                data="blind_index",
                basis=AuditEvent.Basis.SYSTEM,
                detail={"persons": updated},
            )
        self.stdout.write(self.style.SUCCESS(f"Recomputed the phone index of {updated} persons."))
