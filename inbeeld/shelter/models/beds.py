"""Shelter sites, rooms and beds, and the house rules a resident accepts on check-in (issue 5).

A site is a core ``Location`` of kind shelter; its capacity is its beds in use. Two people can never
hold the same bed at once and nobody can be checked in twice: both are unique constraints on open stays
(``models.stays``), so capacity is enforced by the database, not only by a form.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.core.models import Location, User


class Room(models.Model):
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(_("name"), max_length=60)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["location_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["location", "name"], name="room_name_per_site")]

    def __str__(self) -> str:
        return self.name


class BedQuerySet(models.QuerySet["Bed"]):
    def in_use(self) -> BedQuerySet:
        return self.filter(in_use=True)

    def at(self, location: Location) -> BedQuerySet:
        return self.filter(room__location=location)


class Bed(models.Model):
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="beds")
    label = models.CharField(_("bed"), max_length=30)
    # A bed out of use (broken, room closed) is not part of the capacity; it cannot be taken.
    in_use = models.BooleanField(_("in use"), default=True)

    objects = BedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        ordering = ["room__name", "label", "id"]
        constraints = [models.UniqueConstraint(fields=["room", "label"], name="bed_label_per_room")]

    def __str__(self) -> str:
        return f"{self.room.name} · {self.label}"


class HouseRulesQuerySet(models.QuerySet["HouseRules"]):
    def current_at(self, location: Location) -> HouseRules | None:
        return self.filter(location=location, published_at__lte=timezone.now()).order_by("-version").first()


class HouseRules(models.Model):
    """One version of a site's house rules. A stay records the version its resident accepted."""

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="house_rules")
    version = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("house rules"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = HouseRulesQuerySet.as_manager()

    class Meta:
        verbose_name = _("house rules")
        verbose_name_plural = _("house rules")
        ordering = ["location_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["location", "version"], name="house_rules_version_per_site"),
            models.CheckConstraint(condition=Q(version__gte=1), name="house_rules_version_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.location_id} v{self.version}"
