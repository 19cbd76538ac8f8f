"""Re-encrypt every encrypted value with the newest key in INBEELD_FIELD_KEYS.

Resumable by construction: each stored value names the key it was written with, so a run (or a rerun
after an interruption) touches only the values not yet under the newest key, batch by batch.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import models, transaction
from tqdm import tqdm

from inbeeld.core import audit, crypto
from inbeeld.core.fields import encrypted_fields
from inbeeld.core.models import AuditEvent


def _stale(model: type[models.Model], name: str, prefix: str) -> models.QuerySet:
    # The lookup compares the stored (encrypted) text: pattern lookups do not encrypt their argument.
    return (
        model._default_manager.exclude(**{f"{name}__isnull": True})
        .exclude(**{name: ""})
        .exclude(**{f"{name}__startswith": prefix})
    )


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields (and MFA secrets) with the newest field key. Safe to rerun."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--no-progress", action="store_true", help="Do not draw progress bars.")

    def handle(self, *args: Any, batch_size: int, no_progress: bool, **options: Any) -> None:
        ring = crypto.keyring()
        prefix = ring.newest_prefix
        total = 0
        for model, names in encrypted_fields():
            for name in names:
                total += self._rotate_field(model, name, prefix, batch_size, no_progress)
        total += self._rotate_authenticators(prefix)
        with transaction.atomic():
            audit.record(
                audit.Actor.system("rotate_field_keys"),
                action=AuditEvent.Action.MAINTENANCE,
                data="field_keys",
                basis=AuditEvent.Basis.SYSTEM,
                detail={"reencrypted": total, "newest_key": ring.newest_id},
            )
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {total} values with key {ring.newest_id}."))

    def _rotate_field(
        self, model: type[models.Model], name: str, prefix: str, batch_size: int, no_progress: bool
    ) -> int:
        pending = _stale(model, name, prefix)
        count = pending.count()
        if not count:
            return 0
        label = f"{model._meta.label}.{name}"
        done = 0
        last_pk: Any = None
        with tqdm(total=count, desc=label, unit="value", disable=no_progress, file=self.stdout) as bar:
            while True:
                batch = pending.order_by("pk")
                if last_pk is not None:
                    batch = batch.filter(pk__gt=last_pk)
                rows = list(batch.values_list("pk", flat=True)[:batch_size])
                if not rows:
                    break
                with transaction.atomic():
                    for obj in model._default_manager.filter(pk__in=rows).only("pk", name):
                        # Reading decrypts with any key; writing the plaintext back encrypts with the newest.
                        model._default_manager.filter(pk=obj.pk).update(**{name: getattr(obj, name)})
                done += len(rows)
                last_pk = rows[-1]
                bar.update(len(rows))
        return done

    def _rotate_authenticators(self, prefix: str) -> int:
        done = 0
        with transaction.atomic():
            for authenticator in Authenticator.objects.select_for_update():
                data = dict(authenticator.data)
                changed = False
                for key, value in data.items():
                    if (
                        isinstance(value, str)
                        and value.startswith(crypto.MARKER + ":")
                        and not value.startswith(prefix)
                    ):
                        data[key] = crypto.reencrypt(value)
                        changed = True
                if changed:
                    authenticator.data = data
                    authenticator.save(update_fields=["data"])
                    done += 1
        return done
