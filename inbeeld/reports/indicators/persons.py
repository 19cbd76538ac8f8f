"""Indicators about persons: who is in view, who is on the street zone, intakes, exits and returns.

Raw figures only (``reports.disclosure`` protects them). Stocks are swept from intervals in the database
(``intervals``): one query each, returning difference arrays, whatever the number of persons or months.
Intakes are a GROUP BY; exits and returns read the histories of the persons who ever exited.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.care.models import Intake
from inbeeld.people.models import Status, StatusChange
from inbeeld.reports.cube import NETWORK, Category, CountCube, Indicator, Scope, month_start
from inbeeld.reports.indicators.intervals import (
    Buckets,
    Sweep,
    coverage_sql,
    involvements,
    run_sweep,
    status_rows,
    status_sql,
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
    cov, cov_params = coverage_sql(scope, buckets, registered=True)
    st, st_params = status_sql(scope, buckets)
    size, unknown = buckets.size, str(Status.UNKNOWN)
    sql = f"""
    WITH {cov}, {st}, firsts AS (
        SELECT person_id, MIN(s) AS f FROM st GROUP BY person_id
    ), spans AS (
        SELECT person_id, status, s, COALESCE(e, {size}) AS e FROM st WHERE s < COALESCE(e, {size})
        UNION ALL SELECT person_id, %s, 0, f FROM firsts WHERE f > 0
        UNION ALL SELECT DISTINCT cov.person_id, %s, 0, {size}
        FROM cov LEFT JOIN firsts ON firsts.person_id = cov.person_id WHERE firsts.person_id IS NULL
    ), hits AS (
        SELECT cov.org, spans.status AS category,
               CASE WHEN spans.s > cov.s THEN spans.s ELSE cov.s END AS lo,
               CASE WHEN spans.e < cov.e THEN spans.e ELSE cov.e END AS hi
        FROM spans JOIN cov ON cov.person_id = spans.person_id
    ){sweep_sql(buckets, "hits")}"""  # noqa: S608 - CTEs built from the models' tables
    sweep = Sweep(buckets)
    run_sweep(sweep, sql, [*cov_params, *st_params, unknown, unknown])
    cube = CountCube(
        "in_view", flow=False, org_additive=False, categories=status_categories(), category_additive=True
    )
    return sweep.fill(cube)


def street_zone(scope: Scope) -> CountCube:
    """Persons whose status is ``street_zone`` on the as-of day, from the status history alone; an
    organisation's figure: those of them it has an active involvement with that day."""
    buckets = Buckets(scope)
    key, size = str(Status.STREET_ZONE), buckets.size
    # Only persons who were ever on the zone matter.
    ever = (
        f"SELECT person_id FROM {StatusChange._meta.db_table} WHERE to_status = %s",  # noqa: S608
        [key],
    )
    cov, cov_params = coverage_sql(scope, buckets, registered=False, persons=ever)
    st, st_params = status_sql(scope, buckets, persons=ever)
    sql = f"""
    WITH {cov}, {st}, zone AS (
        SELECT person_id, s, COALESCE(e, {size}) AS e FROM st
        WHERE status = %s AND s < COALESCE(e, {size})
    ), hits AS (
        SELECT NULL AS org, %s AS category, s AS lo, e AS hi FROM zone
        UNION ALL
        SELECT cov.org, %s, CASE WHEN zone.s > cov.s THEN zone.s ELSE cov.s END,
               CASE WHEN zone.e < cov.e THEN zone.e ELSE cov.e END
        FROM zone JOIN cov ON cov.person_id = zone.person_id AND cov.org IS NOT NULL
    ){sweep_sql(buckets, "hits")}"""  # noqa: S608 - CTEs built from the models' tables
    sweep = Sweep(buckets)
    run_sweep(sweep, sql, [*cov_params, *st_params, key, key, key])
    cube = CountCube(
        "street_zone",
        flow=False,
        org_additive=False,
        categories=[Category(key, Status.STREET_ZONE.label)],
        category_additive=True,
    )
    return sweep.fill(cube)


# --- Intakes --------------------------------------------------------------------------------------


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def intakes(scope: Scope) -> CountCube:
    """Intakes completed in the month, by the organisation that did them."""
    rows = (
        Intake.objects.filter(
            organisation_id__in=scope.organisation_ids,
            completed_at__gte=_day_start(scope.start),
            completed_at__lt=_day_start(scope.end + datetime.timedelta(days=1)),
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
    for org_id, month, n in rows:
        day = month.date() if isinstance(month, datetime.datetime) else month
        cube.add(org_id, "intakes", day, n)
    return cube


# --- Exits and returns ----------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _events(scope: Scope, persons: object) -> list[tuple[str, int, datetime.date]]:
    """(exits or returns, person, effective on) in the scope, from the histories of ``persons``."""
    found: list[tuple[str, int, datetime.date]] = []
    hold = scope.exit_hold_months
    by_person: dict[int, list[tuple[str, datetime.date]]] = defaultdict(list)
    for person_id, status, effective_on in status_rows(scope, scope.data_date, person_id__in=persons):
        by_person[person_id].append((status, effective_on))
    for person_id, history in by_person.items():
        # A later record of the same day overrides an earlier one: only the last of a day happened.
        # The first record is where the history starts (registration), not a change.
        history = [
            row for i, row in enumerate(history) if i + 1 == len(history) or history[i + 1][1] != row[1]
        ]
        previous = ""
        for index, (status, day) in enumerate(history):
            inside = scope.start <= day <= scope.end
            if status == Status.EXITED and previous not in ("", Status.EXITED) and inside:
                following = next((d for s, d in history[index + 1 :] if s != Status.EXITED), None)
                held_until = add_months(day, hold)
                if (following or scope.data_date) >= held_until:
                    found.append((EXITS, person_id, day))
            elif previous == Status.EXITED and status in RETURNED_TO and inside:
                found.append((RETURNS, person_id, day))
            previous = status
    return found


def exits_and_returns(scope: Scope) -> CountCube:
    """Exits that held ``scope.exit_hold_months`` months and returns from exited to sex work."""
    persons = StatusChange.objects.filter(
        person__network_id=scope.network_id, to_status=Status.EXITED
    ).values("person_id")
    events = _events(scope, persons)
    involved: dict[int, list[tuple[int, datetime.date, datetime.date | None]]] = defaultdict(list)
    for person_id, org_id, started_on, ended_on in involvements(scope, person_id__in=persons).values_list(
        "person_id", "organisation_id", "started_on", "ended_on"
    ):
        involved[person_id].append((org_id, started_on, ended_on))
    cube = CountCube(
        "exits_and_returns",
        flow=True,
        org_additive=False,
        categories=[Category(EXITS, _("Exits")), Category(RETURNS, _("Returns"))],
        category_additive=False,
    )
    for category, person_id, day in events:
        cube.add(NETWORK, category, month_start(day))
        orgs = {
            org
            for org, start, end in involved.get(person_id, ())
            if start <= day and (end is None or day <= end)
        }
        for org in orgs:
            cube.add(org, category, month_start(day))
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
        "street_zone",
        _("Persons on the street zone"),
        _(
            "Persons whose status on the last day of the month (or the data date) is 'on the street "
            "zone' according to the status history, whether or not an organisation is involved; for an "
            "organisation, those of them it has an active involvement with that day."
        ),
        street_zone,
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
