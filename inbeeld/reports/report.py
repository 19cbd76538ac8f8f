"""One report: every indicator of a network over whole calendar years, computed and protected.

``compute_report`` is the only way figures reach a page, a file or the API: it runs each indicator's
raw query and passes the result through ``reports.disclosure`` before anything else sees it. The raw
cubes are not kept on the report.
"""

from __future__ import annotations

import datetime
import pickle
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.core import audit
from inbeeld.core.models import AuditEvent, Network, Organisation
from inbeeld.reports import disclosure
from inbeeld.reports.cube import (
    NETWORK,
    CountCube,
    GroupCube,
    Indicator,
    OrgKey,
    Policy,
    ProtectedCounts,
    ProtectedGroups,
    Scope,
)
from inbeeld.reports.models import ReportSettings, ReportSnapshot

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
    reuse_today: bool = False,
) -> Report:
    """Every indicator (or those in ``codes``) for the whole calendar years ``first_year``..``last_year``,
    with data up to ``data_date`` (today), each passed through disclosure control.

    ``reuse_today``: take the raw figures from today's snapshot of these years if there is one, and
    store them as that snapshot when computing all of them (see ``ReportSnapshot``). The pages, files
    and API do; what is shown is protected on every read all the same."""
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
    # A second breakdown is protected against the totals of the indicator it breaks down: that one too.
    wanted = (
        None
        if codes is None
        else {*codes, *(i.breakdown_of for i in ALL if i.code in codes and i.breakdown_of)}
    )
    chosen = [i for i in ALL if wanted is None or i.code in wanted]
    report = Report(network, scope, policy, settings.exit_hold_months, organisations, chosen)
    raw: dict[str, CountCube | GroupCube] | None = None
    if reuse_today:
        found = _snapshot_of(scope)
        if found is not None:
            raw, report.computed_at = found
    if raw is None:
        raw = {indicator.code: indicator.compute(scope) for indicator in chosen}
        if reuse_today and codes is None:
            _store_snapshot(scope, raw, report.computed_at)
    for indicator in chosen:
        cube = raw[indicator.code]
        if isinstance(cube, CountCube) and indicator.breakdown_of:
            totals = report.counts[indicator.breakdown_of]  # computed first: ALL lists it earlier
            report.counts[indicator.code] = disclosure.protect_year_rows(cube, scope, policy, totals)
        elif isinstance(cube, CountCube):
            report.counts[indicator.code] = disclosure.protect_counts(cube, scope, policy)
        else:
            report.groups[indicator.code] = disclosure.protect_groups(cube, scope, policy)
    return report


def _snapshot_key(scope: Scope) -> dict[str, Any]:
    return {"network_id": scope.network_id, "first_year": scope.first_year, "last_year": scope.last_year}


def _snapshot_of(scope: Scope) -> tuple[dict[str, CountCube | GroupCube], datetime.datetime] | None:
    """Today's raw figures for these years, if they were computed for the same organisations and rules."""
    found = ReportSnapshot.objects.filter(**_snapshot_key(scope), data_date=scope.data_date).first()
    if found is None:
        return None
    # Our own pickle, written by _store_snapshot from the indicators' output: never user input.
    payload = pickle.loads(bytes(found.cubes))  # noqa: S301
    if (payload["organisation_ids"], payload["exit_hold_months"]) != (
        scope.organisation_ids,
        scope.exit_hold_months,
    ):
        return None
    return payload["cubes"], found.taken_at


def _store_snapshot(
    scope: Scope, cubes: dict[str, CountCube | GroupCube], taken_at: datetime.datetime
) -> None:
    payload = {
        "organisation_ids": scope.organisation_ids,
        "exit_hold_months": scope.exit_hold_months,
        "cubes": cubes,
    }
    try:
        with transaction.atomic():
            ReportSnapshot.objects.update_or_create(
                **_snapshot_key(scope),
                defaults={"data_date": scope.data_date, "taken_at": taken_at, "cubes": pickle.dumps(payload)},
            )
    except IntegrityError:
        pass  # another request stored the same day's figures at the same moment


def forget_snapshots(network: Network) -> int:
    """Drop the network's stored figures: the next read computes them again from the records."""
    return ReportSnapshot.objects.filter(network=network).delete()[0]


def record_use(actor: audit.Actor, *, action: str, data: str, detail: dict[str, str]) -> None:
    """Who looked at or exported which figures: audited like any read, without a person."""
    with transaction.atomic():
        audit.record(actor, action=action, data=data, basis=AuditEvent.Basis.REPORTS, detail=detail)
