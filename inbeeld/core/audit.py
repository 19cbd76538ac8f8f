"""The audit trail: who read or changed which person data, on which basis (NEN 7513).

Events are written inside the caller's transaction, so a change and its audit event commit together
or not at all. Each event carries the hash of the one before it; ``verify_chain`` finds a broken link.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from inbeeld.core.models import AuditEvent

if TYPE_CHECKING:
    from django.http import HttpRequest

    from inbeeld.core.models import Membership, User

GENESIS = "0" * 64
_PG_CHAIN_LOCK = 7_465_783  # any constant: one advisory lock serialises appends to the chain


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; behind N trusted proxies, the address the outermost of them saw."""
    from django.conf import settings

    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            candidate = forwarded[-hops]
            try:
                ipaddress.ip_address(candidate)
            except ValueError:
                return None
            return candidate
    return request.META.get("REMOTE_ADDR") or None


@dataclass(frozen=True)
class Actor:
    """Who acts, in which organisation and role, and through which channel."""

    user: User | None
    membership: Membership | None
    source: str = "web"
    request_path: str = ""
    ip_address: str | None = None
    on_behalf_of: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest, *, source: str = "web") -> Actor:
        return cls(
            user=request.user if request.user.is_authenticated else None,  # type: ignore[arg-type]
            membership=getattr(request, "membership", None),
            source=source,
            request_path=request.path[:255],
            ip_address=client_ip(request),
        )

    @classmethod
    def system(cls, label: str) -> Actor:
        return cls(user=None, membership=None, source="system", request_path=label[:255])


# What each ``data`` value of an event means, in words for the access log. Apps add their own.
_data_labels: dict[str, Any] = {}


def register_data_labels(labels: dict[str, Any]) -> None:
    _data_labels.update(labels)


def data_label(data: str) -> str:
    return str(_data_labels.get(data, data))


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "occurred_at": event.occurred_at.isoformat(),
        "user": event.user_id_snapshot,
        "user_label": event.user_label,
        "on_behalf_of": event.on_behalf_of_label,
        "organisation": event.organisation_id_snapshot,
        "organisation_label": event.organisation_label,
        "role": event.role,
        "person": event.person_id_snapshot,
        "action": event.action,
        "data": event.data,
        "object_id": event.object_id,
        "basis": event.basis,
        "consent": event.consent_id_snapshot,
        "emergency": event.emergency,
        "source": event.source,
        "request_path": event.request_path,
        "ip_address": event.ip_address,
        "detail": event.detail,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def compute_hash(event: AuditEvent, prev_hash: str) -> str:
    return hashlib.sha256(prev_hash.encode() + b"|" + _canonical(event)).hexdigest()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_CHAIN_LOCK])
    # SQLite: transactions begin IMMEDIATE (settings), so the write lock is already held.


def record(
    actor: Actor,
    *,
    action: str,
    data: str,
    basis: str,
    person_id: int | None = None,
    object_id: str | int = "",
    consent_id: int | None = None,
    emergency: bool = False,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    if not connection.in_atomic_block:
        raise RuntimeError("Audit events are written inside the transaction of the work they record.")
    membership = actor.membership
    event = AuditEvent(
        occurred_at=timezone.now(),
        user_id_snapshot=actor.user.pk if actor.user else None,
        user_label=(actor.user.email if actor.user else actor.request_path)[:255],
        on_behalf_of_label=actor.on_behalf_of[:255],
        organisation_id_snapshot=membership.organisation_id if membership else None,
        organisation_label=membership.organisation.name[:255] if membership else "",
        role=membership.role if membership else "",
        person_id_snapshot=person_id,
        action=action,
        data=data[:120],
        object_id=str(object_id)[:64],
        basis=basis,
        consent_id_snapshot=consent_id,
        # Every event on the emergency basis is flagged for the privacy officer (rule 5), whoever writes it.
        emergency=emergency or basis == AuditEvent.Basis.EMERGENCY,
        source=actor.source[:16],
        request_path=actor.request_path,
        ip_address=actor.ip_address,
        detail=detail or {},
    )
    _lock_chain()
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    event.prev_hash = last or GENESIS
    event.hash = compute_hash(event, event.prev_hash)
    event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str


def verify_chain(batch_size: int = 2000) -> tuple[int, ChainBreak | None]:
    """Walk the whole chain; return the number of events checked and the first broken link."""
    expected_prev = GENESIS
    checked = 0
    for event in _iter_events(batch_size):
        if event.prev_hash != expected_prev:
            return checked, ChainBreak(event.pk, "previous-hash link does not match (a row is missing)")
        if compute_hash(event, event.prev_hash) != event.hash:
            return checked, ChainBreak(event.pk, "contents do not match the stored hash (row altered)")
        expected_prev = event.hash
        checked += 1
    return checked, None


def _iter_events(batch_size: int) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return
        yield from batch
        last_id = batch[-1].pk


# --- Append-only at the database ------------------------------------------------------------

TABLE = "core_auditevent"

_SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
    f"CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
]
_SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"]
_PG_INSTALL = [
    "CREATE OR REPLACE FUNCTION inbeeld_audit_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql",
    f"DROP TRIGGER IF EXISTS audit_no_change ON {TABLE}",
    f"CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION inbeeld_audit_append_only()",
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE}",
    f"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION inbeeld_audit_append_only()",
]
_PG_DROP = [
    f"DROP TRIGGER IF EXISTS audit_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE}",
]


def trigger_install_sql(vendor: str) -> list[str]:
    return {"sqlite": _SQLITE_INSTALL, "postgresql": _PG_INSTALL}.get(vendor, [])


def trigger_drop_sql(vendor: str) -> list[str]:
    return {"sqlite": _SQLITE_DROP, "postgresql": _PG_DROP}.get(vendor, [])


def purge_all_events_for_tests() -> None:
    """Empty the audit table with its guard lifted for that one transaction (test isolation only)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in trigger_drop_sql(connection.vendor):
            cursor.execute(sql)
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 (a constant table name)
        for sql in trigger_install_sql(connection.vendor):
            cursor.execute(sql)
