"""Indicators about persons: who is in view (by status, so also who is on the street zone), intakes,
exits and returns.

Raw figures only (``reports.disclosure`` protects them). The in-view stock is swept from intervals in the
database (``intervals``, ``coverage``): one query, returning difference arrays, whatever the number of
persons or months. Intakes are a GROUP BY; exits and returns are found in the histories of the persons
who ever exited by window functions, and only the hold of an exit is checked here.
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from typing import Any

from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from inbeeld.care.models import Intake
from inbeeld.people.models import Involvement, Person, Status, StatusChange
from inbeeld.reports.cube import NETWORK, Category, CountCube, Indicator, OrgKey, Scope
from inbeeld.reports.indicators.coverage import coverage_table, run_keyed_sweep
from inbeeld.reports.indicators.intervals import (
    Buckets,
    MonthSql,
    Sweep,
    sweep_sql,
)

EXITS, RETURNS = "exits", "returns"
RETURNED_TO = frozenset({Status.STREET_ZONE, Status.OTHER_SEX_WORK})


def status_categories() -> list[Category]:
    return [Category(value, label) for value, label in Status.choices]


# --- Persons in view ------------------------------------------------------------------------------


def in_view(scope: Scope) -> CountCube:
    """Persons with an active involvement on the as-of day, by their status that day.

    Before their first recorded status (or without any) a person in view counts as "unknown"."""
    buckets = Buckets(scope)
    cov = coverage_table(scope)
    months = MonthSql(buckets)
    index, index_params = months.index("sc.effective_on")
    change, person = StatusChange._meta.db_table, Person._meta.db_table
    size, unknown = buckets.size, str(Status.UNKNOWN)
    window = "PARTITION BY person_id ORDER BY effective_on, recorded_at, id"
    sql = f"""
    WITH st AS MATERIALIZED (
        SELECT person_id, status, s, LEAD(s) OVER ({window}) AS e, ROW_NUMBER() OVER ({window}) AS rn
        FROM (
            SELECT sc.person_id, sc.to_status AS status, {index} AS s, sc.effective_on, sc.recorded_at, sc.id
            FROM {change} sc JOIN {person} p ON p.id = sc.person_id
            WHERE p.network_id = %s AND sc.effective_on <= %s
        ) rows
    ), hits AS (
        SELECT cov.keys AS org, st.status AS category,
               CASE WHEN st.s > cov.s THEN st.s ELSE cov.s END AS lo,
               CASE WHEN COALESCE(st.e, {size}) < cov.e THEN COALESCE(st.e, {size}) ELSE cov.e END AS hi
        FROM st JOIN {cov} cov ON cov.person_id = st.person_id
        UNION ALL
        -- Unknown until the first record, or throughout without one.
        SELECT cov.keys, %s, cov.s,
               CASE WHEN COALESCE(st.s, {size}) < cov.e THEN COALESCE(st.s, {size}) ELSE cov.e END
        FROM {cov} cov LEFT JOIN st ON st.person_id = cov.person_id AND st.rn = 1
    ){sweep_sql(buckets, "hits")}"""  # noqa: S608 - CTEs built from the models' tables
    sweep = Sweep(buckets)
    run_keyed_sweep(scope, sweep, sql, [*index_params, scope.network_id, scope.end, unknown])
    cube = CountCube(
        "in_view",
        flow=False,
        org_additive=False,
        categories=status_categories(),
        category_additive=True,
        # The council reads this table for the street zone (the status-derived series beside the street
        # counts): where a figure must be hidden to protect a small one, another is hidden if it will do.
        headline=frozenset({Status.STREET_ZONE.value}),
    )
    return sweep.fill(cube)


# --- Intakes --------------------------------------------------------------------------------------


def intakes(scope: Scope) -> CountCube:
    """Intakes completed in the month, by the organisation that did them."""
    rows = (
        Intake.objects.filter(
            organisation_id__in=scope.organisation_ids,
            completed_at__gte=scope.moments()[0],
            completed_at__lt=scope.moments()[1],
        )
        .annotate(month=TruncMonth("completed_at"))
        .values("month", "organisation_id")
        .annotate(n=Count("id"))
        .values_list("organisation_id", "month", "n")
    )
    cube = CountCube(
        "intakes",
        flow=True,
        org_additive=True,
        categories=[Category("intakes", _("Intakes"))],
        category_additive=True,
    )
    return cube.add_monthly("intakes", rows)


# --- Exits and returns ----------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _date(value: datetime.date | str | None) -> datetime.date | None:
    """A date from a raw query (SQLite gives its text)."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _events_sql(scope: Scope) -> tuple[str, list[Any]]:
    """(status, person, effective on, the next day with another status than exited, organisation or
    NULL) of every candidate exit or return in the scope, once per organisation involved that day.

    The histories read as people read them: of several records of one day only the last happened, and
    the first record is where the history starts (registration), not a change."""
    change, person, involvement = (
        StatusChange._meta.db_table,
        Person._meta.db_table,
        Involvement._meta.db_table,
    )
    order = "PARTITION BY person_id ORDER BY day, recorded_at, id"
    orgs = ", ".join("%s" for _ in scope.organisation_ids) or "NULL"
    returned = ", ".join("%s" for _ in RETURNED_TO)
    sql = f"""
    WITH rows AS (
        SELECT sc.person_id, sc.to_status AS status, sc.effective_on AS day, sc.recorded_at, sc.id,
               LEAD(sc.effective_on) OVER (
                   PARTITION BY sc.person_id ORDER BY sc.effective_on, sc.recorded_at, sc.id
               ) AS next_day
        FROM {change} sc JOIN {person} p ON p.id = sc.person_id
        WHERE p.network_id = %s AND sc.effective_on <= %s
          AND sc.person_id IN (SELECT person_id FROM {change} WHERE to_status = %s)
    ), history AS (
        SELECT person_id, status, day, LAG(status) OVER ({order}) AS previous,
               MIN(CASE WHEN status <> %s THEN day END) OVER (
                   {order} ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
               ) AS following
        FROM rows WHERE next_day IS NULL OR next_day <> day
    ), events AS (
        SELECT person_id, status, day, following FROM history
        WHERE day >= %s AND day <= %s AND (
            (status = %s AND previous IS NOT NULL AND previous <> %s)
            OR (previous = %s AND status IN ({returned}))
        )
    )
    SELECT DISTINCT events.person_id, events.status, events.day, events.following, i.organisation_id
    FROM events LEFT JOIN {involvement} i
      ON i.person_id = events.person_id AND i.organisation_id IN ({orgs})
     AND i.started_on <= events.day AND (i.ended_on IS NULL OR i.ended_on >= events.day)
    """  # noqa: S608 - table names from the models, values as parameters
    exited = str(Status.EXITED)
    params: list[Any] = [scope.network_id, scope.data_date, exited, exited]
    params += [scope.start, scope.end, exited, exited, exited, *sorted(str(s) for s in RETURNED_TO)]
    return sql, [*params, *scope.organisation_ids]


def exits_and_returns(scope: Scope) -> CountCube:
    """Exits that held ``scope.exit_hold_months`` months and returns from exited to sex work."""
    cube = CountCube(
        "exits_and_returns",
        flow=True,
        org_additive=False,
        categories=[Category(EXITS, _("Exits")), Category(RETURNS, _("Returns"))],
        category_additive=False,
    )
    hold, data_date = scope.exit_hold_months, scope.data_date
    counts: Counter[tuple[OrgKey, str, datetime.date]] = Counter()
    network: set[tuple[int, datetime.date]] = set()
    with connection.cursor() as cursor:
        cursor.execute(*_events_sql(scope))
        rows = cursor.fetchall()
    for person_id, status, day_value, following_value, org in rows:
        day, following = _date(day_value), _date(following_value)
        assert day is not None
        if status == Status.EXITED:
            # An exit counts once it has held: no other status until ``hold`` months later.
            if (following or data_date) < add_months(day, hold):
                continue
            category = EXITS
        else:
            category = RETURNS
        month = day.replace(day=1)
        if (person_id, day) not in network:
            network.add((person_id, day))
            counts[(NETWORK, category, month)] += 1
        if org is not None:
            counts[(org, category, month)] += 1
    cube.counts.update(counts)
    return cube


INDICATORS: list[Indicator] = [
    Indicator(
        "in_view",
        _("Persons in view"),
        _(
            "Persons with an active involvement with an organisation of the network on the last day of "
            "the month (or the data date), registered by then, by their status that day according to "
            "the status history; for an organisation, those it has an active involvement with."
        ),
        in_view,
    ),
    Indicator(
        "intakes",
        _("Intakes"),
        _("Intakes completed in the month, counted for the organisation that did the intake."),
        intakes,
    ),
    Indicator(
        "exits_and_returns",
        _("Exits and returns"),
        _(
            "An exit is a change of status to 'exited' in the month that held for the configured number "
            "of months (exits that have not held that long yet are not counted yet); a return is a change "
            "from 'exited' back to the street zone or other sex work. For an organisation: the persons it "
            "had an active involvement with on the day of the change."
        ),
        exits_and_returns,
    ),
]
