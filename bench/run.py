"""The person-register benchmark: ``python -m bench.run [--persons N]``.

It never touches your data. On SQLite (the default) it works in a fresh database file under a
temporary directory; with ``INBEELD_DATABASE_URL=postgres://…`` it creates a fresh database
``inbeeld_bench_<pid>`` on that server and drops it afterwards (``--keep`` keeps either).

Figures printed (wall-clock, one process, Django's test client: no network, no web server):
registering persons through ``register_person``; the person list's first page, a roepnaam search
and an exact phone search (``GET /persons/``); a person page, in-process (``read_person`` +
``person_view``) and as a whole request; and ``verify_chain`` throughput over the audit trail.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit


def _prepare_environment(keep: bool) -> tuple[str, Callable[[], None]]:
    """Point Django at a throw-away database; return a label and the clean-up to run at the end."""
    from cryptography.fernet import Fernet

    os.environ["DJANGO_SETTINGS_MODULE"] = "inbeeld.test_settings"  # real settings, throw-away keys
    os.environ.setdefault("INBEELD_SECRET_KEY", "bench-only-" + Fernet.generate_key().decode())
    os.environ.setdefault("INBEELD_FIELD_KEYS", Fernet.generate_key().decode())
    os.environ.setdefault("INBEELD_BLIND_INDEX_KEY", Fernet.generate_key().decode())
    os.environ["INBEELD_DEBUG"] = "0"  # DEBUG would record every query
    os.environ["INBEELD_DEMO"] = "0"
    os.environ.setdefault("INBEELD_ALLOWED_HOSTS", "testserver")
    os.environ["INBEELD_SECURE_COOKIES"] = "0"

    url = os.environ.get("INBEELD_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg
        from psycopg import sql

        name = f"inbeeld_bench_{os.getpid()}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        parts = urlsplit(url)
        os.environ["INBEELD_DATABASE_URL"] = urlunsplit(parts._replace(path="/" + name))

        def drop() -> None:
            from django.db import connections

            connections.close_all()
            if keep:
                print(f"kept database {name}")
                return
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

        return f"PostgreSQL database {name} on {parts.hostname}", drop

    if url:
        print(f"INBEELD_DATABASE_URL={url!r} is not PostgreSQL: using a temporary SQLite file instead.")
        del os.environ["INBEELD_DATABASE_URL"]
    var_dir = tempfile.mkdtemp(prefix="inbeeld-bench-")
    os.environ["INBEELD_VAR_DIR"] = var_dir

    def remove() -> None:
        from django.db import connections

        connections.close_all()
        if keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)

    return f"SQLite file in {var_dir}", remove


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _timed(repeat: int, work: Callable[[int], Any]) -> list[float]:
    work(0)  # warm-up: caches, connections, template loading
    times = []
    for round_ in range(repeat):
        start = time.perf_counter()
        work(round_)
        times.append(time.perf_counter() - start)
    return times


def _p(times: list[float], pct: int) -> float:
    if len(times) < 2:
        return times[0]
    return statistics.quantiles(times, n=100, method="inclusive")[pct - 1]


class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str]] = []

    def add(self, what: str, figure: str) -> None:
        self.rows.append((what, figure))
        print(f"  {what:<58} {figure}", flush=True)

    def latency(self, what: str, times: list[float], *, p95: bool = True) -> None:
        figure = f"p50 {_ms(_p(times, 50))}"
        if p95:
            figure += f"   p95 {_ms(_p(times, 95))}"
        self.add(what, figure)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1000, help="persons in the register (default 1000)")
    parser.add_argument(
        "--register",
        type=int,
        default=None,
        help="how many of them to register through register_person, timed (default: all, at most 1000); "
        "the rest is written in bulk",
    )
    parser.add_argument(
        "--audit-events",
        type=int,
        default=None,
        help="extra chained audit events to verify (default: 10 per person)",
    )
    parser.add_argument("--repeat", type=int, default=50, help="requests per latency figure (default 50)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args(argv)
    register_count = min(args.persons, 1000) if args.register is None else min(args.register, args.persons)
    extra_events = 10 * args.persons if args.audit_events is None else args.audit_events

    label, clean_up = _prepare_environment(args.keep)
    try:
        return _run(args, register_count, extra_events, label)
    finally:
        clean_up()


def _run(args: argparse.Namespace, register_count: int, extra_events: int, label: str) -> int:
    import warnings

    import django

    # WhiteNoise warns when STATIC_ROOT does not exist; the bench serves no static files.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bench import synth
    from inbeeld.core import access, audit
    from inbeeld.core.access import Need
    from inbeeld.core.middleware import SESSION_MEMBERSHIP_KEY
    from inbeeld.people.models import Person
    from inbeeld.people.presenters import person_view
    from inbeeld.testing.factories import with_totp

    call_command("migrate", verbosity=0)
    server = connection.vendor
    if connection.vendor == "sqlite":
        server = f"SQLite {connection.Database.sqlite_version}"  # type: ignore[attr-defined]
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = f"PostgreSQL {cursor.fetchone()[0]}"
    print(
        f"Inbeeld bench: {args.persons} persons on {server} ({label}); "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    report = Report()
    bench = synth.make_network()
    names = synth.Names(seed=1000)

    start = time.perf_counter()
    synth.register(bench, names, register_count)
    took = time.perf_counter() - start
    if register_count:
        report.add(
            f"register {register_count} persons (register_person, audited)",
            f"{took:.2f} s   {register_count / took:.0f} persons/s   {_ms(took / register_count)} each",
        )
    bulk = args.persons - register_count
    if bulk:
        start = time.perf_counter()
        synth.bulk_persons(bench, names, bulk)
        took = time.perf_counter() - start
        report.add(f"bulk-load {bulk} more persons (bulk_create, setup only)", f"{took:.1f} s")
    person_ids = list(Person.objects.filter(network=bench.network).values_list("pk", flat=True))
    if extra_events:
        synth.bulk_audit_events(bench, person_ids, extra_events)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would have after a bulk load

    rng = names.rng
    client = Client()
    user = bench.caseworker.user
    with_totp(user)
    client.force_login(user)
    session = client.session
    session[SESSION_MEMBERSHIP_KEY] = bench.caseworker.pk
    session.save()
    list_url = reverse("people:list")

    def get(url: str, **params: str) -> None:
        response = client.get(url, params)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} {params} answered {response.status_code}")

    repeat = args.repeat
    report.latency("person list, first page (GET /persons/)", _timed(repeat, lambda _: get(list_url)))
    known = sorted(names.seen)
    sample = [rng.choice(known) for _ in range(repeat + 1)]
    report.latency(
        "search by roepnaam fragment (GET /persons/?q=…)",
        _timed(repeat, lambda i: get(list_url, q=sample[i % len(sample)][1:4])),
    )
    phones = list(Person.objects.exclude(phone_index="").values_list("pk", flat=True)[: repeat + 1])
    phone_numbers = [p.phone for p in Person.objects.filter(pk__in=phones)]
    report.latency(
        "exact phone search (GET /persons/?q=06-…, blind index)",
        _timed(repeat, lambda i: get(list_url, q=phone_numbers[i % len(phone_numbers)])),
    )
    actor = bench.actor()
    picks = [rng.choice(person_ids) for _ in range(repeat + 1)]

    def person_page(i: int) -> None:
        person_view(access.read_person(actor, picks[i], Need.READ_CORE, data="person.page"))

    report.latency("person page in-process (read_person + person_view)", _timed(repeat, person_page))
    report.latency(
        "person page (GET /persons/<id>/)",
        _timed(repeat, lambda i: get(reverse("people:detail", args=[picks[i]]))),
    )
    start = time.perf_counter()
    checked, broken = audit.verify_chain()
    took = time.perf_counter() - start
    if broken is not None:
        print(f"audit chain broken at {broken.event_id}: {broken.reason}", file=sys.stderr)
        return 1
    report.add("audit verify_chain", f"{checked} events in {took:.2f} s   {checked / took:,.0f} events/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
