"""The shelter's volunteers: profile (no client data), VOG, trainings, availability, buddies (issue 5).

A volunteer is a member of the shelter organisation with the role ``volunteer``; the profile belongs to
that membership. A VOG (certificate of conduct) that is missing or expired on a shift's day means the
volunteer cannot be scheduled for it (``roster``).
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.core.models import Location, Membership, Organisation, User
from inbeeld.people.models import Person

VOG_WARNING_DAYS = 30


class VolunteerProfile(models.Model):
    membership = models.OneToOneField(Membership, on_delete=models.PROTECT, related_name="volunteer_profile")
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    languages = models.CharField(_("languages"), max_length=120, blank=True)
    vog_issued_on = models.DateField(_("VOG issued on"), null=True, blank=True)
    vog_valid_until = models.DateField(_("VOG valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")
        ordering = ["membership__user__full_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(vog_valid_until__isnull=True)
                | Q(vog_issued_on__isnull=False, vog_valid_until__gte=F("vog_issued_on")),
                name="vog_valid_after_issue",
            )
        ]

    def __str__(self) -> str:
        return self.membership.user.full_name or self.membership.user.email

    def vog_valid_on(self, day: datetime.date) -> bool:
        return (
            self.vog_issued_on is not None
            and self.vog_valid_until is not None
            and self.vog_valid_until >= day
        )

    def vog_warning(self, today: datetime.date | None = None) -> bool:
        """Missing, expired, or expiring within VOG_WARNING_DAYS: the coordinator should act."""
        today = today or timezone.localdate()
        return not self.vog_valid_on(today + datetime.timedelta(days=VOG_WARNING_DAYS))


class Training(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="trainings")
    name = models.CharField(_("name"), max_length=120)
    # How long a completed training counts (e.g. first aid: 24 months); empty: for good.
    valid_months = models.PositiveSmallIntegerField(_("valid for (months)"), null=True, blank=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="training_name_per_org")]

    def __str__(self) -> str:
        return self.name


class TrainingRecord(models.Model):
    volunteer = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="trainings")
    training = models.ForeignKey(Training, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField(_("completed on"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("completed training")
        verbose_name_plural = _("completed trainings")
        ordering = ["-completed_on", "id"]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.training_id} {self.completed_on}"


class BuddyPairQuerySet(models.QuerySet["BuddyPair"]):
    def current(self) -> BuddyPairQuerySet:
        return self.filter(ended_on__isnull=True)


class BuddyPair(models.Model):
    """A coordinator pairs a volunteer with a resident. The buddy sees the resident's network map."""

    volunteer = models.ForeignKey(VolunteerProfile, on_delete=models.PROTECT, related_name="buddies")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="buddy_pairs")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("since"), default=timezone.localdate)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    matched_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = BuddyPairQuerySet.as_manager()

    class Meta:
        verbose_name = _("buddy pair")
        verbose_name_plural = _("buddy pairs")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "person"], condition=Q(ended_on__isnull=True), name="buddy_one_open_pair"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="buddy_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} ↔ {self.person_id}"
