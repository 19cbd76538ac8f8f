"""What a referral and a transfer of lead share: a record between two organisations, seen from one side.

Each app decides who sees its records and from which side (``side_of``); showing them and finding one by
its id is the same for both.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

from django.db import models, transaction

from inbeeld.core import access, audit
from inbeeld.core.models import AuditEvent


class PersonRecord(Protocol):
    pk: int
    person_id: int


class SeenRecord(Protocol):
    @property
    def record(self) -> PersonRecord: ...

    @property
    def basis(self) -> str: ...

    @property
    def sees_note(self) -> bool: ...


M = TypeVar("M", bound=models.Model)


def record_reads(actor: audit.Actor, shown: Iterable[SeenRecord], *, data: str) -> None:
    """Showing a record shows the person's roepnaam (and, to whom it may, the note): one event each."""
    with transaction.atomic():
        for seen in shown:
            audit.record(
                actor,
                action=AuditEvent.Action.READ,
                data=data,
                basis=seen.basis,
                person_id=seen.record.person_id,
                object_id=seen.record.pk,
                detail={"note": seen.sees_note},
            )


def one_of(records: models.QuerySet[M], pk: int | str) -> M:
    """The record ``pk`` among those the member sees; any other (or a malformed id) is 404 (rule 1)."""
    try:
        found = records.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise access.not_found()
    return found
