"""Who is in view when: the involvement coverage the person and care stocks share, built once per report.

A person is in view of an organisation on a month's as-of day when one of their involvements with it is
active that day and they were registered by then; in view of the network when that holds for any of its
organisations. ``coverage_table(scope)`` writes this as month index ranges (``intervals``) into a
temporary table ``(person_id, keys, s, e)`` with an index on ``person_id`` and fresh statistics, so the
indicators that need it (in view, care plans) join it instead of each building it again.

The ranges of one person and key are disjoint, not merged: each involvement's range starts after the
end of those sorted before it (one window function, where merging into islands takes three steps).
Disjoint ranges count the same in a sweep, and intersected with a status or a plan they still count
each person at most once a month.

``keys`` says whose range a row is: bit 0 the network's, bit ``i + 1`` the ``i``-th organisation's of
the scope. A person's range is mostly the same for the network and the one or two organisations
involved, so one row serves them all and the joins read about half the rows; the sweep's rows are
spread over the keys afterwards (``run_keyed_sweep``). With more organisations than bits every row has
one key, ``-(i + 1)`` (``key_orgs``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.utils import timezone

from inbeeld.people.models import Involvement, Person
from inbeeld.reports.cube import NETWORK, OrgKey, Scope
from inbeeld.reports.indicators.intervals import Buckets, MonthSql, Sweep, roomy

_NAMES = itertools.count(1)
# Keys share a row as bits of a (signed 64-bit) integer: the network's and up to 61 organisations'.
_BITS = 62
_PREFIX = "inbeeld_report_coverage_"


def coverage_table(scope: Scope) -> str:
    """The name of the scope's coverage table, made on first use in this report."""
    name = scope.shared("coverage", lambda: _create(scope))
    if not _exists(name):
        # Gone with a rolled-back transaction or a new database connection: make it again.
        name = scope.memo["coverage"] = _create(scope)
    return name


def _exists(name: str) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"pg_temp.{name}"])
        else:
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_temp_master WHERE type = 'table' AND name = %s", [name]
            )
        row = cursor.fetchone()
    return bool(row and row[0])


def _create(scope: Scope) -> str:
    # Temporary tables live as long as the connection, which outlives a report: keep only the newest.
    made: list[str] = connection.__dict__.setdefault("_inbeeld_report_coverage", [])
    name = f"{_PREFIX}{next(_NAMES)}"
    sql, params = _select(scope, Buckets(scope))
    with connection.cursor() as cursor, roomy(cursor):
        for old in made:
            cursor.execute(f"DROP TABLE IF EXISTS {old}")
        made.clear()
        cursor.execute(f"CREATE TEMPORARY TABLE {name} AS {sql}", params)
        made.append(name)
        cursor.execute(f"CREATE INDEX {name}_person ON {name} (person_id)")
        cursor.execute(f"ANALYZE {name}")
    return name


def _select(scope: Scope, buckets: Buckets) -> tuple[str, list[Any]]:
    months = MonthSql(buckets)
    involvement, person = Involvement._meta.db_table, Person._meta.db_table
    start, start_params = months.index("started_on")
    end, end_params = months.index_after("ended_on")
    # Not before the person was registered (on the local day of ``registered_at``).
    if connection.vendor == "postgresql":
        registered, registered_params = months.index_of_moment("p.registered_at")
        since, since_params = f"GREATEST({start}, registered)", start_params
    else:
        registered, registered_params = connection.ops.datetime_cast_date_sql(
            "p.registered_at", (), timezone.get_current_timezone_name()
        )
        since, since_params = months.index(
            "CASE WHEN started_on > registered THEN started_on ELSE registered END"
        )
    orgs = ", ".join("%s" for _ in scope.organisation_ids) or "NULL"
    keys, key_params = _key_sql(scope)
    preceding = "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING"
    sql = f"""
    WITH inv AS MATERIALIZED (  -- the month indices once per row, not again for each use
        SELECT person_id, org, {since} AS s,
               CASE WHEN ended_on IS NULL THEN {buckets.size} ELSE {end} END AS e
        FROM (
            SELECT i.person_id, i.organisation_id AS org, i.started_on, i.ended_on,
                   {registered} AS registered
            FROM {involvement} i JOIN {person} p ON p.id = i.person_id
            WHERE i.organisation_id IN ({orgs}) AND i.started_on <= %s
              AND (i.ended_on IS NULL OR i.ended_on >= %s)
        ) rows
    ), clipped AS (
        SELECT person_id, org, s, e,
               MAX(e) OVER (PARTITION BY person_id, org ORDER BY s, e {preceding}) AS org_before,
               MAX(e) OVER (PARTITION BY person_id ORDER BY s, e {preceding}) AS before
        FROM inv WHERE s < e
    ), disjoint AS (
        SELECT person_id, {keys} AS k, CASE WHEN org_before > s THEN org_before ELSE s END AS s, e
        FROM clipped WHERE org_before IS NULL OR org_before < e
        UNION ALL
        SELECT person_id, 1, CASE WHEN before > s THEN before ELSE s END, e
        FROM clipped WHERE before IS NULL OR before < e
    )
    SELECT person_id, SUM(k) AS keys, s, e FROM disjoint
    GROUP BY person_id, s, e{"" if key_params[1] else ", k"}"""  # noqa: S608 - table names from the models
    params = [
        *since_params,
        *end_params,
        *registered_params,
        *scope.organisation_ids,
        scope.end,
        scope.start,
        *key_params[0],
    ]
    return sql, params


def _key_sql(scope: Scope) -> tuple[str, tuple[list[Any], bool]]:
    """The key bits of the ``org`` column, and whether ranges of several keys may share a row."""
    if not scope.organisation_ids:
        return "0", ([], True)
    grouped = len(scope.organisation_ids) < _BITS
    cases = " ".join("WHEN %s THEN %s" for _ in scope.organisation_ids)
    params: list[Any] = []
    for position, org in enumerate(scope.organisation_ids):
        params += [org, 1 << (position + 1) if grouped else -(position + 1)]
    return f"CASE org {cases} END", (params, grouped)


def key_orgs(scope: Scope, keys: int) -> list[OrgKey]:
    """The organisation keys of a ``keys`` value of the coverage table."""
    if keys < 0:
        return [scope.organisation_ids[-keys - 1]]
    found: list[OrgKey] = [NETWORK] if keys & 1 else []
    found += [org for position, org in enumerate(scope.organisation_ids) if keys >> (position + 1) & 1]
    return found


def run_keyed_sweep(scope: Scope, sweep: Sweep, sql: str, params: Sequence[Any]) -> None:
    """Run a query of (keys, category, index, delta) rows into ``sweep``, ``keys`` from the coverage
    table: the delta counts for each organisation key it names."""
    size = sweep.buckets.size
    orgs: dict[int, list[OrgKey]] = {}
    with connection.cursor() as cursor, roomy(cursor):
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for keys, category, index, delta in rows:
        if keys not in orgs:
            orgs[keys] = key_orgs(scope, keys)
        for org in orgs[keys]:
            diff = sweep.diffs.get((org, category))
            if diff is None:
                diff = sweep.diffs[(org, category)] = [0] * (size + 1)
            diff[index] += int(delta)
