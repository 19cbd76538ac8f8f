"""``python -m bench.care``: build the care data at scale on PostgreSQL, then measure.

Examples (see bench/README.md)::

    INBEELD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python -m bench.care
    … python -m bench.care --persons 10000 --contacts 500000 --keep      # smaller, keep the database
    … python -m bench.care --resume                                    # continue / re-measure a kept one
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import signal
import sys
import tempfile
import time
import warnings
from typing import Any

from bench.care import db as bench_db


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.care",
        description="Care benchmark: persons and contacts at scale (COPY, resumable), person page "
        "latency and quick-contact POST throughput. PostgreSQL only (INBEELD_DATABASE_URL).",
    )
    bench_db.add_data_arguments(parser, "data")
    where = parser.add_argument_group("database")
    where.add_argument(
        "--database",
        metavar="NAME",
        help=f"the benchmark database ({bench_db.PREFIX}…); default {bench_db.PREFIX}<pid>, "
        "or with --resume the only kept one",
    )
    where.add_argument("--keep", action="store_true", help="keep the database afterwards")
    where.add_argument(
        "--resume",
        action="store_true",
        help="continue a kept database (after an interruption or --keep): write what is missing, "
        "then measure; implies --keep",
    )
    what = parser.add_argument_group("measurements")
    what.add_argument("--generate-only", action="store_true", help="build the data, measure nothing")
    what.add_argument("--no-pages", action="store_true", help="skip the person page measurement")
    what.add_argument("--no-load", action="store_true", help="skip the gunicorn + wrk load test")
    what.add_argument("--sample", type=int, default=100, help="persons whose pages are timed (default 100)")
    what.add_argument("--duration", type=int, default=30, help="seconds of load (default 30)")
    what.add_argument(
        "--max-requests",
        type=int,
        default=30_000,
        help="stop the load after this many POSTs (default 30,000)",
    )
    what.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    what.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    what.add_argument(
        "--server-threads", type=int, default=1, help="threads per gunicorn worker (default 1: sync workers)"
    )
    what.add_argument(
        "--variants",
        action="store_true",
        help="after the specified run, two what-ifs: persistent database connections, and those with "
        "4 threads per worker (bench.care.persistent_settings; app code unchanged)",
    )
    return parser


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # a stopped run keeps its database, like Ctrl-C
    server = bench_db.server_url()
    if not (args.generate_only or args.no_load) and shutil.which("wrk") is None:
        sys.exit("The load test needs wrk (Debian: apt-get install -y wrk); or run with --no-load.")
    if args.resume:
        database = bench_db.open_kept(server, args.database)
        if args.persons is not None and args.persons != database.meta["persons"]:
            sys.exit(f"{database.name} was made for {database.meta['persons']} persons; that cannot change.")
        if args.contacts is not None and args.contacts != database.meta["contacts"]:
            database.save_meta(contacts=args.contacts)
    else:
        database = bench_db.create(
            server,
            args.database or f"{bench_db.PREFIX}{os.getpid()}",
            seed=args.seed,
            persons=100_000 if args.persons is None else args.persons,
            contacts=5_000_000 if args.contacts is None else args.contacts,
        )
    keep = args.keep or args.resume
    var_dir = tempfile.mkdtemp(prefix="inbeeld-bench-care-")
    try:
        return _run(args, database, var_dir)
    except KeyboardInterrupt:
        keep = True
        print(
            f"\nInterrupted. The database {database.name} is kept; continue with:\n"
            f"  python -m bench.care --resume --database {database.name}",
            file=sys.stderr,
        )
        return 130
    finally:
        bench_db.finish(database, var_dir, keep=keep)


def _run(args: argparse.Namespace, database: bench_db.BenchDatabase, var_dir: str) -> int:
    os.environ.update(bench_db.django_environment(database, var_dir))
    os.environ["DJANGO_SETTINGS_MODULE"] = "inbeeld.test_settings"  # real settings; our keys win
    os.environ["INBEELD_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    import django

    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: no static files here
    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from bench.care import generate

    meta = database.meta
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
    print(
        f"Inbeeld care bench: {meta['persons']:,} persons, {meta['contacts']:,} contacts on PostgreSQL "
        f"{row[0] if row else '?'} ({database.label}); Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs",
        flush=True,
    )
    world = generate.setup_world()
    until = datetime.datetime.fromisoformat(meta["until"])
    started = time.perf_counter()
    with generate.load_connection(database.url) as conn:
        took_persons = generate.write_persons(conn, world, meta["seed"], meta["persons"], until)
        people = generate.traits(meta["seed"], meta["persons"])
        maker = generate.ContactMaker(world, meta["seed"], people, until)
        took_contacts = generate.write_contacts(conn, database, maker, meta["contacts"])
    took_vacuum = generate.vacuum_analyze(database.url)
    total = time.perf_counter() - started
    print(
        f"  data: persons {took_persons:.1f} s, contacts {took_contacts:.1f} s, "
        f"VACUUM ANALYZE {took_vacuum:.1f} s; {total:.1f} s in all",
        flush=True,
    )
    if args.generate_only:
        return 0
    if not args.no_pages:
        _pages(args, world, people, meta["seed"])
    if not args.no_load:
        _load(args, database, world, var_dir)
    return 0


def _load_average() -> str:
    return "load average " + " ".join(f"{value:.1f}" for value in os.getloadavg())


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _pages(args: argparse.Namespace, world: Any, people: Any, seed: int) -> None:
    from bench.care import pages

    sample = pages.heavy_persons(people, seed, args.sample)
    counts = pages.contact_counts(sample)
    print(
        f"person page + first timeline page: {len(sample)} persons from the top 1 % by contacts "
        f"({counts[0]:,}–{counts[-1]:,} contacts each, median {counts[len(counts) // 2]:,}); "
        f"caseworker of the involved foundation, Django test client; {_load_average()}",
        flush=True,
    )
    heaviest = pages.heaviest_person(people)
    times = pages.measure(world, sample, heaviest)
    for label, values in (
        ("person page (GET /persons/<id>/)", times.page),
        ("first timeline page (GET /persons/<id>/timeline/)", times.timeline),
        ("both together", times.both),
        ("timeline.page() in-process (queries only)", times.timeline_in_process),
    ):
        p50, p95 = pages.percentile(values, 50), pages.percentile(values, 95)
        print(f"  {label:<52} p50 {_ms(p50):>9}   p95 {_ms(p95):>9}", flush=True)
    (count,) = pages.contact_counts([heaviest])
    first, again = times.heaviest_first, times.heaviest_again
    print(
        f"  the person with the most contacts ({count:,}): page {_ms(first[0])} + timeline {_ms(first[1])} "
        f"the first time, {_ms(again[0])} + {_ms(again[1])} again (p50 of 10)",
        flush=True,
    )


def _load(args: argparse.Namespace, database: bench_db.BenchDatabase, world: Any, var_dir: str) -> None:
    from bench.care import load
    from inbeeld.core import audit

    runs = [("as specified", "inbeeld.settings", args.server_threads)]
    if args.variants:
        runs += [
            ("what-if: persistent DB connections", "bench.care.persistent_settings", 1),
            ("what-if: persistent connections + 4 threads per worker", "bench.care.persistent_settings", 4),
        ]
    for label, settings, server_threads in runs:
        kind = "sync" if server_threads == 1 else f"gthread × {server_threads} threads"
        print(
            f"quick contact POSTs ({label}): gunicorn, {args.workers} {kind} workers on 127.0.0.1, "
            f"{settings}; wrk, {args.connections} connections, {args.duration} s or "
            f"{args.max_requests:,} requests; {_load_average()}",
            flush=True,
        )
        figures = load.run(
            database,
            world,
            var_dir=var_dir,
            persons=database.meta["persons"],
            workers=args.workers,
            duration=args.duration,
            max_requests=args.max_requests,
            connections=args.connections,
            server_threads=server_threads,
            settings=settings,
        )
        print(f"  server: {figures.server}")
        print(f"  load:   {figures.command}")
        statuses = ", ".join(f"{status}: {n:,}" for status, n in sorted(figures.statuses.items()))
        print(
            f"  {figures.requests:,} requests in {figures.seconds:.1f} s: "
            f"{figures.requests_per_second:.0f} requests/s; "
            f"{figures.created:,} contacts stored = {figures.contacts_per_second:.0f} contacts/s",
            flush=True,
        )
        print(
            f"  latency p50 {figures.p50_ms:.1f} ms, p90 {figures.p90_ms:.1f} ms, "
            f"p99 {figures.p99_ms:.1f} ms, max {figures.max_ms:.1f} ms; "
            f"statuses {statuses}; errors {figures.errors}"
            + (f" (socket: {figures.socket_errors})" if figures.socket_errors else ""),
            flush=True,
        )
    started = time.perf_counter()
    checked, broken = audit.verify_chain()
    took = time.perf_counter() - started
    state = "intact" if broken is None else f"BROKEN at {broken.event_id}: {broken.reason}"
    print(f"  audit chain {state}: {checked:,} events verified in {took:.1f} s", flush=True)
    if broken is not None:
        raise SystemExit(1)


if __name__ == "__main__":
    sys.exit(main())
