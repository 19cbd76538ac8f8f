"""The radar's records: per-network rule settings, key dates, exit routes, signals and each person's state.

The rules themselves are code (``rules.py``); what a network may tune about them — on or off, the
amber and red thresholds, the days before an unacknowledged signal escalates — is a ``RuleSetting``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.core.fields import EncryptedTextField
from inbeeld.core.models import Network, Organisation
from inbeeld.people.models import Person


class Colour(models.IntegerChoices):
    GREEN = 0, _("Green")
    AMBER = 1, _("Amber")
    RED = 2, _("Red")


class RuleSetting(models.Model):
    """A network's choices for one rule. Without a row the rule runs with its defaults."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="radar_rule_settings")
    rule = models.CharField(_("rule"), max_length=40)
    enabled = models.BooleanField(_("switched on"), default=True)
    amber_at = models.PositiveSmallIntegerField(_("amber at"))
    red_at = models.PositiveSmallIntegerField(_("red at"), null=True, blank=True)
    escalate_after_days = models.PositiveSmallIntegerField(_("escalate after (days unacknowledged)"))

    class Meta:
        verbose_name = _("radar rule setting")
        verbose_name_plural = _("radar rule settings")
        ordering = ["network", "rule"]
        constraints = [models.UniqueConstraint(fields=["network", "rule"], name="radar_rule_setting_unique")]

    def __str__(self) -> str:
        return f"{self.network}: {self.rule}"


class KeyDate(models.Model):
    """A date the network works towards, such as the closing of the street zone."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="key_dates")
    name = models.CharField(_("name"), max_length=120)
    date = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("key date")
        verbose_name_plural = _("key dates")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d-%m-%Y})"

    def days_to_go(self, on: datetime.date) -> int:
        return (self.date - on).days


class ExitRoute(models.Model):
    """Where a person on the zone is heading by a key date: the route agreed with them."""

    class Route(models.TextChoices):
        EXIT_PROGRAMME = "exit_programme", _("Exit programme")
        OTHER_WORK = "other_work", _("Other work or education")
        LICENSED_SEX_WORK = "licensed_sex_work", _("Licensed sex work elsewhere")
        TREATMENT = "treatment", _("Treatment or clinic")
        SHELTER = "shelter", _("Shelter or housing")
        RETURN_HOME = "return_home", _("Return to country or town of origin")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exit_routes")
    key_date = models.ForeignKey(KeyDate, on_delete=models.CASCADE, related_name="exit_routes")
    route = models.CharField(_("exit route"), max_length=24, choices=Route.choices)
    note = EncryptedTextField(_("note"), blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("exit route")
        verbose_name_plural = _("exit routes")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "key_date"], name="exit_route_one_per_key_date")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.route}"


class SignalQuerySet(models.QuerySet["Signal"]):
    def open(self) -> SignalQuerySet:
        return self.filter(state=Signal.State.OPEN)


class Signal(models.Model):
    """A radar alert about one person: which rule, why, and what was done about it.

    ``anchor`` names the occurrence of the condition (the last-seen date, the appointment, the
    consent …). A run opens at most one signal per person, rule and anchor; a signal resolved by a
    worker stays resolved for that anchor, and the rule opens a new one when the condition returns
    with a new anchor (the person was seen, then slipped away again).
    """

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")
        CLEARED = "cleared", _("Cleared: the condition ended")

    class Outcome(models.TextChoices):
        SEEN = "seen", _("Seen")
        MOVED_AWAY = "moved_away", _("Moved away")
        ADMITTED = "admitted", _("Admitted")
        DETAINED = "detained", _("Detained")
        REFUSED_CONTACT = "refused_contact", _("Refused contact")
        DECEASED = "deceased", _("Deceased")
        OTHER = "other", _("Other")

    # Foreign keys without their own index: the composite indexes below lead with them.
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+", db_index=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="signals", db_index=False)
    rule = models.CharField(_("rule"), max_length=40)
    anchor = models.CharField(max_length=64)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Colour.choices)
    # The facts behind the reason, rendered in the reader's language by the rule.
    facts = models.JSONField(default=dict)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    opened_on = models.DateField(_("opened on"))
    opened_at = models.DateTimeField(default=timezone.now)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="radar_signals",
        db_index=False,
    )
    assigned_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = EncryptedTextField(_("note"), blank=True)
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = SignalQuerySet.as_manager()

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-severity", "opened_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "rule", "anchor"],
                condition=Q(state="open"),
                name="signal_one_open_per_occurrence",
            ),
            models.CheckConstraint(
                condition=~Q(state="resolved") | ~Q(outcome=""), name="signal_resolved_has_outcome"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "state"], name="signal_person_state"),
            models.Index(fields=["network", "state", "rule"], name="signal_network_state_rule"),
            models.Index(fields=["assigned_to", "state"], name="signal_assignee_state"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_escalated(self) -> bool:
        return self.is_open and self.escalated_on is not None


class PersonState(models.Model):
    """Each person's radar line, kept by the daily run and by every sighting in between.

    It makes the dashboard a single indexed read at 100,000 persons: last seen, whether the person
    is in view because admitted somewhere, and the colour of their worst open signal.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True, related_name="radar")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    last_seen_source = models.CharField(max_length=40, blank=True)
    admitted_since = models.DateField(_("admitted since"), null=True, blank=True)
    # Sort key: last seen (never seen: registered), and while admitted the day of the run. Never
    # empty, so one plain index serves the dashboard's order on every database.
    in_view_at = models.DateTimeField()
    colour = models.PositiveSmallIntegerField(choices=Colour.choices, default=Colour.GREEN)
    # The person's current status, copied here (kept by every save of the person) so the dashboard's
    # status filter and colour counts read one index instead of joining 100,000 persons.
    status = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("radar state")
        verbose_name_plural = _("radar states")
        indexes = [
            # Exactly the dashboard's order, so its first page is an index scan, not a sort of 100,000 lines.
            models.Index(fields=["network", "in_view_at", "person"], name="radar_state_network_seen"),
            models.Index(fields=["network", "status", "colour"], name="radar_state_status_colour"),
        ]

    def __str__(self) -> str:
        return f"radar state of {self.person_id}"


class DigestSent(models.Model):
    """One digest per user per day: the daily task may run twice without mailing twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    signal_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"digest {self.user_id} {self.day}"
