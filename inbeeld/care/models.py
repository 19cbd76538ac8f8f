"""The daily work of care: instruments and assessments, care plans, contacts, appointments, intakes.

Every record here belongs to an organisation (its owner, rule 2 of the access policy) and every free
text is encrypted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.core.fields import EncryptedTextField
from inbeeld.core.models import Location, Network, Organisation
from inbeeld.people.models import Person

User = settings.AUTH_USER_MODEL

# --- Instruments and assessments ---------------------------------------------------------------


class Instrument(models.Model):
    """A self-sufficiency instrument: data, not code. ``network`` empty = available to every network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    # [{"value": 1, "label": "Acute problematiek"}, …], lowest first
    levels = models.JSONField(_("levels"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(network__isnull=True), name="instrument_code_unique_global"
            ),
            models.UniqueConstraint(
                fields=["network", "code"], condition=Q(network__isnull=False), name="instrument_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def level_label(self, value: int | None, language: str = "nl") -> str:
        for level in self.levels:
            if level["value"] == value:
                return str(level.get(f"label_{language}") or level["label"])
        return ""

    @property
    def min_level(self) -> int:
        return min(level["value"] for level in self.levels)

    @property
    def max_level(self) -> int:
        return max(level["value"] for level in self.levels)


class Domain(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="domains")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"))
    # A network's own description of the domain (the GGD's indicator texts are not shipped).
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering = ["instrument", "position"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="domain_code_unique")]

    def __str__(self) -> str:
        return self.name

    def label(self, language: str = "nl") -> str:
        return (self.name_en if language == "en" else "") or self.name


class Assessment(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessments")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    note = EncryptedTextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["person", "-assessed_on"], name="assessment_person_date")]

    def __str__(self) -> str:
        return f"{self.instrument} {self.assessed_on}"


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)  # None: not assessed
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["domain__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="score_one_per_domain"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=9), name="score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.value or '—'}"


# --- Care plans ---------------------------------------------------------------------------------


class CarePlan(models.Model):
    """One current plan per person. Its content lives in versions; each saved change adds one."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="care_plan")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # The number of the newest version: an edit based on an older one is a conflict.
    current_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("care plan")
        verbose_name_plural = _("care plans")

    def __str__(self) -> str:
        return f"{self.person} v{self.current_number}"

    def current_version(self) -> PlanVersion | None:
        return self.versions.filter(number=self.current_number).first()


class PlanVersion(models.Model):
    """An immutable snapshot of the plan as saved at one moment."""

    class AgreedHow(models.TextChoices):
        SIGNED = "signed", _("Signed")
        VERBAL = "verbal", _("Verbally")
        NOT_YET = "not_yet", _("Not yet agreed")

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    saved_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    own_words = EncryptedTextField(_("in the person's own words"), blank=True)
    evaluation_date = models.DateField(_("evaluation date"), null=True, blank=True)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    agreed_how = models.CharField(
        _("agreed how"), max_length=16, choices=AgreedHow.choices, default=AgreedHow.NOT_YET
    )
    change_summary = models.CharField(_("what changed"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("care plan version")
        verbose_name_plural = _("care plan versions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")]

    def __str__(self) -> str:
        return f"{self.plan.person} v{self.number}"


class Goal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACHIEVED = "achieved", _("Achieved")
        PARTLY = "partly", _("Partly achieved")
        NOT_ACHIEVED = "not_achieved", _("Not achieved")
        DROPPED = "dropped", _("Dropped")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField()
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = EncryptedTextField(_("goal, in the person's own words"))
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["position"]

    def __str__(self) -> str:
        return f"goal {self.position}"


class PlanAction(models.Model):
    class Who(models.TextChoices):
        WORKER = "worker", _("A worker")
        ORGANISATION = "organisation", _("An organisation")
        PERSON = "person", _("The person")
        NETWORK_MEMBER = "network_member", _("Someone from their own network")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField()
    who = models.CharField(_("who"), max_length=16, choices=Who.choices)
    worker = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    who_name = EncryptedTextField(_("name (someone from their network)"), blank=True)
    what = EncryptedTextField(_("what"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["position"]

    def __str__(self) -> str:
        return f"action {self.position}"


class Evaluation(models.Model):
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="evaluations")
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="+")
    evaluated_on = models.DateField(_("evaluated on"))
    went_well = EncryptedTextField(_("what went well"), blank=True)
    changed = EncryptedTextField(_("what changed"), blank=True)
    next_evaluation_date = models.DateField(_("next evaluation"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-evaluated_on", "-id"]

    def __str__(self) -> str:
        return f"{self.plan.person} {self.evaluated_on}"


# --- Contacts and appointments ------------------------------------------------------------------


class Channel(models.TextChoices):
    HUISKAMER = "huiskamer", _("Huiskamer")
    STREET_ZONE = "street_zone", _("Street zone")
    PHONE = "phone", _("Phone")
    HOME_VISIT = "home_visit", _("Home visit")
    SHELTER = "shelter", _("Shelter")
    OFFICE = "office", _("Office")
    ONLINE = "online", _("Online")


class ContactKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    HELP = "help", _("Help")
    ADVICE = "advice", _("Advice")
    PRACTICAL = "practical", _("Practical")
    MEDICAL = "medical", _("Medical")
    CRISIS = "crisis", _("Crisis")
    SIGHTING = "sighting", _("Sighting")


class Topic(models.TextChoices):
    HOUSING = "housing", _("Housing")
    INCOME = "income", _("Income and debts")
    HEALTH = "health", _("Health")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    SAFETY = "safety", _("Safety")
    EXIT = "exit", _("Leaving sex work")
    WORK = "work", _("Work and daytime activity")
    FAMILY = "family", _("Family and relationships")
    JUSTICE = "justice", _("Justice")
    PAPERS = "papers", _("Papers and residence")
    OTHER = "other", _("Other")


class ContactQuerySet(models.QuerySet["Contact"]):
    def named(self) -> ContactQuerySet:
        return self.filter(person__isnull=False)


class Contact(models.Model):
    """A moment of contact. Anonymous when ``person`` is empty (counted, not named)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    channel = models.CharField(_("where"), max_length=16, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=ContactKind.choices)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    location = models.ForeignKey(Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = EncryptedTextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-occurred_at"], name="contact_person_time"),
            models.Index(fields=["organisation", "-occurred_at"], name="contact_org_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"


class Appointment(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("No-show")
        CANCELLED = "cancelled", _("Cancelled")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="appointments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(User, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.ForeignKey(Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    place = models.CharField(_("place"), max_length=120, blank=True)
    purpose = EncryptedTextField(_("purpose"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["worker", "starts_at"], name="appointment_worker_time"),
            models.Index(fields=["person", "-starts_at"], name="appointment_person_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"

    def place_label(self) -> str:
        return self.place or (self.location.name if self.location else "")


class CalendarFeed(models.Model):
    """A worker's secret ICS feed address. Only a hash of its token is stored; revoking ends it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="calendar_feeds")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="calendar_feed_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"feed of {self.user_id}"


# --- Intake -------------------------------------------------------------------------------------


class Intake(models.Model):
    """An intake in progress or done. Saved half-way, it can be resumed: ``draft`` holds the steps."""

    class Step(models.TextChoices):
        PERSON = "person", _("Person")
        FIRST_CONTACT = "first_contact", _("First contact")
        CONSENT = "consent", _("Consent")
        KEY_WORKER = "key_worker", _("Key worker")
        ASSESSMENT = "assessment", _("First assessment")
        DONE = "done", _("Done")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="intakes"
    )
    started_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    step = models.CharField(max_length=16, choices=Step.choices, default=Step.PERSON)
    # Answers of steps not yet committed to their records; encrypted because they are person data.
    draft = EncryptedTextField(blank=True)
    first_contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first_assessment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"intake {self.pk} ({self.step})"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None
