"""The network meeting (MDO) agenda: who to talk about, with only what every attending organisation may see.

The agenda lists the persons with a red or an escalated open signal. An organisation at the table sees
a person's radar core only when it is involved with them (access rule 3), so a person is named on the
agenda only when **every** attending organisation is involved with them — or is the coordinator's own
organisation, which coordinates the whole network. The others are counted, never named: the
coordinator discusses them in a smaller meeting.

What is shown of a person is the radar core and nothing more: roepnaam, status, key worker, last seen,
and the open signals with the rule's label and its reason (generated from facts, no free text).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NoReturn
from urllib.parse import urlencode

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from inbeeld.core.models import Membership, Organisation
from inbeeld.people.models import Involvement, Person, Status
from inbeeld.radar import queries, rules
from inbeeld.radar.models import Colour, PersonState, Signal

CHUNK = 500


@dataclass(frozen=True)
class AgendaSignal:
    rule_label: str
    severity: int
    severity_label: str
    reason: str
    opened_on: datetime.date
    escalated_on: datetime.date | None

    @property
    def colour(self) -> str:
        return Colour(self.severity).name.lower()


@dataclass
class AgendaPerson:
    person_id: int
    roepnaam: str
    status_label: str
    key_worker: str
    last_seen_at: datetime.datetime | None
    admitted_since: datetime.date | None
    signals: list[AgendaSignal] = field(default_factory=list)

    @property
    def worst(self) -> int:
        return max((s.severity for s in self.signals), default=Colour.GREEN)

    @property
    def escalated(self) -> bool:
        return any(s.escalated_on is not None for s in self.signals)


@dataclass
class Agenda:
    day: datetime.date
    coordinator_organisation: Organisation
    organisations: list[Organisation]  # the network's, for the coordinator to tick
    attending: list[Organisation]
    persons: list[AgendaPerson]
    not_shown: int  # flagged persons not every attending organisation may see

    @property
    def person_ids(self) -> list[int]:
        return [p.person_id for p in self.persons]

    @property
    def attending_ids(self) -> list[int]:
        return [o.pk for o in self.attending]

    @property
    def query_string(self) -> str:
        """The attending organisations as GET parameters, for the PDF link."""
        return urlencode([("org", pk) for pk in self.attending_ids])


def attending_organisations(membership: Membership, raw_ids: Iterable[str]) -> list[Organisation]:
    """The ticked organisations of the coordinator's network; none ticked (or none valid): all of them.

    Every organisation of the network at the table is the default because it shows the least: a
    coordinator who forgets to tick prints an agenda that anyone in the network may read.
    """
    organisations = list(Organisation.objects.filter(network_id=membership.organisation.network_id))
    wanted = {int(raw) for raw in raw_ids if str(raw).isdigit() and len(str(raw)) < 12}
    chosen = [o for o in organisations if o.pk in wanted]
    return chosen or organisations


def involved_organisations(persons: list[Person]) -> dict[int, set[int]]:
    """Per person, the organisations involved today: ``core.access.involved_organisation_ids`` in bulk
    (current involvements plus the lead organisation)."""
    out: dict[int, set[int]] = defaultdict(set)
    for person in persons:
        if person.lead_organisation_id:
            out[person.pk].add(person.lead_organisation_id)
    ids = [p.pk for p in persons]
    for start in range(0, len(ids), CHUNK):
        rows = (
            Involvement.objects.current()
            .filter(person_id__in=ids[start : start + CHUNK])
            .values_list("person_id", "organisation_id")
        )
        for person_id, organisation_id in rows:
            out[person_id].add(organisation_id)
    return out


def flagged_person_ids(network_id: int) -> list[int]:
    """Persons of the network with an open red signal or an open escalated one."""
    return list(
        Signal.objects.open()
        .filter(network_id=network_id)
        .filter(Q(severity=Colour.RED) | Q(escalated_on__isnull=False))
        .order_by()
        .values_list("person_id", flat=True)
        .distinct()
    )


def build_agenda(
    membership: Membership, attending: list[Organisation], *, day: datetime.date | None = None
) -> Agenda:
    """The agenda for a meeting of these organisations, in the active language (reasons are rendered)."""
    network_id = membership.organisation.network_id
    own = membership.organisation_id
    attending_ids = {o.pk for o in attending}
    ids = flagged_person_ids(network_id)
    persons: list[Person] = []
    for start in range(0, len(ids), CHUNK):
        persons.extend(
            Person.objects.filter(pk__in=ids[start : start + CHUNK], network_id=network_id).select_related(
                "key_worker"
            )
        )
    involved = involved_organisations(persons)
    shown = [p for p in persons if attending_ids <= involved[p.pk] | {own}]
    shown_ids = [p.pk for p in shown]
    states = {s.person_id: s for s in PersonState.objects.filter(person_id__in=shown_ids)}
    signals = queries.open_signals_by_person(shown_ids)
    statuses = dict(Status.choices)
    items = []
    for person in shown:
        state = states.get(person.pk)
        items.append(
            AgendaPerson(
                person_id=person.pk,
                roepnaam=person.roepnaam,
                status_label=str(statuses.get(person.status, person.status)),
                key_worker=str(person.key_worker) if person.key_worker else "",
                last_seen_at=state.last_seen_at if state else None,
                admitted_since=state.admitted_since if state else None,
                signals=[_signal(s) for s in signals.get(person.pk, [])],
            )
        )
    items.sort(key=_order)
    return Agenda(
        day=day or timezone.localdate(),
        coordinator_organisation=membership.organisation,
        organisations=list(Organisation.objects.filter(network_id=network_id)),
        attending=sorted(attending, key=lambda o: (o.name, o.pk)),
        persons=items,
        not_shown=len(persons) - len(shown),
    )


def _signal(signal: Signal) -> AgendaSignal:
    return AgendaSignal(
        rule_label=rules.label_for(signal.rule),
        severity=signal.severity,
        severity_label=str(Colour(signal.severity).label),
        reason=rules.reason_for(signal),
        opened_on=signal.opened_on,
        escalated_on=signal.escalated_on,
    )


def _order(item: AgendaPerson) -> tuple[Any, ...]:
    first_opened = min((s.opened_on for s in item.signals), default=datetime.date.max)
    return (-item.worst, not item.escalated, first_opened, item.roepnaam.lower(), item.person_id)


# --- the PDF --------------------------------------------------------------------------------------


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"The MDO agenda PDF loads no external resources ({url[:40]}).")


def render_pdf(agenda: Agenda, *, language: str) -> bytes:
    """The agenda as a PDF in ``language``; like the care plan's, it fetches nothing from anywhere."""
    from weasyprint import HTML  # imported when needed: it loads Pango and fonts

    with translation.override(language):
        html = render_to_string(
            "radar/mdo/pdf.html",
            {"agenda": agenda, "language": language, "printed_at": timezone.localtime()},
        )
    return bytes(HTML(string=html, url_fetcher=_no_fetching).write_pdf())
