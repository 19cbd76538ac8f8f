"""The huiskamer register (issue 5): who came to a huiskamer location, named or anonymous, and what for.

A visit belongs to the organisation that recorded it (the location's organisation). A named visit is a
sighting of the person for the radar; an anonymous one is counted, never named.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.core.fields import EncryptedTextField
from inbeeld.core.models import Location, Organisation, User
from inbeeld.people.models import Person


class Intent(models.TextChoices):
    UNKNOWN = "unknown", _("Not asked")
    WANTS_TO_LEAVE = "wants_to_leave", _("Wants to leave sex work")
    WANTS_TO_ENTER = "wants_to_enter", _("Wants to start sex work")
    INFO_ONLY = "info_only", _("Information only")


class Service(models.TextChoices):
    """What was given during a visit."""

    INFORMATION = "information", _("Information")
    HELP = "help", _("Help")
    ADVICE = "advice", _("Advice")
    FOOD = "food", _("Food")
    SHOWER = "shower", _("Shower")
    CLOTHES = "clothes", _("Clothes")
    PHONE_CHARGING = "phone_charging", _("Phone charging")
    REFERRAL_WANTED = "referral_wanted", _("Referral wanted")


class Visit(models.Model):
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="visits")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="huiskamer_visits"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    arrived_at = models.DateTimeField(_("arrived at"), default=timezone.now)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    first_visit = models.BooleanField(_("first visit"), null=True, blank=True)
    intent = models.CharField(_("intent"), max_length=16, choices=Intent.choices, default=Intent.UNKNOWN)
    language = models.CharField(_("language"), max_length=2, blank=True)
    # Topics of the questions asked (care.models.Topic values) and what was given (Service values).
    questions = models.JSONField(_("questions"), default=list, blank=True)
    services = models.JSONField(_("given"), default=list, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("huiskamer visit")
        verbose_name_plural = _("huiskamer visits")
        ordering = ["-arrived_at", "-id"]
        indexes = [
            models.Index(fields=["location", "-arrived_at"], name="visit_location_time"),
            models.Index(fields=["person", "-arrived_at"], name="visit_person_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gte=F("arrived_at")),
                name="visit_left_after_arrival",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location_id} {self.arrived_at:%Y-%m-%d %H:%M}"

    @property
    def is_in(self) -> bool:
        return self.left_at is None
