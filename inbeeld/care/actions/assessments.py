"""Self-sufficiency assessments: recording one, and what a viewer sees of them.

The write (``record_assessment``) is one transaction with its audit event. The reads below are shared
by the web pages, the person-page section and the API, so all of them show the same things: a viewer
sees the assessments of their own organisation, and another organisation's only as the person's
consent for care-plan data allows (access rule 2). Callers have asked ``core.access`` first.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import formats, translation
from django.utils.translation import gettext as _

from inbeeld.care.models import Assessment, Domain, Instrument, Score
from inbeeld.core import audit
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.models import AuditEvent, Network
from inbeeld.people import validation as v
from inbeeld.people.models import Consent, DataCategory

DEFAULT_INSTRUMENT_CODE = "zrm-2017"
NOTE_MAX = 1000

# --- instruments --------------------------------------------------------------------------------


def language() -> str:
    """The language labels are shown in: the request's (Dutch unless English is chosen)."""
    return "en" if (translation.get_language() or "").startswith("en") else "nl"


def instruments_for(network: Network | int) -> QuerySet[Instrument]:
    """The instruments a network works with: the global ones and its own, active only."""
    network_id = network if isinstance(network, int) else network.pk
    return (
        Instrument.objects.filter(Q(network__isnull=True) | Q(network_id=network_id), is_active=True)
        .prefetch_related("domains")
        .order_by("name", "id")
    )


def pick_default(available: list[Instrument]) -> Instrument | None:
    """The Zelfredzaamheid-Matrix 2017 when it is available, else the first instrument."""
    preferred = [i for i in available if i.code == DEFAULT_INSTRUMENT_CODE and i.network_id is None]
    if preferred:
        return preferred[0]
    return available[0] if available else None


def default_instrument(network: Network | int) -> Instrument | None:
    return pick_default(list(instruments_for(network)))


# --- recording an assessment ----------------------------------------------------------------------

ScoreInput = tuple[int | None, str]
# What the database accepts (Score's check constraint); an instrument's levels outside it are unusable.
STORABLE = range(1, 10)


def levels_of(instrument: Instrument) -> list[int]:
    """The instrument's level values that can be stored, lowest first."""
    values = {level.get("value") for level in instrument.levels or [] if isinstance(level, dict)}
    return sorted(value for value in values if isinstance(value, int) and value in STORABLE)


def score_error(instrument: Instrument) -> str:
    values = levels_of(instrument)
    if not values:
        return _("This instrument has no levels to choose from; leave the domain “not assessed”.")
    return _("Choose one of the levels %(low)d to %(high)d, or “not assessed”.") % {
        "low": values[0],
        "high": values[-1],
    }


def _clean_scores(
    instrument: Instrument, scores: dict[int, ScoreInput], errors: dict[str, Any]
) -> dict[Domain, ScoreInput]:
    """Every domain of the instrument with its score (None: not assessed) and note; errors by field."""
    domains = {domain.pk: domain for domain in instrument.domains.all()}
    levels = set(levels_of(instrument))
    if any(domain_id not in domains for domain_id in scores):
        errors["scores"] = _("A score names a domain that is not part of this instrument.")
    cleaned: dict[Domain, ScoreInput] = {}
    for domain_id, domain in sorted(domains.items(), key=lambda item: item[1].position):
        value, note = scores.get(domain_id, (None, ""))
        is_level = isinstance(value, int) and not isinstance(value, bool) and value in levels
        if value is not None and not is_level:
            errors[f"score_{domain.code}"] = score_error(instrument)
            value = None
        try:
            text = note if isinstance(note, str) else ""
            note = v.clean_text(text, field=f"note_{domain.code}", max_length=NOTE_MAX)
        except ValidationError as error:
            errors.update(error.message_dict)
        cleaned[domain] = (value, note)
    if not errors and all(value is None for value, _note in cleaned.values()):
        errors["scores"] = _("Score at least one domain: all of them are “not assessed” now.")
    return cleaned


def record_assessment(
    person_access: PersonAccess,
    *,
    actor: audit.Actor,
    instrument: Instrument,
    assessed_on: datetime.date,
    scores: dict[int, ScoreInput],
    note: str = "",
) -> Assessment:
    """Record an assessment: ``scores`` maps a domain id to (score or None for "not assessed", note).

    Domains left out are "not assessed". The assessment belongs to the recording organisation.
    """
    if not person_access.allows(Need.EDIT_CARE):
        raise PermissionDenied(_("Your role may not do this for this person."))
    if actor.user is None:
        raise ValueError("An assessment is recorded by a person.")
    network_id = person_access.person.network_id
    if instrument is None or not instrument.is_active or instrument.network_id not in (None, network_id):
        raise ValidationError({"instrument": _("Choose an instrument of this network.")})
    errors: dict[str, Any] = {}
    try:
        assessed_on = v.clean_record_date(assessed_on, field="assessed_on")
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        note = v.clean_text(note, field="note", max_length=NOTE_MAX)
    except ValidationError as error:
        errors.update(error.message_dict)
    cleaned = _clean_scores(instrument, scores, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assessment = Assessment.objects.create(
            person=person_access.person,
            instrument=instrument,
            organisation=person_access.membership.organisation,
            assessed_on=assessed_on,
            assessed_by=actor.user,
            note=note,
        )
        Score.objects.bulk_create(
            [
                Score(assessment=assessment, domain=domain, value=value, note=domain_note)
                for domain, (value, domain_note) in cleaned.items()
            ]
        )
        audit.record(
            actor,
            action=AuditEvent.Action.CREATE,
            data="assessment",
            basis=person_access.basis,
            person_id=person_access.person.pk,
            object_id=assessment.pk,
            detail={
                "instrument": instrument.code,
                "scored": sum(value is not None for value, _note in cleaned.values()),
            },
        )
    return assessment


# --- what a viewer sees ---------------------------------------------------------------------------


@dataclass
class Visibility:
    """Whose assessments of this person the viewer sees, and on which basis (rule 2)."""

    access: PersonAccess
    bases: dict[int, tuple[str, Consent | None]]  # organisation id → (basis, consent or None)

    def queryset(self) -> QuerySet[Assessment]:
        return (
            Assessment.objects.filter(person=self.access.person, organisation_id__in=list(self.bases))
            .select_related("instrument", "organisation", "assessed_by")
            .order_by("-assessed_on", "-id")
        )

    def listing(self) -> QuerySet[Assessment]:
        """For lists: how many domains each scored, without loading (and decrypting) the scores."""
        scored = Count("scores", filter=Q(scores__value__isnull=False))
        return self.queryset().defer("note").annotate(scored=scored)

    def get(self, assessment_id: int) -> Assessment | None:
        return self.queryset().prefetch_related("scores__domain").filter(pk=assessment_id).first()


def visibility(access: PersonAccess) -> Visibility:
    if not access.allows(Need.READ_CARE):
        return Visibility(access, {})
    owners = (
        Assessment.objects.filter(person=access.person)
        .order_by()
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    bases = {}
    for organisation_id in owners:
        seen = access.sees_records_of(organisation_id, DataCategory.CARE_PLAN)
        if seen is not None:
            bases[organisation_id] = seen
    return Visibility(access, bases)


def record_read(
    actor: audit.Actor,
    seen: Visibility,
    organisation_ids: Iterable[int],
    *,
    data: str,
    object_id: str | int = "",
    own_basis: bool = True,
) -> None:
    """Rule 6: one READ event per basis the shown assessments were seen on.

    ``own_basis=False`` when ``access.read_person`` has already recorded the read on the viewer's own
    basis: then only the consents that let another organisation's assessments show are added.
    """
    access = seen.access
    events: dict[int | None, tuple[str, list[int]]] = {}
    for organisation_id in sorted(set(organisation_ids)):
        basis, consent = seen.bases[organisation_id]
        if consent is None and not own_basis:
            continue
        events.setdefault(consent.pk if consent else None, (basis, []))[1].append(organisation_id)
    if not events:
        return
    with transaction.atomic():
        for consent_id, (basis, organisations) in events.items():
            audit.record(
                actor,
                action=AuditEvent.Action.READ,
                data=data,
                basis=basis,
                person_id=access.person.pk,
                object_id=object_id,
                consent_id=consent_id,
                detail={"organisations": organisations},
            )


@dataclass
class ScoreView:
    domain_id: int
    domain_code: str
    domain: str
    value: int | None  # None: not assessed
    level: str
    note: str


@dataclass
class AssessmentView:
    id: int
    person_id: int
    instrument_id: int
    instrument_code: str
    instrument: str
    organisation_id: int
    organisation: str
    assessed_on: datetime.date
    assessed_by: str
    recorded_at: datetime.datetime
    note: str
    scored: int
    scores: list[ScoreView] = field(default_factory=list)


def assessment_view(assessment: Assessment) -> AssessmentView:
    """One assessment with its scores (prefetch ``scores__domain`` when there are several)."""
    lang = language()
    instrument = assessment.instrument
    scores = [
        ScoreView(
            domain_id=score.domain_id,
            domain_code=score.domain.code,
            domain=score.domain.label(lang),
            value=score.value,
            level=instrument.level_label(score.value, lang) if score.value is not None else "",
            note=score.note,
        )
        for score in sorted(assessment.scores.all(), key=lambda s: s.domain.position)
    ]
    return AssessmentView(
        id=assessment.pk,
        person_id=assessment.person_id,
        instrument_id=instrument.pk,
        instrument_code=instrument.code,
        instrument=instrument.name,
        organisation_id=assessment.organisation_id,
        organisation=assessment.organisation.name,
        assessed_on=assessment.assessed_on,
        assessed_by=str(assessment.assessed_by),
        recorded_at=assessment.recorded_at,
        note=assessment.note,
        scored=sum(s.value is not None for s in scores),
        scores=scores,
    )


@dataclass
class DomainChange:
    """One domain: its first score, its score in the latest assessment, and the change between them."""

    domain_id: int
    domain_code: str
    domain: str
    first: int | None
    first_on: datetime.date | None
    latest: int | None  # None: not assessed in the latest assessment
    latest_level: str
    change: int | None  # None: no earlier score to compare with, or not assessed in the latest

    @property
    def direction(self) -> str:
        if self.change is None:
            return ""
        return "up" if self.change > 0 else "down" if self.change < 0 else "same"


@dataclass
class Summary:
    """The latest visible assessment and, per domain, the change since that domain's first score.

    Only assessments with the latest one's instrument count. A domain's first score is its score in
    the earliest of them that scored it, so a domain left "not assessed" the first time compares from
    when it was first scored. No change is given for a domain not assessed in the latest assessment,
    nor for one first scored in the latest assessment itself.
    """

    count: int = 0
    instrument: Instrument | None = None
    first_on: datetime.date | None = None
    latest_id: int | None = None
    latest_on: datetime.date | None = None
    latest_organisation_id: int | None = None
    organisation_ids: set[int] = field(default_factory=set)
    domains: list[DomainChange] = field(default_factory=list)

    def chart_data(self) -> dict[str, Any]:
        """The radar chart's data island: labels, the first and latest scores (null: not assessed)."""
        instrument = self.instrument
        if instrument is None:
            return {}
        lang = language()
        levels = levels_of(instrument) or [1]
        day = formats.date_format(self.latest_on, "SHORT_DATE_FORMAT") if self.latest_on else ""
        datasets = [
            {
                "key": "latest",
                "label": _("Latest assessment (%(date)s)") % {"date": day},
                "data": [d.latest for d in self.domains],
            }
        ]
        if self.count > 1:
            first = [d.first for d in self.domains]
            datasets.append({"key": "first", "label": _("First score per domain"), "data": first})
        return {
            "labels": [d.domain for d in self.domains],
            "min": levels[0] - 1,
            "max": levels[-1],
            "levels": {str(value): instrument.level_label(value, lang) for value in levels},
            "datasets": datasets,
        }


def summary(seen: Visibility) -> Summary:
    latest = seen.queryset().first()
    if latest is None:
        return Summary()
    series = list(
        seen.queryset()
        .filter(instrument_id=latest.instrument_id)
        .order_by("assessed_on", "id")
        .values_list("pk", "assessed_on", "organisation_id")
    )
    dates = {pk: day for pk, day, _org in series}
    order = {pk: index for index, (pk, _day, _org) in enumerate(series)}
    rows = sorted(
        Score.objects.filter(assessment_id__in=list(order), value__isnull=False).values_list(
            "assessment_id", "domain_id", "value"
        ),
        key=lambda row: order[row[0]],
    )
    first: dict[int, tuple[int, int]] = {}  # domain id → (assessment id, value)
    latest_values: dict[int, int] = {}
    for assessment_id, domain_id, value in rows:
        if value is None:  # (filtered out above; says so to the type checker)
            continue
        first.setdefault(domain_id, (assessment_id, value))
        if assessment_id == latest.pk:
            latest_values[domain_id] = value
    used = {latest.pk} | {assessment_id for assessment_id, _value in first.values()}
    lang = language()
    instrument = latest.instrument
    domains = []
    for domain in instrument.domains.order_by("position"):
        first_id, first_value = first.get(domain.pk, (None, None))
        now = latest_values.get(domain.pk)
        comparable = now is not None and first_value is not None and first_id != latest.pk
        domains.append(
            DomainChange(
                domain_id=domain.pk,
                domain_code=domain.code,
                domain=domain.label(lang),
                first=first_value,
                first_on=dates[first_id] if first_id else None,
                latest=now,
                latest_level=instrument.level_label(now, lang) if now is not None else "",
                change=(now - first_value) if comparable else None,  # type: ignore[operator]
            )
        )
    return Summary(
        count=len(series),
        instrument=instrument,
        first_on=series[0][1],
        latest_id=latest.pk,
        latest_on=latest.assessed_on,
        latest_organisation_id=latest.organisation_id,
        organisation_ids={org for pk, _day, org in series if pk in used},
        domains=domains,
    )
