"""Quick-contact POSTs per second: gunicorn on 127.0.0.1 against the benchmark database, wrk on loopback.

The server runs the production settings module (``inbeeld.settings``, ``DEBUG`` off) configured only
through the environment: the benchmark database, its throw-away keys, ``INBEELD_ALLOWED_HOSTS=127.0.0.1``,
``INBEELD_SECURE_COOKIES=0``, ``INBEELD_CACHE=locmem``. The client is an outreach worker of the
foundation with a personal API token (``Authorization: Bearer ibt_…``, made with
``core.tokens.create_token``). Traffic only ever goes to 127.0.0.1. Import after ``django.setup()``.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.care.db import BenchDatabase, django_environment
from bench.care.generate import World
from inbeeld.care.models import Contact
from inbeeld.core.tokens import create_token

HOST = "127.0.0.1"  # never anything else
REPO = Path(__file__).parent.parent.parent
LUA = Path(__file__).parent / "contacts.lua"


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("The load test needs wrk (Debian: apt-get install -y wrk); or run with --no-load.")
    return found


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class LoadFigures:
    seconds: float
    requests: int
    created: int  # contacts the database gained during the run
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[str, int]
    socket_errors: dict[str, int] = field(default_factory=dict)
    command: str = ""
    server: str = ""

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def contacts_per_second(self) -> float:
        return self.created / self.seconds

    @property
    def errors(self) -> int:
        failed = sum(n for status, n in self.statuses.items() if status != "201")
        return failed + sum(self.socket_errors.values())


class Server:
    """``gunicorn inbeeld.wsgi`` with N sync workers on a free loopback port; stopped on exit."""

    def __init__(
        self,
        database: BenchDatabase,
        var_dir: str,
        workers: int,
        *,
        threads: int = 1,
        settings: str = "inbeeld.settings",
    ):
        self.port = _free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.log = Path(var_dir) / "gunicorn.log"
        env = {
            **os.environ,
            **django_environment(database, var_dir),
            "DJANGO_SETTINGS_MODULE": settings,
            "INBEELD_ALLOWED_HOSTS": HOST,
        }
        self.command = [
            sys.executable, "-m", "gunicorn", "inbeeld.wsgi:application",
            "--workers", str(workers), "--worker-class", "gthread" if threads > 1 else "sync",
            "--threads", str(threads), "--bind", f"{HOST}:{self.port}",
            "--timeout", "60", "--graceful-timeout", "5", "--log-level", "warning",
            "--error-logfile", str(self.log),
        ]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter, fixed arguments)
            self.command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def call(self, method: str, path: str, token: str, body: Any = None) -> tuple[int, str]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1 only)
            self.base + path,
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def wait_ready(self, token: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped (exit {self.process.returncode}):\n{self._log_tail()}")
            try:
                status, body = self.call("GET", "/api/v1/me", token)
            except OSError:
                time.sleep(0.2)
                continue
            if status == 200:
                return
            raise SystemExit(f"GET /api/v1/me answered {status}: {body[:300]}")
        raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s:\n{self._log_tail()}")

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.log.read_text().splitlines()[-20:])
        except OSError:
            return "(no log)"


def _warm_up(server: Server, token: str, person_ids: list[int]) -> None:
    """Both workers import, connect and run each operation once; any refusal stops the benchmark."""
    body: dict[str, Any] = {
        "channel": "street_zone",
        "kind": "help",
        "topics": ["housing"],
        "note": "Warm-up",
    }
    for round_ in range(6):
        person = person_ids[round_ % len(person_ids)]
        for path, payload in (
            ("/api/v1/contacts", {**body, "anonymous": True}),
            ("/api/v1/contacts", {**body, "person_id": person}),
            (f"/api/v1/persons/{person}/contacts", body),
        ):
            status, text = server.call("POST", path, token, payload)
            if status != 201:
                raise SystemExit(f"POST {path} answered {status}: {text[:400]}")


def _run_bounded(command: list[str], before: int, max_requests: int) -> tuple[str, str, int]:
    """Run wrk; stop it early (SIGINT: it then reports as usual) once ``max_requests`` contacts are stored."""
    process = subprocess.Popen(  # noqa: S603 (wrk, fixed arguments, loopback only)
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        while process.poll() is None:
            time.sleep(0.25)
            if max_requests and Contact.objects.filter(id__gt=before).count() >= max_requests:
                process.send_signal(signal.SIGINT)
                break
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return stdout, stderr, process.returncode


def run(
    database: BenchDatabase,
    world: World,
    *,
    var_dir: str,
    persons: int,
    workers: int,
    duration: int,
    max_requests: int,
    connections: int,
    server_threads: int = 1,
    settings: str = "inbeeld.settings",
    threads: int = 2,
) -> LoadFigures:
    wrk = wrk_path()
    _token, key = create_token(membership=world.outreach, name=f"bench {time.strftime('%Y-%m-%d %H:%M:%S')}")
    rng = random.Random(97)
    person_ids = [rng.randint(1, persons) for _ in range(5000)]
    ids_file = Path(var_dir) / "person-ids.txt"
    ids_file.write_text("".join(f"{person}\n" for person in person_ids))
    with Server(database, var_dir, workers, threads=server_threads, settings=settings) as server:
        server.wait_ready(key)
        _warm_up(server, key, person_ids)
        before = Contact.objects.order_by("-id").values_list("id", flat=True).first() or 0
        threads = max(1, min(threads, connections))
        command = [
            wrk, "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s",
            "--latency", "-s", str(LUA), server.base, "--", key, str(ids_file),
        ]  # fmt: skip
        stdout, stderr, returncode = _run_bounded(command, before, max_requests)
        created = Contact.objects.filter(id__gt=before).count()
    lines = [line for line in stdout.splitlines() if line.startswith("BENCH_JSON ")]
    if returncode != 0 or not lines:
        raise SystemExit(f"wrk failed ({returncode}):\n{stdout}\n{stderr}")
    result = json.loads(lines[-1].removeprefix("BENCH_JSON "))
    shown = " ".join(command).replace(key, "$TOKEN").replace(str(ids_file), "person-ids.txt")
    return LoadFigures(
        seconds=result["duration_us"] / 1e6,
        requests=result["requests"],
        created=created,
        p50_ms=result["p50_us"] / 1000,
        p90_ms=result["p90_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        max_ms=result["max_us"] / 1000,
        statuses=result["statuses"],
        socket_errors={
            name: result[name] for name in ("connect", "read", "write", "timeout") if result[name]
        },
        command=shown,
        server=" ".join(server.command[1:]).replace(str(server.log), "gunicorn.log"),
    )
