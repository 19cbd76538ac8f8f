"""One report: every indicator of a network over whole calendar years, computed and protected.

``compute_report`` is the only way figures reach a page, a file or the API: it runs each indicator's
raw query and passes the result through ``reports.disclosure`` before anything else sees it. The raw
cubes are not kept on the report.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.core import audit
from inbeeld.core.models import AuditEvent, Network, Organisation
from inbeeld.reports import disclosure
from inbeeld.reports.cube import (
    NETWORK,
    CountCube,
    Indicator,
    OrgKey,
    Policy,
    ProtectedCounts,
    ProtectedGroups,
    Scope,
)
from inbeeld.reports.models import ReportSettings

# Reports cover at most this many calendar years: the council report looks back a decade.
MAX_YEARS = 10


@dataclass
class Report:
    network: Network
    scope: Scope
    policy: Policy
    exit_hold_months: int
    organisations: list[tuple[OrgKey, str]]
    indicators: list[Indicator]
    counts: dict[str, ProtectedCounts] = field(default_factory=dict)
    groups: dict[str, ProtectedGroups] = field(default_factory=dict)
    computed_at: datetime.datetime = field(default_factory=timezone.now)

    def indicator(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)

    def organisation_label(self, org: OrgKey) -> str:
        return dict(self.organisations)[org]


def organisations_of(network: Network) -> list[tuple[OrgKey, str]]:
    """The network first, then its organisations by name: the organisation picker's choices."""
    found: list[tuple[OrgKey, str]] = [(NETWORK, str(_("Whole network")))]
    for org in Organisation.objects.filter(network=network).order_by("name", "pk"):
        found.append((org.pk, org.name))
    return found


def first_data_year(network: Network, data_date: datetime.date) -> int:
    """The first year the network has persons in, but never more than MAX_YEARS back."""
    from inbeeld.people.models import StatusChange

    earliest = (
        StatusChange.objects.filter(person__network=network)
        .order_by("effective_on")
        .values_list("effective_on", flat=True)
        .first()
    )
    year = earliest.year if earliest else data_date.year
    return max(year, data_date.year - MAX_YEARS + 1)


def compute_report(
    network: Network,
    *,
    first_year: int,
    last_year: int,
    data_date: datetime.date | None = None,
    codes: list[str] | None = None,
) -> Report:
    """Every indicator (or those in ``codes``) for the whole calendar years ``first_year``..``last_year``,
    with data up to ``data_date`` (today), each passed through disclosure control."""
    from inbeeld.reports.indicators import ALL

    data_date = data_date or timezone.localdate()
    last_year = min(last_year, data_date.year)
    first_year = max(min(first_year, last_year), last_year - MAX_YEARS + 1)
    settings = ReportSettings.for_network(network)
    organisations = organisations_of(network)
    scope = Scope(
        network_id=network.pk,
        first_year=first_year,
        last_year=last_year,
        data_date=data_date,
        organisation_ids=tuple(int(key) for key, _label in organisations if key != NETWORK),
        exit_hold_months=settings.exit_hold_months,
    )
    policy = Policy(threshold=settings.suppression_threshold, min_group=settings.min_group)
    chosen = [i for i in ALL if codes is None or i.code in codes]
    report = Report(network, scope, policy, settings.exit_hold_months, organisations, chosen)
    for indicator in chosen:
        raw = indicator.compute(scope)
        if isinstance(raw, CountCube) and indicator.breakdown_of:
            totals = report.counts.get(indicator.breakdown_of)
            if totals is None:  # asked for on its own (the API): the totals it must agree with first
                totals = _protected_counts(indicator.breakdown_of, scope, policy)
            report.counts[indicator.code] = disclosure.protect_year_rows(raw, scope, policy, totals)
        elif isinstance(raw, CountCube):
            report.counts[indicator.code] = disclosure.protect_counts(raw, scope, policy)
        else:
            report.groups[indicator.code] = disclosure.protect_groups(raw, scope, policy)
    return report


def _protected_counts(code: str, scope: Scope, policy: Policy) -> ProtectedCounts:
    from inbeeld.reports.indicators import ALL

    raw = next(i for i in ALL if i.code == code).compute(scope)
    assert isinstance(raw, CountCube)
    return disclosure.protect_counts(raw, scope, policy)


def record_use(actor: audit.Actor, *, action: str, data: str, detail: dict[str, str]) -> None:
    """Who looked at or exported which figures: audited like any read, without a person."""
    with transaction.atomic():
        audit.record(actor, action=action, data=data, basis=AuditEvent.Basis.REPORTS, detail=detail)
