"""The monitoring report benchmark (issue 7): ``python -m bench.reports`` on PostgreSQL.

On the care benchmark's data (``bench.care``: 100,000 persons, 5,000,000 contacts), the radar's inputs
(``bench.radar_data``) and ten years of what the report counts (``bench.reports_data``: status histories,
intakes, care plans, assessments, huiskamer visits, shelter stays, network ties, referrals, episodes, radar
signals), it times with the wall clock (one warm-up, then best and median of ``--runs``):

1. ``reports.report.compute_report(network, first_year=…, last_year=…, data_date=…)``: every indicator with
   disclosure control over the ten years (target < 2 s), and each indicator of ``reports.indicators.ALL``
   on its own (``indicator.compute(scope)``), slowest first, so a slow one is visible;
2. ``reports.pdf.render_report_pdf(report, granularity="year", organisation=NETWORK, language="nl")``: the
   council's PDF (target < 10 s).

Examples (see bench/README.md)::

    INBEELD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python -m bench.reports
    … python -m bench.reports --data-only               # only make (or check) the data
    … python -m bench.reports --new --persons 10000 --contacts 500000 --keep   # a quick look
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from bench.care import db as bench_db
from bench.radar import _choose_database, _ensure_data, _setup_django

TARGET_REPORT = 2.0  # seconds
TARGET_PDF = 10.0
NOT_YET = 2  # exit status when the report code is not there yet


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.reports",
        description="Monitoring report benchmark: compute_report over ten years (target < 2 s) and the "
        "council's PDF (target < 10 s). PostgreSQL only (INBEELD_DATABASE_URL).",
    )
    bench_db.add_data_arguments(parser, "data (bench.care's generator, for a new database)")
    bench_db.add_reuse_arguments(parser)
    what = parser.add_argument_group("measurements")
    what.add_argument("--runs", type=int, default=5, help="timed runs after one warm-up (default 5)")
    what.add_argument(
        "--indicator-runs", type=int, default=3, help="timed runs of each indicator on its own (default 3)"
    )
    what.add_argument("--first-year", type=int, default=None, help="default: ten years up to the data's")
    what.add_argument("--last-year", type=int, default=None, help="default: the year of the data's day")
    what.add_argument("--data-only", action="store_true", help="make the data, measure nothing")
    what.add_argument("--no-pdf", action="store_true", help="skip the PDF")
    what.add_argument(
        "--explain",
        metavar="CODE",
        action="append",
        default=[],
        help="print EXPLAIN (ANALYZE, BUFFERS) of every statement the indicator CODE runs (repeatable)",
    )
    return parser


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # a stopped run keeps its database, like Ctrl-C
    server = bench_db.server_url()
    database, made = _choose_database(args, server)
    keep = args.keep or not made
    var_dir = tempfile.mkdtemp(prefix="inbeeld-bench-reports-")
    try:
        return _run(args, database, var_dir)
    except KeyboardInterrupt:
        keep = True
        print(
            f"\nInterrupted. The database {database.name} is kept; continue with:\n"
            f"  python -m bench.reports --database {database.name}",
            file=sys.stderr,
        )
        return 130
    finally:
        bench_db.finish(database, var_dir, keep=keep)


def _ensure(database: bench_db.BenchDatabase) -> Any:
    """The care data and the radar's inputs (bench.radar's way), then the report's inputs."""
    from bench import reports_data
    from bench.care import generate

    world = _ensure_data(database)
    with generate.load_connection(database.url) as conn:
        added = reports_data.ensure(conn, database, world)
    inputs = database.meta[reports_data.META_KEY]
    shape = ", ".join(
        f"{key} {value:,}" for key, value in inputs.items() if isinstance(value, int) and key != "version"
    )
    if added is None:
        print(f"  report inputs (reused, up to {inputs['day']}): {shape}", flush=True)
    else:
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in added.phases.items())
        print(
            f"  report inputs added in {added.seconds:.1f} s ({phases}; up to {inputs['day']}): {shape}",
            flush=True,
        )
    return world


def _timed(func: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    """One warm-up, then ``runs`` timed calls; the times and the last result."""
    result = func()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return times, result


def _figure(label: str, times: list[float], target: float) -> str:
    best, median = min(times), statistics.median(times)
    verdict = "met" if median < target else "MISSED"
    return (
        f"  {label:<52} best {best:7.3f} s   median {median:7.3f} s   "
        f"(target < {target:g} s: {verdict}; {len(times)} runs after one warm-up)"
    )


def _load_average() -> str:
    return "load average " + " ".join(f"{value:.1f}" for value in os.getloadavg())


def _run(args: argparse.Namespace, database: bench_db.BenchDatabase, var_dir: str) -> int:
    _setup_django(database, var_dir)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
    meta = database.meta
    print(
        f"Inbeeld reports bench: {meta['persons']:,} persons, {meta['contacts']:,} contacts on PostgreSQL "
        f"{row[0] if row else '?'} ({database.label}); Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs",
        flush=True,
    )
    world = _ensure(database)
    if args.data_only:
        return 0
    from bench.radar_data import data_day
    from inbeeld.core.models import Network

    network = Network.objects.get(pk=world.network_id)
    day = data_day(database)
    last_year = args.last_year or day.year
    first_year = args.first_year or last_year - 9
    try:
        from inbeeld.reports.report import compute_report
    except ImportError as error:
        print(
            f"inbeeld.reports.report.compute_report is not there yet ({error}): nothing to time. "
            "The data is in place; run again once the report is written.",
            file=sys.stderr,
        )
        return NOT_YET
    print(
        f"report for {network.name}, {first_year}–{last_year}, data date {day}; {_load_average()}", flush=True
    )

    def report() -> Any:
        return compute_report(network, first_year=first_year, last_year=last_year, data_date=day)

    times, result = _timed(report, args.runs)
    print(_figure("compute_report (all indicators, disclosure control)", times, TARGET_REPORT), flush=True)
    indicators = _indicators(
        getattr(result, "scope", None), network, first_year, last_year, day, args.indicator_runs
    )
    for code in args.explain:
        _explain(getattr(result, "scope", None), code)
    if indicators is not None:
        rest = statistics.median(times) - indicators
        print(
            f"  compute_report minus the indicators' own medians (disclosure control, and noise): "
            f"{rest:.3f} s",
            flush=True,
        )

    def stored() -> Any:
        # What the dashboard, files and API do: today's raw figures stored once, protected on every read.
        return compute_report(
            network, first_year=first_year, last_year=last_year, data_date=day, reuse_today=True
        )

    stored()  # the day's first request: computes and stores
    times, _reused = _timed(stored, args.runs)
    print(
        _figure(
            "compute_report, the day's stored figures (disclosure control on every read)",
            times,
            TARGET_REPORT,
        ),
        flush=True,
    )
    if args.no_pdf:
        return 0
    try:
        from inbeeld.reports.cube import NETWORK
        from inbeeld.reports.pdf import render_report_pdf
    except ImportError as error:
        print(f"inbeeld.reports.pdf.render_report_pdf is not there yet ({error}).", file=sys.stderr)
        return NOT_YET

    def pdf() -> bytes:
        return render_report_pdf(result, granularity="year", organisation=NETWORK, language="nl")

    times, document = _timed(pdf, args.runs)
    size = len(document) if isinstance(document, bytes) else 0
    print(_figure(f"render_report_pdf (year, network, nl; {size / 1024:,.0f} KiB)", times, TARGET_PDF))
    return 0


def _indicators(
    scope: Any, network: Any, first_year: int, last_year: int, day: datetime.date, runs: int
) -> float | None:
    """Each indicator's own compute time, slowest first, on the report's own scope (or one made alike)."""
    try:
        from inbeeld.reports.cube import Scope
        from inbeeld.reports.indicators import ALL
    except ImportError as error:
        print(f"  (per indicator: inbeeld.reports.indicators.ALL is not there yet: {error})", flush=True)
        return None
    from inbeeld.core.models import Organisation
    from inbeeld.reports.models import ReportSettings

    scope = scope or Scope(
        network_id=network.pk,
        first_year=first_year,
        last_year=last_year,
        data_date=day,
        organisation_ids=tuple(
            Organisation.objects.filter(network=network).order_by("name", "id").values_list("id", flat=True)
        ),
        exit_hold_months=ReportSettings.for_network(network).exit_hold_months,
    )
    figures = []
    for indicator in ALL:
        times = []
        for _ in range(max(1, runs)):
            started = time.perf_counter()
            indicator.compute(scope)
            times.append(time.perf_counter() - started)
        figures.append((min(times), statistics.median(times), indicator.code))
    figures.sort(reverse=True)
    total = sum(median for _best, median, _code in figures)
    print(
        f"  each indicator on its own ({len(figures)}, {runs} runs each; the medians add up to "
        f"{total:.3f} s), slowest first:",
        flush=True,
    )
    for best, median, code in figures:
        print(f"    {code:<40} best {best * 1000:8.1f} ms   median {median * 1000:8.1f} ms", flush=True)
    return total


def _explain(scope: Any, code: str) -> None:
    """The plans PostgreSQL chose for one indicator's statements, executed (EXPLAIN ANALYZE)."""
    from django.db import connection

    from inbeeld.reports.indicators import ALL

    indicator = next((i for i in ALL if i.code == code), None)
    if indicator is None or scope is None:
        print(f"  --explain {code}: no such indicator (or no report scope)", flush=True)
        return
    sent: list[tuple[str, Any]] = []

    def capture(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        indicator.compute(scope)
    for number, (statement, params) in enumerate(sent, start=1):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
            plan = "\n".join(f"      {row[0]}" for row in cursor.fetchall())
        print(f"  EXPLAIN {code}, statement {number} of {len(sent)}:\n{plan}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
