"""manage.py radar_run [--as-of YYYY-MM-DD] [--enqueue] [--no-digest]: the radar's daily run.

It runs over every network.

Inline by default; with ``--enqueue`` it puts the ``daily_radar`` task on the task backend for
``manage.py db_worker`` to execute (what the daily timer does). The digest e-mails go out when the run
is for today, unless ``--no-digest``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inbeeld.radar.tasks import daily_radar, run_daily


def parse_day(value: str, option: str = "--as-of") -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} must be a date as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Evaluate the radar rules as of a date (default today): open, update, clear and escalate signals; "
        "then send the day's digest e-mails."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", dest="as_of", help="The day to run for (YYYY-MM-DD); default today.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Put the run on the task queue for `manage.py db_worker` instead of running it here.",
        )
        parser.add_argument(
            "--no-digest",
            dest="digest",
            action="store_false",
            default=None,
            help="Send no digest e-mails (by default they go out when the run is for today).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = parse_day(options["as_of"]) if options["as_of"] else None
        digest: bool | None = options["digest"]
        if options["enqueue"]:
            queued = daily_radar.enqueue(as_of=as_of.isoformat() if as_of else None, digest=digest)
            self.stdout.write(f"Enqueued the daily radar run as task {queued.id}.")
            return
        run = run_daily(as_of, digest=digest)
        for result in run.results:
            self.stdout.write(result.summary())
        if run.digests_sent is not None:
            self.stdout.write(f"{run.digests_sent} digest e-mails sent for {run.as_of.isoformat()}.")
        elif digest is False:
            self.stdout.write("No digest e-mails sent (--no-digest).")
        else:
            self.stdout.write("No digest e-mails sent: they go out with the run for today.")
