"""The huiskamer's part of the demo network: its visitor register since it opened. All invented.

Named visits follow the demo's contacts in the huiskamer (a contact there is a visit), so the radar's
"last seen" of the demo stays as the care demo made it. Anonymous visits fill the opening days.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from inbeeld.care.models import Channel, Contact, Topic
from inbeeld.core.demo import HUISKAMER, DemoNetwork
from inbeeld.core.models import Location
from inbeeld.huiskamer.models import Intent, Service, Visit

LANGUAGES = ["nl", "nl", "nl", "en", "ro", "bg", "es", "pl"]
INTENTS = [Intent.UNKNOWN] * 6 + [Intent.INFO_ONLY] * 2 + [Intent.WANTS_TO_LEAVE, Intent.WANTS_TO_ENTER]
SERVICES = list(Service.values)
TOPICS = list(Topic.values)


def _extras(rng: random.Random) -> dict[str, object]:
    return {
        "services": rng.sample(SERVICES, rng.randint(0, 3)),
        "questions": rng.sample(TOPICS, rng.choice([0, 0, 1, 2])),
        "intent": rng.choice(INTENTS),
    }


def load_huiskamer(demo: DemoNetwork, *, today: datetime.date | None = None) -> dict[str, int]:
    """Plain ORM writes (bulk: no live radar updates; the loader's radar run follows)."""
    today = today or timezone.localdate()
    location = Location.objects.filter(name=HUISKAMER, organisation__network=demo.network).first()
    if location is None or location.opened_on is None or Visit.objects.filter(location=location).exists():
        return {}
    host = demo.user("host")
    rng = random.Random("huiskamer-demo")
    opening = {hours.weekday: hours for hours in location.opening_hours.all()}
    visits: list[Visit] = []
    for contact in Contact.objects.filter(
        organisation=location.organisation, channel=Channel.HUISKAMER, person__isnull=False
    ).only("person_id", "occurred_at", "recorded_by_id"):
        visits.append(
            Visit(
                location=location,
                person_id=contact.person_id,
                organisation=location.organisation,
                recorded_by_id=contact.recorded_by_id,
                arrived_at=contact.occurred_at,
                left_at=contact.occurred_at + datetime.timedelta(minutes=rng.randint(20, 150)),
                first_visit=False,
                language="nl",
                **_extras(rng),  # type: ignore[arg-type]
            )
        )
    named = len(visits)
    day = location.opened_on
    while day <= today:
        hours = opening.get(day.weekday())
        if hours is not None:
            opens = timezone.make_aware(datetime.datetime.combine(day, hours.opens_at))
            span = (
                datetime.datetime.combine(day, hours.closes_at)
                - datetime.datetime.combine(day, hours.opens_at)
            ).seconds // 60
            for _ in range(rng.randint(2, 7)):
                arrived = opens + datetime.timedelta(minutes=rng.randint(0, max(span - 30, 1)))
                if arrived > timezone.now():
                    continue
                left = arrived + datetime.timedelta(minutes=rng.randint(15, 120))
                visits.append(
                    Visit(
                        location=location,
                        organisation=location.organisation,
                        recorded_by=host,
                        arrived_at=arrived,
                        left_at=None if day == today and left > timezone.now() else min(left, timezone.now()),
                        first_visit=rng.random() < 0.1 or None,
                        language=rng.choice([*LANGUAGES, ""]),
                        **_extras(rng),  # type: ignore[arg-type]
                    )
                )
        day += datetime.timedelta(days=1)
    Visit.objects.bulk_create(visits, batch_size=2000)
    return {"huiskamer_visits": len(visits), "named_huiskamer_visits": named}
