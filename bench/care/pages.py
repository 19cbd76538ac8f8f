"""The person page with its first timeline page, timed with Django's test client.

One process, wall-clock, no web server: the whole middleware stack, the access decision, the audit
events the pages write, the queries and the template render. The viewer is a caseworker of the
foundation, which is involved with every person; the persons are drawn from the 1 % with the most
contacts (several hundred to a few thousand each). Import after ``django.setup()``.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.urls import reverse

from bench.care.generate import Traits, World
from inbeeld.core import access
from inbeeld.core.access import Need
from inbeeld.core.middleware import SESSION_MEMBERSHIP_KEY
from inbeeld.people import timeline
from inbeeld.people.views import TIMELINE_PAGE_SIZE


def heavy_persons(people: list[Traits], seed: int, count: int) -> list[int]:
    """``count`` person ids drawn from the top 1 % by contact weight (at least ``count`` of them)."""
    ranked = sorted(range(len(people)), key=lambda index: people[index].weight, reverse=True)
    top = ranked[1 : 1 + max(count, len(people) // 100)]  # not the heaviest: timed on its own
    rng = random.Random(seed + 11)
    return [index + 1 for index in rng.sample(top, min(count, len(top)))]


def contact_counts(person_ids: list[int]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM care_contact WHERE person_id = ANY(%s) GROUP BY person_id", [person_ids]
        )
        return sorted(row[0] for row in cursor.fetchall())


@dataclass
class PageTimes:
    page: list[float]
    timeline: list[float]
    both: list[float]
    timeline_in_process: list[float]  # access.person_for + timeline.page: the queries, no audit, no render
    heaviest_first: tuple[float, float] = (0.0, 0.0)  # the person with the most contacts: page, timeline
    heaviest_again: tuple[float, float] = (0.0, 0.0)  # the same, p50 of 10 more (warm caches)


def heaviest_person(people: list[Traits]) -> int:
    return max(range(len(people)), key=lambda index: people[index].weight) + 1


def measure(world: World, person_ids: list[int], heaviest: int) -> PageTimes:
    client = Client()
    membership = world.caseworker
    client.force_login(membership.user)
    session = client.session
    session[SESSION_MEMBERSHIP_KEY] = membership.pk
    session.save()

    def get(url: str) -> float:
        start = time.perf_counter()
        response = client.get(url)
        took = time.perf_counter() - start
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        return took

    def pages(person_id: int) -> tuple[float, float]:
        return (
            get(reverse("people:detail", args=[person_id])),
            get(reverse("people:timeline", args=[person_id])),
        )

    pages(person_ids[-1])  # warm-up: connections, templates, translations (not counted)
    times = PageTimes([], [], [], [])
    for person_id in person_ids:
        page, line = pages(person_id)
        times.page.append(page)
        times.timeline.append(line)
        times.both.append(page + line)
    for person_id in person_ids:
        start = time.perf_counter()
        found = access.person_for(membership, person_id, Need.READ_CORE)
        entries, _has_next = timeline.page(found, 1, TIMELINE_PAGE_SIZE)
        times.timeline_in_process.append(time.perf_counter() - start)
        if len(entries) != TIMELINE_PAGE_SIZE:
            raise SystemExit(f"person {person_id}: the first timeline page has {len(entries)} entries")
    times.heaviest_first = pages(heaviest)
    again = [pages(heaviest) for _ in range(10)]
    times.heaviest_again = (
        statistics.median(page for page, _ in again),
        statistics.median(line for _, line in again),
    )
    return times


def percentile(times: list[float], pct: int) -> float:
    if len(times) < 2:
        return times[0]
    return statistics.quantiles(times, n=100, method="inclusive")[pct - 1]
