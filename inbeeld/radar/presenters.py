"""What the radar pages show, decided once for the dashboard, the signal pages, the transition board
and the person page: radar rows (live from the stored radar lines, or computed "as of" a past day
without storing anything), signal lines with their reasons, and the transition board.

Every function starts from the access policy through ``radar.queries`` / ``core.access``; the views
only add the audit of what they show.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from inbeeld.care.models import CarePlan, PlanVersion
from inbeeld.core import access, audit
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.models import Membership, User
from inbeeld.people.history import status_on
from inbeeld.people.models import Person, Status
from inbeeld.radar import queries, rules
from inbeeld.radar.actions import run
from inbeeld.radar.models import Colour, ExitRoute, KeyDate, PersonState, Signal
from inbeeld.radar.rules import Finding
from inbeeld.radar.snapshot import PersonFacts, end_of_day, local_date, start_of_day

PAGE_SIZE = 25

# What the access log calls each kind of radar data shown on a page.
audit.register_data_labels(
    {
        "radar.list": gettext_lazy("Radar list"),
        "radar.whatif": gettext_lazy("Radar list as of a past day (what-if)"),
        "radar.signals": gettext_lazy("Radar signals"),
        "radar.signal": gettext_lazy("Radar signal"),
        "radar.transition": gettext_lazy("Transition board"),
        "radar.exit_route": gettext_lazy("Exit route"),
    }
)


def colour_name(value: int) -> str:
    """The CSS and query name of a colour: green, amber, red."""
    return Colour(value).name.lower()


COLOUR_BY_NAME: dict[str, Colour] = {colour_name(c): c for c in Colour}


@dataclass(frozen=True)
class Badge:
    """A colour with its word: the pages never show a colour alone."""

    colour: int

    @property
    def colour_name(self) -> str:
        return colour_name(self.colour)

    @property
    def colour_label(self) -> str:
        return str(Colour(self.colour).label)


@dataclass(frozen=True)
class SignalLine:
    """One signal (or, in a what-if view, one finding) as a list shows it."""

    rule_label: str
    severity: int
    reason: str
    pk: int | None = None  # None: computed for a past day, never stored
    opened_on: datetime.date | None = None
    escalated_on: datetime.date | None = None
    acknowledged: bool = False

    @property
    def badge(self) -> Badge:
        return Badge(self.severity)


def signal_line(signal: Signal) -> SignalLine:
    return SignalLine(
        rule_label=rules.label_for(signal.rule),
        severity=signal.severity,
        reason=rules.reason_for(signal),
        pk=signal.pk,
        opened_on=signal.opened_on,
        escalated_on=signal.escalated_on if signal.is_open else None,
        acknowledged=signal.acknowledged_at is not None,
    )


def finding_line(finding: Finding, as_of: datetime.date) -> SignalLine:
    rule = rules.get(finding.rule)
    return SignalLine(
        rule_label=rules.label_for(finding.rule),
        severity=finding.severity,
        reason=rule.reason(finding.facts, as_of) if rule else finding.rule,
    )


@dataclass(frozen=True)
class RadarRow:
    person_id: int
    roepnaam: str
    status_label: str
    key_worker: str
    last_seen_on: datetime.date | None
    days_unseen: int | None
    admitted_since: datetime.date | None
    colour: int
    signals: list[SignalLine]

    @property
    def badge(self) -> Badge:
        return Badge(self.colour)


@dataclass(frozen=True)
class RadarView:
    rows: list[RadarRow]
    page: Page[Any]
    counts: dict[str, int]
    as_of: datetime.date
    whatif: bool


def seen_and_days(
    last_seen_at: datetime.datetime | None, day: datetime.date
) -> tuple[datetime.date | None, int | None]:
    if last_seen_at is None:
        return None, None
    seen_on = local_date(last_seen_at)
    return seen_on, (day - seen_on).days


def _status_label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status


class CountedPaginator(Paginator):
    """A paginator told its total: the colour counts already hold it, a COUNT over the join costs."""

    def __init__(self, object_list: Any, per_page: int, *, total: int) -> None:
        super().__init__(object_list, per_page)
        self._total = total

    @property
    def count(self) -> int:  # type: ignore[override]
        return self._total


def live_radar(membership: Membership | None, filters: queries.RadarFilters, page_number: Any) -> RadarView:
    """The stored radar lines this member sees, filtered, longest unseen first."""
    states = queries.radar_states(membership, filters)
    counts = queries.colour_counts(
        queries.radar_states(membership, dataclasses.replace(filters, colour=None))
    )
    page = CountedPaginator(states, PAGE_SIZE, total=queries.total(counts, filters)).get_page(page_number)
    lines: list[PersonState] = list(page.object_list)
    signals = queries.open_signals_by_person([line.person_id for line in lines])
    today = timezone.localdate()
    rows = []
    for line in lines:
        seen_on, days = seen_and_days(line.last_seen_at, today)
        person = line.person
        rows.append(
            RadarRow(
                person_id=line.person_id,
                roepnaam=person.roepnaam,
                status_label=str(person.get_status_display()),
                key_worker=str(person.key_worker) if person.key_worker else "",
                last_seen_on=seen_on,
                days_unseen=days,
                admitted_since=line.admitted_since,
                colour=line.colour,
                signals=[signal_line(s) for s in signals.get(line.person_id, [])],
            )
        )
    return RadarView(rows, page, counts, today, whatif=False)


def _status_matches(status: str, wanted: str) -> bool:
    if wanted == queries.ALL_STATUSES:
        return True
    if wanted:
        return status == wanted
    return status in queries.FOLLOWED_STATUSES


def findings_by_person(
    membership: Membership, as_of: datetime.date, person_ids: Iterable[int] | None = None
) -> tuple[dict[int, PersonFacts], dict[int, list[Finding]]]:
    """What the radar would have found on a day (nothing is stored), for the given persons, worst first.

    The whole network is evaluated (one snapshot: a handful of grouped queries) and then narrowed.
    """
    snapshot, findings = run.evaluate(membership.organisation.network, as_of)
    wanted = set(person_ids) if person_ids is not None else None
    found: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        if wanted is None or finding.person_id in wanted:
            found[finding.person_id].append(finding)
    for items in found.values():
        items.sort(key=lambda f: (-f.severity, f.rule, f.anchor))
    persons = {pk: p for pk, p in snapshot.persons.items() if wanted is None or pk in wanted}
    return persons, found


def whatif_radar(
    membership: Membership, filters: queries.RadarFilters, as_of: datetime.date, page_number: Any
) -> RadarView:
    """The radar as it would have looked on a past day, for the persons this member sees today."""
    # Who this member sees and the organisation / key worker filters come from today's radar lines.
    unfiltered = queries.RadarFilters(
        status=queries.ALL_STATUSES, organisation=filters.organisation, key_worker=filters.key_worker
    )
    visible = set(queries.radar_states(membership, unfiltered).order_by().values_list("person_id", flat=True))
    persons, found = findings_by_person(membership, as_of, visible)
    chosen = [p for p in persons.values() if _status_matches(p.status, filters.status)]
    if filters.rule:
        chosen = [p for p in chosen if any(f.rule == filters.rule for f in found.get(p.id, []))]
    colour = {p.id: max((f.severity for f in found.get(p.id, [])), default=Colour.GREEN) for p in chosen}
    counts = dict.fromkeys(("green", "amber", "red"), 0)
    for value in colour.values():
        counts[colour_name(value)] += 1
    if filters.colour is not None:
        chosen = [p for p in chosen if colour[p.id] == filters.colour]
    in_view_that_day = end_of_day(as_of)

    def order(p: PersonFacts) -> tuple[datetime.datetime, int]:
        # As the stored lines sort: in view since the last sighting, or (never seen) the registration.
        seen = in_view_that_day if p.admitted else (p.last_seen_at or start_of_day(p.registered_on))
        return (seen, p.id)

    chosen.sort(key=order)
    page = Paginator(chosen, PAGE_SIZE).get_page(page_number)
    shown: list[PersonFacts] = list(page.object_list)
    workers = {u.pk: str(u) for u in User.objects.filter(pk__in={p.key_worker_id for p in shown} - {None})}
    rows = []
    for p in shown:
        seen_on, days = seen_and_days(p.last_seen_at, as_of)
        rows.append(
            RadarRow(
                person_id=p.id,
                roepnaam=p.roepnaam,
                status_label=_status_label(p.status),
                key_worker=workers.get(p.key_worker_id, "") if p.key_worker_id else "",
                last_seen_on=seen_on,
                days_unseen=days,
                admitted_since=p.admitted.started_on if p.admitted else None,
                colour=colour[p.id],
                signals=[finding_line(f, as_of) for f in found.get(p.id, [])],
            )
        )
    return RadarView(rows, page, counts, as_of, whatif=True)


def reads_outcome_note(signal: Signal, found: PersonAccess) -> bool:
    """The note is free text of the resolving organisation: for them, and for those who read the file."""
    return found.allows(Need.READ_FILE) or (
        signal.resolved_by_organisation_id is not None
        and signal.resolved_by_organisation_id == found.own_organisation_id
    )


# --- the transition board -------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    person_id: int
    roepnaam: str
    key_worker: str
    has_plan: bool
    evaluation_date: datetime.date | None
    plan_link: bool  # the viewer may read the care plan
    route: str
    route_label: str
    may_set_route: bool
    signals: list[SignalLine]


@dataclass(frozen=True)
class Board:
    key_date: KeyDate
    as_of: datetime.date
    live: bool  # False: a past day, computed and stored nowhere
    days_to_go: int
    counts: dict[str, int]
    page: Page[Any]
    rows: list[BoardRow]

    @property
    def days_ago(self) -> int:
        return -self.days_to_go


def zone_persons(membership: Membership | None, key_date: KeyDate, as_of: datetime.date) -> QuerySet[Person]:
    """The persons this member sees who were on the street zone on ``as_of`` (by the status history),
    with whether they had a care plan, its evaluation date and their exit route for the key date then.
    Those with the most still to arrange come first."""
    end = end_of_day(as_of)
    return (
        access.radar_persons(membership)
        .filter(registered_at__lte=end)
        .annotate(status_then=Coalesce(status_on(as_of), F("status")))
        .filter(status_then=Status.STREET_ZONE)
        .annotate(
            has_plan=Exists(CarePlan.objects.filter(person=OuterRef("pk"), created_at__lte=end)),
            evaluation_date=Subquery(
                PlanVersion.objects.filter(plan__person=OuterRef("pk"), saved_at__lte=end)
                .order_by("-number")
                .values("evaluation_date")[:1]
            ),
            route=Subquery(
                ExitRoute.objects.filter(
                    person=OuterRef("pk"), key_date=key_date, recorded_at__lte=end
                ).values("route")[:1]
            ),
            has_open_signal=Exists(Signal.objects.open().filter(person=OuterRef("pk"))),
        )
        .select_related("key_worker")
        .order_by(F("route").asc(nulls_first=True), "has_plan", "roepnaam", "pk")
    )


def transition_board(
    membership: Membership, key_date: KeyDate, as_of: datetime.date, page_number: Any
) -> Board:
    live = as_of >= timezone.localdate()
    persons = zone_persons(membership, key_date, as_of)
    page = Paginator(persons, PAGE_SIZE).get_page(page_number)
    shown: list[Person] = list(page.object_list)
    ids = [p.pk for p in shown]
    totals = persons.aggregate(
        with_plan=Count("pk", filter=Q(has_plan=True)),
        with_route=Count("pk", filter=Q(route__isnull=False)),
        with_signals=Count("pk", filter=Q(has_open_signal=True)),
    )
    if live:
        signals = {
            pk: [signal_line(s) for s in items] for pk, items in queries.open_signals_by_person(ids).items()
        }
        with_signals = totals["with_signals"]
    else:
        on_zone = list(persons.values_list("pk", flat=True))
        _facts, found = findings_by_person(membership, as_of, on_zone)
        signals = {pk: [finding_line(f, as_of) for f in found[pk]] for pk in ids if pk in found}
        with_signals = len(found)
    counts = {
        "on_zone": page.paginator.count,
        "with_plan": totals["with_plan"],
        "with_route": totals["with_route"],
        "with_signals": with_signals,
    }
    routes = dict(ExitRoute.Route.choices)
    rows = []
    for person in shown:
        found_access = access.person_access(membership, person)
        allows = found_access.allows if found_access is not None else (lambda need: False)
        route = getattr(person, "route", None) or ""
        rows.append(
            BoardRow(
                person_id=person.pk,
                roepnaam=person.roepnaam,
                key_worker=str(person.key_worker) if person.key_worker else "",
                has_plan=bool(getattr(person, "has_plan", False)),
                evaluation_date=getattr(person, "evaluation_date", None),
                plan_link=allows(Need.READ_CARE),
                route=route,
                route_label=str(routes.get(route, "")),
                may_set_route=live and allows(Need.SET_EXIT_ROUTE),
                signals=signals.get(person.pk, []),
            )
        )
    return Board(key_date, as_of, live, key_date.days_to_go(as_of), counts, page, rows)
