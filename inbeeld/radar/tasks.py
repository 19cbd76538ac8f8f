"""The radar's background work on django-tasks (database backend): the daily run and its digest.

``manage.py radar_run --enqueue`` (from cron or a systemd timer, and from ``make run``) puts the task
on the queue; ``manage.py db_worker`` executes it. Both halves are idempotent, so a task that runs
twice (a retry, a second timer) opens no signal twice and mails nobody twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django_tasks import task

from inbeeld.radar.actions.run import RunResult, run_all
from inbeeld.radar.digest import send_digests


@dataclass(frozen=True)
class DailyRun:
    as_of: datetime.date
    results: list[RunResult]
    digests_sent: int | None  # None: no digest was asked for

    def as_dict(self) -> dict[str, Any]:
        """A summary for the task result (stored as JSON)."""
        return {
            "as_of": self.as_of.isoformat(),
            "networks": [
                {
                    "network": r.network,
                    "persons": r.persons,
                    "opened": r.opened,
                    "updated": r.updated,
                    "cleared": r.cleared,
                    "escalated": r.escalated,
                    "persons_by_colour": r.persons_by_colour,
                }
                for r in self.results
            ],
            "digests_sent": self.digests_sent,
        }


def digest_by_default(day: datetime.date) -> bool:
    """The digest goes out with today's run; a run for another day (a what-if, a catch-up) mails nobody."""
    return day == timezone.localdate()


def run_daily(as_of: datetime.date | None = None, *, digest: bool | None = None) -> DailyRun:
    """Run the radar over every network as of a day (default today), then send that day's digests."""
    day = as_of or timezone.localdate()
    results = run_all(as_of=day)
    if digest is None:
        digest = digest_by_default(day)
    return DailyRun(day, results, send_digests(day) if digest else None)


@task()
def daily_radar(as_of: str | None = None, digest: bool | None = None) -> dict[str, Any]:
    """The daily run as a task. ``as_of`` is an ISO date (task arguments are stored as JSON); without it
    the day is the one on which the worker runs the task. ``digest``: None sends it for today's run."""
    day = datetime.date.fromisoformat(as_of) if as_of else None
    return run_daily(day, digest=digest).as_dict()
