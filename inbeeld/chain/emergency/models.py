"""Emergency access, "break the glass" (rule 5): a worker's written reason opens one person for 24 hours.

A grant gives its holder the radar core of the person (``core.access.level_for``, basis EMERGENCY) and
the emergency page with the latest care plan, until ``expires_at``. Every grant is a review item for the
network's privacy officer, who marks it justified or not; a reviewed grant always carries its verdict.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.core.fields import EncryptedTextField
from inbeeld.core.models import Membership, User
from inbeeld.people.models import Person

EMERGENCY_HOURS = 24
REASON_MIN_LENGTH = 20


class EmergencyAccessQuerySet(models.QuerySet["EmergencyAccess"]):
    def active(self, at: datetime.datetime | None = None) -> EmergencyAccessQuerySet:
        moment = at or timezone.now()
        return self.filter(granted_at__lte=moment, expires_at__gt=moment)

    def in_network(self, network_id: int) -> EmergencyAccessQuerySet:
        return self.filter(person__network_id=network_id)

    def for_review(self) -> EmergencyAccessQuerySet:
        """Unreviewed first (newest first), then the reviewed ones (most recently reviewed first)."""
        return self.order_by(
            models.F("reviewed_at").desc(nulls_first=True), models.F("granted_at").desc(), "-id"
        )


class EmergencyAccess(models.Model):
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = EncryptedTextField(_("reason"))
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    justified = models.BooleanField(_("justified"), null=True, blank=True)
    review_note = EncryptedTextField(_("review note"), blank=True)

    objects = EmergencyAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        indexes = [models.Index(fields=["membership", "person", "expires_at"], name="emergency_active")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(reviewed_at__isnull=True, reviewed_by__isnull=True, justified__isnull=True)
                    | Q(reviewed_at__isnull=False, reviewed_by__isnull=False, justified__isnull=False)
                ),
                name="emergency_review_has_verdict",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("granted_at")), name="emergency_expires_after_grant"
            ),
        ]

    def __str__(self) -> str:
        return f"emergency access {self.pk} to person {self.person_id}"

    @property
    def is_active(self) -> bool:
        return self.granted_at <= timezone.now() < self.expires_at

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    @staticmethod
    def expiry_for(granted_at: datetime.datetime) -> datetime.datetime:
        return granted_at + datetime.timedelta(hours=EMERGENCY_HOURS)
