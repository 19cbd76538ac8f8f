"""The radar API: the radar list, signals (read, acknowledge, resolve) and the network's rules.

Every read starts from the access policy through ``radar.queries`` (roles without a radar get 404; an
organisation sees the signals of persons it is involved with, the coordinator the whole network), and
is audited: the list as a read of every person on the page, a signal as a read of its person. Writes
go through ``radar.actions.signals``, which refuse bad values (422 naming the field) and audit.
"""

# No "from __future__ import annotations": ninja reads the views' annotations at runtime, and
# for paginated views it would resolve the strings in ninja's module, not this one.

import dataclasses
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import ValidationError as QueryError
from ninja.pagination import paginate

from inbeeld.core import access
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.api import MAX_PAGE, Page, actor, errors, membership_of
from inbeeld.core.models import Membership, Organisation, User
from inbeeld.radar import queries, rules
from inbeeld.radar.actions import signals as signal_actions
from inbeeld.radar.models import Signal
from inbeeld.radar.presenters import COLOUR_BY_NAME, colour_name, reads_outcome_note
from inbeeld.radar.schemas import (
    ColourName,
    RadarPageOut,
    ResolveIn,
    RuleKey,
    RuleOut,
    SignalOut,
    SignalStateFilter,
    SignalSummaryOut,
    StatusFilter,
)

router = Router(tags=["radar"])

# 403 also answers a user without the two-factor authentication their role requires.
ERRORS = errors(401, 403, 404, 422)

# Ids beyond a 64-bit integer name nothing; refusing them keeps every database engine out of it.
_MAX_ID = 2**63 - 1


def _user(user: User | None) -> dict[str, Any] | None:
    return {"id": user.pk, "name": str(user)} if user is not None else None


def _organisation(organisation: Organisation | None) -> dict[str, Any] | None:
    return {"id": organisation.pk, "name": organisation.name} if organisation is not None else None


def _query_error(parameter: str, message: str) -> QueryError:
    return QueryError([{"loc": ["query", parameter], "msg": message, "type": "value_error"}])


def _organisation_filter(membership: Membership | None, organisation_id: int | None) -> int | None:
    if organisation_id is None or membership is None:
        return organisation_id
    # Unknown and other-network organisations get the same answer: ids of other networks are not news.
    if not Organisation.objects.filter(
        pk=organisation_id, network_id=membership.organisation.network_id
    ).exists():
        raise _query_error("organisation", _("Choose an organisation of this network."))
    return organisation_id


# --- the radar list ---------------------------------------------------------------------------------


@router.get(
    "/radar",
    response={200: RadarPageOut, **ERRORS},
    summary="The radar: the persons you follow, longest unseen first, with their open signals",
    description="The coordinator sees every person of the network, everyone else the persons their "
    "organisation is involved with. `status`: empty for the statuses the radar follows (not exited, "
    "moved away or deceased), `all`, or one status. `organisation`: persons that organisation is "
    "involved with or leads. `rule`: persons with an open signal of that rule. `escalated`: persons "
    "with an escalated open signal. `counts` are over the filtered radar without the colour filter.",
)
def list_radar(
    request: HttpRequest,
    status: StatusFilter = "",
    organisation: int | None = Query(None, ge=1, le=_MAX_ID),
    key_worker: int | None = Query(None, ge=1, le=_MAX_ID),
    rule: RuleKey = "",
    colour: ColourName | None = None,
    escalated: bool = False,
    page: int = Query(1, ge=1, le=MAX_PAGE),
) -> dict[str, Any]:
    membership = membership_of(request)
    if not access.may_use_radar(membership):
        raise access.not_found()
    filters = queries.RadarFilters(
        status=str(status),
        organisation=_organisation_filter(membership, organisation),
        key_worker=key_worker,
        rule=rule,
        colour=COLOUR_BY_NAME[colour] if colour else None,
        escalated=escalated,
    )
    states = queries.radar_states(membership, filters)
    counts = queries.colour_counts(
        queries.radar_states(membership, dataclasses.replace(filters, colour=None))
    )
    size = settings.API_PAGE_SIZE
    offset = (page - 1) * size
    lines = list(states[offset : offset + size])
    person_ids = [line.person_id for line in lines]
    open_signals = queries.open_signals_by_person(person_ids)
    access.record_list_read(actor(request), person_ids, data="radar.list", searched=False)
    return {
        "counts": counts,
        "count": queries.total(counts, filters),
        "items": [
            {
                "person_id": line.person_id,
                "roepnaam": line.person.roepnaam,
                "status": line.person.status,
                "status_label": str(line.person.get_status_display()),
                "key_worker": _user(line.person.key_worker),
                "last_seen_at": line.last_seen_at,
                "in_view_at": line.in_view_at,
                "admitted_since": line.admitted_since,
                "colour": colour_name(line.colour),
                "signals": [
                    {
                        "id": signal.pk,
                        "rule": signal.rule,
                        "rule_label": rules.label_for(signal.rule),
                        "severity": colour_name(signal.severity),
                        "reason": rules.reason_for(signal),
                        "opened_on": signal.opened_on,
                        "escalated": signal.is_escalated,
                        "acknowledged": signal.acknowledged_at is not None,
                    }
                    for signal in open_signals.get(line.person_id, [])
                ],
            }
            for line in lines
        ],
    }


# --- signals ----------------------------------------------------------------------------------------


class SignalPage(Page):
    """A page of signals names a person on every line: a read of each of them, so it is audited."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        person_ids = list(dict.fromkeys(s.person_id for s in page[self.items_attribute]))
        access.record_list_read(actor(request), person_ids, data="radar.signals", searched=False)
        return page


@router.get(
    "/radar/signals",
    response={200: list[SignalSummaryOut], **ERRORS},
    summary="Signals of the persons whose radar you see",
    description="`state`: open (default; worst first), resolved, cleared or all (newest first). "
    "`mine`: only the signals assigned to you. `person_id`: one person's signals.",
)
@paginate(SignalPage)
def list_signals(
    request: HttpRequest,
    state: SignalStateFilter = "open",
    mine: bool = False,
    rule: RuleKey = "",
    person_id: int | None = Query(None, ge=1, le=_MAX_ID),
) -> QuerySet[Signal]:
    signals = queries.visible_signals(membership_of(request))
    if state != "all":
        signals = signals.filter(state=state)
    if mine:
        signals = signals.filter(assigned_to_id=request.user.pk)
    if rule:
        signals = signals.filter(rule=rule)
    if person_id is not None:
        signals = signals.filter(person_id=person_id)
    if state == Signal.State.OPEN:
        return signals.order_by("-severity", "opened_on", "id")
    return signals.order_by("-opened_on", "-id")


def _fresh(signal_id: int) -> Signal:
    return Signal.objects.select_related(
        "person",
        "assigned_to",
        "assigned_organisation",
        "acknowledged_by",
        "resolved_by",
        "resolved_by_organisation",
    ).get(pk=signal_id)


def _signal_out(signal: Signal, found: PersonAccess) -> dict[str, Any]:
    resolved = signal.state == Signal.State.RESOLVED
    may_act = signal.is_open and found.allows(Need.ACT_ON_SIGNAL)
    return {
        "id": signal.pk,
        "person_id": signal.person_id,
        "roepnaam": found.person.roepnaam,
        "rule": signal.rule,
        "rule_label": rules.label_for(signal.rule),
        "severity": colour_name(signal.severity),
        "reason": rules.reason_for(signal),
        "state": signal.state,
        "state_label": str(signal.get_state_display()),
        "opened_on": signal.opened_on,
        "assigned_to": _user(signal.assigned_to),
        "assigned_organisation": _organisation(signal.assigned_organisation),
        "escalated": signal.escalated_on is not None,
        "escalated_on": signal.escalated_on,
        "acknowledged": signal.acknowledged_at is not None,
        "acknowledged_at": signal.acknowledged_at,
        "acknowledged_by": _user(signal.acknowledged_by),
        "resolved_at": signal.resolved_at,
        "resolved_by": _user(signal.resolved_by),
        "resolved_by_organisation": _organisation(signal.resolved_by_organisation),
        "outcome": signal.outcome if resolved else None,
        "outcome_label": str(signal.get_outcome_display()) if resolved else None,
        "outcome_note": signal.outcome_note if resolved and reads_outcome_note(signal, found) else None,
        "cleared_on": signal.cleared_on,
        "previous_id": signal.previous_id,
        "may": {
            "acknowledge": may_act and signal.acknowledged_at is None,
            "resolve": may_act,
        },
    }


@router.get(
    "/radar/signals/{signal_id}",
    response={200: SignalOut, **ERRORS},
    summary="A signal: why it fired, who has it, what became of it",
)
def get_signal(request: HttpRequest, signal_id: int) -> dict[str, Any]:
    signal, found = queries.read_signal(actor(request), signal_id)
    return _signal_out(_fresh(signal.pk), found)


@router.post(
    "/radar/signals/{signal_id}/acknowledge",
    response={200: SignalOut, **ERRORS},
    summary="Acknowledge a signal: you have seen it and take it on",
    description="Only an open signal (422 naming `state` otherwise). Acknowledging twice changes nothing.",
)
def acknowledge_signal(request: HttpRequest, signal_id: int) -> dict[str, Any]:
    signal, found = queries.signal_for(membership_of(request), signal_id, Need.ACT_ON_SIGNAL)
    signal_actions.acknowledge_signal(signal, person_access=found, actor=actor(request))
    return _signal_out(_fresh(signal.pk), found)


@router.post(
    "/radar/signals/{signal_id}/resolve",
    response={200: SignalOut, **ERRORS},
    summary="Resolve a signal with an outcome",
    description="Only an open signal (422 naming `state` otherwise). The outcome `other` needs a note.",
)
def resolve_signal(request: HttpRequest, signal_id: int, payload: ResolveIn) -> dict[str, Any]:
    signal, found = queries.signal_for(membership_of(request), signal_id, Need.ACT_ON_SIGNAL)
    signal_actions.resolve_signal(
        signal, person_access=found, actor=actor(request), outcome=str(payload.outcome), note=payload.note
    )
    return _signal_out(_fresh(signal.pk), found)


# --- rules ------------------------------------------------------------------------------------------


@router.get(
    "/radar/rules",
    response={200: list[RuleOut], **ERRORS},
    summary="The radar's rules with this network's thresholds",
    description="Every rule, switched on or not. Rules hold no person data.",
)
def list_radar_rules(request: HttpRequest) -> list[dict[str, Any]]:
    membership = membership_of(request)
    if membership is None or not access.may_use_radar(membership):
        raise access.not_found()
    thresholds = rules.thresholds_for(membership.organisation.network_id)
    return [
        {
            "key": rule.key,
            "label": str(rule.label),
            "description": rule.describe(thresholds[rule.key]),
            "unit": rule.unit.value,
            "enabled": thresholds[rule.key].enabled,
            "amber_at": thresholds[rule.key].amber_at,
            "red_at": thresholds[rule.key].red_at,
            "escalate_after_days": thresholds[rule.key].escalate_after_days,
        }
        for rule in rules.all_rules()
    ]
