"""The shelter's shift roster and house log (issue 5).

A site has daily slots (``ShiftSlot``: morning, afternoon, night …); a ``Shift`` is one slot on one
day with the number of volunteers it needs. Volunteers sign up (``ShiftSignup``), offer a shift to swap
(``SwapOffer``) and write the house log (``HouseLogEntry``) during a shift. Who may be scheduled (a valid
VOG on the day, a free place) is checked in ``shelter.actions.roster`` under a row lock on the shift.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.core.fields import EncryptedTextField
from inbeeld.core.models import Location, User
from inbeeld.people.models import Person
from inbeeld.shelter.models.volunteers import VolunteerProfile


class ShiftSlot(models.Model):
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="shift_slots")
    name = models.CharField(_("name"), max_length=40)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))  # earlier than starts_at: the shift runs past midnight
    needed = models.PositiveSmallIntegerField(_("volunteers needed"), default=2)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("shift slot")
        verbose_name_plural = _("shift slots")
        ordering = ["location_id", "starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["location", "name"], name="slot_name_per_site"),
            models.CheckConstraint(condition=Q(needed__gte=1), name="slot_needs_someone"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class Availability(models.Model):
    """A volunteer is usually available for this slot on this weekday."""

    volunteer = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(_("weekday"))  # 0 = Monday
    slot = models.ForeignKey(ShiftSlot, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        ordering = ["weekday", "slot__starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "weekday", "slot"], name="availability_once"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="availability_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.weekday} {self.slot_id}"


class Shift(models.Model):
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="shifts")
    slot = models.ForeignKey(ShiftSlot, on_delete=models.PROTECT, related_name="shifts")
    date = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    needed = models.PositiveSmallIntegerField(_("volunteers needed"))

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["location", "starts_at"], name="shift_site_time")]
        constraints = [
            models.UniqueConstraint(fields=["slot", "date"], name="shift_once_per_slot_day"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.slot.name} {self.date}"


class ShiftSignupQuerySet(models.QuerySet["ShiftSignup"]):
    def active(self) -> ShiftSignupQuerySet:
        return self.filter(cancelled_at__isnull=True)


class ShiftSignup(models.Model):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(VolunteerProfile, on_delete=models.PROTECT, related_name="signups")
    signed_up_at = models.DateTimeField(default=timezone.now)
    signed_up_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = ShiftSignupQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift sign-up")
        verbose_name_plural = _("shift sign-ups")
        ordering = ["signed_up_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=Q(cancelled_at__isnull=True),
                name="signup_once_per_shift",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} on {self.shift_id}"


class SwapOffer(models.Model):
    """A volunteer offers their place on a shift; another volunteer takes it over."""

    signup = models.ForeignKey(ShiftSignup, on_delete=models.CASCADE, related_name="swap_offers")
    offered_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(
        VolunteerProfile, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    taken_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("swap offer")
        verbose_name_plural = _("swap offers")
        ordering = ["offered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["signup"],
                condition=Q(taken_at__isnull=True, withdrawn_at__isnull=True),
                name="swap_one_open_offer",
            )
        ]

    def __str__(self) -> str:
        return f"swap of {self.signup_id}"

    @property
    def is_open(self) -> bool:
        return self.taken_at is None and self.withdrawn_at is None


class HouseLogEntry(models.Model):
    """What happened in the house during a shift. Volunteers read and write it: no health, addiction,
    sex-work or plan details belong here (the form says so); the text is encrypted at rest."""

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="house_log")
    shift = models.ForeignKey(Shift, on_delete=models.SET_NULL, null=True, blank=True, related_name="log")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="house_log_entries"
    )
    text = EncryptedTextField(_("entry"))
    written_at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("house log entry")
        verbose_name_plural = _("house log entries")
        ordering = ["-written_at", "-id"]
        indexes = [models.Index(fields=["location", "-written_at"], name="houselog_site_time")]

    def __str__(self) -> str:
        return f"{self.location_id} {self.written_at:%Y-%m-%d %H:%M}"
