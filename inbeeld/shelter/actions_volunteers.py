"""The shelter's volunteers: profiles (no client data), VOG, trainings, availability and buddy pairs.

Every write is one transaction with its audit event. The volunteer profile holds no person data, so its
events carry no person; a buddy pair names the resident. Who may do what: the coordinator runs the
volunteers (``sites.coordinated_site``); a volunteer changes only their own phone, languages and
availability, never their VOG. The rules about input live here, so the web forms and the API refuse
exactly the same things.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.care.actions.contacts import clean_line, collect
from inbeeld.core import access, audit
from inbeeld.core.models import AuditEvent, Location, Membership
from inbeeld.core.roles import Role
from inbeeld.people import validation as v
from inbeeld.people.models import DataCategory, NetworkTie, Person, TieKind, TieQuality
from inbeeld.shelter.models import (
    Availability,
    BuddyPair,
    ShiftSlot,
    Stay,
    Training,
    TrainingRecord,
    VolunteerProfile,
)

Action = AuditEvent.Action
Basis = AuditEvent.Basis
LANGUAGES_MAX = 120
NOTE_MAX = 300
TRAINING_NAME_MAX = 120
VALID_MONTHS_MAX = 240
MAX_ID = 2**63
M = TypeVar("M", bound=Model)


def find(queryset: QuerySet[M], pk: Any) -> M | None:
    """The row with this primary key, or None for a key that is not one (not a number, out of range)."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        return None
    return queryset.filter(pk=key).first() if 0 < key < MAX_ID else None


def _record(actor: audit.Actor, *, action: str, data: str, object_id: Any, **extra: Any) -> None:
    audit.record(actor, action=action, data=data, basis=Basis.SHELTER, object_id=object_id, **extra)


# --- who ------------------------------------------------------------------------------------------


def volunteers_of(site: Location) -> QuerySet[Membership]:
    """The active volunteer memberships of the site's organisation, with their profile (if any)."""
    return (
        Membership.objects.active()
        .filter(organisation_id=site.organisation_id, role=Role.VOLUNTEER)
        .select_related("user", "volunteer_profile")
        .prefetch_related(
            Prefetch(
                "volunteer_profile__trainings",
                queryset=TrainingRecord.objects.select_related("training"),
            )
        )
        .order_by("user__full_name", "id")
    )


def volunteer_of(site: Location, membership_id: Any, *, field: str | None = None) -> Membership:
    """A volunteer of the site's organisation: 404 (or, for a form field, an error naming it)."""
    found = find(volunteers_of(site), membership_id)
    if found is None:
        if field is not None:
            raise ValidationError({field: _("Choose a volunteer of this shelter.")})
        raise access.not_found()
    return found


def profile_of(membership: Membership) -> VolunteerProfile | None:
    return VolunteerProfile.objects.filter(membership=membership).first()


def own_volunteer(membership: Membership | None, site: Location) -> Membership:
    """The acting volunteer themselves (a coordinator has no own volunteer profile: 404)."""
    membership = access.require_membership(membership)
    if membership.role != Role.VOLUNTEER or membership.organisation_id != site.organisation_id:
        raise access.not_found()
    return membership


def require_self_or_coordinator(acting: Membership | None, volunteer: Membership) -> None:
    if access.may_run_shelter(acting) or (acting is not None and acting.pk == volunteer.pk):
        return
    raise PermissionDenied(_("Only the shelter coordinator may do this for another volunteer."))


def vog_warnings(site: Location, today: datetime.date | None = None) -> list[Membership]:
    """Volunteers whose VOG is missing, expired or expires within ``VOG_WARNING_DAYS``."""
    today = today or timezone.localdate()
    out = []
    for membership in volunteers_of(site):
        profile = getattr(membership, "volunteer_profile", None)
        if profile is None or profile.vog_warning(today):
            out.append(membership)
    return out


# --- profiles ---------------------------------------------------------------------------------------


class EditConflict(Exception):
    """Someone saved the profile after the editor loaded it; nothing was written."""

    def __init__(self, profile: VolunteerProfile):
        self.profile = profile
        super().__init__(_("Someone else changed this profile while you were editing. Nothing was saved."))


@dataclass(frozen=True)
class ProfileInput:
    phone: str = ""
    languages: str = ""
    # Only the coordinator sends these (``with_vog``); a volunteer's own edit leaves them alone.
    vog_issued_on: datetime.date | None = None
    vog_valid_until: datetime.date | None = None
    note: str = ""


def clean_vog(issued: datetime.date | None, valid_until: datetime.date | None) -> None:
    if issued is not None:
        v.clean_record_date(issued, field="vog_issued_on")
    if valid_until is not None and issued is None:
        raise ValidationError({"vog_issued_on": _("Enter the date the VOG was issued.")})
    if valid_until is not None and issued is not None and valid_until < issued:
        raise ValidationError({"vog_valid_until": _("A VOG cannot be valid until before it was issued.")})


def save_profile(
    *,
    actor: audit.Actor,
    volunteer: Membership,
    data: ProfileInput,
    expected_version: int | None,
    with_vog: bool,
) -> VolunteerProfile:
    """Create the profile on first save, or change it if nobody saved it since ``expected_version``."""
    if with_vog and not access.may_run_shelter(actor.membership):
        raise PermissionDenied(_("Only the shelter coordinator records a VOG."))
    require_self_or_coordinator(actor.membership, volunteer)
    steps: dict[str, Any] = {
        "phone": lambda: v.clean_phone(data.phone, field="phone"),
        "languages": lambda: clean_line(data.languages, field="languages", max_length=LANGUAGES_MAX),
    }
    if with_vog:
        steps["vog"] = lambda: clean_vog(data.vog_issued_on, data.vog_valid_until)
        steps["note"] = lambda: clean_line(data.note, field="note", max_length=NOTE_MAX)
    values = collect(steps)
    values.pop("vog", None)
    if with_vog:
        values.update(vog_issued_on=data.vog_issued_on, vog_valid_until=data.vog_valid_until)
    with transaction.atomic():
        profile, created = VolunteerProfile.objects.select_for_update().get_or_create(membership=volunteer)
        if not created and expected_version is not None and profile.version != expected_version:
            raise EditConflict(profile)
        changed = sorted(name for name, value in values.items() if getattr(profile, name) != value)
        for name, value in values.items():
            setattr(profile, name, value)
        profile.version += 0 if created else 1
        profile.save()
        _record(
            actor,
            action=Action.CREATE if created else Action.UPDATE,
            data="shelter.volunteer",
            object_id=profile.pk,
            detail={"fields": changed},
        )
    return profile


def ensure_profile(volunteer: Membership) -> VolunteerProfile:
    profile, _created = VolunteerProfile.objects.get_or_create(membership=volunteer)
    return profile


# --- trainings -------------------------------------------------------------------------------------


def trainings_of(site: Location) -> QuerySet[Training]:
    return Training.objects.filter(organisation_id=site.organisation_id)


def add_training(*, actor: audit.Actor, site: Location, name: str, valid_months: int | None) -> Training:
    values = collect(
        {
            "name": lambda: required_line(name, field="name", max_length=TRAINING_NAME_MAX),
            "valid_months": lambda: _clean_months(valid_months),
        }
    )
    if trainings_of(site).filter(name__iexact=values["name"]).exists():
        raise ValidationError({"name": _("This training exists already.")})
    try:
        with transaction.atomic():
            training = Training.objects.create(organisation_id=site.organisation_id, **values)
            _record(actor, action=Action.CREATE, data="shelter.training", object_id=training.pk)
    except IntegrityError:
        raise ValidationError({"name": _("This training exists already.")}) from None
    return training


def required_line(value: str, *, field: str, max_length: int) -> str:
    text = clean_line(value, field=field, max_length=max_length)
    if not text:
        raise ValidationError({field: _("This field is required.")})
    return text


def _clean_months(value: int | None) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or not 1 <= value <= VALID_MONTHS_MAX:
        raise ValidationError(
            {"valid_months": _("Enter a number of months from 1 to 240, or leave it empty.")}
        )
    return value


def record_training(
    *,
    actor: audit.Actor,
    site: Location,
    volunteer: Membership,
    training_id: Any,
    completed_on: datetime.date | None,
) -> TrainingRecord:
    def training() -> Training:
        found = find(trainings_of(site), training_id)
        if found is None:
            raise ValidationError({"training": _("Choose a training of this shelter.")})
        return found

    values = collect(
        {
            "training": training,
            "completed_on": lambda: v.clean_record_date(completed_on, field="completed_on"),
        }
    )
    if actor.user is None:
        raise access.not_found()
    with transaction.atomic():
        record = TrainingRecord.objects.create(
            volunteer=ensure_profile(volunteer), recorded_by=actor.user, **values
        )
        _record(actor, action=Action.CREATE, data="shelter.training_record", object_id=record.pk)
    return record


# --- availability ----------------------------------------------------------------------------------


def availability_of(volunteer: Membership) -> set[tuple[int, int]]:
    profile = profile_of(volunteer)
    if profile is None:
        return set()
    return set(profile.availability.values_list("weekday", "slot_id"))


def set_availability(
    *, actor: audit.Actor, site: Location, volunteer: Membership, chosen: list[tuple[int, int]]
) -> VolunteerProfile:
    """Replace the volunteer's usual availability with ``chosen`` (weekday, slot id) pairs."""
    require_self_or_coordinator(actor.membership, volunteer)
    slot_ids = set(ShiftSlot.objects.filter(location=site).values_list("pk", flat=True))
    if any(not 0 <= day <= 6 or slot not in slot_ids for day, slot in chosen):
        raise ValidationError({"availability": _("Choose from the slots of this shelter.")})
    with transaction.atomic():
        profile = ensure_profile(volunteer)
        profile.availability.filter(slot__location=site).delete()
        Availability.objects.bulk_create(
            [Availability(volunteer=profile, weekday=day, slot_id=slot) for day, slot in sorted(set(chosen))]
        )
        _record(
            actor,
            action=Action.UPDATE,
            data="shelter.availability",
            object_id=profile.pk,
            detail={"slots": len(set(chosen))},
        )
    return profile


# --- buddies ---------------------------------------------------------------------------------------


def residents_of(site: Location) -> QuerySet[Stay]:
    """Who lives at the site now: the open stays, by roepnaam."""
    return Stay.objects.open().at(site).select_related("person", "bed").order_by("person__roepnaam", "id")


def resident_of(site: Location, person_id: Any, *, field: str) -> Person:
    person = find(Person.objects.all(), person_id)
    stay = residents_of(site).filter(person=person).first() if person is not None else None
    if stay is None:
        raise ValidationError({field: _("Choose someone who lives at this shelter now.")})
    return stay.person


def pairs_of(site: Location) -> QuerySet[BuddyPair]:
    return (
        BuddyPair.objects.current()
        .filter(location=site)
        .select_related("person", "volunteer__membership__user")
        .order_by("person__roepnaam", "id")
    )


def pair_for(site: Location, pk: Any) -> BuddyPair:
    found = find(pairs_of(site), pk)
    if found is None:
        raise access.not_found()
    return found


def pair_buddy(*, actor: audit.Actor, site: Location, volunteer_id: Any, person_id: Any) -> BuddyPair:
    values = collect(
        {
            "volunteer": lambda: volunteer_of(site, volunteer_id, field="volunteer"),
            "person": lambda: resident_of(site, person_id, field="person"),
        }
    )
    if actor.user is None:
        raise access.not_found()
    person: Person = values["person"]
    try:
        with transaction.atomic():
            profile = ensure_profile(values["volunteer"])
            if BuddyPair.objects.current().filter(volunteer=profile, person=person).exists():
                raise ValidationError({"person": _("This volunteer is this resident's buddy already.")})
            pair = BuddyPair.objects.create(
                volunteer=profile, person=person, location=site, matched_by=actor.user
            )
            audit.record(
                actor,
                action=Action.CREATE,
                data="shelter.buddy_pair",
                basis=Basis.SHELTER,
                person_id=person.pk,
                object_id=pair.pk,
            )
    except IntegrityError:
        raise ValidationError({"person": _("This volunteer is this resident's buddy already.")}) from None
    return pair


def end_pair(*, actor: audit.Actor, pair: BuddyPair) -> BuddyPair:
    with transaction.atomic():
        pair.ended_on = max(timezone.localdate(), pair.started_on)
        pair.save(update_fields=["ended_on"])
        audit.record(
            actor,
            action=Action.UPDATE,
            data="shelter.buddy_pair",
            basis=Basis.SHELTER,
            person_id=pair.person_id,
            object_id=pair.pk,
            detail={"ended": True},
        )
    return pair


def my_pairs(membership: Membership) -> QuerySet[BuddyPair]:
    return (
        BuddyPair.objects.current()
        .filter(volunteer__membership=membership, location__organisation_id=membership.organisation_id)
        .select_related("person", "location")
        .order_by("person__roepnaam", "id")
    )


def buddy_tie_scope(person_access: access.PersonAccess) -> access.RecordScope:
    """The ties a buddy sees: recorded by their own organisation, or by organisations whose records the
    person's valid consent for ``DataCategory.NETWORK_MAP`` shares with it (rule 2)."""
    return access.record_scope(person_access, NetworkTie.objects.all(), DataCategory.NETWORK_MAP)


def _hide_risk_names(ties: list[NetworkTie]) -> list[NetworkTie]:
    # A risk contact (an exploiter, a pimp) is sex-work history: a volunteer sees that there is one,
    # never who. The instances are only rendered, never saved.
    for tie in ties:
        if tie.kind == TieKind.RISK_CONTACT or tie.quality == TieQuality.RISK:
            tie.name = _("Risk contact")
            tie.note = ""
    return ties


def read_buddy_map(actor: audit.Actor, person_id: Any) -> tuple[access.PersonAccess, list[NetworkTie]]:
    """The open ties of the volunteer's buddy (404 for anyone else), the read audited on basis BUDDY."""
    person_access = access.buddy_person(actor.membership, person_id)
    scope = buddy_tie_scope(person_access)
    open_ties = list(
        scope.apply(NetworkTie.objects.filter(person=person_access.person, ended_on__isnull=True)).order_by(
            "kind", "id"
        )
    )
    access.record_shared_read(actor, person_access, scope.shared, data="shelter.buddy_map")
    return person_access, _hide_risk_names(open_ties)
