"""Episodes: admissions and stays elsewhere (clinic, detox, hospital, detention, shelter …).

An episode belongs to the organisation that recorded it: the organisation concerned (its own record) or
the key worker's organisation, from information received. Another organisation sees it only with the
person's consent for ``DataCategory.EPISODES`` (rule 2). "Admitted six times" is six episodes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.core.fields import EncryptedTextField
from inbeeld.core.models import Organisation
from inbeeld.people.models import Person


class EpisodeKind(models.TextChoices):
    CLINIC = "clinic", _("Clinic admission")
    DETOX = "detox", _("Detox")
    HOSPITAL = "hospital", _("Hospital")
    MENTAL_HEALTH = "mental_health", _("Mental-health admission")
    DETENTION = "detention", _("Detention")
    SHELTER = "shelter", _("Shelter elsewhere")
    OTHER = "other", _("Other stay")


class Outcome(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    DROPPED_OUT = "dropped_out", _("Discharged early / dropped out")
    TRANSFERRED = "transferred", _("Transferred")
    AGAINST_ADVICE = "against_advice", _("Left against advice")
    RELEASED = "released", _("Released")
    OTHER = "other", _("Other")


class Source(models.TextChoices):
    OWN_RECORD = "own_record", _("Own record of the organisation concerned")
    INFORMATION_RECEIVED = "information_received", _("Information received by the key worker")


class Episode(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="episodes")
    kind = models.CharField(_("kind"), max_length=20, choices=EpisodeKind.choices)
    place = models.CharField(_("place"), max_length=120, blank=True)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=30, choices=Source.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("episode")
        verbose_name_plural = _("episodes")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["person", "started_on"], name="episode_person_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="episode_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, outcome="") | (Q(ended_on__isnull=False) & ~Q(outcome="")),
                name="episode_outcome_when_ended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None
