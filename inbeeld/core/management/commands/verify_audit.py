"""Check the audit trail's hash chain; exit code 1 at the first broken link."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from inbeeld.core.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and report the first broken link (exit code 1 when broken)."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify_chain()
        if broken is None:
            self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {checked} events verified."))
            return
        self.stderr.write(
            self.style.ERROR(
                f"Audit trail broken at event {broken.event_id}: {broken.reason}. "
                f"{checked} events before it verified."
            )
        )
        sys.exit(1)
