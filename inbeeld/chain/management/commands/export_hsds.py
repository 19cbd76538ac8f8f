"""Write a network's partner services directory as Open Referral HSDS 3.0 JSON (stdout or a file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inbeeld.chain import hsds
from inbeeld.core.models import Network


class Command(BaseCommand):
    help = (
        "Export the partner services directory as Open Referral HSDS 3.0 JSON; --validate checks it against "
        "the HSDS JSON Schemas (exit code 1 when it does not validate)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--network", metavar="SLUG", help="The network's slug; needed when there are several."
        )
        parser.add_argument(
            "--validate", action="store_true", help="Validate against the HSDS 3.0 JSON Schemas."
        )
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="Write to FILE instead of standard output."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        network = self._network(options["network"])
        document = hsds.export_network(network)
        if options["validate"]:
            problems = hsds.validate(document)
            if problems:
                for problem in problems:
                    self.stderr.write(problem)
                raise CommandError(f"The export does not validate as HSDS {hsds.HSDS_VERSION}.", returncode=1)
        text = json.dumps(document, ensure_ascii=False, indent=2)
        if options["output"]:
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
            services = sum(len(o["services"]) for o in document["contents"])
            self.stderr.write(
                f"{len(document['contents'])} organisations, {services} services → {options['output']}"
            )
            if options["validate"]:
                self.stderr.write(self.style.SUCCESS(f"Valid HSDS {hsds.HSDS_VERSION}."))
        else:
            self.stdout.write(text)

    def _network(self, slug: str | None) -> Network:
        if slug:
            found = Network.objects.filter(slug=slug).first()
            if found is None:
                raise CommandError(f"No network with slug {slug!r}.")
            return found
        networks = list(Network.objects.all()[:2])
        if len(networks) != 1:
            raise CommandError(
                "Name the network with --network SLUG." if networks else "There is no network yet."
            )
        return networks[0]
