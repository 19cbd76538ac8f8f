"""The radar's part of the demo network: the closing date of the street zone, the exit routes agreed
in the months before it, and two recent intakes still waiting for a care plan. All invented.

The zone's closing lies in the past of the demo (31 March 2019): the transition board shows it "as of"
a day before, when six persons were still on the zone.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from inbeeld.care.models import Intake
from inbeeld.core.demo import FOUNDATION, DemoNetwork
from inbeeld.people.history import persons_with_status_on
from inbeeld.people.models import Person, Status
from inbeeld.radar.models import ExitRoute, KeyDate

ZONE_CLOSES = datetime.date(2019, 3, 31)
ROUTES = [
    ExitRoute.Route.EXIT_PROGRAMME,
    ExitRoute.Route.LICENSED_SEX_WORK,
    ExitRoute.Route.TREATMENT,
    ExitRoute.Route.SHELTER,
    ExitRoute.Route.RETURN_HOME,
]


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def load_radar(demo: DemoNetwork, *, today: datetime.date | None = None) -> dict[str, int]:
    """Plain ORM writes; the caller records one summary audit event. Call inside a transaction."""
    today = today or timezone.localdate()
    created: dict[str, int] = {}
    closing, made = KeyDate.objects.get_or_create(
        network=demo.network,
        name="Sluiting tippelzone",
        defaults={
            "date": ZONE_CLOSES,
            "description": "De gemeente sluit de tippelzone: wie er werkt, heeft dan een plan en een route.",
        },
    )
    if not made:
        return created
    created["key_dates"] = 1
    foundation = demo.organisations[FOUNDATION]
    rng = random.Random("radar-demo")
    on_zone = list(
        persons_with_status_on(ZONE_CLOSES - datetime.timedelta(days=60), Status.STREET_ZONE, demo.network)
    )
    # About two in three had a route agreed by two months before the closing; the rest came late or never.
    for index, person in enumerate(sorted(on_zone, key=lambda p: p.pk)):
        if index % 3 == 2:
            continue
        ExitRoute.objects.create(
            person=person,
            key_date=closing,
            route=rng.choice(ROUTES),
            organisation=foundation,
            recorded_by=person.key_worker or demo.key_workers[0],
            recorded_at=_noon(ZONE_CLOSES - datetime.timedelta(days=rng.randint(30, 150))),
        )
        created["exit_routes"] = created.get("exit_routes", 0) + 1
    waiting = (
        Person.objects.in_network(demo.network)
        .filter(care_plan__isnull=True, key_worker__isnull=False)
        .exclude(status__in=[Status.EXITED, Status.MOVED_AWAY, Status.DECEASED])
        .order_by("pk")[:2]
    )
    for person, days_ago in zip(waiting, (35, 64), strict=False):
        Intake.objects.create(
            organisation=person.lead_organisation or foundation,
            person=person,
            started_by=person.key_worker or demo.key_workers[0],
            started_at=_noon(today - datetime.timedelta(days=days_ago + 1)),
            step=Intake.Step.DONE,
            completed_at=_noon(today - datetime.timedelta(days=days_ago)),
        )
        created["intakes"] = created.get("intakes", 0) + 1
    return created
