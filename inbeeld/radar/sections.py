"""The radar on the person page: last seen (or in view, admitted), the colour and the open signals.

Shown to whoever may read this person's radar (``Need.READ_RADAR``): the radar core is shared with
every involved organisation and with the network's coordinators. The page's own read ("person.page")
covers it, as it is part of the radar core that page already shows.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from inbeeld.core.access import Need, PersonAccess
from inbeeld.people import sections
from inbeeld.radar import presenters, queries
from inbeeld.radar.models import Colour, PersonState


def radar_section(request: HttpRequest, person_access: PersonAccess) -> str | None:
    if not person_access.allows(Need.READ_RADAR):
        return None
    person = person_access.person
    state = PersonState.objects.filter(person=person).first()
    seen_on, days = presenters.seen_and_days(state.last_seen_at if state else None, timezone.localdate())
    signals = [
        presenters.signal_line(s) for s in queries.open_signals_by_person([person.pk]).get(person.pk, [])
    ]
    colour = state.colour if state is not None else Colour.GREEN
    context = {
        "person": person,
        "state": state,
        "last_seen_on": seen_on,
        "days_unseen": days,
        "colour": presenters.Badge(colour),
        "signals": signals,
    }
    return render_to_string("radar/_section.html", context, request=request)


sections.register(sections.Section("radar", 10, radar_section))
