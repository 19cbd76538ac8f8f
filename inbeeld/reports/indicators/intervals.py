"""Stocks from intervals: the sweep the person and care indicators share.

A stock counts what holds on each month's as-of day (``Scope.as_of``). Something that holds on the days
``[start, end)`` holds on month ``m``'s as-of day exactly when ``index(start) <= m < index(end)``, where
``index(day)`` is the first month whose as-of day is on or after ``day`` (as-of days only go up). So
every date is turned into a month index once, intervals become ranges of indices (empty ones are
dropped: a status that held for a few days in the middle of a month is never a month's stock), an
intersection of two intervals is the intersection of their ranges, and a series is a difference array
(+1 at the start index, -1 at the end index) summed once: O(rows), not O(persons × months).

The database does the work: ``MonthSql`` turns dates into indices, an indicator's query intersects the
ranges (those of who is in view come from ``coverage``), and only the difference arrays come back
(``sweep_sql``); ``Sweep.fill`` sums them into a ``CountCube``.

The same holds for years (``Buckets(scope, yearly=True)``): the as-of day of a year is its last day, or
``Scope.end`` in the running year.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone

from inbeeld.reports.cube import CountCube, OrgKey, Scope

ONE_DAY = datetime.timedelta(days=1)
WORK_MEM = "64MB"


class Buckets:
    """The months (or years) of a scope, and which one a day falls in."""

    def __init__(self, scope: Scope, *, yearly: bool = False):
        self.yearly = yearly
        self.first_year = scope.first_year
        self.end = scope.end
        self.keys: list = list(scope.years()) if yearly else list(scope.months())
        self.size = len(self.keys)

    def index(self, day: datetime.date) -> int:
        """The first month (year) whose as-of day is on or after ``day``; ``size`` if there is none."""
        if day > self.end:
            return self.size
        if self.yearly:
            found = day.year - self.first_year
        else:
            found = (day.year - self.first_year) * 12 + day.month - 1
        return found if found > 0 else 0

    def as_of(self, index: int) -> datetime.date:
        """The as-of day of the month (year) at ``index``."""
        key = self.keys[index]
        if self.yearly:
            return min(datetime.date(key, 12, 31), self.end)
        following = datetime.date(key.year + key.month // 12, key.month % 12 + 1, 1)
        return min(following - ONE_DAY, self.end)


@dataclass
class Sweep:
    """Difference arrays per (organisation key, category), summed into a stock ``CountCube``."""

    buckets: Buckets
    diffs: dict[tuple[OrgKey, str], list[int]] = field(default_factory=dict)

    def add(self, org: OrgKey, category: str, start: int, end: int) -> None:
        if start >= end:
            return
        diff = self.diffs.get((org, category))
        if diff is None:
            diff = self.diffs[(org, category)] = [0] * (self.buckets.size + 1)
        diff[start] += 1
        diff[end] -= 1

    def fill(self, cube: CountCube) -> CountCube:
        for (org, category), diff in self.diffs.items():
            running = 0
            for index, month in enumerate(self.buckets.keys):
                running += diff[index]
                if running:
                    cube.counts[(org, category, month)] = running
        return cube


# --- Intervals in the database ------------------------------------------------------------------
#
# For the stocks over all persons (in view, care plans) the intervals are built and intersected in SQL
# and only the difference arrays come back: (organisation key, category, index, +n or -n). Month
# indices are computed by the database (``MonthSql``), the same as ``Buckets.index``.

Sql = tuple[str, list[Any]]


class MonthSql:
    """SQL for ``Buckets.index`` of a (non-null) date expression, for the scope's months (or years)."""

    def __init__(self, buckets: Buckets):
        self.buckets = buckets
        self.as_of = [buckets.as_of(i) for i in range(buckets.size)]

    def index(self, column: str) -> Sql:
        b = self.buckets
        if connection.vendor == "postgresql":
            # The number of as-of days before the day, by binary search: far cheaper per row than
            # taking the date apart.
            return f"width_bucket(({column}) - 1, %s::date[])", [self.as_of]
        if b.yearly:
            parts = " + ".join(f"CASE WHEN {column} > %s THEN 1 ELSE 0 END" for _ in self.as_of)
            return f"({parts})", list(self.as_of)
        year, year_params = connection.ops.date_extract_sql("year", column, ())
        month, month_params = connection.ops.date_extract_sql("month", column, ())
        sql = (
            f"CAST(CASE WHEN {column} > %s THEN {b.size} WHEN {column} < %s THEN 0 "
            f"ELSE ({year} - {b.first_year}) * 12 + {month} - 1 END AS INTEGER)"
        )
        return sql, [b.end, datetime.date(b.first_year, 1, 1), *year_params, *month_params]

    def index_after(self, column: str) -> Sql:
        """``index`` of the day after ``column``: the first month (year) the day no longer holds on."""
        if connection.vendor == "postgresql":
            return f"width_bucket({column}, %s::date[])", [self.as_of]
        return self.index(self.next_day(column))

    def index_of_moment(self, column: str) -> Sql:
        """PostgreSQL only: ``index`` of the local day of a timestamp column. Compared with the moments
        the as-of days end, the timestamp needs no conversion to a local date per row."""
        zone = timezone.get_current_timezone()
        ends = [
            datetime.datetime.combine(day + ONE_DAY, datetime.time.min, tzinfo=zone) for day in self.as_of
        ]
        return f"width_bucket({column}, %s::timestamptz[])", [ends]

    @staticmethod
    def next_day(column: str) -> str:
        if connection.vendor == "sqlite":
            return f"date({column}, '+1 day')"
        return f"({column} + 1)"


def sweep_sql(buckets: Buckets, hits: str) -> str:
    """The difference arrays of ``hits(org, category, lo, hi)``: +n at lo, -n at hi. Equal ranges are
    counted first (there are far fewer distinct ones than hits), then each is read once for both ends."""
    return f"""
    SELECT org, category, CASE WHEN sign.d = 1 THEN lo ELSE hi END AS at, SUM(sign.d * n)
    FROM (
        SELECT org, category, lo, hi, COUNT(*) AS n FROM {hits} WHERE lo < hi GROUP BY org, category, lo, hi
    ) ranges CROSS JOIN (SELECT 1 AS d UNION ALL SELECT -1 AS d) sign
    WHERE sign.d = 1 OR hi < {buckets.size}
    GROUP BY org, category, CASE WHEN sign.d = 1 THEN lo ELSE hi END"""  # noqa: S608 - a CTE name


@contextmanager
def roomy(cursor: Any) -> Iterator[None]:
    """Give PostgreSQL's sorts and hashes room for a report's statements: at the default work_mem they
    spill hundreds of thousands of rows to disk. The session's own setting is restored afterwards."""
    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SELECT current_setting('work_mem')")
    row = cursor.fetchone()
    cursor.execute("SELECT set_config('work_mem', %s, false)", [WORK_MEM])
    try:
        yield
    finally:
        cursor.execute("SELECT set_config('work_mem', %s, false)", [row[0] if row else "4MB"])
