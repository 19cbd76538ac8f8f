"""The shapes that carry figures from the indicator queries, through disclosure control, to the pages,
files and API.

An indicator query (``reports.indicators``) returns *raw* figures: a ``CountCube`` of counts per
organisation, category and month, or a ``GroupCube`` of group statistics (a mean, shares) per
organisation, category and year. Raw figures never leave the server: ``reports.disclosure`` turns them
into protected ones, and only those are rendered.

Time. Counts are kept per calendar month (the month's first day is its key). A *flow* counts events in
the month (intakes, visits), so a quarter or a year is the sum of its months. A *stock* is a state at
the month's last day, or at the data date for the running month (persons in view, on the street zone),
so a quarter's or a year's value is its last month's. Group statistics are per calendar year (as of the
year's last day, or the data date for the running year).

Organisations. When every event belongs to exactly one organisation (a visit to its huiskamer, a
referral from its worker) the cube is *organisation-additive*: its keys are organisation ids only and
the network's figure is their sum. When it counts persons, whom several organisations may share, it is
not: the network's figure is its own key ``NETWORK`` beside each organisation's.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.utils import timezone
from django.utils.functional import Promise

T = TypeVar("T")

NETWORK = "network"
TOTAL = "total"

OrgKey = int | str  # an organisation's id, or NETWORK
CountKey = tuple[OrgKey, str, datetime.date]  # (organisation, category, first day of the month)
GroupKey = tuple[OrgKey, str, int]  # (organisation, category, year)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    if month.month == 12:
        return month.replace(year=month.year + 1, month=1)
    return month.replace(month=month.month + 1)


def month_end(month: datetime.date) -> datetime.date:
    return next_month(month) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Scope:
    """What one report covers: whole calendar years of one network, up to the data date.

    ``organisation_ids``: every organisation of the network, in display order. Indicators always compute
    all of them (and the network): disclosure control protects them together, whichever one is shown.
    ``exit_hold_months``: an exit counts once the status ``exited`` has held this long (ReportSettings).
    """

    network_id: int
    first_year: int
    last_year: int
    data_date: datetime.date
    organisation_ids: tuple[int, ...]
    exit_hold_months: int = 6
    # Work several indicators share within one report (e.g. who is in view when), done once: see shared().
    memo: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def shared(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per report for everything ``key`` names; later callers get the same result."""
        if key not in self.memo:
            self.memo[key] = compute()
        return cast(T, self.memo[key])

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.first_year, 1, 1)

    @property
    def end(self) -> datetime.date:
        """The last day with data: the year's end, or the data date in the running year."""
        return min(datetime.date(self.last_year, 12, 31), self.data_date)

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The scope as moments: local midnight of its first day, and of the day after its last day."""
        zone = timezone.get_current_timezone()
        first = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        after = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return first, after

    def months(self) -> Iterator[datetime.date]:
        """First days of every month from the first year's January up to the month of ``end``."""
        month = self.start
        while month <= self.end:
            yield month
            month = next_month(month)

    def years(self) -> range:
        return range(self.first_year, self.end.year + 1)

    def as_of(self, month: datetime.date) -> datetime.date:
        """The day a stock is taken for ``month``: its last day, or the data date in the running month."""
        return min(month_end(month), self.data_date)


@dataclass(frozen=True)
class Category:
    key: str
    label: str | Promise


@dataclass
class CountCube:
    """Raw counts of one indicator: (organisation key, category key, month) → count; missing means 0.

    ``flow``: events in the month (add up over time) or else a stock at ``Scope.as_of(month)``.
    ``org_additive``: keys are organisation ids and the network is their sum; else ``NETWORK`` is a key
    of its own (and must be filled) and organisations may overlap.
    ``category_additive``: each event or person falls in exactly one category, so the categories add up
    to a total (disclosure control adds and protects it); else categories may overlap (e.g. the
    questions asked at one visit) and no total is shown.
    """

    indicator: str
    flow: bool
    org_additive: bool
    categories: list[Category]
    category_additive: bool
    counts: dict[CountKey, int] = field(default_factory=dict)
    # Categories a report is read for (the street zone among the statuses): where disclosure control
    # must hide one more cell, it hides another one, even the total, if that will do.
    headline: frozenset[str] = frozenset()

    def add(self, org: OrgKey, category: str, month: datetime.date, amount: int = 1) -> None:
        key = (org, category, month_start(month))
        self.counts[key] = self.counts.get(key, 0) + amount

    def add_monthly(self, category: str, rows: Iterable[tuple[OrgKey, datetime.date, int]]) -> CountCube:
        """Add (organisation, month, count) rows, as a GROUP BY on a truncated month gives them (a date,
        or a datetime on backends that truncate to one)."""
        for org, month, amount in rows:
            day = month.date() if isinstance(month, datetime.datetime) else month
            self.add(org, category, day, amount)
        return self


@dataclass
class Group:
    """Statistics over one group of persons or stays: its size, a mean, and numerators of shares."""

    n: int = 0
    total: float = 0.0  # the sum the mean divides by n (e.g. the sum of score changes)
    shares: dict[str, int] = field(default_factory=dict)  # e.g. {"improved": 7, "worse": 2}

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.n else None


@dataclass
class GroupCube:
    """Raw group statistics of one indicator: (organisation key, category key, year) → Group.

    Organisation keys are ids and ``NETWORK`` (groups of persons always may overlap, so the network's
    group is computed on its own). ``unit`` names what the mean is in ("days", "points", "ties").
    ``share_labels``: the shares' keys and labels, in display order.
    """

    indicator: str
    categories: list[Category]
    unit: str | Promise
    share_labels: list[Category] = field(default_factory=list)
    groups: dict[GroupKey, Group] = field(default_factory=dict)

    def group(self, org: OrgKey, category: str, year: int) -> Group:
        return self.groups.setdefault((org, category, year), Group())


@dataclass(frozen=True)
class Indicator:
    """One figure the reports show: what it is, how it is defined (the methods section), how to compute it."""

    code: str
    title: str | Promise
    definition: str | Promise
    compute: Callable[[Scope], CountCube | GroupCube]
    # A second breakdown of another indicator's events (referrals by outcome beside referrals by service):
    # both add up to the same total, so protecting them apart could show in one what the other hides.
    # Such a breakdown is shown per year for the whole network only, and only as a whole (see
    # disclosure.protect_year_rows).
    breakdown_of: str | None = None


GRANULARITIES = ("month", "quarter", "year")


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month, quarter or year; reports only ever show whole calendar periods."""

    start: datetime.date
    granularity: str

    @property
    def end(self) -> datetime.date:
        """The period's last day."""
        if self.granularity == "year":
            return datetime.date(self.start.year, 12, 31)
        last_month = self.start
        if self.granularity == "quarter":
            last_month = self.start.replace(month=self.start.month + 2)
        return month_end(last_month)

    @property
    def last_month(self) -> datetime.date:
        return month_start(self.end)

    def months(self) -> list[datetime.date]:
        month, found = self.start, []
        while month <= self.end:
            found.append(month)
            month = next_month(month)
        return found

    @property
    def key(self) -> str:
        """ "2017-03", "2017-Q1", "2017": stable keys for CSV and API."""
        if self.granularity == "year":
            return str(self.start.year)
        if self.granularity == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return self.start.strftime("%Y-%m")


def period_of(month: datetime.date, granularity: str) -> Period:
    if granularity == "year":
        return Period(datetime.date(month.year, 1, 1), "year")
    if granularity == "quarter":
        return Period(datetime.date(month.year, (month.month - 1) // 3 * 3 + 1, 1), "quarter")
    return Period(month_start(month), "month")


def periods(scope: Scope, granularity: str) -> list[Period]:
    """The periods of ``scope`` at ``granularity``, in order; the last may still be running."""
    found: list[Period] = []
    for month in scope.months():
        period = period_of(month, granularity)
        if not found or found[-1] != period:
            found.append(period)
    return found


@dataclass(frozen=True)
class Policy:
    """Disclosure control settings (``ReportSettings``): counts from 1 to ``threshold - 1`` are never
    shown; means and percentages only over groups of at least ``min_group``."""

    threshold: int = 5
    min_group: int = 10


@dataclass
class ProtectedCounts:
    """What may be shown of a ``CountCube``: every organisation key (``NETWORK`` first), every category
    (with ``TOTAL`` last when the categories add up) and every month, quarter and year of the scope.
    ``None`` is a suppressed cell."""

    indicator: str
    flow: bool
    categories: list[Category]
    org_keys: list[OrgKey]
    values: dict[tuple[OrgKey, str, Period], int | None]

    def value(self, org: OrgKey, category: str, period: Period) -> int | None:
        return self.values[(org, category, period)]


@dataclass(frozen=True)
class ShownGroup:
    """What may be shown of a ``Group``: ``None`` where suppressed; shares as percentages."""

    n: int | None
    mean: float | None
    shares: dict[str, float | None]


@dataclass
class ProtectedGroups:
    indicator: str
    categories: list[Category]
    unit: str | Promise
    share_labels: list[Category]
    org_keys: list[OrgKey]
    values: dict[GroupKey, ShownGroup]

    def value(self, org: OrgKey, category: str, year: int) -> ShownGroup:
        return self.values[(org, category, year)]
