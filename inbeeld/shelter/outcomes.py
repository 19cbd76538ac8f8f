"""The shelter's outcome: do residents leave with a bigger, more supportive social network?

For every stay at a site: the resident's network size and supportive ties (all organisations' ties,
counted, never named) on the day of check-in and on the day of check-out (today while they stay).
Shown per year of check-in as averages; a year with fewer than ``MIN_CELL`` stays is suppressed, so a
figure never points at one resident. Coordinators only; no names, so no person read is audited.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from inbeeld.core.models import Location
from inbeeld.people.models import NetworkTie, TieQuality
from inbeeld.shelter.models import Stay

MIN_CELL = 5

TieRow = tuple[datetime.date, datetime.date | None, str]


@dataclass(frozen=True)
class OutcomeRow:
    year: int
    stays: int  # 0 when suppressed
    size_in: float | None = None
    size_out: float | None = None
    supportive_in: float | None = None
    supportive_out: float | None = None

    @property
    def suppressed(self) -> bool:
        return self.stays == 0


def _counts(ties: list[TieRow], day: datetime.date) -> tuple[int, int]:
    open_ = [quality for start, end, quality in ties if start <= day and (end is None or end > day)]
    return len(open_), sum(1 for quality in open_ if quality == TieQuality.SUPPORTIVE)


def _mean(values: list[int]) -> float:
    return round(sum(values) / len(values), 1)


def network_outcomes(site: Location, today: datetime.date | None = None) -> list[OutcomeRow]:
    """Per year of check-in, newest first: average network size and supportive ties in and out."""
    today = today or timezone.localdate()
    stays = list(Stay.objects.at(site).values_list("person_id", "checked_in_at", "checked_out_at"))
    ties: dict[int, list[TieRow]] = defaultdict(list)
    rows = NetworkTie.objects.filter(person_id__in={person for person, _, _ in stays}).values_list(
        "person_id", "started_on", "ended_on", "quality"
    )
    for person_id, started_on, ended_on, quality in rows:
        ties[person_id].append((started_on, ended_on, quality))
    by_year: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    for person_id, checked_in_at, checked_out_at in stays:
        day_in = timezone.localtime(checked_in_at).date()
        day_out = timezone.localtime(checked_out_at).date() if checked_out_at else today
        by_year[day_in.year].append((*_counts(ties[person_id], day_in), *_counts(ties[person_id], day_out)))
    out = []
    for year in sorted(by_year, reverse=True):
        figures = by_year[year]
        if len(figures) < MIN_CELL:
            out.append(OutcomeRow(year=year, stays=0))
            continue
        size_in, supportive_in, size_out, supportive_out = (
            list(column) for column in zip(*figures, strict=True)
        )
        out.append(
            OutcomeRow(
                year=year,
                stays=len(figures),
                size_in=_mean(size_in),
                size_out=_mean(size_out),
                supportive_in=_mean(supportive_in),
                supportive_out=_mean(supportive_out),
            )
        )
    return out
