"""The by-name list: persons, their aliases, status history, involvements and consents."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.core.fields import EncryptedDateField, EncryptedTextField
from inbeeld.core.models import Network, Organisation


class Status(models.TextChoices):
    STREET_ZONE = "street_zone", _("On the street zone")
    OTHER_SEX_WORK = "other_sex_work", _("Other sex work")
    EXITING = "exiting", _("Exiting")
    EXITED = "exited", _("Exited")
    IN_TREATMENT = "in_treatment", _("In treatment")
    IN_SHELTER = "in_shelter", _("In shelter")
    UNKNOWN = "unknown", _("Unknown")
    MOVED_AWAY = "moved_away", _("Moved away")
    DECEASED = "deceased", _("Deceased")


class PersonQuerySet(models.QuerySet["Person"]):
    def in_network(self, network: Network) -> PersonQuerySet:
        return self.filter(network=network)

    def involved_with(self, organisation: Organisation, on: datetime.date | None = None) -> PersonQuerySet:
        """Persons the organisation currently works with: an open involvement, or it leads."""
        return self.filter(involved_with(organisation, on=on))

    def search(self, text: str) -> PersonQuerySet:
        from inbeeld.core.crypto import phone_index

        text = text.strip()
        if not text:
            return self
        if sum(ch.isdigit() for ch in text) >= 6:
            # A phone number. It is encrypted: only an exact match through the blind index finds it.
            return self.filter(phone_index=phone_index(text))
        alias = Alias.objects.filter(person=OuterRef("pk"), name__icontains=text)
        return self.filter(Q(roepnaam__icontains=text) | Q(Exists(alias)))


def involved_with(
    organisation: Organisation | int, *, on: datetime.date | None = None, person: str = ""
) -> Q:
    """The condition "this organisation works with the person", for a query on persons or (with
    ``person="person__"``) on a model that points to a person."""
    # EXISTS rather than IN or a union: both branches stay index lookups at 100k persons.
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    current = Involvement.objects.current(on).filter(
        organisation_id=organisation_id, person=OuterRef(f"{person}pk")
    )
    return Q(**{f"{person}lead_organisation_id": organisation_id}) | Q(Exists(current))


class Person(models.Model):
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="persons")
    roepnaam = models.CharField(_("roepnaam"), max_length=80, db_index=True)
    legal_name = EncryptedTextField(_("legal name"), blank=True)
    date_of_birth = EncryptedDateField(_("date of birth"), blank=True, null=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address = EncryptedTextField(_("address"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UNKNOWN)
    status_since = models.DateField(_("status since"), default=timezone.localdate)
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="lead_for",
        null=True,
        blank=True,
    )
    key_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("key worker"),
        on_delete=models.PROTECT,
        related_name="key_worker_for",
        null=True,
        blank=True,
    )
    registered_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: an edit based on an older version is refused, never silently applied.
    version = models.PositiveIntegerField(default=1)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["roepnaam", "id"]

    def __str__(self) -> str:
        return self.roepnaam

    def alias_names(self) -> list[str]:
        return [a.name for a in self.aliases.all()]


class Alias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=80, db_index=True)

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["person", "name"], name="alias_unique_per_person")]

    def __str__(self) -> str:
        return self.name


class StatusChange(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    effective_on = models.DateField(_("effective on"))
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-effective_on", "-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.effective_on}: {self.from_status or '—'} → {self.to_status}"


class InvolvementQuerySet(models.QuerySet["Involvement"]):
    def current(self, on: datetime.date | None = None) -> InvolvementQuerySet:
        day = on or timezone.localdate()
        return self.filter(started_on__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))


class Involvement(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="involvements")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="involvements")
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    reason = EncryptedTextField(_("reason"), blank=True)
    end_reason = EncryptedTextField(_("reason for ending"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = InvolvementQuerySet.as_manager()

    class Meta:
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"],
                condition=Q(ended_on__isnull=True),
                name="involvement_one_open_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="involvement_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ↔ {self.person}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class DataCategory(models.TextChoices):
    CONTACT_DETAILS = "contact_details", _("Identity and contact details")
    CARE_PLAN = "care_plan", _("Care plan, assessments and case notes")
    CONTACTS = "contacts", _("Contacts and appointments")
    HEALTH = "health", _("Health and addiction")
    SEX_WORK = "sex_work", _("Sex-work history")
    JUSTICE = "justice", _("Justice")
    NETWORK_MAP = "network_map", _("Social network map")
    EPISODES = "episodes", _("Admissions and stays")


class ConsentQuerySet(models.QuerySet["Consent"]):
    def valid_on(self, day: datetime.date | None = None) -> ConsentQuerySet:
        day = day or timezone.localdate()
        return self.filter(withdrawn_at__isnull=True, valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Consent(models.Model):
    """What the person allows a recipient organisation to receive, for which purpose.

    A legal basis other than consent (e.g. vital interest) is recorded the same way, marked by ``basis``.
    """

    class Basis(models.TextChoices):
        CONSENT = "consent", _("Consent of the person")
        VITAL_INTEREST = "vital_interest", _("Vital interest")
        LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")

    class Purpose(models.TextChoices):
        CARE_COORDINATION = "care_coordination", _("Coordination of care")
        REFERRAL = "referral", _("Referral")
        SHELTER = "shelter", _("Shelter")
        SAFETY = "safety", _("Safety")

    class HowGiven(models.TextChoices):
        WRITTEN = "written", _("Written")
        VERBAL = "verbal", _("Verbal")
        DIGITAL = "digital", _("Digital")
        NOT_APPLICABLE = "not_applicable", _("Not applicable (other legal basis)")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    recipient = models.ForeignKey(
        Organisation, verbose_name=_("recipient organisation"), on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    data_categories = models.JSONField(_("data categories"), default=list)
    basis = models.CharField(_("basis"), max_length=32, choices=Basis.choices, default=Basis.CONSENT)
    how_given = models.CharField(_("how given"), max_length=20, choices=HowGiven.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="consents_recorded"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = EncryptedTextField(_("withdrawal note"), blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="consent_valid_to_after_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.recipient} ({self.get_purpose_display()})"

    def is_valid_on(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return (
            self.withdrawn_at is None
            and self.valid_from <= day
            and (self.valid_to is None or self.valid_to >= day)
        )

    def category_labels(self) -> list[str]:
        labels = dict(DataCategory.choices)
        return [str(labels.get(c, c)) for c in self.data_categories]


class TieKind(models.TextChoices):
    FAMILY = "family", _("Family")
    FRIEND = "friend", _("Friend")
    PARTNER = "partner", _("Partner")
    BUDDY = "buddy", _("Buddy or volunteer")
    PROFESSIONAL = "professional", _("Professional")
    RISK_CONTACT = "risk_contact", _("Risk contact")
    OTHER = "other", _("Other")


class TieQuality(models.TextChoices):
    SUPPORTIVE = "supportive", _("Supportive")
    NEUTRAL = "neutral", _("Neutral")
    RISK = "risk", _("Risk")


class ContactFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    RARELY = "rarely", _("Rarely")
    NONE = "none", _("No contact")


class NetworkTieQuerySet(models.QuerySet["NetworkTie"]):
    def open_on(self, day: datetime.date) -> NetworkTieQuerySet:
        """Ties that exist on this day: started, and not ended on or before it."""
        return self.filter(started_on__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))


class NetworkTie(models.Model):
    """One tie of a person's social network map (issue 5). It belongs to the organisation that recorded it;
    another organisation sees it only with a consent for ``DataCategory.NETWORK_MAP`` (rule 2).
    The name is encrypted: a risk contact's name (an exploiter) is as sensitive as anything in the file."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="network_ties")
    kind = models.CharField(_("kind of tie"), max_length=20, choices=TieKind.choices)
    quality = models.CharField(_("quality"), max_length=20, choices=TieQuality.choices)
    name = EncryptedTextField(_("name or label"))
    frequency = models.CharField(_("contact frequency"), max_length=20, choices=ContactFrequency.choices)
    started_on = models.DateField(_("since"), default=timezone.localdate)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = NetworkTieQuerySet.as_manager()

    class Meta:
        verbose_name = _("network tie")
        verbose_name_plural = _("network ties")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="network_tie_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None
