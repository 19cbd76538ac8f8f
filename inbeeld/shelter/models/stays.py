"""Stays in a shelter bed and the waitlist before them (issue 5).

A stay is the shelter organisation's record of a person: it opens at check-in and closes at check-out.
At most one open stay per bed and per person (partial unique constraints): the database refuses a
double booking even when two check-ins race. A stay is an episode on the person's timeline and a
stay source for the radar (open = in view, admitted; check-out = a discharge).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.core.fields import EncryptedTextField
from inbeeld.core.models import Location, Organisation, User
from inbeeld.people.models import Person
from inbeeld.shelter.models.beds import Bed, HouseRules


class CheckoutReason(models.TextChoices):
    PLANNED_END = "planned_end", _("Planned end of stay")
    MOVED_ON = "moved_on", _("Moved on to housing")
    ADMITTED = "admitted", _("Admitted elsewhere (clinic, hospital)")
    DETAINED = "detained", _("Detained")
    LEFT = "left", _("Left without notice")
    HOUSE_RULES = "house_rules", _("Ended for breaking the house rules")
    OTHER = "other", _("Other")


class StayQuerySet(models.QuerySet["Stay"]):
    def open(self) -> StayQuerySet:
        return self.filter(checked_out_at__isnull=True)

    def at(self, location: Location) -> StayQuerySet:
        return self.filter(location=location)


class Stay(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="shelter_stays")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="stays")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="stays")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    checked_in_at = models.DateTimeField(_("checked in at"), default=timezone.now)
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    checkout_reason = models.CharField(
        _("reason for leaving"), max_length=20, choices=CheckoutReason.choices, blank=True
    )
    house_rules = models.ForeignKey(HouseRules, on_delete=models.PROTECT, related_name="stays")
    house_rules_accepted_at = models.DateTimeField(_("house rules accepted at"))
    note = EncryptedTextField(_("note"), blank=True)
    checked_in_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    checked_out_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)

    objects = StayQuerySet.as_manager()

    class Meta:
        verbose_name = _("shelter stay")
        verbose_name_plural = _("shelter stays")
        ordering = ["-checked_in_at", "-id"]
        indexes = [
            models.Index(fields=["location", "checked_out_at"], name="stay_site_open"),
            models.Index(fields=["person", "-checked_in_at"], name="stay_person_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["bed"], condition=Q(checked_out_at__isnull=True), name="stay_one_open_per_bed"
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(checked_out_at__isnull=True), name="stay_one_open_per_person"
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=F("checked_in_at")),
                name="stay_out_after_in",
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | ~Q(checkout_reason=""),
                name="stay_checkout_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.bed_id} {self.checked_in_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.checked_out_at is None


class Priority(models.IntegerChoices):
    URGENT = 1, _("Urgent")
    HIGH = 2, _("High")
    NORMAL = 3, _("Normal")


class WaitlistQuerySet(models.QuerySet["WaitlistEntry"]):
    def waiting(self) -> WaitlistQuerySet:
        return self.filter(closed_at__isnull=True)

    def in_order(self) -> WaitlistQuerySet:
        """Who comes first: priority, then who has waited longest."""
        return self.order_by("priority", "added_on", "id")


class WaitlistEntry(models.Model):
    class Outcome(models.TextChoices):
        PLACED = "placed", _("Checked in")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        PLACED_ELSEWHERE = "placed_elsewhere", _("Found a place elsewhere")
        NOT_REACHED = "not_reached", _("Could not be reached")

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="waitlist")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="waitlist_entries")
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    added_on = models.DateField(_("on the list since"), default=timezone.localdate)
    # The organisation that asked for the place (a caseworker's) and the shelter's own.
    requested_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    note = EncryptedTextField(_("note"), blank=True)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    stay = models.OneToOneField(Stay, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = WaitlistQuerySet.as_manager()

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        ordering = ["priority", "added_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "person"],
                condition=Q(closed_at__isnull=True),
                name="waitlist_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(outcome=""), name="waitlist_closed_has_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} waiting for {self.location_id}"
