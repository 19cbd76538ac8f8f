"""The network as of a date, loaded in a handful of grouped queries, for the rules to read.

Everything is "as of": statuses come from the status history, sightings and stays stop at the end
of the day, plans and consents are taken as they stood then. So a run for a past date gives what
the radar would have said on that day, and tests travel in time by passing a date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Max, Q
from django.utils import timezone

from inbeeld.care.models import Appointment, CarePlan, Intake, PlanVersion
from inbeeld.core.models import Network
from inbeeld.people.models import Consent, Person, StatusChange
from inbeeld.radar import sources
from inbeeld.radar.models import ExitRoute, KeyDate
from inbeeld.radar.sources import Stay


def end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


@dataclass
class PersonFacts:
    id: int
    roepnaam: str
    status: str
    status_since: datetime.date
    key_worker_id: int | None
    lead_organisation_id: int | None
    registered_on: datetime.date
    current_status: str = ""  # today's status, whatever day the snapshot is for
    last_seen_at: datetime.datetime | None = None
    last_seen_on: datetime.date | None = None  # the local day of last_seen_at
    last_seen_source: str = ""
    admitted: Stay | None = None
    last_discharge: Stay | None = None

    @property
    def in_view_on(self) -> datetime.date | None:
        """The last day the network had the person in view: seen, or still in a stay they left that day."""
        discharged = self.last_discharge.ended_on if self.last_discharge else None
        days = [d for d in (self.last_seen_on, discharged) if d is not None]
        return max(days) if days else None


@dataclass
class Snapshot:
    network: Network
    as_of: datetime.date
    persons: dict[int, PersonFacts] = field(default_factory=dict)

    @property
    def end(self) -> datetime.datetime:
        return end_of_day(self.as_of)

    @classmethod
    def build(cls, network: Network, as_of: datetime.date) -> Snapshot:
        snapshot = cls(network=network, as_of=as_of)
        snapshot._load_persons()
        snapshot._load_sightings()
        snapshot._load_stays()
        return snapshot

    def _load_persons(self) -> None:
        history: dict[int, tuple[str, datetime.date]] = {}
        changes = (
            StatusChange.objects.filter(person__network=self.network, effective_on__lte=self.as_of)
            .order_by("person_id", "effective_on", "recorded_at", "id")
            .values_list("person_id", "to_status", "effective_on")
        )
        for person_id, status, effective_on in changes.iterator(chunk_size=5000):
            before = history.get(person_id)
            if before is None or before[0] != status:
                history[person_id] = (status, effective_on)
        rows = (
            Person.objects.filter(network=self.network, registered_at__lte=self.end)
            .values_list(
                "id",
                "roepnaam",
                "status",
                "status_since",
                "key_worker_id",
                "lead_organisation_id",
                "registered_at",
            )
            .iterator(chunk_size=5000)
        )
        zone = timezone.get_current_timezone()
        for pk, roepnaam, current, since, key_worker_id, lead_id, registered_at in rows:
            status, since = history.get(pk, (current, since))
            registered_on = registered_at.astimezone(zone).date()
            self.persons[pk] = PersonFacts(
                pk, roepnaam, status, since, key_worker_id, lead_id, registered_on, current_status=current
            )

    def _load_sightings(self) -> None:
        for source in sources.sighting_sources():
            for person_id, seen in source.latest(self.network, self.end).items():
                facts = self.persons.get(person_id)
                if facts is not None and (facts.last_seen_at is None or seen > facts.last_seen_at):
                    facts.last_seen_at = seen
                    facts.last_seen_source = source.key
        zone = timezone.get_current_timezone()  # looked up once: 100,000 lookups cost seconds
        for facts in self.persons.values():
            if facts.last_seen_at is not None:
                facts.last_seen_on = facts.last_seen_at.astimezone(zone).date()

    def _load_stays(self) -> None:
        for source in sources.stay_sources():
            for stay in source.stays(self.network, self.as_of):
                facts = self.persons.get(stay.person_id)
                if facts is None or stay.started_on > self.as_of:
                    continue
                if stay.open_on(self.as_of):
                    if facts.admitted is None or stay.started_on > facts.admitted.started_on:
                        facts.admitted = stay
                elif stay.ended_on is not None and (
                    facts.last_discharge is None
                    or facts.last_discharge.ended_on is None
                    or stay.ended_on > facts.last_discharge.ended_on
                ):
                    facts.last_discharge = stay

    # --- what some rules need, loaded once when first asked --------------------------------------

    @cached_property
    def plan_created_on(self) -> dict[int, datetime.date]:
        rows = CarePlan.objects.filter(person__network=self.network, created_at__lte=self.end).values_list(
            "person_id", "created_at"
        )
        return {person_id: local_date(created) for person_id, created in rows}

    @cached_property
    def evaluation_due(self) -> dict[int, datetime.date]:
        """Each plan's agreed evaluation date in the version that was current at the end of the day."""
        latest = (
            PlanVersion.objects.filter(plan__person__network=self.network, saved_at__lte=self.end)
            .values("plan_id")
            .annotate(last=Max("number"))
        )
        wanted = {(row["plan_id"], row["last"]) for row in latest}
        rows = PlanVersion.objects.filter(
            plan__person__network=self.network, saved_at__lte=self.end, evaluation_date__isnull=False
        ).values_list("plan_id", "number", "plan__person_id", "evaluation_date")
        return {
            person_id: due
            for plan_id, number, person_id, due in rows
            if due is not None and (plan_id, number) in wanted
        }

    @cached_property
    def intake_completed_on(self) -> dict[int, datetime.date]:
        rows = (
            Intake.objects.filter(
                person__network=self.network, completed_at__isnull=False, completed_at__lte=self.end
            )
            .values("person_id")
            .annotate(last=Max("completed_at"))
            .values_list("person_id", "last")
        )
        return {person_id: local_date(done) for person_id, done in rows}

    @cached_property
    def appointment_outcomes(self) -> dict[int, list[tuple[int, datetime.datetime, str]]]:
        """Per person, attended and missed appointments up to the end of the day, newest first."""
        rows = (
            Appointment.objects.filter(
                person__network=self.network,
                starts_at__lte=self.end,
                status__in=[Appointment.Status.ATTENDED, Appointment.Status.NO_SHOW],
            )
            .order_by("person_id", "-starts_at", "-id")
            .values_list("person_id", "id", "starts_at", "status")
        )
        out: dict[int, list[tuple[int, datetime.datetime, str]]] = {}
        for person_id, pk, starts_at, status in rows.iterator(chunk_size=5000):
            out.setdefault(person_id, []).append((pk, starts_at, status))
        return out

    @cached_property
    def consents_valid(self) -> list[tuple[int, int, str, datetime.date]]:
        """(consent id, person id, purpose, valid to) of consents valid that day that have an end date."""
        rows = (
            Consent.objects.filter(
                person__network=self.network,
                valid_from__lte=self.as_of,
                valid_to__isnull=False,
                valid_to__gte=self.as_of,
            )
            .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=self.end))
            .values_list("id", "person_id", "purpose", "valid_to")
        )
        return [(pk, person_id, purpose, valid_to) for pk, person_id, purpose, valid_to in rows if valid_to]

    @cached_property
    def key_dates(self) -> list[KeyDate]:
        return list(KeyDate.objects.filter(network=self.network, date__gte=self.as_of))

    @cached_property
    def exit_routes(self) -> set[tuple[int, int]]:
        """(person id, key date id) of exit routes recorded by the end of the day."""
        rows = ExitRoute.objects.filter(
            key_date__network=self.network, recorded_at__lte=self.end
        ).values_list("person_id", "key_date_id")
        return set(rows)
