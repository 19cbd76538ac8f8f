"""A person's timeline: every kind of record in one list, newest first, as far as the viewer may see.

Apps plug their records in with ``register(Source(...))`` (care: contacts, assessments, plan versions,
appointments; later: stays, episodes, visits). Each source says which access need and which data
category guard it; rule 2 is applied in the query: another organisation's records only when a valid
consent for that category lets the viewer's organisation receive them.

Pages are built by taking, from every source, at most the rows that could reach the requested page
and merging them, so a person with thousands of contacts costs a few small indexed queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from inbeeld.core.access import Need, PersonAccess, consent_for
from inbeeld.people.models import DataCategory, StatusChange


@dataclass(frozen=True)
class Entry:
    when: datetime.datetime | datetime.date
    kind: str  # the source key, e.g. "contact"
    kind_label: str
    title: str
    detail: str = ""
    organisation: str = ""
    url: str = ""

    @property
    def sort_key(self) -> datetime.datetime:
        if isinstance(self.when, datetime.datetime):
            return self.when
        return datetime.datetime.combine(self.when, datetime.time.max).replace(tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Source:
    key: str
    label: Callable[[], str]
    need: Need
    category: str | None  # None: not another organisation's record (e.g. status, part of the core)
    rows: Callable[[PersonAccess], QuerySet[Any]]  # the person's rows, any organisation
    owner_field: str  # the row's organisation id field, for rule 2
    order_field: str  # a date/datetime field; newest first
    entry: Callable[[PersonAccess, Any], Entry]


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    _sources[source.key] = source


def sources() -> list[Source]:
    return sorted(_sources.values(), key=lambda s: s.key)


def _visible_rows(access: PersonAccess, source: Source) -> QuerySet[Any] | None:
    if not access.allows(source.need):
        return None
    rows = source.rows(access)
    if source.category is not None and consent_for(access.person, access.membership, source.category) is None:
        rows = rows.filter(**{source.owner_field: access.own_organisation_id})
    return rows


def page(access: PersonAccess, number: int, size: int = 25) -> tuple[list[Entry], bool]:
    """Entries of page ``number`` (from 1) and whether another page follows."""
    want = number * size + 1
    collected: list[Entry] = []
    for source in sources():
        rows = _visible_rows(access, source)
        if rows is None:
            continue
        for row in rows.order_by(f"-{source.order_field}", "-pk")[:want]:
            collected.append(source.entry(access, row))
    collected.sort(key=lambda e: e.sort_key, reverse=True)
    start = (number - 1) * size
    return collected[start : start + size], len(collected) > start + size


def _status_entry(access: PersonAccess, change: StatusChange) -> Entry:
    note_visible = access.sees_records_of(change.recorded_by_organisation_id, DataCategory.CARE_PLAN)
    return Entry(
        when=change.effective_on,
        kind="status",
        kind_label=_("Status"),
        title=str(change.get_to_status_display()),
        detail=change.note if note_visible else "",
    )


register(
    Source(
        key="status",
        label=lambda: _("Status changes"),
        need=Need.READ_CORE,
        category=None,
        rows=lambda access: StatusChange.objects.filter(person=access.person),
        owner_field="recorded_by_organisation_id",
        order_field="effective_on",
        entry=_status_entry,
    )
)
