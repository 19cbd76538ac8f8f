"""Stocks from intervals: the sweep the person and care indicators share.

A stock counts what holds on each month's as-of day (``Scope.as_of``). Something that holds on the days
``[start, end)`` holds on month ``m``'s as-of day exactly when ``index(start) <= m < index(end)``, where
``index(day)`` is the first month whose as-of day is on or after ``day`` (as-of days only go up). So
every date is turned into a month index once, intervals become ranges of indices (empty ones are
dropped: a status that held for a few days in the middle of a month is never a month's stock), an
intersection of two intervals is the intersection of their ranges, and a series is a difference array
(+1 at the start index, -1 at the end index) summed once: O(rows), not O(persons × months).

The database does the work: ``coverage_sql`` and ``status_sql`` build the index ranges (merging a
person's overlapping involvements), an indicator's query intersects them, and only the difference arrays
come back (``sweep_sql``, ``run_sweep``); ``Sweep.fill`` sums them into a ``CountCube``.

The same holds for years (``Buckets(scope, yearly=True)``): the as-of day of a year is its last day, or
``Scope.end`` in the running year.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from inbeeld.people.models import Involvement, Person, StatusChange
from inbeeld.reports.cube import NETWORK, CountCube, OrgKey, Scope

ONE_DAY = datetime.timedelta(days=1)


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


def involvements(scope: Scope, **filters: object) -> QuerySet[Involvement]:
    """Involvements with the network's organisations that can matter for the scope."""
    return Involvement.objects.filter(
        organisation_id__in=scope.organisation_ids, started_on__lte=scope.end, **filters
    ).exclude(ended_on__lt=scope.start)


def status_rows(
    scope: Scope, until: datetime.date, **filters: object
) -> Iterable[tuple[int, str, datetime.date]]:
    """(person, status, effective on) of the network's status history up to ``until``, per person in the
    order the history reads them (a later record of the same day wins)."""
    return (
        StatusChange.objects.filter(person__network_id=scope.network_id, effective_on__lte=until, **filters)
        .order_by("person_id", "effective_on", "recorded_at", "id")
        .values_list("person_id", "to_status", "effective_on")
        .iterator(chunk_size=10_000)
    )


# --- Intervals in the database ------------------------------------------------------------------
#
# For the stocks over all persons (in view, street zone) the intervals are built, merged and intersected
# in SQL and only the difference arrays come back: (organisation or NULL for the network, category,
# index, +n or -n). Month indices are computed by the database (``MonthSql``), the same as
# ``Buckets.index``.

Sql = tuple[str, list[Any]]


class MonthSql:
    """SQL for ``Buckets.index`` of a (non-null) date expression, for the scope's months."""

    def __init__(self, buckets: Buckets):
        self.buckets = buckets

    def index(self, column: str) -> Sql:
        b = self.buckets
        if connection.vendor == "postgresql":
            # date_part (a double) is much cheaper than EXTRACT (a numeric) over many rows.
            year, month = (
                f"CAST(date_part('year', {column}) AS INTEGER)",
                f"CAST(date_part('month', {column}) AS INTEGER)",
            )
            params: list[Any] = []
        else:
            year, year_params = connection.ops.date_extract_sql("year", column, ())
            month, month_params = connection.ops.date_extract_sql("month", column, ())
            params = [*year_params, *month_params]
        sql = (
            f"CAST(CASE WHEN {column} > %s THEN {b.size} WHEN {column} < %s THEN 0 "
            f"ELSE ({year} - {b.first_year}) * 12 + {month} - 1 END AS INTEGER)"
        )
        return sql, [b.end, datetime.date(b.first_year, 1, 1), *params]

    @staticmethod
    def next_day(column: str) -> str:
        if connection.vendor == "sqlite":
            return f"date({column}, '+1 day')"
        return f"({column} + 1)"


def coverage_sql(scope: Scope, buckets: Buckets, *, registered: bool, persons: Sql | None = None) -> Sql:
    """CTEs ending in ``cov(person_id, org, s, e)``: the merged spans in which each person is in view,
    per organisation and (``org`` NULL) for the network — as ``coverage`` does in Python."""
    months = MonthSql(buckets)
    involvement, person = Involvement._meta.db_table, Person._meta.db_table
    since, since_params = "i.started_on", list[Any]()
    if registered:
        # Not before the person was registered (the local day of ``registered_at``).
        day, day_params = connection.ops.datetime_cast_date_sql(
            "p.registered_at", (), timezone.get_current_timezone_name()
        )
        since = f"CASE WHEN i.started_on > {day} THEN i.started_on ELSE {day} END"
        since_params = [*day_params, *day_params]
    start, start_params = months.index("since")
    end, end_params = months.index(MonthSql.next_day("ended_on"))
    orgs = ", ".join("%s" for _ in scope.organisation_ids) or "NULL"
    extra, extra_params = ("", []) if persons is None else (f" AND i.person_id IN ({persons[0]})", persons[1])
    window = "PARTITION BY person_id, org ORDER BY s, e"
    sql = f"""
    inv0 AS (
        SELECT person_id, org, {start} AS s,
               CASE WHEN ended_on IS NULL THEN {buckets.size} ELSE {end} END AS e
        FROM (
            SELECT i.person_id, i.organisation_id AS org, {since} AS since, i.ended_on
            FROM {involvement} i JOIN {person} p ON p.id = i.person_id
            WHERE i.organisation_id IN ({orgs}) AND i.started_on <= %s
              AND (i.ended_on IS NULL OR i.ended_on >= %s){extra}
        ) rows
    ), inv1 AS (
        SELECT person_id, org, s, e FROM inv0 WHERE s < e
        UNION ALL SELECT person_id, NULL, s, e FROM inv0 WHERE s < e
    ), inv2 AS (
        SELECT person_id, org, s, e,
               MAX(e) OVER ({window} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
        FROM inv1
    ), inv3 AS (
        SELECT person_id, org, s, e,
               SUM(CASE WHEN before IS NULL OR s > before THEN 1 ELSE 0 END)
                   OVER ({window} ROWS UNBOUNDED PRECEDING) AS island
        FROM inv2
    ), cov AS (
        SELECT person_id, org, MIN(s) AS s, MAX(e) AS e FROM inv3 GROUP BY person_id, org, island
    )"""  # noqa: S608 - table names from the models, values as parameters
    params = [
        *start_params,
        *end_params,
        *since_params,
        *scope.organisation_ids,
        scope.end,
        scope.start,
        *extra_params,
    ]
    return sql, params


def status_sql(scope: Scope, buckets: Buckets, *, persons: Sql | None = None) -> Sql:
    """A CTE ``st(person_id, status, s, e)``: every status record with its month index and the next
    record's (``e`` NULL for the last); spans with ``s >= e`` never held on an as-of day."""
    months = MonthSql(buckets)
    change, person = StatusChange._meta.db_table, Person._meta.db_table
    index, index_params = months.index("sc.effective_on")
    extra, extra_params = (
        ("", []) if persons is None else (f" AND sc.person_id IN ({persons[0]})", persons[1])
    )
    sql = f"""
    st AS (
        SELECT person_id, status, s,
               LEAD(s) OVER (PARTITION BY person_id ORDER BY effective_on, recorded_at, id) AS e
        FROM (
            SELECT sc.person_id, sc.to_status AS status, {index} AS s, sc.effective_on, sc.recorded_at, sc.id
            FROM {change} sc JOIN {person} p ON p.id = sc.person_id
            WHERE p.network_id = %s AND sc.effective_on <= %s{extra}
        ) rows
    )"""  # noqa: S608 - table names from the models, values as parameters
    return sql, [*index_params, scope.network_id, scope.end, *extra_params]


def sweep_sql(buckets: Buckets, hits: str) -> str:
    """The difference arrays of ``hits(org, category, lo, hi)``: +1 at lo, -1 at hi."""
    return f"""
    SELECT org, category, lo, COUNT(*) FROM {hits} WHERE lo < hi GROUP BY org, category, lo
    UNION ALL
    SELECT org, category, hi, -COUNT(*) FROM {hits} WHERE lo < hi AND hi < {buckets.size}
    GROUP BY org, category, hi"""  # noqa: S608 - a CTE name


def run_sweep(sweep: Sweep, sql: str, params: Sequence[Any]) -> None:
    """Run a query of (org or NULL, category, index, delta) rows into ``sweep``."""
    size = sweep.buckets.size
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for org, category, index, delta in cursor.fetchall():
            key = (NETWORK if org is None else org, category)
            diff = sweep.diffs.get(key)
            if diff is None:
                diff = sweep.diffs[key] = [0] * (size + 1)
            diff[index] += int(delta)
