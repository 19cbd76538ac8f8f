"""Compute each network's figures for the dashboard's default years, once a day (after the radar run).

The first request of a day would do the same; this spares the first analyst of the day the wait, and
starts afresh even if the figures were computed earlier today. Run it daily from the same timer as
``radar_run`` (docs/operations.md).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from inbeeld.core.models import Network
from inbeeld.reports.report import compute_report, first_data_year, forget_snapshots


class Command(BaseCommand):
    help = "Compute every network's figures for today (the dashboard's default years)."

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        for network in Network.objects.order_by("pk"):
            started = time.perf_counter()
            forget_snapshots(network)
            compute_report(
                network,
                first_year=first_data_year(network, today),
                last_year=today.year,
                data_date=today,
                reuse_today=True,
            )
            self.stdout.write(f"{network}: figures for today in {time.perf_counter() - started:.1f} s")
