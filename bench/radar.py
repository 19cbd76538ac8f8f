"""The radar benchmark (issue 4): ``python -m bench.radar`` on PostgreSQL.

On the care benchmark's data (100,000 persons, 5,000,000 contacts; ``bench.care`` makes it with COPY,
resumably) plus what the radar's rules read (``bench.radar_data``), it measures:

1. the daily run over all persons, ``run_all(as_of=…)``: the first run (every signal opened), the same
   day again (steady state: nothing to do) and the next day (every open signal's facts move on), each
   with its signal counts and where the time went (``bench.radar_profile``);
2. the radar's first page, p50 and p95: the query work in-process (``radar_states`` first 25 lines,
   ``colour_counts``, the paginator's count, ``open_signals_by_person`` for those 25 with their reasons,
   and the audited list read) and — when the app has them — the whole ``GET /radar/`` (and with
   ``--api`` ``GET /api/v1/radar``) through Django's test client, for the coordinator (also filtered on
   the street zone and on the clinic) and for a caseworker of each organisation;
3. the same queries as plain SQL in ``psql`` (``\\timing``, and ``EXPLAIN (ANALYZE, BUFFERS)``), side by
   side with the app's figures.

Examples (see bench/README.md)::

    INBEELD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python -m bench.radar
    … python -m bench.radar --keep                     # keep the database (a rerun reuses it)
    … python -m bench.radar --persons 10000 --contacts 500000 --new   # a quick look on a new database
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import functools
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bench.care import db as bench_db

if TYPE_CHECKING:
    from bench.care.generate import World
    from bench.radar_data import RadarWorld
    from bench.radar_profile import Breakdown
    from inbeeld.core.models import Membership
    from inbeeld.radar.queries import RadarFilters

PAGE_SIZE = 25  # the dashboard's and the API's page
PSQL = shutil.which("psql") or "psql"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.radar",
        description="Radar benchmark: the daily run over all persons and the radar's first page (p50/p95), "
        "with the same queries timed in psql. PostgreSQL only (INBEELD_DATABASE_URL).",
    )
    bench_db.add_data_arguments(parser, "data (bench.care's generator)")
    bench_db.add_reuse_arguments(parser)
    what = parser.add_argument_group("measurements")
    what.add_argument("--iterations", type=int, default=30, help="timed first pages per variant (default 30)")
    what.add_argument("--warmup", type=int, default=2, help="untimed first pages per variant (default 2)")
    what.add_argument(
        "--budget",
        type=float,
        default=10.0,
        help="seconds per variant and kind of measurement: slower pages get fewer iterations (default 10)",
    )
    what.add_argument("--api", action="store_true", help="also time GET /api/v1/radar (the same filters)")
    what.add_argument("--psql-runs", type=int, default=5, help="runs of each statement in psql (default 5)")
    what.add_argument(
        "--no-run",
        action="store_true",
        help="skip the daily runs; measure the pages on the radar lines a previous run left",
    )
    what.add_argument("--no-pages", action="store_true", help="skip the first-page measurements")
    what.add_argument("--no-psql", action="store_true", help="skip the psql timings")
    what.add_argument("--show-plan", action="store_true", help="print the main query's whole EXPLAIN")
    return parser


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _choose_database(args: argparse.Namespace, server: str) -> tuple[bench_db.BenchDatabase, bool]:
    """The database to work in and whether this run made it."""
    kept = bench_db.kept_databases(server)
    name = args.database
    if name is None and not args.new:
        if len(kept) > 1:
            sys.exit(
                f"Several kept benchmark databases ({', '.join(kept)}): name one with --database, or --new."
            )
        name = kept[0] if kept else None
    if name is not None and name in kept:
        database = bench_db.open_kept(server, name)
        if "persons" not in database.meta:
            sys.exit(f"{name} has no bench_care_meta rows: not a benchmark database.")
        if args.persons is not None and args.persons != database.meta["persons"]:
            sys.exit(f"{name} was made for {database.meta['persons']:,} persons; that cannot change (--new).")
        if args.contacts is not None and args.contacts != database.meta["contacts"]:
            database.save_meta(contacts=args.contacts)
        return database, False
    database = bench_db.create(
        server,
        name or f"{bench_db.PREFIX}radar_{os.getpid()}",
        seed=args.seed,
        persons=100_000 if args.persons is None else args.persons,
        contacts=5_000_000 if args.contacts is None else args.contacts,
    )
    return database, True


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # a stopped run keeps its database, like Ctrl-C
    if not args.no_psql and not os.path.isabs(PSQL):
        sys.exit(
            "The plain-SQL figures need psql (Debian: apt-get install -y postgresql-client); or --no-psql."
        )
    server = bench_db.server_url()
    database, made = _choose_database(args, server)
    keep = args.keep or not made
    var_dir = tempfile.mkdtemp(prefix="inbeeld-bench-radar-")
    try:
        return _run(args, database, var_dir)
    except KeyboardInterrupt:
        keep = True
        print(
            f"\nInterrupted. The database {database.name} is kept; continue with:\n"
            f"  python -m bench.radar --database {database.name}",
            file=sys.stderr,
        )
        return 130
    finally:
        bench_db.finish(database, var_dir, keep=keep)


# --- the data -----------------------------------------------------------------------------------------


def _setup_django(database: bench_db.BenchDatabase, var_dir: str) -> None:
    os.environ.update(bench_db.django_environment(database, var_dir))
    os.environ["DJANGO_SETTINGS_MODULE"] = "inbeeld.test_settings"  # real settings; our keys win
    os.environ["INBEELD_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    import django

    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: no static files here
    django.setup()


def _ensure_data(database: bench_db.BenchDatabase) -> World:
    """bench.care's persons and contacts (written or completed if needed), then the radar's inputs."""
    from bench import radar_data
    from bench.care import generate
    from inbeeld.care.models import Contact
    from inbeeld.people.models import Person

    meta = database.meta
    world = generate.setup_world()
    until = datetime.datetime.fromisoformat(meta["until"])
    with generate.load_connection(database.url) as conn:
        complete = (
            generate._max_id(conn, Person) >= meta["persons"]
            and generate._max_id(conn, Contact) >= meta["contacts"]
        )
        if complete and not meta.get("contact_deferred"):
            print("  data: persons and contacts complete (reused)", flush=True)
        else:
            started = time.perf_counter()
            took_persons = generate.write_persons(conn, world, meta["seed"], meta["persons"], until)
            people = generate.traits(meta["seed"], meta["persons"])
            maker = generate.ContactMaker(world, meta["seed"], people, until)
            took_contacts = generate.write_contacts(conn, database, maker, meta["contacts"])
            took_vacuum = generate.vacuum_analyze(database.url)
            print(
                f"  data: persons {took_persons:.1f} s, contacts {took_contacts:.1f} s, VACUUM ANALYZE "
                f"{took_vacuum:.1f} s; {time.perf_counter() - started:.1f} s in all",
                flush=True,
            )
        added = radar_data.ensure(conn, database, world)
    inputs = meta[radar_data.META_KEY]
    shape = ", ".join(
        f"{key} {value:,}" for key, value in inputs.items() if isinstance(value, int) and key != "version"
    )
    if added is None:
        print(f"  radar inputs (reused, for {inputs['day']}): {shape}", flush=True)
    else:
        print(f"  radar inputs added in {added.seconds:.1f} s (for {inputs['day']}): {shape}", flush=True)
    return world


def _dataset_shape() -> dict[str, int]:
    from django.db import connection

    tables = (
        ("persons", "people_person"),
        ("contacts", "care_contact"),
        ("status changes", "people_statuschange"),
        ("involvements", "people_involvement"),
        ("consents", "people_consent"),
        ("appointments", "care_appointment"),
        ("care plans", "care_careplan"),
        ("intakes", "care_intake"),
        ("exit routes", "radar_exitroute"),
    )
    out = {}
    with connection.cursor() as cursor:
        for label, table in tables:
            cursor.execute(f"SELECT count(*) FROM {table}")
            row = cursor.fetchone()
            out[label] = int(row[0]) if row else 0
    return out


# --- the daily run ------------------------------------------------------------------------------------


@dataclass
class RunFigures:
    label: str
    as_of: datetime.date
    seconds: float
    opened: int
    updated: int
    cleared: int
    escalated: int
    persons: int
    colours: dict[str, int]
    open_signals: int
    breakdown: Breakdown


def _reset_radar() -> None:
    """No signals and no radar lines: the next run is the radar's first."""
    from django.db import connection

    from inbeeld.radar.models import PersonState, Signal

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Signal._meta.db_table}, {PersonState._meta.db_table} CASCADE")


def _vacuum_radar(database: bench_db.BenchDatabase) -> float:
    """What autovacuum does soon after a run: statistics and the visibility map for the radar tables."""
    import psycopg

    from inbeeld.radar.models import PersonState, Signal

    started = time.perf_counter()
    with psycopg.connect(database.url, autocommit=True) as conn:
        for model in (PersonState, Signal):
            conn.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")  # type: ignore[arg-type]
    return time.perf_counter() - started


def _one_run(label: str, as_of: datetime.date) -> RunFigures:
    from bench.radar_profile import instrument
    from inbeeld.radar.actions.run import run_all
    from inbeeld.radar.models import Signal

    with instrument() as breakdown:
        started = time.perf_counter()
        results = run_all(as_of=as_of)
        took = time.perf_counter() - started
    colours: dict[str, int] = {}
    for result in results:
        for colour, count in result.persons_by_colour.items():
            colours[colour] = colours.get(colour, 0) + count
    return RunFigures(
        label=label,
        as_of=as_of,
        seconds=took,
        opened=sum(r.opened for r in results),
        updated=sum(r.updated for r in results),
        cleared=sum(r.cleared for r in results),
        escalated=sum(r.escalated for r in results),
        persons=sum(r.persons for r in results),
        colours=colours,
        open_signals=Signal.objects.open().count(),
        breakdown=breakdown,
    )


def _print_run(figures: RunFigures) -> None:
    from bench.radar_profile import TOP_LEVEL

    colours = ", ".join(f"{k} {figures.colours.get(k, 0):,}" for k in ("green", "amber", "red"))
    print(
        f"  {figures.label} (as of {figures.as_of}): {figures.seconds:.1f} s — {figures.persons:,} persons; "
        f"signals opened {figures.opened:,}, updated {figures.updated:,}, cleared {figures.cleared:,}, "
        f"escalated {figures.escalated:,}; open now {figures.open_signals:,}; persons {colours}",
        flush=True,
    )
    seconds = figures.breakdown.seconds
    accounted = sum(seconds.get(name, 0.0) for name in TOP_LEVEL)
    parts = [(name, seconds.get(name, 0.0)) for name in TOP_LEVEL]
    parts.append(("commit and the rest", figures.seconds - accounted))
    print("    " + "; ".join(f"{name} {value:.2f} s" for name, value in parts), flush=True)
    for prefix in ("snapshot: ", "rule: ", "sync signals: "):
        inner = sorted(
            ((name[len(prefix) :], value) for name, value in seconds.items() if name.startswith(prefix)),
            key=lambda item: -item[1],
        )
        if inner:
            shown = "; ".join(f"{name} {value:.2f}" for name, value in inner if value >= 0.005)
            print(f"    {prefix.rstrip(': ')}: {shown or 'all < 5 ms'}", flush=True)
    slow = [row for row in figures.breakdown.by_kind() if row[3] >= 0.2][:6]
    if slow:
        print(
            "    slowest SQL: "
            + "; ".join(f"{kind} ×{count} {total:.2f} s [{piece}]" for piece, kind, count, total in slow),
            flush=True,
        )


def _daily_runs(database: bench_db.BenchDatabase, day: datetime.date) -> list[RunFigures]:
    from inbeeld.radar.models import Signal

    _reset_radar()
    print(f"daily run over all persons, run_all(as_of=…) ({_load_average()})", flush=True)
    runs = []
    for label, as_of in (
        ("first run", day),
        ("again the same day (steady state)", day),
        ("the next day", day + datetime.timedelta(days=1)),
    ):
        figures = _one_run(label, as_of)
        _print_run(figures)
        runs.append(figures)
        if label == "first run":
            by_rule = Signal.objects.open().values_list("rule").order_by("rule")
            counts: dict[str, int] = {}
            for (rule,) in by_rule.iterator(chunk_size=10_000):
                counts[rule] = counts.get(rule, 0) + 1
            print("    open signals by rule: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))
    took = _vacuum_radar(database)
    print(f"  VACUUM (ANALYZE) of the radar tables after the runs (as autovacuum would): {took:.1f} s")
    return runs


# --- the first page -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    label: str
    who: str  # attribute of RadarWorld
    filters: RadarFilters
    query: dict[str, str]  # the same filter as a query string (dashboard and API)


@dataclass
class PageFigures:
    variant: Variant
    total: int = 0  # radar lines in the filter
    in_process: list[float] = field(default_factory=list)
    parts: dict[str, list[float]] = field(default_factory=dict)
    http: list[float] = field(default_factory=list)
    http_note: str = ""
    api: list[float] = field(default_factory=list)
    api_note: str = ""
    psql: dict[str, list[float]] = field(default_factory=dict)  # statement → seconds per run
    psql_jit_off: list[float] = field(default_factory=list)  # the colour counts with SET jit = off
    explain_ms: float | None = None

    def psql_total(self) -> float | None:
        """The page's statements in psql, p50 each, summed."""
        if not self.psql:
            return None
        return sum(_p(times, 50) or 0.0 for times in self.psql.values())


def _variants(world: World) -> list[Variant]:
    from inbeeld.people.models import Status
    from inbeeld.radar.queries import RadarFilters

    return [
        Variant("coordinator, default (followed statuses)", "coordinator", RadarFilters(), {}),
        Variant(
            "coordinator, status = street zone",
            "coordinator",
            RadarFilters(status=Status.STREET_ZONE),
            {"status": str(Status.STREET_ZONE)},
        ),
        Variant(
            "coordinator, organisation = the clinic",
            "coordinator",
            RadarFilters(organisation=world.clinic_id),
            {"organisation": str(world.clinic_id)},
        ),
        Variant("caseworker, foundation (involved with all)", "caseworker", RadarFilters(), {}),
        Variant("caseworker, clinic (involved with 20 %)", "clinic_caseworker", RadarFilters(), {}),
    ]


def _first_page(membership: Membership, filters: RadarFilters, parts: dict[str, list[float]] | None) -> int:
    """What the dashboard's first page asks of the database; returns the lines in the filter.

    As ``presenters.live_radar`` and the dashboard view do it: the first 25 lines, the colour counts over
    the filter without its colour, the paginator's count, the open signals of the 25 with their reasons,
    and the audited list read.
    """
    from inbeeld.core import access, audit
    from inbeeld.radar import queries, rules

    clock = time.perf_counter
    t0 = clock()
    states = queries.radar_states(membership, filters)
    lines = list(states[:PAGE_SIZE])
    t1 = clock()
    counts = queries.colour_counts(
        queries.radar_states(membership, dataclasses.replace(filters, colour=None))
    )
    t2 = clock()
    total = states.count()
    t3 = clock()
    person_ids = [line.person_id for line in lines]
    signals = queries.open_signals_by_person(person_ids)
    for line in lines:
        for found in signals.get(line.person_id, []):
            rules.reason_for(found)
    t4 = clock()
    actor = audit.Actor(user=membership.user, membership=membership, source="web", request_path="/radar/")
    access.record_list_read(actor, person_ids, data="radar.list", searched=False)
    t5 = clock()
    if parts is not None:
        for name, took in (
            ("first 25 lines", t1 - t0),
            ("colour counts", t2 - t1),
            ("count (paginator)", t3 - t2),
            ("their open signals", t4 - t3),
            ("audit event", t5 - t4),
        ):
            parts.setdefault(name, []).append(took)
    if total != sum(counts.values()):
        raise SystemExit(f"the count ({total}) and the colour counts ({counts}) disagree")
    return total


def _timed(func: Callable[[], object], warmup: int, iterations: int, budget: float) -> list[float]:
    """Seconds per call after ``warmup`` calls: ``iterations`` of them, fewer (at least 10) when that
    would take more than ``budget`` seconds."""
    started = time.perf_counter()
    for _ in range(max(warmup, 1)):
        func()
    each = (time.perf_counter() - started) / max(warmup, 1)
    count = max(min(iterations, 10), min(iterations, int(budget / max(each, 1e-6))))
    times = []
    for _ in range(count):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return times


def _client_for(membership: Membership) -> Any:
    from django.test import Client

    from inbeeld.core.middleware import SESSION_MEMBERSHIP_KEY

    client = Client()
    client.force_login(membership.user)
    session = client.session
    session[SESSION_MEMBERSHIP_KEY] = membership.pk
    session.save()
    return client


def _url(name: str) -> str | None:
    """The app's URL for a route name, or None when the app does not have it (yet)."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _http(
    client: Any, url: str, query: dict[str, str], warmup: int, iterations: int, budget: float, total: int
) -> tuple[list[float], str]:
    """Times of GET url?query, or ([], why not) when it does not answer 200."""
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()  # for this one request only: the client then sees the template's context
    try:
        response = client.get(url, query)
    finally:
        teardown_test_environment()
    if response.status_code != 200:
        return [], f"GET {url} answered {response.status_code}; not timed"
    note = ""
    try:  # the dashboard's own count, when its context shows one: the filter must be the same
        if response.headers.get("Content-Type", "").startswith("application/json"):
            shown = response.json()["count"]  # the API says it
        else:
            shown = response.context["view"].page.paginator.count
        if shown != total:
            note = f"GET {url}?{query} shows {shown:,} lines, in-process {total:,}: not the same filter?"
    except (KeyError, AttributeError, TypeError):
        note = "(the page's own line count was not found in its context: the filter is not checked)"

    def get() -> None:
        answer = client.get(url, query)
        if answer.status_code != 200:
            raise SystemExit(f"GET {url} answered {answer.status_code}")

    return _timed(get, warmup, iterations, budget), note


def _pages(members: RadarWorld, variants: list[Variant], args: argparse.Namespace) -> list[PageFigures]:
    warmup, iterations, budget = args.warmup, args.iterations, args.budget
    dashboard = _url("radar:dashboard")
    api = _url("api:list_radar") if args.api else None
    print(
        f"radar first page: {iterations} times (fewer, at least 10, where that takes over {budget:.0f} s) "
        f"after {warmup} warm-ups per variant, page of {PAGE_SIZE} ({_load_average()})",
        flush=True,
    )
    print(
        f"  whole requests: dashboard {dashboard or 'not in the app (yet): skipped'}; "
        f"API {api or ('not in the app (yet): skipped' if args.api else 'skipped (--api to time it)')}",
        flush=True,
    )
    clients: dict[str, Any] = {}
    out = []
    for variant in variants:
        membership = getattr(members, variant.who)
        figures = PageFigures(variant)
        figures.total = _first_page(membership, variant.filters, None)
        figures.in_process = _timed(
            functools.partial(_first_page, membership, variant.filters, figures.parts),
            warmup,
            iterations,
            budget,
        )
        for name in figures.parts:
            figures.parts[name] = figures.parts[name][-len(figures.in_process) :]
        if dashboard or api:
            client = clients.setdefault(variant.who, _client_for(membership))
            if dashboard:
                figures.http, figures.http_note = _http(
                    client, dashboard, variant.query, warmup, iterations, budget, figures.total
                )
            if api:
                figures.api, figures.api_note = _http(
                    client, api, variant.query, warmup, iterations, budget, figures.total
                )
        out.append(figures)
        line = (
            f"  {variant.label:<44} {figures.total:>7,} lines   in-process "
            f"p50 {_ms(_p(figures.in_process, 50))} p95 {_ms(_p(figures.in_process, 95))} "
            f"(n={len(figures.in_process)})"
        )
        if figures.http:
            line += (
                f" | GET /radar/ p50 {_ms(_p(figures.http, 50))} p95 {_ms(_p(figures.http, 95))} "
                f"(n={len(figures.http)})"
            )
        if figures.api:
            line += (
                f" | API p50 {_ms(_p(figures.api, 50))} p95 {_ms(_p(figures.api, 95))} (n={len(figures.api)})"
            )
        print(line, flush=True)
        print(
            "      in-process p50 by part: "
            + "; ".join(f"{name} {_ms(_p(times, 50))}" for name, times in figures.parts.items()),
            flush=True,
        )
        for note in (figures.http_note, figures.api_note):
            if note:
                print(f"      {note}", flush=True)
    return out


# --- the same queries in psql -------------------------------------------------------------------------


@dataclass(frozen=True)
class PageSQL:
    """The first page's reads as SQL, as the app sends them."""

    lines: str  # the radar query: the first 25 lines
    colour_counts: str
    count: str  # the paginator's
    signals: str  # the open signals of the 25


def _page_sql(membership: Membership, filters: RadarFilters) -> PageSQL:
    """The statements the app sends for the first page, captured as sent (parameters in place)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inbeeld.radar import queries

    def sent(func: Callable[[], object]) -> str:
        with CaptureQueriesContext(connection) as captured:
            func()
        if len(captured.captured_queries) != 1:
            raise SystemExit(f"expected one statement, the app sent {len(captured.captured_queries)}")
        return str(captured.captured_queries[0]["sql"])

    states = queries.radar_states(membership, filters)
    person_ids = [line.person_id for line in states[:PAGE_SIZE]]
    unfiltered = queries.radar_states(membership, dataclasses.replace(filters, colour=None))
    return PageSQL(
        lines=sent(lambda: list(states[:PAGE_SIZE])),
        colour_counts=sent(lambda: queries.colour_counts(unfiltered)),
        count=sent(lambda: queries.radar_states(membership, filters).count()),
        signals=sent(lambda: queries.open_signals_by_person(person_ids)),
    )


_TIME = re.compile(r"^Time: ([0-9.]+) ms", re.MULTILINE)
_EXECUTION = re.compile(r"Execution Time: ([0-9.]+) ms")


def _psql(url: str, script: str) -> str:
    command = [PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url]
    done = subprocess.run(  # noqa: S603 (psql, fixed arguments, our own database)
        command,
        input=script,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"psql failed: {done.stderr.strip()}")
    return done.stdout


def psql_times(url: str, statement: str, runs: int, *, setup: str = "") -> list[float]:
    """Seconds per run of the statement in psql with \\timing (the rows are read and thrown away)."""
    script = f"{setup}\n\\timing on\n\\o /dev/null\n" + f"{statement};\n" * (runs + 1)
    times = [float(ms) / 1000 for ms in _TIME.findall(_psql(url, script))]
    return times[1:]  # the first one warms the new connection's caches


def explain(url: str, statement: str) -> tuple[float, str]:
    """The plan's execution time (ms, the best of three) and the plan of the last."""
    script = f"EXPLAIN (ANALYZE, BUFFERS) {statement};\n" * 3
    out = _psql(url, script)
    times = [float(ms) for ms in _EXECUTION.findall(out)]
    plans = out.split("QUERY PLAN")
    return min(times), plans[-1].strip()


def _plain_sql(
    database: bench_db.BenchDatabase,
    members: RadarWorld,
    pages: list[PageFigures],
    runs: int,
    show_plan: bool,
) -> None:
    print(
        f"the same statements in psql: p50 of {runs} runs each after one (\\timing, rows read and thrown "
        f"away; EXPLAIN ANALYZE: best of 3; {_load_average()})",
        flush=True,
    )
    for index, figures in enumerate(pages):
        membership = getattr(members, figures.variant.who)
        statements = _page_sql(membership, figures.variant.filters)
        if index == 0:
            print(f"  the radar query (first page of the {figures.variant.label}):\n")
            print("    " + statements.lines.replace("\n", "\n    ") + ";\n")
            print(f"  its colour counts:\n\n    {statements.colour_counts};\n")
            print(f"  the paginator's count:\n\n    {statements.count};\n")
        for name, statement in (
            ("lines", statements.lines),
            ("colour counts", statements.colour_counts),
            ("count", statements.count),
            ("signals", statements.signals),
        ):
            figures.psql[name] = psql_times(database.url, statement, runs)
        figures.psql_jit_off = psql_times(
            database.url, statements.colour_counts, runs, setup="SET jit = off;"
        )
        figures.explain_ms, plan = explain(database.url, statements.lines)
        counts_ms, _plan = explain(database.url, statements.colour_counts)
        print(
            f"  {figures.variant.label:<44} "
            + ", ".join(f"{name} {_ms(_p(times, 50))}" for name, times in figures.psql.items())
            + f" = {_ms(figures.psql_total())}; EXPLAIN ANALYZE lines {figures.explain_ms:.1f} ms, "
            f"colour counts {counts_ms:.1f} ms; colour counts with jit = off "
            f"{_ms(_p(figures.psql_jit_off, 50))}",
            flush=True,
        )
        if index == 0 or show_plan:
            lines = plan.splitlines()
            shown = lines if show_plan else [line for line in lines[2:] if "->" in line][:8]
            print("      plan of the lines: " + "\n        ".join(line.strip() for line in shown), flush=True)


# --- the report -----------------------------------------------------------------------------------------


def _load_average() -> str:
    return "load average " + " ".join(f"{value:.1f}" for value in os.getloadavg())


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.1f} ms"


def _p(times: list[float], pct: int) -> float | None:
    if not times:
        return None
    if len(times) < 2:
        return times[0]
    return statistics.quantiles(times, n=100, method="inclusive")[pct - 1]


def _summary(runs: list[RunFigures], pages: list[PageFigures]) -> None:
    print("\n=== radar figures ===")
    for run in runs:
        verdict = "target < 60 s: met" if run.seconds < 60 else "target < 60 s: MISSED"
        print(
            f"daily run, {run.label:<36} {run.seconds:6.1f} s  ({run.opened:,} opened, "
            f"{run.updated:,} updated, {run.cleared:,} cleared; {run.open_signals:,} open)  {verdict}"
        )
    if not pages:
        return
    header = (
        f"{'first page':<44} {'in-process p50/p95':>20} {'GET /radar/ p50/p95':>22} {'API p50/p95':>20} "
        f"{'psql, same SQL':>15}"
    )
    print(header)
    for figures in pages:
        psql = figures.psql_total()
        print(
            f"{figures.variant.label:<44} "
            f"{_ms(_p(figures.in_process, 50)) + ' / ' + _ms(_p(figures.in_process, 95)):>20} "
            f"{(_ms(_p(figures.http, 50)) + ' / ' + _ms(_p(figures.http, 95))) if figures.http else '—':>22} "
            f"{(_ms(_p(figures.api, 50)) + ' / ' + _ms(_p(figures.api, 95))) if figures.api else '—':>20} "
            f"{_ms(psql):>15}"
        )
    first = pages[0]
    p50 = _p(first.http, 50) or _p(first.in_process, 50)
    if p50 is not None:
        what = "GET /radar/" if first.http else "in-process (no dashboard yet)"
        verdict = "met" if p50 < 0.2 else "MISSED"
        print(f"coordinator's first page p50 {_ms(p50)} ({what}): target < 200 ms {verdict}")


def _run(args: argparse.Namespace, database: bench_db.BenchDatabase, var_dir: str) -> int:
    _setup_django(database, var_dir)
    from django.core.management import call_command
    from django.db import connection

    from bench import radar_data

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
    print(
        f"Inbeeld radar bench on PostgreSQL {row[0] if row else '?'} ({database.label}); "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs; {_load_average()}",
        flush=True,
    )
    world = _ensure_data(database)
    members = radar_data.setup_members(world)
    day = radar_data.data_day(database)
    shape = _dataset_shape()
    print("  dataset: " + ", ".join(f"{label} {count:,}" for label, count in shape.items()), flush=True)
    runs = [] if args.no_run else _daily_runs(database, day)
    pages: list[PageFigures] = []
    if not args.no_pages:
        pages = _pages(members, _variants(world), args)
        if not args.no_psql:
            _plain_sql(database, members, pages, args.psql_runs, args.show_plan)
    _summary(runs, pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
