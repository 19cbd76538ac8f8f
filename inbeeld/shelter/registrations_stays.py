"""Stay registrations: radar stay source, sightings, timeline, person-page section.

- Radar stays: an open shelter stay puts the person "in view, admitted"; a check-out is a discharge, so
  the radar's "discharged without contact" rule follows it.
- Radar sightings: a check-in, and a check-out the person was there for (``PRESENT_AT_CHECKOUT``), move
  "last seen". The live hook (a saved stay) and the daily run (``latest_stay_sightings``) must agree.
- Timeline: each stay is an episode ("Shelter stay, site, from–to") for those who read the file, the
  shelter organisation's own stays, another organisation's only by consent for episodes (rule 2).
- Person page: the latest stays, on the same terms as the timeline, for caseworkers; recorded as read.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from inbeeld.core import access as policy
from inbeeld.core import audit
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.models import Network
from inbeeld.people import sections
from inbeeld.people.models import DataCategory
from inbeeld.people.timeline import Entry, Source, register
from inbeeld.radar import sources as radar
from inbeeld.radar.snapshot import end_of_day
from inbeeld.shelter.models import Stay
from inbeeld.shelter.stays.stays import PRESENT_AT_CHECKOUT

KIND = "shelter"
SECTION_SIZE = 5


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def shelter_stays(network: Network, day: datetime.date) -> Iterator[radar.Stay]:
    rows = Stay.objects.filter(person__network=network, checked_in_at__lte=end_of_day(day)).values_list(
        "person_id", "checked_in_at", "checked_out_at"
    )
    for person_id, checked_in_at, checked_out_at in rows.iterator(chunk_size=5000):
        ended = _day(checked_out_at) if checked_out_at is not None else None
        yield radar.Stay(person_id, KIND, _day(checked_in_at), ended)


def latest_stay_sightings(network: Network, until: datetime.datetime) -> dict[int, datetime.datetime]:
    """Each person's latest check-in, or check-out they were there for, up to the moment."""
    seen = radar.latest_per_person(network, Stay.objects.filter(checked_in_at__lte=until), "checked_in_at")
    left = Stay.objects.filter(checked_out_at__lte=until, checkout_reason__in=PRESENT_AT_CHECKOUT)
    for person_id, moment in radar.latest_per_person(network, left, "checked_out_at").items():
        if person_id not in seen or moment > seen[person_id]:
            seen[person_id] = moment
    return seen


def stay_seen(stay: Any) -> tuple[int, datetime.datetime] | None:
    if stay.checked_out_at is None:
        return stay.person_id, stay.checked_in_at
    if stay.checkout_reason in PRESENT_AT_CHECKOUT:
        return stay.person_id, stay.checked_out_at
    return None


def stay_entry(access: PersonAccess, stay: Stay) -> Entry:
    start = date_format(timezone.localtime(stay.checked_in_at).date(), "SHORT_DATE_FORMAT")
    end = (
        date_format(timezone.localtime(stay.checked_out_at).date(), "SHORT_DATE_FORMAT")
        if stay.checked_out_at
        else ""
    )
    return Entry(
        when=stay.checked_in_at,
        kind="shelter_stay",
        kind_label=_("Episode"),
        title=_("Shelter stay, %(site)s, %(start)s–%(end)s")
        % {"site": stay.location.name, "start": start, "end": end},
        detail=str(stay.get_checkout_reason_display()) if stay.checked_out_at else "",
        organisation=stay.organisation.name,
    )


def stays_section(request: HttpRequest, person_access: PersonAccess) -> str | None:
    if not person_access.allows(Need.READ_FILE):
        return None
    rows = Stay.objects.filter(person=person_access.person)
    scope = policy.record_scope(person_access, rows, DataCategory.EPISODES)
    found = list(
        scope.apply(rows)
        .select_related("location", "organisation")
        .order_by("-checked_in_at", "-id")[:SECTION_SIZE]
    )
    if not found:
        return None
    actor = audit.Actor.from_request(request)
    policy.record_shared_read(actor, person_access, scope.shared, data="shelter.stays.section")
    return render_to_string("shelter/stays/_section.html", {"stays": found}, request=request)


radar.register_stay(radar.StaySource(key=KIND, label=lambda: str(_("Shelter stay")), stays=shelter_stays))
radar.register_sighting(
    radar.SightingSource(
        key="shelter_stay",
        label=lambda: str(_("Shelter check-in or check-out")),
        latest=latest_stay_sightings,
        model=Stay,
        seen_at=stay_seen,
    )
)
register(
    Source(
        key="shelter_stay",
        label=lambda: _("Shelter stays"),
        need=Need.READ_FILE,
        category=DataCategory.EPISODES,
        rows=lambda a: Stay.objects.filter(person=a.person).select_related("location", "organisation"),
        owner_field="organisation_id",
        order_field="checked_in_at",
        entry=stay_entry,
    )
)
sections.register(sections.Section("shelter_stays", 46, stays_section))
