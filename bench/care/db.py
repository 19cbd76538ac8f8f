"""The benchmark's own PostgreSQL database: create, find a kept one, remember its keys, drop.

Used before Django is set up. A small table ``bench_care_meta`` in the benchmark database holds what a
rerun with ``--resume`` needs: the throw-away keys its encrypted columns were written with, the seed,
the targets and the moment the data ends ("now" of the data, fixed so a resumed run writes the same).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

PREFIX = "inbeeld_bench_care_"
META_TABLE = "bench_care_meta"


def server_url() -> str:
    """The URL of the PostgreSQL server to work on (its own database is only used to connect)."""
    url = os.environ.get("INBEELD_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "bench.care needs PostgreSQL (it writes with COPY): set "
            "INBEELD_DATABASE_URL=postgres://user@host:5432/anydb; a database of its own is created there."
        )
    return url


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def kept_databases(url: str) -> list[str]:
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY datname", [PREFIX + "%"]
        ).fetchall()
    return [row[0] for row in rows]


@dataclass
class BenchDatabase:
    server: str  # the URL we were given; used for CREATE/DROP DATABASE
    name: str
    meta: dict[str, Any]

    @property
    def url(self) -> str:
        return with_database(self.server, self.name)

    @property
    def label(self) -> str:
        return f"PostgreSQL database {self.name} on {urlsplit(self.server).hostname}"

    def save_meta(self, **values: Any) -> None:
        self.meta.update(values)
        with psycopg.connect(self.url, autocommit=True) as conn:
            for key, value in values.items():
                conn.execute(
                    sql.SQL(
                        "INSERT INTO {} (key, value) VALUES (%s, %s) "
                        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
                    ).format(sql.Identifier(META_TABLE)),
                    [key, json.dumps(value)],
                )

    def drop(self) -> None:
        with psycopg.connect(self.server, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name)))


def create(server: str, name: str, *, seed: int, persons: int, contacts: int) -> BenchDatabase:
    from cryptography.fernet import Fernet

    if not name.startswith(PREFIX):
        sys.exit(f"The benchmark only creates databases named {PREFIX}…, not {name!r}.")
    if name in kept_databases(server):
        sys.exit(f"{name} exists: continue it with --resume --database {name}, or drop it first.")
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    db = BenchDatabase(server, name, {})
    with psycopg.connect(db.url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE TABLE {} (key text PRIMARY KEY, value text NOT NULL)").format(
                sql.Identifier(META_TABLE)
            )
        )
    until = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    db.save_meta(
        secret_key="bench-only-" + Fernet.generate_key().decode(),
        field_keys=Fernet.generate_key().decode(),
        blind_index_key=Fernet.generate_key().decode(),
        seed=seed,
        persons=persons,
        contacts=contacts,
        until=until.isoformat(),
    )
    return db


def open_kept(server: str, name: str | None) -> BenchDatabase:
    """A database kept by an earlier run (``--keep`` or an interrupted load), to resume or re-measure."""
    if name is None:
        kept = kept_databases(server)
        if len(kept) != 1:
            found = ", ".join(kept) or "none"
            sys.exit(f"--resume: name the database with --database (kept benchmark databases: {found}).")
        name = kept[0]
    if not name.startswith(PREFIX):
        sys.exit(f"--database: benchmark databases are named {PREFIX}…, not {name!r}.")
    db = BenchDatabase(server, name, {})
    try:
        with psycopg.connect(db.url, autocommit=True) as conn:
            rows = conn.execute(sql.SQL("SELECT key, value FROM {}").format(sql.Identifier(META_TABLE)))
            db.meta = {key: json.loads(value) for key, value in rows.fetchall()}
    except psycopg.OperationalError as error:
        sys.exit(f"Cannot open {name}: {error}")
    except psycopg.errors.UndefinedTable:
        sys.exit(f"{name} was not made by bench.care (no {META_TABLE} table).")
    return db


def django_environment(db: BenchDatabase, var_dir: str) -> dict[str, str]:
    """The INBEELD_* variables for Django (in-process or gunicorn) on this database and its keys."""
    return {
        "INBEELD_DATABASE_URL": db.url,
        "INBEELD_SECRET_KEY": db.meta["secret_key"],
        "INBEELD_FIELD_KEYS": db.meta["field_keys"],
        "INBEELD_BLIND_INDEX_KEY": db.meta["blind_index_key"],
        "INBEELD_DEBUG": "0",  # DEBUG would record every query
        "INBEELD_DEMO": "0",
        "INBEELD_SECURE_COOKIES": "0",
        "INBEELD_CACHE": "locmem",
        "INBEELD_VAR_DIR": var_dir,
    }


def add_data_arguments(parser: argparse.ArgumentParser, title: str) -> None:
    """The invented data's size and seed, as every benchmark on this database takes them."""
    size = parser.add_argument_group(title)
    size.add_argument("--persons", type=int, default=None, help="persons (default 100,000)")
    size.add_argument("--contacts", type=int, default=None, help="contacts (default 5,000,000)")
    size.add_argument("--seed", type=int, default=3, help="seed of the invented data (default 3)")


def add_reuse_arguments(parser: argparse.ArgumentParser) -> None:
    """Which database: the benchmarks that build on the care data reuse a kept one."""
    where = parser.add_argument_group("database")
    where.add_argument(
        "--database",
        metavar="NAME",
        help=f"the benchmark database ({PREFIX}…): a kept one is reused, another is made; "
        "default: the only kept one, else a new one",
    )
    where.add_argument("--new", action="store_true", help="make a new database even if one is kept")
    where.add_argument(
        "--keep", action="store_true", help="keep a database this run made (a reused one is always kept)"
    )


def finish(database: BenchDatabase, var_dir: str, *, keep: bool) -> None:
    """Close Django's connections, remove the run's files, and keep or drop the database."""
    import shutil

    from django.conf import settings

    if settings.configured:
        from django.db import connections

        connections.close_all()
    shutil.rmtree(var_dir, ignore_errors=True)
    if keep:
        print(f"kept database {database.name} (drop it with: DROP DATABASE {database.name})")
    else:
        database.drop()
