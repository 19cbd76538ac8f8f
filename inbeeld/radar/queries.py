"""The radar as a member may see it: the list, its filters and counts, and single signals.

Both the web pages and the API read through here; every function starts from the access policy
(``core.access.radar_persons`` / ``person_for``), so nobody sees a signal of a person their
organisation is not involved with, unless they coordinate the network (rule 3).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet

from inbeeld.core import access, audit
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.models import AuditEvent, Membership
from inbeeld.core.roles import NETWORK_WIDE
from inbeeld.people.models import Status, involved_with
from inbeeld.radar.models import Colour, PersonState, Signal

# The statuses the radar follows by default; the others are a filter away.
FOLLOWED_STATUSES = frozenset(set(Status.values) - {Status.EXITED, Status.MOVED_AWAY, Status.DECEASED})
ALL_STATUSES = "all"


@dataclass(frozen=True)
class RadarFilters:
    status: str = ""  # "": the followed statuses; "all"; or one status
    organisation: int | None = None  # persons this organisation is involved with
    key_worker: int | None = None
    rule: str = ""  # persons with an open signal of this rule
    colour: int | None = None
    escalated: bool = False  # persons with an escalated open signal


def radar_states(membership: Membership | None, filters: RadarFilters) -> QuerySet[PersonState]:
    """The radar lines this member sees, filtered, longest unseen first (never seen at the top)."""
    access.radar_persons(membership)  # the policy decides who has a radar at all (404 otherwise)
    assert membership is not None
    states = PersonState.objects.filter(network_id=membership.organisation.network_id)
    if membership.role not in NETWORK_WIDE:
        # The same rule as radar_persons, put on the line's own person: no second join of persons.
        states = states.filter(involved_with(membership.organisation_id, person="person__"))
    states = _filtered(states, filters)
    return states.select_related("person", "person__key_worker", "person__lead_organisation").order_by(
        "in_view_at", "person_id"
    )


def _filtered(states: QuerySet[PersonState], filters: RadarFilters) -> QuerySet[PersonState]:
    if filters.status == ALL_STATUSES:
        pass
    elif filters.status:
        states = states.filter(status=filters.status)
    else:
        states = states.filter(status__in=FOLLOWED_STATUSES)
    if filters.organisation is not None:
        states = states.filter(involved_with(filters.organisation, person="person__"))
    if filters.key_worker is not None:
        states = states.filter(person__key_worker_id=filters.key_worker)
    if filters.rule:
        states = states.filter(
            Exists(Signal.objects.open().filter(person_id=OuterRef("person_id"), rule=filters.rule))
        )
    if filters.escalated:
        states = states.filter(
            Exists(Signal.objects.open().filter(person_id=OuterRef("person_id"), escalated_on__isnull=False))
        )
    if filters.colour is not None:
        states = states.filter(colour=filters.colour)
    return states


def total(counts: dict[str, int], filters: RadarFilters) -> int:
    """How many lines the filtered list has, from the colour counts: no second COUNT over the join."""
    if filters.colour is not None:
        return counts[Colour(filters.colour).name.lower()]
    return sum(counts.values())


def colour_counts(states: QuerySet[PersonState]) -> dict[str, int]:
    """Green / amber / red over the filtered lines (the colour filter itself left out by the caller)."""
    counts = dict.fromkeys(("green", "amber", "red"), 0)
    for row in states.order_by().values("colour").annotate(n=Count("person_id")):
        counts[Colour(row["colour"]).name.lower()] = row["n"]
    return counts


def open_signals_by_person(person_ids: list[int]) -> dict[int, list[Signal]]:
    """The open signals of the persons on a page, worst first."""
    out: dict[int, list[Signal]] = defaultdict(list)
    signals = (
        Signal.objects.open()
        .filter(person_id__in=person_ids)
        .select_related("assigned_to")
        .order_by("-severity", "opened_on", "id")
    )
    for signal in signals:
        out[signal.person_id].append(signal)
    return out


def visible_signals(membership: Membership | None) -> QuerySet[Signal]:
    """Signals of the persons whose radar core this member sees."""
    persons = access.radar_persons(membership)
    assert membership is not None
    signals = Signal.objects.filter(network_id=membership.organisation.network_id)
    if membership.role not in NETWORK_WIDE:
        signals = signals.filter(person__in=persons.values("pk"))
    return signals.select_related("person", "assigned_to")


def read_signal(actor: audit.Actor, signal_id: int | str) -> tuple[Signal, PersonAccess]:
    """The signal for a page or an API read: decided by the policy, then recorded as a read."""
    signal, found = signal_for(actor.membership, signal_id, Need.READ_RADAR)
    with transaction.atomic():
        audit.record(
            actor,
            action=AuditEvent.Action.READ,
            data="radar.signal",
            basis=found.basis,
            person_id=signal.person_id,
            object_id=signal.pk,
            detail={"level": found.level.name.lower(), "rule": signal.rule},
        )
    return signal, found


def signal_for(
    membership: Membership | None, signal_id: int | str, need: Need
) -> tuple[Signal, PersonAccess]:
    """The signal and the member's access to its person, or 404 (not visible) / 403 (not allowed)."""
    if not access.may_use_radar(membership):
        raise access.not_found()
    try:
        signal = Signal.objects.select_related("assigned_to", "acknowledged_by", "resolved_by").get(
            pk=int(signal_id)
        )
    except (Signal.DoesNotExist, ValueError, TypeError):
        raise access.not_found() from None
    person_access = access.person_for(membership, signal.person_id, need)
    return signal, person_access
