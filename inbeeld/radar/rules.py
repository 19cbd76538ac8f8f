"""What a radar rule is, the registry of rules, and each network's thresholds for them.

A rule looks at a ``Snapshot`` (the network as of a date, loaded in bulk) and yields ``Finding``s:
this person, this occurrence (``anchor``), amber or red, and the facts that explain why. The
reason is rendered from the facts in the reader's language, so a signal reads the same in Dutch
and in English and holds no free text.

Thresholds count one of three things (``Unit``): days since something (amber at 7, red at 14),
days before something (amber 14 days before, red 3 days before) or a number of events in a row.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.core.models import Network
from inbeeld.radar.models import Colour, RuleSetting

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from inbeeld.radar.models import Signal
    from inbeeld.radar.snapshot import Snapshot


class Unit(enum.Enum):
    DAYS_SINCE = "days_since"
    DAYS_BEFORE = "days_before"
    IN_A_ROW = "in_a_row"


@dataclass(frozen=True)
class Threshold:
    enabled: bool
    amber_at: int
    red_at: int | None
    escalate_after_days: int

    def severity(self, value: int, unit: Unit) -> Colour | None:
        """The colour a measured value earns, or None when it is below the amber threshold."""
        if unit is Unit.DAYS_BEFORE:
            if self.red_at is not None and value <= self.red_at:
                return Colour.RED
            return Colour.AMBER if value <= self.amber_at else None
        if self.red_at is not None and value >= self.red_at:
            return Colour.RED
        return Colour.AMBER if value >= self.amber_at else None


@dataclass(frozen=True)
class Finding:
    person_id: int
    rule: str
    anchor: str
    severity: Colour
    facts: dict[str, Any]


class Rule:
    """Subclasses set the class attributes and implement ``evaluate`` and ``reason``."""

    key: str = ""
    label: _StrPromise | str = ""
    # What the rule watches, in words, with {amber} and {red} for the thresholds.
    description: _StrPromise | str = ""
    unit: Unit = Unit.DAYS_SINCE
    default_amber: int = 0
    default_red: int | None = None
    default_escalate_after: int = 3
    # A sighting after the signal's reference day ends the condition (the next run clears it; until
    # then the signal page tells the worker it may be resolved as "seen").
    cleared_by_sighting: bool = False

    def defaults(self) -> Threshold:
        return Threshold(True, self.default_amber, self.default_red, self.default_escalate_after)

    def evaluate(self, snapshot: Snapshot, threshold: Threshold) -> Iterable[Finding]:
        raise NotImplementedError

    def reason(self, facts: dict[str, Any], on: datetime.date) -> str:
        """The why, in words, counted to ``on``. Facts hold dates, not day counts: a signal's stored
        facts then change only when its situation does, not every day it stays open."""
        raise NotImplementedError

    def clears_on_sighting(self, signal: Signal, seen_on: datetime.date) -> bool:
        """Whether being seen on ``seen_on`` ends this signal's condition."""
        return False

    def describe(self, threshold: Threshold) -> str:
        red = threshold.red_at if threshold.red_at is not None else "—"
        return str(self.description).format(amber=threshold.amber_at, red=red)

    def finding(self, person_id: int, anchor: object, severity: Colour, **facts: Any) -> Finding:
        return Finding(person_id, self.key, str(anchor)[:64], severity, facts)

    def validate(self, amber_at: int, red_at: int | None) -> None:
        """Refuse thresholds that contradict each other, naming the field."""
        if red_at is None:
            return
        if self.unit is Unit.DAYS_BEFORE and red_at > amber_at:
            raise ValidationError(
                {"red_at": _("Red comes closer to the date than amber: it must be at most the amber value.")}
            )
        if self.unit is not Unit.DAYS_BEFORE and red_at < amber_at:
            raise ValidationError(
                {"red_at": _("Red comes after amber: it must be at least the amber value.")}
            )
        if self.unit is Unit.IN_A_ROW and amber_at < 1:
            raise ValidationError({"amber_at": _("Count at least one event.")})


_rules: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    if not rule.key:
        raise ValueError("A radar rule needs a key.")
    _rules[rule.key] = rule
    return rule


def all_rules() -> list[Rule]:
    return list(_rules.values())


def get(key: str) -> Rule | None:
    return _rules.get(key)


def choices() -> list[tuple[str, str]]:
    return [(rule.key, str(rule.label)) for rule in all_rules()]


def thresholds_for(network: Network | int) -> dict[str, Threshold]:
    """Every registered rule's threshold in this network: its setting, or the rule's defaults."""
    network_id = network if isinstance(network, int) else network.pk
    stored = {s.rule: s for s in RuleSetting.objects.filter(network_id=network_id)}
    out: dict[str, Threshold] = {}
    for rule in all_rules():
        setting = stored.get(rule.key)
        if setting is None:
            out[rule.key] = rule.defaults()
        else:
            out[rule.key] = Threshold(
                setting.enabled, setting.amber_at, setting.red_at, setting.escalate_after_days
            )
    return out


def reason_for(signal: Signal) -> str:
    """An open signal's reason counts to today; a closed one's to the day it was closed."""
    rule = get(signal.rule)
    if rule is None:
        return _("A rule that is no longer in use.")
    if signal.resolved_at is not None:
        on = timezone.localtime(signal.resolved_at).date()
    else:
        on = signal.cleared_on or timezone.localdate()
    return rule.reason(signal.facts, on)


def label_for(key: str) -> str:
    rule = get(key)
    return str(rule.label) if rule else key
