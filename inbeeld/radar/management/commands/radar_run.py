"""manage.py radar_run [--as-of YYYY-MM-DD]: the radar's daily run over every network."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from inbeeld.radar.actions.run import run_all


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = "Evaluate the radar rules as of a date (default today): open, update, clear and escalate signals."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", dest="as_of", help="The day to run for (YYYY-MM-DD); default today.")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = parse_day(options["as_of"]) if options["as_of"] else timezone.localdate()
        for result in run_all(as_of=as_of):
            self.stdout.write(result.summary())
