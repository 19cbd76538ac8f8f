"""Referrals: an organisation refers a person to a partner service of another organisation.

Lifecycle (``TRANSITIONS``): draft → sent → accepted / declined → started → completed / dropped; the sender
may withdraw a draft or a sent referral. Every transition is one ``ReferralEvent`` (state, when, who, for
which organisation). A referral rests on a ``Consent`` of the person for the receiving organisation covering
every shared data category; a consent whose ``basis`` is a legal basis is allowed, marked and listed for the
privacy officer. The handover note travels to the receiving organisation only (``chain.referrals.actions``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.chain.models import Service
from inbeeld.core.fields import EncryptedTextField
from inbeeld.core.models import Organisation
from inbeeld.people.models import Consent, DataCategory, Person


class Referral(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        STARTED = "started", _("Started")
        COMPLETED = "completed", _("Completed")
        DROPPED = "dropped", _("Dropped")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Urgency(models.TextChoices):
        URGENT = "urgent", _("Urgent")
        HIGH = "high", _("High")
        NORMAL = "normal", _("Normal")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="referrals")
    from_organisation = models.ForeignKey(
        Organisation, verbose_name=_("from organisation"), on_delete=models.PROTECT, related_name="+"
    )
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="referrals"
    )
    # The service's organisation when the referral was made.
    to_organisation = models.ForeignKey(
        Organisation, verbose_name=_("to organisation"), on_delete=models.PROTECT, related_name="+"
    )
    reason = EncryptedTextField(_("reason"))
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    shared_categories = models.JSONField(_("what is shared"), default=list)
    consent = models.ForeignKey(
        Consent, verbose_name=_("consent or legal basis"), on_delete=models.PROTECT, related_name="referrals"
    )
    # Written by the sender; once sent, read by the receiving organisation only.
    handover_note = EncryptedTextField(_("handover note"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-state_changed_at", "-id"]
        indexes = [models.Index(fields=["to_organisation", "state"]), models.Index(fields=["state"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_organisation=models.F("to_organisation")),
                name="referral_between_two_organisations",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.from_organisation} → {self.service}"

    @property
    def on_legal_basis(self) -> bool:
        return self.consent.basis != Consent.Basis.CONSENT

    def shared_labels(self) -> list[str]:
        labels = dict(DataCategory.choices)
        return [str(labels.get(c, c)) for c in self.shared_categories]


class ReferralEvent(models.Model):
    """One transition of a referral: the state it reached, when, by whom, for which organisation."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    state = models.CharField(_("state"), max_length=12, choices=Referral.State.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.state} {self.at:%Y-%m-%d}"
