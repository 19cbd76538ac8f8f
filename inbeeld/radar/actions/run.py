"""The daily run: evaluate every rule as of a date and bring the signals and radar lines in line.

Idempotent: a finding with an open signal for the same person, rule and anchor updates it (amber
becomes red, the facts move on); one whose occurrence a worker already resolved opens nothing; an
open signal without a finding any more is cleared. Running twice opens nothing twice.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max

from inbeeld.core import audit
from inbeeld.core.models import AuditEvent, Membership, Network
from inbeeld.core.roles import Role
from inbeeld.radar import rules
from inbeeld.radar.models import Colour, PersonState, Signal
from inbeeld.radar.rules import Finding, Threshold
from inbeeld.radar.snapshot import PersonFacts, Snapshot, end_of_day, start_of_day

BATCH = 2000


@dataclass
class RunResult:
    network: str
    as_of: datetime.date
    persons: int = 0
    opened: int = 0
    updated: int = 0
    cleared: int = 0
    escalated: int = 0
    persons_by_colour: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        colours = ", ".join(f"{k} {v}" for k, v in sorted(self.persons_by_colour.items()))
        return (
            f"{self.network} as of {self.as_of}: {self.persons} persons, {self.opened} signals opened, "
            f"{self.updated} updated, {self.cleared} cleared, {self.escalated} escalated "
            f"({colours or 'no persons'})"
        )


def _assignees(network: Network) -> dict[int, int]:
    """Lead organisation → its coordinator, for persons without a key worker."""
    rows = (
        Membership.objects.active()
        .filter(organisation__network=network, role=Role.COORDINATOR, user__is_active=True)
        .order_by("organisation_id", "started_on", "id")
        .values_list("organisation_id", "user_id")
    )
    out: dict[int, int] = {}
    for organisation_id, user_id in rows:
        out.setdefault(organisation_id, user_id)
    return out


def assignment(person: PersonFacts, coordinators: dict[int, int]) -> tuple[int | None, int | None]:
    """(user, organisation) a signal goes to: the key worker, else the lead organisation's coordinator."""
    if person.key_worker_id is not None:
        return person.key_worker_id, person.lead_organisation_id
    if person.lead_organisation_id is not None:
        return coordinators.get(person.lead_organisation_id), person.lead_organisation_id
    return None, None


def _findings(snapshot: Snapshot, thresholds: dict[str, Threshold]) -> dict[tuple[int, str, str], Finding]:
    found: dict[tuple[int, str, str], Finding] = {}
    for rule in rules.all_rules():
        threshold = thresholds[rule.key]
        if not threshold.enabled:
            continue
        for finding in rule.evaluate(snapshot, threshold):
            found[(finding.person_id, finding.rule, finding.anchor)] = finding
    return found


def evaluate(network: Network, as_of: datetime.date) -> tuple[Snapshot, list[Finding]]:
    """What the radar finds as of a day, without writing anything: for what-if views and previews."""
    snapshot = Snapshot.build(network, as_of)
    return snapshot, list(_findings(snapshot, rules.thresholds_for(network)).values())


def run_radar(network: Network, *, as_of: datetime.date, actor: audit.Actor | None = None) -> RunResult:
    snapshot = Snapshot.build(network, as_of)
    thresholds = rules.thresholds_for(network)
    findings = _findings(snapshot, thresholds)
    coordinators = _assignees(network)
    result = RunResult(network=network.name, as_of=as_of, persons=len(snapshot.persons))
    with transaction.atomic():
        _sync_signals(network, snapshot, findings, thresholds, coordinators, result)
        colours = _write_states(network, snapshot)
        result.persons_by_colour = colours
        audit.record(
            actor or audit.Actor.system("radar_run"),
            action=AuditEvent.Action.MAINTENANCE,
            data="radar.run",
            basis=AuditEvent.Basis.SYSTEM,
            detail={
                "network": network.pk,
                "as_of": as_of.isoformat(),
                "opened": result.opened,
                "cleared": result.cleared,
                "escalated": result.escalated,
            },
        )
    return result


def _sync_signals(
    network: Network,
    snapshot: Snapshot,
    findings: dict[tuple[int, str, str], Finding],
    thresholds: dict[str, Threshold],
    coordinators: dict[int, int],
    result: RunResult,
) -> None:
    as_of = snapshot.as_of
    open_signals = {
        (s.person_id, s.rule, s.anchor): s
        for s in Signal.objects.select_for_update().filter(network=network, state=Signal.State.OPEN)
    }
    resolved = set(
        Signal.objects.filter(network=network, state=Signal.State.RESOLVED).values_list(
            "person_id", "rule", "anchor"
        )
    )
    latest = {(person_id, rule): last for person_id, rule, last in _latest_ids(network)}
    new: list[Signal] = []
    changed: list[Signal] = []
    for key, finding in findings.items():
        person = snapshot.persons[finding.person_id]
        user_id, organisation_id = assignment(person, coordinators)
        signal = open_signals.pop(key, None)
        if signal is not None:
            if (signal.severity, signal.facts, signal.assigned_to_id) != (
                finding.severity,
                finding.facts,
                user_id,
            ):
                signal.severity = finding.severity
                signal.facts = finding.facts
                if signal.assigned_to_id != user_id:
                    signal.assigned_to_id, signal.assigned_organisation_id = user_id, organisation_id
                changed.append(signal)
            continue
        if key in resolved:
            continue
        new.append(
            Signal(
                network=network,
                person_id=finding.person_id,
                rule=finding.rule,
                anchor=finding.anchor,
                severity=finding.severity,
                facts=finding.facts,
                opened_on=as_of,
                assigned_to_id=user_id,
                assigned_organisation_id=organisation_id,
                previous_id=latest.get((finding.person_id, finding.rule)),
            )
        )
    Signal.objects.bulk_create(new, batch_size=BATCH)
    result.opened = len(new)
    Signal.objects.bulk_update(
        changed, ["severity", "facts", "assigned_to", "assigned_organisation"], batch_size=BATCH
    )
    result.updated = len(changed)
    # What no rule finds any more (the person was seen, the plan was made, the rule was switched off).
    gone = [s.pk for s in open_signals.values()]
    for start in range(0, len(gone), BATCH):
        Signal.objects.filter(pk__in=gone[start : start + BATCH]).update(
            state=Signal.State.CLEARED, cleared_on=as_of
        )
    result.cleared = len(gone)
    result.escalated = _escalate(network, as_of, thresholds)


def _latest_ids(network: Network) -> list[tuple[int, str, int]]:
    rows = Signal.objects.filter(network=network).values("person_id", "rule").annotate(last=Max("id"))
    return [(row["person_id"], row["rule"], row["last"]) for row in rows]


def _escalate(network: Network, as_of: datetime.date, thresholds: dict[str, Threshold]) -> int:
    """Signals nobody acknowledged in time go to the network's coordinators."""
    escalated = 0
    for rule_key, threshold in thresholds.items():
        cutoff = as_of - datetime.timedelta(days=threshold.escalate_after_days)
        escalated += Signal.objects.filter(
            network=network,
            rule=rule_key,
            state=Signal.State.OPEN,
            acknowledged_at__isnull=True,
            escalated_on__isnull=True,
            opened_on__lte=cutoff,
        ).update(escalated_on=as_of)
    return escalated


STATE_FIELDS = [
    "network_id",
    "last_seen_at",
    "last_seen_source",
    "admitted_since",
    "in_view_at",
    "colour",
    "status",
]


def _write_states(network: Network, snapshot: Snapshot) -> dict[str, int]:
    """Bring every person's radar line in line with the snapshot; write only the lines that changed."""
    worst: dict[int, int] = defaultdict(int)
    for person_id, severity in Signal.objects.filter(network=network, state=Signal.State.OPEN).values_list(
        "person_id", "severity"
    ):
        worst[person_id] = max(worst[person_id], severity)
    current = {
        row[0]: row[1:]
        for row in PersonState.objects.filter(network=network)
        .values_list("person_id", *STATE_FIELDS)
        .iterator(chunk_size=5000)
    }
    in_view_today = end_of_day(snapshot.as_of)
    changed = []
    counts: dict[str, int] = defaultdict(int)
    for person in snapshot.persons.values():
        colour = worst.get(person.id, Colour.GREEN)
        counts[Colour(colour).name.lower()] += 1
        admitted_since = person.admitted.started_on if person.admitted else None
        state = PersonState(
            person_id=person.id,
            network_id=network.pk,
            last_seen_at=person.last_seen_at,
            last_seen_source=person.last_seen_source,
            admitted_since=admitted_since,
            in_view_at=in_view_today if admitted_since else _in_view_at(person),
            colour=colour,
            status=person.current_status,
        )
        if current.get(person.id) != tuple(getattr(state, field) for field in STATE_FIELDS):
            changed.append(state)
    PersonState.objects.bulk_create(
        changed,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["person"],
        update_fields=[field.removesuffix("_id") for field in STATE_FIELDS],
    )
    return dict(counts)


def _in_view_at(person: PersonFacts) -> datetime.datetime:
    discharged = person.last_discharge.ended_on if person.last_discharge else None
    if discharged is not None and (person.last_seen_on is None or discharged > person.last_seen_on):
        return start_of_day(discharged)
    return person.last_seen_at or start_of_day(person.registered_on)


def run_all(*, as_of: datetime.date) -> list[RunResult]:
    return [run_radar(network, as_of=as_of) for network in Network.objects.order_by("pk")]
