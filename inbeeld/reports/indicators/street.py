"""Raw street-count indicator (issue 7): outreach's headcounts on the network's street zones.

A stock: for each month and each street-zone location, the latest count dated on or before the month's
stock day (``Scope.as_of``: its last day, or the data date in the running month) is carried forward, so
a month without a count shows the last one. A location counts 0 before its first count and from the day
after it closed (``closed_on`` before the stock day). Of two counts on one day the one recorded last
stands (a correction in the field). Each location belongs to one organisation, so the cube is
organisation-additive: the network's figure is the sum over its locations.

Two queries: the network's street-zone locations, and their counts up to the scope's end (earlier ones
too, to carry the last one into the first month).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from inbeeld.core.models import Location
from inbeeld.reports.cube import Category, CountCube, Indicator, Scope
from inbeeld.reports.models import StreetCount

CODE = "street_counts"
COUNTED = "counted"


def compute(scope: Scope) -> CountCube:
    cube = CountCube(
        indicator=CODE,
        flow=False,
        org_additive=True,
        categories=[Category(COUNTED, _("People counted on the street zone"))],
        category_additive=False,
    )
    locations = list(
        Location.objects.filter(
            organisation__network_id=scope.network_id, kind=Location.Kind.STREET_ZONE
        ).values_list("pk", "organisation_id", "opened_on", "closed_on")
    )
    if not locations:
        return cube
    series: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
    rows = (
        StreetCount.objects.filter(
            location_id__in=[pk for pk, *_rest in locations], counted_on__lte=scope.end
        )
        .order_by("location_id", "counted_on", "recorded_at", "pk")
        .values_list("location_id", "counted_on", "count")
    )
    for location_id, counted_on, count in rows.iterator():
        series[location_id].append((counted_on, count))  # oldest first; the last of a day wins

    for location_id, organisation_id, opened_on, closed_on in locations:
        counts = series.get(location_id, [])
        index, latest = 0, 0
        for month in scope.months():
            day = scope.as_of(month)
            while index < len(counts) and counts[index][0] <= day:
                latest = counts[index][1]
                index += 1
            if (closed_on is not None and closed_on < day) or (opened_on is not None and day < opened_on):
                continue
            if latest:
                cube.add(organisation_id, COUNTED, month, latest)
    return cube


INDICATORS = [
    Indicator(
        code=CODE,
        title=_("People on the street zone (street counts)"),
        definition=_(
            "The headcounts outreach records on the street zones: per month the latest count on or before "
            "the month's last day (or the data date), carried forward until the next count; counted or "
            "estimated. A street zone that has closed counts 0 from the day after it closed. Shown beside "
            "the number of persons whose status is “street zone”, which comes from the by-name list."
        ),
        compute=compute,
    )
]
