"""Where the radar's daily run spends its time, measured on the real ``run_all`` without changing it.

``instrument()`` wraps, for the duration of one run, the pieces ``run_radar`` is made of — the
snapshot's loads (persons and status history, each sighting source, the stays, each lazily loaded set
the rules read), each rule's evaluation, the signal sync with its parts, the radar-line upsert and the
audit event — and records every SQL statement's execute time with the piece it ran in. Nothing is
skipped or reordered: the wrapped functions are the app's own and are restored afterwards.

The snapshot's lazily loaded sets (plans, evaluations, intakes, appointments, consents, key dates,
exit routes) are loaded right after the build instead of during the first rule that asks for them,
so that a rule's time is its own Python work. Statements read through a server-side cursor
(``QuerySet.iterator()``) are recorded with their execute only, not their fetches: the piece's own
time is the figure to go by.

Import after ``django.setup()``.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import connection

# The pieces of run_radar that follow each other (their sum plus "commit and the rest" is the run).
TOP_LEVEL = (
    "snapshot",
    "thresholds",
    "rules",
    "assignees",
    "sync signals",
    "write radar lines",
    "audit event",
)


@dataclass
class Breakdown:
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    statements: list[tuple[str, str, float]] = field(default_factory=list)  # (piece, SQL, seconds)
    _stack: list[str] = field(default_factory=list)

    def timed(self, name: str, func: Callable[..., Any], *, consume: bool = False) -> Callable[..., Any]:
        """``func`` timed under ``name``; ``consume`` lists a generator's results inside the timing."""

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self._stack.append(name)
            started = time.perf_counter()
            try:
                result = func(*args, **kwargs)
                return list(result) if consume else result
            finally:
                self.seconds[name] += time.perf_counter() - started
                self.calls[name] += 1
                self._stack.pop()

        return wrapper

    def execute(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            piece = self._stack[-1] if self._stack else "outside the run's pieces"
            self.statements.append((piece, sql, time.perf_counter() - started))

    def by_kind(self) -> list[tuple[str, str, int, float]]:
        """(piece, kind of statement, count, seconds), the slowest first."""
        grouped: dict[tuple[str, str], list[float]] = defaultdict(list)
        for piece, sql, seconds in self.statements:
            grouped[(piece, statement_kind(sql))].append(seconds)
        rows = [(piece, kind, len(times), sum(times)) for (piece, kind), times in grouped.items()]
        return sorted(rows, key=lambda row: row[3], reverse=True)


_WRITE = re.compile(r'\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)
_FROM = re.compile(r'\bFROM\s+"?(\w+)"?', re.IGNORECASE)


def statement_kind(sql: str) -> str:
    """``UPDATE radar_signal``, ``SELECT … FROM care_contact`` and the like."""
    write = _WRITE.match(sql)
    if write:
        return f"{write.group(1).upper()} {write.group(2)}"
    verb = sql.split(None, 1)[0].upper() if sql.strip() else "?"
    found = _FROM.search(sql)
    return f"{verb} … FROM {found.group(1)}" if found else verb


@contextmanager
def instrument() -> Iterator[Breakdown]:
    """Time the pieces of ``run_radar`` (and every SQL statement) while the block runs."""
    from inbeeld.core import audit
    from inbeeld.radar import rules, sources
    from inbeeld.radar.actions import run
    from inbeeld.radar.snapshot import Snapshot

    breakdown = Breakdown()
    restore: list[Callable[[], None]] = []

    def patch(owner: Any, name: str, value: Any) -> None:
        had = name in vars(owner)
        before = vars(owner).get(name)
        setattr(owner, name, value)
        restore.append(lambda: setattr(owner, name, before) if had else delattr(owner, name))

    lazy = [name for name, value in vars(Snapshot).items() if isinstance(value, cached_property)]
    original_build = vars(Snapshot)["build"].__func__

    def build(cls: type[Snapshot], *args: Any, **kwargs: Any) -> Snapshot:
        snapshot: Snapshot = original_build(cls, *args, **kwargs)
        for name in lazy:
            breakdown.timed(f"snapshot: {name}", getattr)(snapshot, name)
        return snapshot

    patch(Snapshot, "build", classmethod(breakdown.timed("snapshot", build)))
    for method, label in (
        ("_load_persons", "snapshot: persons and status history"),
        ("_load_sightings", "snapshot: sightings"),
        ("_load_stays", "snapshot: stays"),
    ):
        patch(Snapshot, method, breakdown.timed(label, vars(Snapshot)[method]))
    sighting_sources, stay_sources = sources.sighting_sources, sources.stay_sources
    patch(
        sources,
        "sighting_sources",
        lambda: [
            dataclasses.replace(s, latest=breakdown.timed(f"snapshot: sightings: {s.key}", s.latest))
            for s in sighting_sources()
        ],
    )
    patch(
        sources,
        "stay_sources",
        lambda: [
            dataclasses.replace(s, stays=breakdown.timed(f"snapshot: stays: {s.key}", s.stays, consume=True))
            for s in stay_sources()
        ],
    )
    for rule in rules.all_rules():
        patch(rule, "evaluate", breakdown.timed(f"rule: {rule.key}", rule.evaluate, consume=True))
    for name, label in (
        ("_findings", "rules"),
        ("_assignees", "assignees"),
        ("_sync_signals", "sync signals"),
        ("_latest_ids", "sync signals: latest signal per person and rule"),
        ("_escalate", "sync signals: escalate"),
        ("_write_states", "write radar lines"),
    ):
        patch(run, name, breakdown.timed(label, getattr(run, name)))
    patch(run.rules, "thresholds_for", breakdown.timed("thresholds", rules.thresholds_for))
    patch(audit, "record", breakdown.timed("audit event", audit.record))
    with ExitStack() as stack:
        stack.callback(lambda: [undo() for undo in reversed(restore)])
        stack.enter_context(connection.execute_wrapper(breakdown.execute))
        yield breakdown
