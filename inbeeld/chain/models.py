"""The partner services directory: what each organisation of the network offers, where, for whom.

A service holds no person data: the directory is public information within the network.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.core.models import Location, Network, Organisation


class Category(models.TextChoices):
    ADDICTION_CARE = "addiction_care", _("Addiction care")
    DETOX = "detox", _("Detox")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    DEBT_HELP = "debt_help", _("Debt help")
    HOUSING = "housing", _("Housing")
    GP = "gp", _("General practitioner")
    STI_CLINIC = "sti_clinic", _("STI clinic")
    ANTI_TRAFFICKING = "anti_trafficking", _("Anti-trafficking")
    JOB_COACHING = "job_coaching", _("Job coaching")
    LEGAL_AID = "legal_aid", _("Legal aid")
    OTHER = "other", _("Other")


class ServiceQuerySet(models.QuerySet["Service"]):
    def in_network(self, network: Network | int) -> ServiceQuerySet:
        return self.filter(organisation__network=network)

    def active(self) -> ServiceQuerySet:
        return self.filter(status=Service.Status.ACTIVE)

    def speaking(self, code: str) -> ServiceQuerySet:
        # ``contains`` on a JSON list is PostgreSQL-only; the quoted code in the JSON text works on both.
        return self.filter(languages__icontains=f'"{code.strip().lower()}"')

    def search(self, words: list[str]) -> ServiceQuerySet:
        """Every word in the name, description, eligibility or organisation name."""
        found = self
        for word in words:
            found = found.filter(
                models.Q(name__icontains=word)
                | models.Q(description__icontains=word)
                | models.Q(eligibility__icontains=word)
                | models.Q(organisation__name__icontains=word)
            )
        return found


class Service(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    url = models.URLField(_("website"), blank=True)
    eligibility = models.TextField(_("eligibility"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    application_process = models.TextField(_("how to apply"), blank=True)
    fees = models.CharField(_("costs"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    locations = models.ManyToManyField(
        Location, verbose_name=_("locations"), blank=True, related_name="partner_services"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner service")
        verbose_name_plural = _("partner services")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="service_name_unique_in_organisation"
            )
        ]
        indexes = [models.Index(fields=["category", "status"], name="service_category_status")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE
