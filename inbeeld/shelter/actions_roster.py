"""The shelter's roster: daily slots, shifts on the coming days, sign-ups, cancelling and swapping.

A volunteer may be scheduled for a shift only with a VOG valid on the shift's day, on a free place, once,
and not for a shift that has begun. The sign-up locks the shift row and the volunteer's profile
(``select_for_update``): two sign-ups racing for the last place cannot both succeed, and a VOG change
cannot slip in between the check and the write. On SQLite every write transaction starts IMMEDIATE,
which serialises them the same way.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.care.actions.contacts import collect
from inbeeld.core import access, audit
from inbeeld.core.models import AuditEvent, Location, Membership
from inbeeld.core.roles import Role
from inbeeld.shelter.actions_volunteers import find, profile_of, required_line, volunteer_of
from inbeeld.shelter.models import Shift, ShiftSignup, ShiftSlot, SwapOffer, VolunteerProfile

Action = AuditEvent.Action
ROSTER_DAYS = 14
SLOT_NAME_MAX = 40
NEEDED_MAX = 20


def _record(actor: audit.Actor, *, action: str, data: str, object_id: Any, **extra: Any) -> None:
    audit.record(
        actor, action=action, data=data, basis=AuditEvent.Basis.SHELTER, object_id=object_id, **extra
    )


# --- slots -----------------------------------------------------------------------------------------


def slots_of(site: Location) -> QuerySet[ShiftSlot]:
    return ShiftSlot.objects.filter(location=site).order_by("starts_at", "id")


def slot_for(site: Location, pk: Any) -> ShiftSlot:
    found = find(slots_of(site), pk)
    if found is None:
        raise access.not_found()
    return found


@dataclass(frozen=True)
class SlotInput:
    name: str = ""
    starts_at: datetime.time | None = None
    ends_at: datetime.time | None = None
    needed: int | None = None
    active: bool = True


def _clean_slot(site: Location, data: SlotInput, slot: ShiftSlot | None) -> dict[str, Any]:
    def name() -> str:
        text = required_line(data.name, field="name", max_length=SLOT_NAME_MAX)
        taken = slots_of(site).filter(name__iexact=text)
        if slot is not None:
            taken = taken.exclude(pk=slot.pk)
        if taken.exists():
            raise ValidationError({"name": _("This shelter has a slot with this name already.")})
        return text

    def time(value: datetime.time | None, name: str) -> datetime.time:
        if not isinstance(value, datetime.time):
            raise ValidationError({name: _("Enter a time, such as 08:00.")})
        return value.replace(second=0, microsecond=0)

    def needed() -> int:
        if (
            not isinstance(data.needed, int)
            or isinstance(data.needed, bool)
            or not 1 <= data.needed <= NEEDED_MAX
        ):
            raise ValidationError({"needed": _("Enter a number from 1 to %(max)d.") % {"max": NEEDED_MAX}})
        return data.needed

    values = collect(
        {
            "name": name,
            "starts_at": lambda: time(data.starts_at, "starts_at"),
            "ends_at": lambda: time(data.ends_at, "ends_at"),
            "needed": needed,
        }
    )
    if values["starts_at"] == values["ends_at"]:
        raise ValidationError({"ends_at": _("A shift cannot end when it starts.")})
    values["active"] = bool(data.active)
    return values


def save_slot(
    *, actor: audit.Actor, site: Location, data: SlotInput, slot: ShiftSlot | None = None
) -> ShiftSlot:
    """Add a slot, or change one; shifts still to come follow the new times and number needed."""
    values = _clean_slot(site, data, slot)
    try:
        with transaction.atomic():
            created = slot is None
            if slot is None:
                slot = ShiftSlot.objects.create(location=site, **values)
            else:
                for name, value in values.items():
                    setattr(slot, name, value)
                slot.save()
                for shift in Shift.objects.filter(slot=slot, starts_at__gt=timezone.now()):
                    shift.starts_at, shift.ends_at = shift_times(slot, shift.date)
                    shift.needed = slot.needed
                    shift.save(update_fields=["starts_at", "ends_at", "needed"])
            _record(
                actor,
                action=Action.CREATE if created else Action.UPDATE,
                data="shelter.slot",
                object_id=slot.pk,
            )
    except IntegrityError:
        raise ValidationError({"name": _("This shelter has a slot with this name already.")}) from None
    return slot


# --- shifts ----------------------------------------------------------------------------------------


def shift_times(slot: ShiftSlot, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """When a slot runs on a day; an end before the start runs past midnight into the next day."""
    starts = timezone.make_aware(datetime.datetime.combine(day, slot.starts_at))
    end_day = day + datetime.timedelta(days=1) if slot.ends_at <= slot.starts_at else day
    return starts, timezone.make_aware(datetime.datetime.combine(end_day, slot.ends_at))


def ensure_shifts(site: Location, start: datetime.date, days: int = ROSTER_DAYS) -> list[Shift]:
    """The shifts of the site's active slots on the ``days`` days from ``start``, created on demand."""
    slots = list(slots_of(site).filter(active=True))
    dates = [start + datetime.timedelta(days=n) for n in range(days)]
    have = set(Shift.objects.filter(slot__in=slots, date__in=dates).values_list("slot_id", "date"))
    missing = []
    for slot in slots:
        for day in dates:
            if (slot.pk, day) not in have:
                starts, ends = shift_times(slot, day)
                missing.append(
                    Shift(
                        location=site, slot=slot, date=day, starts_at=starts, ends_at=ends, needed=slot.needed
                    )
                )
    if missing:
        Shift.objects.bulk_create(missing, ignore_conflicts=True)
    return list(
        Shift.objects.filter(slot__in=slots, date__in=dates)
        .select_related("slot")
        .prefetch_related(
            Prefetch(
                "signups",
                queryset=ShiftSignup.objects.active()
                .select_related("volunteer__membership__user")
                .prefetch_related(
                    Prefetch(
                        "swap_offers", queryset=SwapOffer.objects.filter(taken_at=None, withdrawn_at=None)
                    )
                ),
                to_attr="active_signups",
            )
        )
        .order_by("starts_at", "id")
    )


@dataclass
class ShiftRow:
    shift: Shift
    signups: list[ShiftSignup]
    mine: ShiftSignup | None = None
    offers: list[SwapOffer] = field(default_factory=list)

    @property
    def free(self) -> int:
        return max(self.shift.needed - len(self.signups), 0)

    @property
    def begun(self) -> bool:
        return self.shift.starts_at <= timezone.now()

    @property
    def gap(self) -> bool:
        return len(self.signups) < self.shift.needed


@dataclass
class Roster:
    start: datetime.date
    rows: list[ShiftRow]

    @property
    def gaps(self) -> int:
        return sum(1 for row in self.rows if row.gap)


def roster(site: Location, *, start: datetime.date | None = None, me: Membership | None = None) -> Roster:
    start = start or timezone.localdate()
    rows = []
    for shift in ensure_shifts(site, start, ROSTER_DAYS):
        signups: list[ShiftSignup] = getattr(shift, "active_signups", [])
        offers = [offer for signup in signups for offer in signup.swap_offers.all()]
        mine = next((s for s in signups if me is not None and s.volunteer.membership_id == me.pk), None)
        rows.append(ShiftRow(shift, signups, mine, offers))
    return Roster(start, rows)


def shift_of(site: Location, pk: Any, *, field: str = "shift") -> Shift:
    found = find(Shift.objects.filter(location=site), pk)
    if found is None:
        raise ValidationError({field: _("Choose a shift of this shelter.")})
    return found


# --- signing up ------------------------------------------------------------------------------------


def _schedulable(
    shift_id: int, volunteer: Membership, *, field: str = "volunteer"
) -> tuple[Shift, VolunteerProfile]:
    """Lock the shift and the volunteer's profile, then check the rules. Call inside a transaction."""
    shift = Shift.objects.select_for_update().get(pk=shift_id)
    profile = VolunteerProfile.objects.select_for_update().filter(membership=volunteer).first()
    if shift.starts_at <= timezone.now():
        raise ValidationError({"shift": _("This shift has begun or is over.")})
    if profile is None or not profile.vog_valid_on(shift.date):
        raise ValidationError(
            {field: _("Without a VOG valid on the day of the shift, a volunteer cannot be scheduled.")}
        )
    if ShiftSignup.objects.active().filter(shift=shift, volunteer=profile).exists():
        raise ValidationError({field: _("This volunteer is on this shift already.")})
    return shift, profile


def sign_up(*, actor: audit.Actor, site: Location, shift_id: Any, volunteer_id: Any = None) -> ShiftSignup:
    """Put a volunteer on a shift: a volunteer themselves (no ``volunteer_id``), or the coordinator anyone."""
    acting = access.require_membership(actor.membership)
    shift = shift_of(site, shift_id)
    if volunteer_id is None:
        volunteer = volunteer_of(site, acting.pk, field="volunteer")
    else:
        volunteer = volunteer_of(site, volunteer_id, field="volunteer")
        if volunteer.pk != acting.pk and not access.may_run_shelter(acting):
            raise PermissionDenied(_("Only the shelter coordinator schedules another volunteer."))
    if actor.user is None:
        raise access.not_found()
    try:
        with transaction.atomic():
            shift, profile = _schedulable(shift.pk, volunteer)
            if ShiftSignup.objects.active().filter(shift=shift).count() >= shift.needed:
                raise ValidationError({"shift": _("This shift is full.")})
            signup = ShiftSignup.objects.create(shift=shift, volunteer=profile, signed_up_by=actor.user)
            _record(
                actor,
                action=Action.CREATE,
                data="shelter.signup",
                object_id=signup.pk,
                detail={"shift": shift.pk},
            )
    except IntegrityError:
        raise ValidationError({"volunteer": _("This volunteer is on this shift already.")}) from None
    return signup


def signup_for(actor: audit.Actor, site: Location, pk: Any) -> ShiftSignup:
    """An active sign-up at the site: the coordinator's to change, or the volunteer's own (else 403)."""
    signups = ShiftSignup.objects.active().filter(shift__location=site).select_related("shift", "volunteer")
    found = find(signups, pk)
    if found is None:
        raise access.not_found()
    acting = access.require_membership(actor.membership)
    if found.volunteer.membership_id != acting.pk and not access.may_run_shelter(acting):
        raise PermissionDenied(_("This is another volunteer's shift."))
    return found


def _not_begun(signup: ShiftSignup) -> None:
    if signup.shift.starts_at <= timezone.now():
        raise ValidationError({"signup": _("This shift has begun or is over.")})


def cancel_signup(*, actor: audit.Actor, signup: ShiftSignup) -> ShiftSignup:
    _not_begun(signup)
    with transaction.atomic():
        locked = ShiftSignup.objects.select_for_update().get(pk=signup.pk)
        if locked.cancelled_at is not None:
            raise ValidationError({"signup": _("This sign-up was cancelled already.")})
        now = timezone.now()
        locked.cancelled_at = now
        locked.save(update_fields=["cancelled_at"])
        SwapOffer.objects.filter(signup=locked, taken_at=None, withdrawn_at=None).update(withdrawn_at=now)
        _record(
            actor,
            action=Action.UPDATE,
            data="shelter.signup",
            object_id=locked.pk,
            detail={"cancelled": True},
        )
    return locked


# --- swapping --------------------------------------------------------------------------------------


def offer_swap(*, actor: audit.Actor, signup: ShiftSignup) -> SwapOffer:
    """The volunteer offers their own place on a shift to another volunteer."""
    if signup.volunteer.membership_id != access.require_membership(actor.membership).pk:
        raise PermissionDenied(_("Only the volunteer on the shift offers it for a swap."))
    _not_begun(signup)
    try:
        with transaction.atomic():
            if SwapOffer.objects.filter(signup=signup, taken_at=None, withdrawn_at=None).exists():
                raise ValidationError({"signup": _("This shift is offered for a swap already.")})
            offer = SwapOffer.objects.create(signup=signup)
            _record(actor, action=Action.CREATE, data="shelter.swap", object_id=offer.pk)
    except IntegrityError:
        raise ValidationError({"signup": _("This shift is offered for a swap already.")}) from None
    return offer


def offer_for(site: Location, pk: Any) -> SwapOffer:
    offers = SwapOffer.objects.filter(signup__shift__location=site, taken_at=None, withdrawn_at=None)
    found = find(offers.select_related("signup__shift", "signup__volunteer"), pk)
    if found is None:
        raise access.not_found()
    return found


def withdraw_swap(*, actor: audit.Actor, offer: SwapOffer) -> SwapOffer:
    if offer.signup.volunteer.membership_id != access.require_membership(actor.membership).pk:
        raise PermissionDenied(_("Only the volunteer who offered the shift withdraws the offer."))
    with transaction.atomic():
        offer.withdrawn_at = timezone.now()
        offer.save(update_fields=["withdrawn_at"])
        _record(
            actor, action=Action.UPDATE, data="shelter.swap", object_id=offer.pk, detail={"withdrawn": True}
        )
    return offer


def take_swap(*, actor: audit.Actor, site: Location, offer: SwapOffer) -> ShiftSignup:
    """Another volunteer takes the offered place: in one transaction the offerer's sign-up is cancelled
    and the taker's created, under the same locks and rules as a sign-up."""
    acting = access.require_membership(actor.membership)
    if acting.role != Role.VOLUNTEER:
        raise PermissionDenied(_("Only a volunteer takes over a shift."))
    taker = volunteer_of(site, acting.pk, field="volunteer")
    if actor.user is None:
        raise access.not_found()
    with transaction.atomic():
        shift, profile = _schedulable(offer.signup.shift_id, taker)
        locked = SwapOffer.objects.select_for_update().select_related("signup").get(pk=offer.pk)
        if not locked.is_open or locked.signup.cancelled_at is not None:
            raise ValidationError({"offer": _("This offer has been taken or withdrawn.")})
        now = timezone.now()
        ShiftSignup.objects.filter(pk=locked.signup_id).update(cancelled_at=now)
        signup = ShiftSignup.objects.create(shift=shift, volunteer=profile, signed_up_by=actor.user)
        locked.taken_by, locked.taken_at = profile, now
        locked.save(update_fields=["taken_by", "taken_at"])
        _record(
            actor,
            action=Action.UPDATE,
            data="shelter.swap",
            object_id=locked.pk,
            detail={"taken": True, "signup": signup.pk, "replaces": locked.signup_id},
        )
    return signup


def current_shift(
    site: Location, membership: Membership | None, at: datetime.datetime | None = None
) -> Shift | None:
    """The shift at the site the member is signed up for and that runs now, if any."""
    if membership is None:
        return None
    profile = profile_of(membership)
    if profile is None:
        return None
    at = at or timezone.now()
    return (
        Shift.objects.filter(
            location=site,
            starts_at__lte=at,
            ends_at__gt=at,
            signups__volunteer=profile,
            signups__cancelled_at__isnull=True,
        )
        .order_by("starts_at")
        .first()
    )
