"""The rules of DESIGN.md with their default thresholds. Each says in plain words why it fired."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from inbeeld.people.models import Consent, Status
from inbeeld.radar.rules import Finding, Rule, Threshold, Unit, register

if TYPE_CHECKING:
    from inbeeld.radar.models import Signal
    from inbeeld.radar.snapshot import PersonFacts, Snapshot

# Persons the radar no longer follows: nobody is asked to find them.
NOT_FOLLOWED = frozenset({Status.MOVED_AWAY, Status.DECEASED})
# Persons whose care is finished or elsewhere: no plan or evaluation is asked of anyone.
NO_CARE_ASKED = frozenset({Status.MOVED_AWAY, Status.DECEASED, Status.EXITED})


def _day(iso: str | None) -> str:
    if not iso:
        return "—"
    return date_format(datetime.date.fromisoformat(iso), "SHORT_DATE_FORMAT")


def _since(iso: str, on: datetime.date) -> int:
    return (on - datetime.date.fromisoformat(iso)).days


def _until(iso: str, on: datetime.date) -> int:
    return (datetime.date.fromisoformat(iso) - on).days


def _days(n: int) -> str:
    return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}


class NotSeen(Rule):
    """Not seen by anyone in the network for a while; admitted persons are in view."""

    statuses: frozenset[str] = frozenset()
    cleared_by_sighting = True

    def applies_to(self, person: PersonFacts) -> bool:
        return person.status in self.statuses

    def evaluate(self, snapshot: Snapshot, threshold: Threshold) -> Iterator[Finding]:
        for person in snapshot.persons.values():
            if not self.applies_to(person) or person.admitted is not None:
                continue
            since = person.in_view_on or person.registered_on
            days = (snapshot.as_of - since).days
            severity = threshold.severity(days, self.unit)
            if severity is not None:
                yield self.finding(
                    person.id,
                    since.isoformat(),
                    severity,
                    last_seen=person.last_seen_on.isoformat() if person.last_seen_on else None,
                    since=since.isoformat(),
                    after_stay=person.last_seen_on != since and since != person.registered_on,
                    status=person.status,
                    red_at=threshold.red_at,
                )

    def reason(self, facts: dict[str, Any], on: datetime.date) -> str:
        status = str(Status(facts["status"]).label) if facts.get("status") in Status.values else ""
        if facts.get("after_stay"):
            text = _("%(status)s and not seen for %(days)s since leaving a stay on %(date)s.") % {
                "status": status,
                "days": _days(_since(facts["since"], on)),
                "date": _day(facts["since"]),
            }
        elif facts.get("last_seen"):
            text = _("%(status)s and not seen for %(days)s (last seen %(date)s).") % {
                "status": status,
                "days": _days(_since(facts["since"], on)),
                "date": _day(facts["last_seen"]),
            }
        else:
            text = _("%(status)s and never seen since registration on %(date)s (%(days)s).") % {
                "status": status,
                "days": _days(_since(facts["since"], on)),
                "date": _day(facts["since"]),
            }
        return text

    def clears_on_sighting(self, signal: Signal, seen_on: datetime.date) -> bool:
        return seen_on > datetime.date.fromisoformat(signal.facts["since"])


class NotSeenOnZone(NotSeen):
    key = "not_seen_zone"
    label = gettext_lazy("Not seen (street zone)")
    description = gettext_lazy(
        "A person on the street zone whom nobody in the network has seen: amber after {amber} days, "
        "red after {red} days."
    )
    default_amber, default_red = 7, 14
    default_escalate_after = 2
    statuses = frozenset({Status.STREET_ZONE})


class NotSeenElsewhere(NotSeen):
    key = "not_seen"
    label = gettext_lazy("Not seen")
    description = gettext_lazy(
        "Anyone else the network follows (not exited, moved away or deceased) whom nobody has seen: "
        "amber after {amber} days, red after {red} days. Persons admitted somewhere are in view."
    )
    default_amber, default_red = 30, 60
    # Exited persons have left: the network no longer looks for them (they may come back on the radar
    # through a new status).
    statuses = frozenset(set(Status.values) - NOT_FOLLOWED - {Status.STREET_ZONE, Status.EXITED})


class NoPlanAfterIntake(Rule):
    key = "no_plan"
    label = gettext_lazy("No care plan after intake")
    description = gettext_lazy(
        "An intake was completed but there is no care plan yet: amber {amber} days after the intake, "
        "red after {red} days."
    )
    default_amber, default_red = 30, 60

    def evaluate(self, snapshot: Snapshot, threshold: Threshold) -> Iterator[Finding]:
        plans = snapshot.plan_created_on
        for person_id, intake_on in snapshot.intake_completed_on.items():
            person = snapshot.persons.get(person_id)
            if person is None or person.status in NO_CARE_ASKED or person_id in plans:
                continue
            days = (snapshot.as_of - intake_on).days
            severity = threshold.severity(days, self.unit)
            if severity is not None:
                yield self.finding(person_id, intake_on.isoformat(), severity, intake=intake_on.isoformat())

    def reason(self, facts: dict[str, Any], on: datetime.date) -> str:
        return _("No care plan %(days)s after the intake of %(date)s.") % {
            "days": _days(_since(facts["intake"], on)),
            "date": _day(facts["intake"]),
        }


class EvaluationOverdue(Rule):
    key = "evaluation_overdue"
    label = gettext_lazy("Evaluation overdue")
    description = gettext_lazy(
        "The evaluation date agreed in the care plan has passed: amber {amber} days after it, "
        "red after {red} days."
    )
    default_amber, default_red = 1, 30

    def evaluate(self, snapshot: Snapshot, threshold: Threshold) -> Iterator[Finding]:
        for person_id, due in snapshot.evaluation_due.items():
            person = snapshot.persons.get(person_id)
            if person is None or person.status in NO_CARE_ASKED:
                continue
            days = (snapshot.as_of - due).days
            severity = threshold.severity(days, self.unit)
            if severity is not None:
                yield self.finding(person_id, due.isoformat(), severity, due=due.isoformat())

    def reason(self, facts: dict[str, Any], on: datetime.date) -> str:
        return _("The care plan's evaluation was due on %(date)s, %(days)s ago.") % {
            "date": _day(facts["due"]),
            "days": _days(_since(facts["due"], on)),
        }


class NoShowsInARow(Rule):
    key = "no_shows"
    label = gettext_lazy("No-shows in a row")
    description = gettext_lazy(
        "The latest appointments were all missed: amber at {amber} in a row, red at {red} in a row."
    )
    unit = Unit.IN_A_ROW
    default_amber, default_red = 2, 3

    def evaluate(self, snapshot: Snapshot, threshold: Threshold) -> Iterator[Finding]:
        for person_id, outcomes in snapshot.appointment_outcomes.items():
            person = snapshot.persons.get(person_id)
            if person is None or person.status in NOT_FOLLOWED:
                continue
            streak = []
            for pk, starts_at, status in outcomes:
                if status != "no_show":
                    break
                streak.append((pk, starts_at))
            severity = threshold.severity(len(streak), self.unit)
            if severity is not None:
                first_pk, first_at = streak[-1]
                yield self.finding(
                    person_id,
                    first_pk,
                    severity,
                    count=len(streak),
                    since=first_at.date().isoformat(),
                    latest=streak[0][1].date().isoformat(),
                )

    def reason(self, facts: dict[str, Any], on: datetime.date) -> str:
        return _("%(count)d appointments in a row missed, the latest on %(date)s.") % {
            "count": facts["count"],
            "date": _day(facts["latest"]),
        }


class DischargedWithoutContact(Rule):
    key = "discharged"
    label = gettext_lazy("Discharged without contact")
    description = gettext_lazy(
        "Discharged from a clinic, hospital, detention or shelter and nobody has seen the person since: "
        "amber after {amber} days, red after {red} days."
    )
    default_amber, default_red = 3, 7
    default_escalate_after = 1
    cleared_by_sighting = True

    def evaluate(self, snapshot: Snapshot, threshold: Threshold) -> Iterator[Finding]:
        for person in snapshot.persons.values():
            stay = person.last_discharge
            if stay is None or stay.ended_on is None or person.admitted is not None:
                continue
            if person.status in NOT_FOLLOWED:
                continue
            if person.last_seen_on is not None and person.last_seen_on >= stay.ended_on:
                continue
            days = (snapshot.as_of - stay.ended_on).days
            severity = threshold.severity(days, self.unit)
            if severity is not None:
                yield self.finding(
                    person.id,
                    f"{stay.kind}:{stay.ended_on.isoformat()}",
                    severity,
                    kind=stay.kind,
                    discharged=stay.ended_on.isoformat(),
                )

    def reason(self, facts: dict[str, Any], on: datetime.date) -> str:
        return _("Left a stay (%(kind)s) on %(date)s and nobody has seen them since: %(days)s.") % {
            "kind": stay_label(facts["kind"]),
            "date": _day(facts["discharged"]),
            "days": _days(_since(facts["discharged"], on)),
        }

    def clears_on_sighting(self, signal: Signal, seen_on: datetime.date) -> bool:
        return seen_on >= datetime.date.fromisoformat(signal.facts["discharged"])


def stay_label(kind: str) -> str:
    labels = {
        "clinic": _("clinic"),
        "shelter": _("shelter"),
        "hospital": _("hospital"),
        "detox": _("detox"),
        "detention": _("detention"),
        "other": _("other stay"),
    }
    return str(labels.get(kind, kind))


class ConsentExpiring(Rule):
    key = "consent_expiring"
    label = gettext_lazy("Consent expiring")
    description = gettext_lazy(
        "A consent or other legal basis ends soon: amber {amber} days before, red {red} days before."
    )
    unit = Unit.DAYS_BEFORE
    default_amber, default_red = 14, 3
    default_escalate_after = 5

    def evaluate(self, snapshot: Snapshot, threshold: Threshold) -> Iterator[Finding]:
        for consent_id, person_id, purpose, valid_to in snapshot.consents_valid:
            person = snapshot.persons.get(person_id)
            if person is None or person.status in NOT_FOLLOWED:
                continue
            days = (valid_to - snapshot.as_of).days
            severity = threshold.severity(days, self.unit)
            if severity is not None:
                yield self.finding(
                    person_id,
                    f"{consent_id}:{valid_to.isoformat()}",
                    severity,
                    purpose=purpose,
                    valid_to=valid_to.isoformat(),
                )

    def reason(self, facts: dict[str, Any], on: datetime.date) -> str:
        purpose = facts.get("purpose", "")
        label = str(Consent.Purpose(purpose).label) if purpose in Consent.Purpose.values else purpose
        return _("A consent (%(purpose)s) ends on %(date)s, in %(days)s.") % {
            "purpose": label.lower(),
            "date": _day(facts["valid_to"]),
            "days": _days(_until(facts["valid_to"], on)),
        }


class StatusUnknown(Rule):
    key = "status_unknown"
    label = gettext_lazy("Status unknown")
    description = gettext_lazy(
        "The person's status is 'unknown': amber after {amber} days, red after {red} days."
    )
    default_amber, default_red = 7, 30

    def evaluate(self, snapshot: Snapshot, threshold: Threshold) -> Iterator[Finding]:
        for person in snapshot.persons.values():
            if person.status != Status.UNKNOWN:
                continue
            days = (snapshot.as_of - person.status_since).days
            severity = threshold.severity(days, self.unit)
            if severity is not None:
                since = person.status_since.isoformat()
                yield self.finding(person.id, since, severity, since=since)

    def reason(self, facts: dict[str, Any], on: datetime.date) -> str:
        return _("The status has been 'unknown' since %(date)s (%(days)s).") % {
            "date": _day(facts["since"]),
            "days": _days(_since(facts["since"], on)),
        }


class KeyDateApproaching(Rule):
    key = "key_date"
    label = gettext_lazy("Key date approaching")
    description = gettext_lazy(
        "A key date such as the closing of the street zone comes near while a person on the zone has no "
        "care plan or no exit route: amber {amber} days before, red {red} days before."
    )
    unit = Unit.DAYS_BEFORE
    default_amber, default_red = 60, 14

    def evaluate(self, snapshot: Snapshot, threshold: Threshold) -> Iterator[Finding]:
        plans, routes = snapshot.plan_created_on, snapshot.exit_routes
        for key_date in snapshot.key_dates:
            days = key_date.days_to_go(snapshot.as_of)
            severity = threshold.severity(days, self.unit)
            if severity is None:
                continue
            for person in snapshot.persons.values():
                if person.status != Status.STREET_ZONE:
                    continue
                missing = [
                    part
                    for part, present in (
                        ("plan", person.id in plans),
                        ("route", (person.id, key_date.pk) in routes),
                    )
                    if not present
                ]
                if missing:
                    yield self.finding(
                        person.id,
                        key_date.pk,
                        severity,
                        key_date=key_date.pk,
                        name=key_date.name,
                        date=key_date.date.isoformat(),
                        missing=missing,
                    )

    def reason(self, facts: dict[str, Any], on: datetime.date) -> str:
        missing = facts.get("missing", [])
        if missing == ["plan"]:
            what = _("there is no care plan yet")
        elif missing == ["route"]:
            what = _("there is no exit route yet")
        else:
            what = _("there is neither a care plan nor an exit route yet")
        return _("%(name)s on %(date)s is %(days)s away and %(what)s.") % {
            "name": facts.get("name", ""),
            "date": _day(facts["date"]),
            "days": _days(_until(facts["date"], on)),
            "what": what,
        }


for _rule in (
    NotSeenOnZone(),
    NotSeenElsewhere(),
    NoPlanAfterIntake(),
    EvaluationOverdue(),
    NoShowsInARow(),
    DischargedWithoutContact(),
    ConsentExpiring(),
    StatusUnknown(),
    KeyDateApproaching(),
):
    register(_rule)
