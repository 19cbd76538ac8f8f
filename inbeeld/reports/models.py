"""Monitoring (issue 7): street counts and each network's reporting settings.

Everything else the reports show is derived from the other apps' records and passes
``reports.disclosure`` before it reaches anyone.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.core.models import Location, Network, Organisation, User

# Counts from 1 up to (threshold - 1) are suppressed; never fewer than 1 and 2.
MIN_THRESHOLD = 3
DEFAULT_THRESHOLD = 5
# Means and percentages only over groups of at least this many.
MIN_GROUP = 10
DEFAULT_EXIT_HOLD_MONTHS = 6


class ReportSettings(models.Model):
    """A network's disclosure threshold and indicator definitions; absent means the defaults."""

    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="report_settings")
    suppression_threshold = models.PositiveSmallIntegerField(
        _("suppression threshold"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(MIN_THRESHOLD)],
        help_text=_("Counts from 1 up to one below this number are never shown to an analyst."),
    )
    min_group = models.PositiveSmallIntegerField(
        _("minimum group for means and percentages"),
        default=MIN_GROUP,
        validators=[MinValueValidator(MIN_GROUP)],
    )
    exit_hold_months = models.PositiveSmallIntegerField(
        _("months an exit must hold"),
        default=DEFAULT_EXIT_HOLD_MONTHS,
        validators=[MinValueValidator(1)],
        help_text=_("A person counts as exited once the status 'exited' has held this many months."),
    )

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(suppression_threshold__gte=MIN_THRESHOLD), name="report_threshold_at_least_3"
            ),
            models.CheckConstraint(
                condition=Q(min_group__gte=MIN_GROUP), name="report_min_group_at_least_10"
            ),
            models.CheckConstraint(condition=Q(exit_hold_months__gte=1), name="report_exit_hold_positive"),
        ]

    def __str__(self) -> str:
        return str(self.network)

    @classmethod
    def for_network(cls, network: Network) -> ReportSettings:
        found = cls.objects.filter(network=network).first()
        return found or cls(network=network)


class StreetCount(models.Model):
    """A dated headcount on a street-zone location by outreach: how the 62 → 6 figures arise."""

    class Method(models.TextChoices):
        COUNTED = "counted", _("Counted")
        ESTIMATED = "estimated", _("Estimated")

    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        related_name="street_counts",
        limit_choices_to={"kind": Location.Kind.STREET_ZONE},
        verbose_name=_("location"),
    )
    counted_on = models.DateField(_("date"))
    count = models.PositiveIntegerField(_("number of people"))
    method = models.CharField(_("how"), max_length=16, choices=Method.choices, default=Method.COUNTED)
    note = models.CharField(_("note"), max_length=200, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-counted_on", "-recorded_at"]
        indexes = [models.Index(fields=["location", "counted_on"])]
        verbose_name = _("street count")
        verbose_name_plural = _("street counts")

    def __str__(self) -> str:
        return f"{self.location} {self.counted_on}: {self.count}"


class ReportSnapshot(models.Model):
    """One day's raw figures of a network over whole years: computed once (by the first request of the
    day, the daily ``report_snapshots`` run, or "compute again"), then protected on every read.

    The raw cubes hold small numbers and never leave the server: every page, file and API answer still
    passes ``reports.disclosure``. They are pickled by the server itself (``reports.report``), never
    from anything a user sends.
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()
    data_date = models.DateField()
    taken_at = models.DateTimeField(default=timezone.now)
    cubes = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "first_year", "last_year"], name="one_snapshot_per_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.first_year}–{self.last_year} ({self.data_date})"
