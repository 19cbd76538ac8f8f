"""Load the fictional demo network: organisations, a user per role, ~70 invented persons, their care,
the radar, the huiskamer register, network maps, the shelter with its volunteers, and partner services.

Idempotent: what exists (by natural key) is left alone, so a second run changes nothing. The persons
are written with the plain ORM in one transaction, with one summary audit event when anything was
created. Refuses to run outside demo/debug mode unless --force: the demo password is public.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from inbeeld.care.demo import load_care
from inbeeld.chain.demo import load_services
from inbeeld.chain.episodes.demo import load_episodes
from inbeeld.core import audit
from inbeeld.core.demo import LOGIN_URL, NETWORK_NAME, load_network, login_lines
from inbeeld.core.models import AuditEvent
from inbeeld.huiskamer.demo import load_huiskamer
from inbeeld.people.demo import load_persons
from inbeeld.people.demo_ties import load_ties
from inbeeld.radar.actions.run import run_radar
from inbeeld.radar.demo import load_radar
from inbeeld.reports.demo import load_street_counts
from inbeeld.shelter.demo import load_shelter


class Command(BaseCommand):
    help = "Load the fictional demo network with a demo user per role. Safe to rerun."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even outside demo/debug mode (the demo accounts share a published password).",
        )

    def handle(self, *args: Any, force: bool, verbosity: int, **options: Any) -> None:
        if not (settings.DEMO_MODE or settings.DEBUG or force):
            raise CommandError(
                "load_demo creates accounts with a published password; it runs only with INBEELD_DEMO=1 "
                "or INBEELD_DEBUG=1 (or --force, never on a production database)."
            )
        with transaction.atomic():
            demo = load_network()
            created = {**demo.created, **load_persons(demo)}
            created.update(load_care(demo))  # after the persons: it follows their status histories
            created.update(load_radar(demo))
            created.update(load_huiskamer(demo))
            created.update(load_ties(demo))
            created.update(load_shelter(demo))
            created.update(load_services(demo))
            created.update(load_episodes(demo))  # after load_care: information received ends before a contact
            if street_counts := load_street_counts(demo.network):
                created["street_counts"] = street_counts
            if created:
                audit.record(
                    audit.Actor.system("load_demo"),
                    action=AuditEvent.Action.MAINTENANCE,
                    data="demo",
                    basis=AuditEvent.Basis.SYSTEM,
                    detail={"created": created},
                )
        if created:
            # The radar has something to show at once, before the worker's first daily run.
            run_radar(demo.network, as_of=timezone.localdate())
        if verbosity == 0:
            return
        persons = demo.network.persons.count()
        if created:
            made = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in created.items())
            self.stdout.write(self.style.SUCCESS(f"Demo network loaded: {made}."))
        else:
            self.stdout.write("Demo network already loaded; nothing changed.")
        self.stdout.write(f"{NETWORK_NAME}: {persons} invented persons. Log in at {LOGIN_URL} as:")
        for line in login_lines(demo):
            self.stdout.write(line)
        if settings.DEMO_WAIVE_2FA:
            self.stdout.write("Two-factor authentication is waived in demo mode (INBEELD_DEMO=1).")
        else:
            self.stdout.write(
                "Two-factor authentication is required at first login; "
                "it is waived only in demo mode (INBEELD_DEMO=1)."
            )
