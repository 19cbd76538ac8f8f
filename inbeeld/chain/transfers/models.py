"""Transfer of lead: the lead organisation and key worker move to another organisation, both sides confirming.

The current lead's caseworker (or a network coordinator) proposes, with a handover note; a caseworker of
the receiving organisation accepts, choosing the new key worker, or declines with a reason. The proposing
side may withdraw while the proposal is open. At most one proposal per person is open at a time.
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


class LeadTransfer(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="lead_transfers")
    from_organisation = models.ForeignKey(
        Organisation, verbose_name=_("from organisation"), on_delete=models.PROTECT, related_name="+"
    )
    from_key_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_organisation = models.ForeignKey(
        Organisation, verbose_name=_("to organisation"), on_delete=models.PROTECT, related_name="+"
    )
    to_key_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("new key worker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Seen by the two organisations of the transfer only (``chain.transfers.actions``).
    handover_note = EncryptedTextField(_("handover note"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True)

    class Meta:
        verbose_name = _("transfer of lead")
        verbose_name_plural = _("transfers of lead")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(state="proposed"),
                name="lead_transfer_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(from_organisation=models.F("to_organisation")),
                name="lead_transfer_between_two_organisations",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.from_organisation} → {self.to_organisation}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.PROPOSED
