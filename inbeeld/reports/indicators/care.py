"""Indicators about care: care plans and their evaluations, goals achieved, ZRM change.

Raw figures only (``reports.disclosure`` protects them). The plan stock is swept from intervals in the
database (``intervals``); goals are counted with GROUP BY; the ZRM change is aggregated in the database
too, so scores never travel one by one.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.care.actions.assessments import default_instrument
from inbeeld.care.models import Assessment, CarePlan, Evaluation, Goal, PlanVersion, Score
from inbeeld.people.models import Involvement, Person
from inbeeld.reports.cube import NETWORK, Category, CountCube, GroupCube, Indicator, OrgKey, Scope
from inbeeld.reports.indicators.coverage import coverage_table, run_keyed_sweep
from inbeeld.reports.indicators.intervals import (
    Buckets,
    MonthSql,
    Sweep,
    roomy,
    sweep_sql,
)

IN_VIEW, WITH_PLAN, ON_TIME = "in_view", "with_plan", "evaluation_on_time"
_PACKED_DOMAINS = 15  # four bits per domain in a signed 64-bit integer


# --- Care plans -----------------------------------------------------------------------------------


def plans(scope: Scope) -> CountCube:
    """Persons in view; of them, those with a care plan; of those, the ones whose evaluation is on time.

    The planned evaluation on a day is set by the latest of the plan's records up to that day: a saved
    version (its evaluation date) or a recorded evaluation (its next evaluation date); an evaluation
    counts over a version saved the same day. It is not overdue while that date is the day or later."""
    buckets = Buckets(scope)
    months, size = MonthSql(buckets), buckets.size
    cov = coverage_table(scope)
    saved, saved_params = connection.ops.datetime_cast_date_sql(
        "v.saved_at", (), timezone.get_current_timezone_name()
    )
    plan, version, evaluation = CarePlan._meta.db_table, PlanVersion._meta.db_table, Evaluation._meta.db_table
    person = Person._meta.db_table
    day_index, day_params = months.index("day")
    first_index, first_params = months.index("first_day")
    due_end = "CASE WHEN nxt IS NULL OR nxt > due THEN " + MonthSql.next_day("due") + " ELSE nxt END"
    due_index, due_params = months.index(due_end)
    sql = f"""
    WITH records AS (
        SELECT pl.person_id, {saved} AS day, 0 AS kind, v.number AS k, v.evaluation_date AS due
        FROM {version} v JOIN {plan} pl ON pl.id = v.plan_id JOIN {person} p ON p.id = pl.person_id
        WHERE p.network_id = %s AND v.saved_at < %s
        UNION ALL
        SELECT pl.person_id, e.evaluated_on, 1, e.id, e.next_evaluation_date
        FROM {evaluation} e JOIN {plan} pl ON pl.id = e.plan_id JOIN {person} p ON p.id = pl.person_id
        WHERE p.network_id = %s AND e.evaluated_on <= %s
    ), timeline AS (
        SELECT person_id, day, due,
               LEAD(day) OVER (PARTITION BY person_id ORDER BY day, kind, k) AS nxt,
               ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY day, kind, k) AS rn,
               MIN(CASE WHEN kind = 0 THEN day END) OVER (PARTITION BY person_id) AS first_day
        FROM records
    ), spans AS (
        SELECT person_id, %s AS category, {first_index} AS s, {size} AS e
        FROM timeline WHERE rn = 1 AND first_day IS NOT NULL
        UNION ALL
        SELECT person_id, %s, {day_index}, {due_index}
        FROM timeline WHERE first_day IS NOT NULL AND day >= first_day AND due IS NOT NULL AND due >= day
    ), hits AS (
        SELECT keys AS org, %s AS category, s AS lo, e AS hi FROM {cov}
        UNION ALL
        SELECT cov.keys, spans.category,
               CASE WHEN spans.s > cov.s THEN spans.s ELSE cov.s END,
               CASE WHEN spans.e < cov.e THEN spans.e ELSE cov.e END
        FROM spans JOIN {cov} cov ON cov.person_id = spans.person_id
    ){sweep_sql(buckets, "hits")}"""  # noqa: S608 - CTEs built from the models' tables
    until = scope.moments()[1]
    params = [
        *saved_params,
        scope.network_id,
        until,
        scope.network_id,
        scope.end,
        WITH_PLAN,
        *first_params,
        ON_TIME,
        *day_params,
        *due_params,
        IN_VIEW,
    ]
    sweep = Sweep(buckets)
    run_keyed_sweep(scope, sweep, sql, params)
    cube = CountCube(
        "plans",
        flow=False,
        org_additive=False,
        categories=[
            Category(IN_VIEW, _("In view")),
            Category(WITH_PLAN, _("With a care plan")),
            Category(ON_TIME, _("Evaluation on time")),
        ],
        category_additive=False,
    )
    return sweep.fill(cube)


# --- Goals achieved -------------------------------------------------------------------------------


def goals_achieved(scope: Scope) -> CountCube:
    """Goals that became achieved in a plan version saved in the month, by the plan's organisation.

    A goal keeps its number (``Goal.position``) across the versions of its plan; it became achieved in a
    version when it is achieved there and was not in the version before."""
    achieved = Goal.Status.ACHIEVED
    before = Goal.objects.filter(
        version__plan_id=OuterRef("version__plan_id"),
        version__number=OuterRef("version__number") - 1,
        position=OuterRef("position"),
        status=achieved,
    )
    rows = (
        Goal.objects.filter(
            status=achieved,
            version__plan__organisation_id__in=scope.organisation_ids,
            version__plan__person__network_id=scope.network_id,
            version__saved_at__gte=scope.moments()[0],
            version__saved_at__lt=scope.moments()[1],
        )
        .filter(~Exists(before))
        .annotate(month=TruncMonth("version__saved_at"), org=F("version__plan__organisation_id"))
        .values("month", "org")
        .annotate(n=Count("id"))
        .values_list("org", "month", "n")
    )
    cube = CountCube(
        "goals_achieved",
        flow=True,
        org_additive=True,
        categories=[Category("achieved", _("Goals achieved"))],
        category_additive=True,
    )
    return cube.add_monthly("achieved", rows)


# --- ZRM change -----------------------------------------------------------------------------------


def _zrm_sql(scope: Scope, instrument_id: int, domain_ids: list[int], buckets: Buckets) -> tuple[str, list]:
    """One query: per organisation (NULL for the network), first year and end year, for every domain the
    number of persons, the sum of their changes and how many improved and worsened.

    Every assessment after a person's first is, in the years whose as-of day it is the latest on or
    before, paired with the first; the change per domain is the score difference where both scored.
    Scores are read once, turned into one row per assessment (of the network's range of ids: nearly
    all are needed, and filtering the score rows by the needed ones costs more than it saves)."""
    ny, months = buckets.size, MonthSql(buckets)
    assessment, score = Assessment._meta.db_table, Score._meta.db_table
    person, involvement = Person._meta.db_table, Involvement._meta.db_table
    ys, ys_params = months.index("assessed_on")
    ye, ye_params = months.index("next_on")
    iss, is_params = months.index("started_on")
    ie, ie_params = months.index_after("ended_on")
    orgs = ", ".join("%s" for _ in scope.organisation_ids) or "NULL"
    window = "OVER (PARTITION BY a.person_id ORDER BY a.assessed_on, a.id)"
    cols = range(len(domain_ids))
    if len(domain_ids) <= _PACKED_DOMAINS:
        # Scores are 1 to 9: four bits each, so one SUM packs an assessment's scores into one integer
        # (0: not scored), far cheaper over the score rows than an aggregate per domain.
        places = " ".join(f"WHEN %s THEN {16**i}" for i in cols)
        # The nibbles never overlap, so OR is the sum; PostgreSQL sums bigints as numeric.
        packed = "BIT_OR" if connection.vendor == "postgresql" else "SUM"
        pivot = f"{packed}(CAST(value AS BIGINT) * CASE domain_id {places} END) AS packed"
        pivot_params: list[Any] = list(domain_ids)
        nibble = "(({}.packed / {}) %% 16)"
        later, first = ([nibble.format(t, 16**i) for i in cols] for t in ("l", "f"))
        diffs = ", ".join(
            f"CASE WHEN {later[i]} > 0 AND {first[i]} > 0 THEN {later[i]} - {first[i]} END AS c{i}"
            for i in cols
        )
    else:
        pivot = ", ".join(f"MAX(CASE WHEN domain_id = %s THEN value END) AS d{i}" for i in cols)
        pivot_params = list(domain_ids)
        diffs = ", ".join(f"l.d{i} - f.d{i} AS c{i}" for i in cols)
    stats = ", ".join(
        f"COUNT(c{i}), SUM(c{i}), COUNT(*) FILTER (WHERE c{i} > 0), COUNT(*) FILTER (WHERE c{i} < 0)"
        for i in cols
    )
    changes = ", ".join(f"c{i}" for i in cols)
    domains = ", ".join("%s" for _ in domain_ids)
    sql = f"""
    WITH ranked AS (
        SELECT a.id, a.person_id, a.assessed_on, ROW_NUMBER() {window} AS rn,
               FIRST_VALUE(a.id) {window} AS first_id, LEAD(a.assessed_on) {window} AS next_on
        FROM {assessment} a JOIN {person} p ON p.id = a.person_id
        WHERE p.network_id = %s AND a.instrument_id = %s AND a.assessed_on <= %s
    ), spans AS (
        SELECT id, person_id, first_id, {ys} AS ys,
               CASE WHEN next_on IS NULL THEN {ny} ELSE {ye} END AS ye
        FROM ranked WHERE rn > 1
    ), pairs AS (
        SELECT * FROM spans WHERE ys < ye
    ), piv AS (
        SELECT assessment_id AS id, {pivot} FROM {score}
        WHERE value IS NOT NULL AND domain_id IN ({domains})
          AND assessment_id >= (SELECT MIN(id) FROM ranked) AND assessment_id <= (SELECT MAX(id) FROM ranked)
        GROUP BY assessment_id
    ), changes AS (
        SELECT pairs.person_id, pairs.ys, pairs.ye, {diffs}
        FROM pairs JOIN piv l ON l.id = pairs.id JOIN piv f ON f.id = pairs.first_id
    ), inv AS (
        SELECT person_id, organisation_id, {iss} AS s,
               CASE WHEN ended_on IS NULL THEN {ny} ELSE {ie} END AS e
        FROM {involvement} WHERE organisation_id IN ({orgs})
    ), per_org AS (
        SELECT inv.organisation_id AS org, {changes},
               CASE WHEN c.ys > inv.s THEN c.ys ELSE inv.s END AS lo,
               CASE WHEN c.ye < inv.e THEN c.ye ELSE inv.e END AS hi
        FROM changes c JOIN inv ON inv.person_id = c.person_id
    )
    SELECT NULL AS org, ys, ye, {stats} FROM changes GROUP BY ys, ye
    UNION ALL
    SELECT org, lo, hi, {stats} FROM per_org WHERE lo < hi GROUP BY org, lo, hi
    """  # noqa: S608 - table names from the models, values as parameters
    params = [
        scope.network_id,
        instrument_id,
        scope.end,
        *ys_params,
        *ye_params,
        *pivot_params,
        *domain_ids,
        *is_params,
        *ie_params,
        *scope.organisation_ids,
    ]
    return sql, params


def zrm_change(scope: Scope) -> GroupCube:
    """Per domain of the network's instrument and per year: the change from the first to the latest
    assessment of persons assessed at least twice by the year's as-of day."""
    instrument = default_instrument(scope.network_id)
    domains = list(instrument.domains.order_by("position")) if instrument else []
    cube = GroupCube(
        "zrm_change",
        categories=[Category(d.code, d.name) for d in domains],
        unit=_("points"),
        share_labels=[Category("improved", _("Improved")), Category("worse", _("Worse"))],
    )
    if instrument is None or not domains:
        return cube
    buckets = Buckets(scope, yearly=True)
    # Per (organisation key, domain): difference arrays of n, total, improved and worse over the years.
    diffs: dict[tuple[OrgKey, str], list[list[int]]] = {}
    with connection.cursor() as cursor, roomy(cursor):
        cursor.execute(*_zrm_sql(scope, instrument.pk, [d.pk for d in domains], buckets))
        rows = cursor.fetchall()
    if True:
        for org, start, end, *stats in rows:
            if start >= end:
                continue
            for number, domain in enumerate(domains):
                values = stats[number * 4 : number * 4 + 4]
                if not values[0]:
                    continue
                key = (NETWORK if org is None else org, domain.code)
                diff = diffs.setdefault(key, [[0] * (buckets.size + 1) for _ in range(4)])
                for series, amount in zip(diff, values, strict=True):
                    series[start] += int(amount)
                    series[end] -= int(amount)
    for (org, code), (n, total, improved, worse) in diffs.items():
        running = [0, 0, 0, 0]
        for index, year in enumerate(buckets.keys):
            running = [r + s[index] for r, s in zip(running, (n, total, improved, worse), strict=True)]
            if running[0]:
                group = cube.group(org, code, year)
                group.n, group.total = running[0], float(running[1])
                group.shares = {"improved": running[2], "worse": running[3]}
    return cube


INDICATORS: list[Indicator] = [
    Indicator(
        "plans",
        _("Care plans and evaluations"),
        _(
            "Of the persons in view on the last day of the month (or the data date): those with a care "
            "plan saved by then, and of those the ones whose planned evaluation date (set by the latest "
            "plan version or evaluation) is that day or later."
        ),
        plans,
    ),
    Indicator(
        "goals_achieved",
        _("Care plan goals achieved"),
        _(
            "Goals marked achieved in a care plan version saved in the month that were not achieved in the "
            "plan's previous version, counted for the organisation that owns the plan."
        ),
        goals_achieved,
    ),
    Indicator(
        "zrm_change",
        _("Change in self-sufficiency"),
        _(
            "Per domain, for persons assessed at least twice with the network's instrument by the end of "
            "the year (or the data date): the latest score minus the first, where both assessments scored "
            "the domain; the shares of persons who improved and who got worse. For an organisation: the "
            "persons it has an active involvement with on that day."
        ),
        zrm_change,
    ),
]
