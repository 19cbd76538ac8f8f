"""manage.py radar_digest [--day YYYY-MM-DD]: send the radar's daily digest e-mails on their own.

The daily run (``radar_run``) sends them already; this is for a digest that could not go out (the mail
server was down) or for testing the mail settings. Idempotent: nobody gets a second digest for a day.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from inbeeld.radar.digest import send_digests
from inbeeld.radar.management.commands.radar_run import parse_day


class Command(BaseCommand):
    help = "Mail every worker their open radar signals, once a day (default today)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", help="The day of the digest (YYYY-MM-DD); default today.")

    def handle(self, *args: Any, **options: Any) -> None:
        day = parse_day(options["day"], "--day") if options["day"] else timezone.localdate()
        sent = send_digests(day)
        self.stdout.write(f"{sent} digest e-mails sent for {day.isoformat()}.")
