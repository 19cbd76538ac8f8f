"""Raw shelter indicators (issue 7): bed-nights, ended stays and the residents' social network.

Check-in and check-out are moments; they count on their calendar day in the project's time zone
(``TIME_ZONE``, Europe/Amsterdam), on SQLite and PostgreSQL alike (``TruncDate`` converts in SQL).
A night belongs to the day it starts on: a stay from the 1st to the 3rd holds the nights of the 1st and
the 2nd. Nothing after the scope's last day (``Scope.end``) is counted.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from itertools import accumulate

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from inbeeld.people.models import NetworkTie
from inbeeld.reports.cube import (
    NETWORK,
    Category,
    CountCube,
    GroupCube,
    Indicator,
    OrgKey,
    Scope,
    next_month,
)
from inbeeld.shelter.models import Bed, Stay

OCCUPIED = "occupied_bed_nights"
AVAILABLE = "available_bed_nights"
STAYS = "stays"
RESIDENTS = "residents"
GROWN, SHRUNK = "grown", "shrunk"

DAY = datetime.timedelta(days=1)


def group_keys(scope: Scope) -> list[OrgKey]:
    return [NETWORK, *scope.organisation_ids]


# --- bed-nights -------------------------------------------------------------------------------------------


def _nights_per_month(
    scope: Scope, spans: Iterable[tuple[datetime.date, datetime.date]]
) -> dict[datetime.date, int]:
    """Occupied nights per month of ``spans`` (first night, day after the last night), clipped to the
    scope: a difference array over the scope's days, summed per month."""
    days = (scope.end - scope.start).days + 1
    diff = [0] * (days + 1)
    for first, after in spans:
        start = max((first - scope.start).days, 0)
        stop = min((after - scope.start).days, days)
        if start < stop:
            diff[start] += 1
            diff[stop] -= 1
    occupied = list(accumulate(diff[:days]))
    totals: dict[datetime.date, int] = {}
    for month in scope.months():
        start = (month - scope.start).days
        stop = (min(next_month(month), scope.end + DAY) - scope.start).days
        totals[month] = sum(occupied[start:stop])
    return totals


def shelter_occupancy(scope: Scope) -> CountCube:
    cube = CountCube(
        indicator="shelter_occupancy",
        flow=True,
        org_additive=True,
        categories=[
            Category(OCCUPIED, _("Occupied bed-nights")),
            Category(AVAILABLE, _("Available bed-nights")),
        ],
        category_additive=False,
    )
    first, after = scope.moments()
    stays = (
        Stay.objects.filter(location__organisation_id__in=scope.organisation_ids, checked_in_at__lt=after)
        .filter(Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=first))
        .values_list("location__organisation_id", TruncDate("checked_in_at"), TruncDate("checked_out_at"))
    )
    after_last_night = scope.end + DAY  # an open stay holds its bed up to and including the last day
    spans: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    for organisation_id, day_in, day_out in stays:
        spans[organisation_id].append((day_in, day_out or after_last_night))
    for organisation_id, organisation_spans in spans.items():
        for month, nights in _nights_per_month(scope, organisation_spans).items():
            if nights:
                cube.add(organisation_id, OCCUPIED, month, nights)
    # A site offers its beds only while it is open (opened_on .. closed_on, both included).
    beds = (
        Bed.objects.filter(in_use=True, room__location__organisation_id__in=scope.organisation_ids)
        .values_list(
            "room__location__organisation_id", "room__location__opened_on", "room__location__closed_on"
        )
        .order_by()
        .annotate(n=Count("id"))
    )
    for organisation_id, opened_on, closed_on, n in beds:
        open_span = (opened_on or scope.start, closed_on + DAY if closed_on else after_last_night)
        for month, nights in _nights_per_month(scope, [open_span]).items():
            if nights:
                cube.add(organisation_id, AVAILABLE, month, n * nights)
    return cube


# --- ended stays ------------------------------------------------------------------------------------------


def _ended_stays(scope: Scope) -> QuerySet[Stay]:
    """Stays checked out from the scope's first day up to and including its last day."""
    first, after = scope.moments()
    return Stay.objects.filter(
        organisation_id__in=scope.organisation_ids, checked_out_at__gte=first, checked_out_at__lt=after
    )


def shelter_stays(scope: Scope) -> GroupCube:
    cube = GroupCube(indicator="shelter_stays", categories=[Category(STAYS, _("Stays"))], unit=_("days"))
    for org in group_keys(scope):
        for year in scope.years():
            cube.group(org, STAYS, year)
    rows = _ended_stays(scope).values_list(
        "organisation_id", TruncDate("checked_in_at"), TruncDate("checked_out_at")
    )
    for organisation_id, day_in, day_out in rows:
        length = (day_out - day_in).days
        for org in (NETWORK, organisation_id):
            group = cube.group(org, STAYS, day_out.year)
            group.n += 1
            group.total += length
    return cube


def _network_size(ties: list[tuple[datetime.date, datetime.date | None]], day: datetime.date) -> int:
    """Ties that exist on the day (``NetworkTie.objects.open_on``): started, and not ended on or before it."""
    return sum(
        1 for started_on, ended_on in ties if started_on <= day and (ended_on is None or ended_on > day)
    )


def resident_network(scope: Scope) -> GroupCube:
    cube = GroupCube(
        indicator="resident_network",
        categories=[Category(RESIDENTS, _("Residents who left"))],
        unit=_("ties"),
        share_labels=[Category(GROWN, _("Network grew")), Category(SHRUNK, _("Network shrank"))],
    )
    for org in group_keys(scope):
        for year in scope.years():
            cube.group(org, RESIDENTS, year).shares.update({GROWN: 0, SHRUNK: 0})
    ended = _ended_stays(scope)
    stays = list(
        ended.values_list(
            "organisation_id", "person_id", TruncDate("checked_in_at"), TruncDate("checked_out_at")
        )
    )
    ties: dict[int, list[tuple[datetime.date, datetime.date | None]]] = defaultdict(list)
    tie_rows = NetworkTie.objects.filter(person_id__in=ended.values("person_id")).values_list(
        "person_id", "started_on", "ended_on"
    )
    for person_id, started_on, ended_on in tie_rows:
        ties[person_id].append((started_on, ended_on))
    for organisation_id, person_id, day_in, day_out in stays:
        change = _network_size(ties[person_id], day_out) - _network_size(ties[person_id], day_in)
        for org in (NETWORK, organisation_id):
            group = cube.group(org, RESIDENTS, day_out.year)
            group.n += 1
            group.total += change
            if change > 0:
                group.shares[GROWN] = group.shares.get(GROWN, 0) + 1
            elif change < 0:
                group.shares[SHRUNK] = group.shares.get(SHRUNK, 0) + 1
    return cube


INDICATORS: list[Indicator] = [
    Indicator(
        code="shelter_occupancy",
        title=_("Shelter occupancy"),
        definition=_(
            "Occupied bed-nights: for every stay, one night for each day from the check-in date up to, not "
            "including, the check-out date, and none after the data date (an open stay counts up to and "
            "including it), per organisation of the shelter site. Available bed-nights: the site's beds in "
            "use today times the days of the month the site was open, up to the data date (the bed register "
            "keeps no history of beds taken out of use)."
        ),
        compute=shelter_occupancy,
    ),
    Indicator(
        code="shelter_stays",
        title=_("Length of shelter stays"),
        definition=_(
            "Stays checked out in the year, per organisation of the stay and for the network: their number "
            "and mean length in days from the check-in date to the check-out date."
        ),
        compute=shelter_stays,
    ),
    Indicator(
        code="resident_network",
        title=_("Social network of shelter residents"),
        definition=_(
            "For each stay checked out in the year: the resident's recorded network ties that exist on the "
            "check-out date minus those on the check-in date (a tie exists from its start date up to, not "
            "including, its end date). Mean change and the shares of stays whose network grew or shrank."
        ),
        compute=resident_network,
    ),
]
