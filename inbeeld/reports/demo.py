"""The demo's street counts: the outreach worker's monthly headcount on the street zone until it closed.

All invented. The counts follow the same simulated street zone as the persons' status histories
(``people.demo``): on the days of the published figures they are those figures (62 in January 2017, 45 in
November 2017, 38 in mid-2018, 6 in March 2019); in the other months the worker counts on the last
Thursday evening and gets the number of people the histories put on the zone that day, give or take one
(counted) or two (estimated, on a few evenings of rain or a police check). So every count is within ±2 of
the status-derived number on its day. The zone closes on 31 March 2019 (``core.demo.ZONE_CLOSED_ON``):
the last count is the one of mid-March.

Plain ORM writes, idempotent: a date that already has a count on the zone is left alone.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from inbeeld.core.demo import DEMO_EMAIL_DOMAIN, STREET_ZONE, ZONE_CLOSED_ON
from inbeeld.core.models import Location, Membership, Network
from inbeeld.core.roles import Role
from inbeeld.people.demo import STREET_ZONE_FIGURES, plan_persons, planned_street_zone_count
from inbeeld.reports.cube import month_end, next_month
from inbeeld.reports.models import StreetCount

SEED = "street-counts-demo"
FIRST_MONTH = datetime.date(2017, 1, 1)
THURSDAY = 3
ESTIMATED_NOTES = (
    "Schatting: harde regen, weinig zicht vanaf de bus.",
    "Schatting: politiecontrole, de ronde is afgebroken.",
    "Schatting vanaf de kade, niet iedereen gesproken.",
)
COUNTED_NOTES = ("", "", "Avondronde, samen met een collega.", "Rustige avond.")


def _last_thursday(month: datetime.date) -> datetime.date:
    day = month_end(month)
    while day.weekday() != THURSDAY:
        day -= datetime.timedelta(days=1)
    return day


def planned_counts() -> list[tuple[datetime.date, int, str, str]]:
    """(date, count, method, note) of every demo count, oldest first, in plain Python."""
    rng = random.Random(SEED)
    persons = plan_persons()
    published = {day.replace(day=1): (day, n) for day, n in STREET_ZONE_FIGURES if day <= ZONE_CLOSED_ON}
    planned: list[tuple[datetime.date, int, str, str]] = []
    month = FIRST_MONTH
    while month <= ZONE_CLOSED_ON:
        if month in published:
            day, count = published[month]
            planned.append((day, count, StreetCount.Method.COUNTED, "Telling voor de gemeenteraad."))
        else:
            day = _last_thursday(month)
            estimated = rng.random() < 0.25
            spread = 2 if estimated else 1
            count = max(0, planned_street_zone_count(persons, day) + rng.randint(-spread, spread))
            if estimated:
                planned.append((day, count, StreetCount.Method.ESTIMATED, rng.choice(ESTIMATED_NOTES)))
            else:
                planned.append((day, count, StreetCount.Method.COUNTED, rng.choice(COUNTED_NOTES)))
        month = next_month(month)
    return planned


def load_street_counts(network: Network) -> int:
    """Write the demo's street counts that are missing; return how many were written.

    Also makes sure the demo street zone is marked closed on 31 March 2019. Call inside a transaction,
    after ``core.demo.load_network``; without the demo street zone or outreach worker it writes nothing.
    """
    zone = Location.objects.filter(
        organisation__network=network, name=STREET_ZONE, kind=Location.Kind.STREET_ZONE
    ).first()
    outreach = (
        Membership.objects.filter(
            user__email=f"outreach@{DEMO_EMAIL_DOMAIN}", organisation__network=network, role=Role.OUTREACH
        )
        .select_related("user")
        .first()
    )
    if zone is None or outreach is None:
        return 0
    if zone.closed_on is None:
        zone.closed_on = ZONE_CLOSED_ON
        zone.save(update_fields=["closed_on"])
    existing = set(StreetCount.objects.filter(location=zone).values_list("counted_on", flat=True))
    made = [
        StreetCount(
            location=zone,
            counted_on=day,
            count=count,
            method=method,
            note=note,
            organisation_id=outreach.organisation_id,
            recorded_by=outreach.user,
            # Written up the same evening, after the round.
            recorded_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 30))),
        )
        for day, count, method, note in planned_counts()
        if day not in existing
    ]
    StreetCount.objects.bulk_create(made)
    return len(made)
