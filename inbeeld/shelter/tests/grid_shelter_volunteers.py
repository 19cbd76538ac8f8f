"""Permission grid for the shelter's volunteers, roster, house log and buddies (web and API), and the
builders the volunteer and roster tests share.

Policy (``shelter.sites``): the shelter coordinator and the volunteers of organisation A use A's site;
every other role, and every member of B, gets 404 (rule 1). Running the shelter (volunteers, VOG,
trainings, slots, pairing buddies) is the coordinator's: a volunteer gets 403. A volunteer signs up, cancels
and swaps their own shifts, writes the house log and reads only their own buddy's map; the coordinator
schedules anyone, does not swap (403) and reads no buddy map (404). The grid's members have no volunteer
profile: the builders below give A's volunteer one with a valid VOG where a route needs it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from inbeeld.core.models import Location, Membership, Organisation, User
from inbeeld.core.roles import Role
from inbeeld.people.models import Person
from inbeeld.shelter.actions_roster import ensure_shifts
from inbeeld.shelter.models import (
    Bed,
    BuddyPair,
    HouseRules,
    Room,
    Shift,
    ShiftSignup,
    ShiftSlot,
    Stay,
    SwapOffer,
    Training,
    VolunteerProfile,
)
from inbeeld.shelter.tests.grid_shelter_hub import site
from inbeeld.testing import factories as f
from inbeeld.testing.grid import GridRoute, World, by_role

API = "/api/v1"
OK, CREATED, CHANGED, FORBIDDEN, UNSEEN = 200, 201, 302, 403, 404
COORDINATOR, VOLUNTEER = "shelter_coordinator", "volunteer"

# --- builders (shared with the tests) -------------------------------------------------------------------


def with_vog(membership: Membership, *, valid_until: datetime.date | None = None) -> VolunteerProfile:
    """The volunteer's profile with a VOG valid until ``valid_until`` (default: a year from today)."""
    today = timezone.localdate()
    profile, _created = VolunteerProfile.objects.get_or_create(membership=membership)
    profile.vog_issued_on = today - datetime.timedelta(days=400)
    profile.vog_valid_until = valid_until or today + datetime.timedelta(days=365)
    profile.save()
    return profile


def slot_at(
    location: Location,
    *,
    name: str = "Avond",
    starts: datetime.time = datetime.time(18),
    ends: datetime.time = datetime.time(23),
    needed: int = 2,
) -> ShiftSlot:
    found = ShiftSlot.objects.filter(location=location, name=name).first()
    return found or ShiftSlot.objects.create(
        location=location, name=name, starts_at=starts, ends_at=ends, needed=needed
    )


def shift_at(location: Location, *, days_ahead: int = 1, **slot: object) -> Shift:
    """A shift of the slot, ``days_ahead`` days from today (the roster makes it on demand)."""
    made = slot_at(location, **slot)  # type: ignore[arg-type]
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    return next(s for s in ensure_shifts(location, day, 1) if s.slot_id == made.pk)


def resident_at(location: Location, person: Person, by: User) -> Stay:
    """An open stay of the person at the site: a current resident."""
    room, _created = Room.objects.get_or_create(location=location, name="Kamer 1")
    bed = Bed.objects.create(room=room, label=f"Bed {Bed.objects.count() + 1}")
    rules = HouseRules.objects.filter(location=location).first() or HouseRules.objects.create(
        location=location, version=1, text="Respect.", published_by=by
    )
    return Stay.objects.create(
        person=person,
        location=location,
        bed=bed,
        organisation=location.organisation,
        house_rules=rules,
        house_rules_accepted_at=timezone.now(),
        checked_in_by=by,
    )


def second_volunteer(organisation: Organisation) -> Membership:
    membership = f.MembershipFactory(organisation=organisation, role=Role.VOLUNTEER)
    with_vog(membership)
    return membership


@dataclass(frozen=True)
class Shelter:
    """A shelter site of an organisation with its coordinator, a volunteer with a valid VOG and a resident."""

    site: Location
    coordinator: Membership
    volunteer: Membership
    resident: Person


def build_shelter(organisation: Organisation, resident: Person) -> Shelter:
    location = Location.objects.create(
        organisation=organisation, name="De Opvang", kind=Location.Kind.SHELTER
    )
    coordinator = f.MembershipFactory(organisation=organisation, role=Role.SHELTER_COORDINATOR)
    volunteer = f.MembershipFactory(organisation=organisation, role=Role.VOLUNTEER)
    with_vog(volunteer)
    resident_at(location, resident, coordinator.user)
    return Shelter(location, coordinator, volunteer, resident)


# --- the grid world's objects ------------------------------------------------------------------------


def volunteer(w: World) -> Membership:
    membership = w.member(VOLUNTEER, "own")
    with_vog(membership)
    return membership


def signup(w: World) -> ShiftSignup:
    profile = with_vog(w.member(VOLUNTEER, "own"))
    return ShiftSignup.objects.create(
        shift=shift_at(site(w)), volunteer=profile, signed_up_by=profile.membership.user
    )


def offer(w: World, *, by_other: bool = False) -> SwapOffer:
    if not by_other:
        return SwapOffer.objects.create(signup=signup(w))
    profile = second_volunteer(w.org_a).volunteer_profile
    volunteer(w)
    taken = ShiftSignup.objects.create(
        shift=shift_at(site(w)), volunteer=profile, signed_up_by=profile.membership.user
    )
    return SwapOffer.objects.create(signup=taken)


def resident(w: World) -> Person:
    if not Stay.objects.filter(person=w.person).exists():
        resident_at(site(w), w.person, w.member(COORDINATOR, "own").user)
    return w.person


def pair(w: World) -> BuddyPair:
    person = resident(w)
    return BuddyPair.objects.create(
        volunteer=with_vog(w.member(VOLUNTEER, "own")),
        person=person,
        location=site(w),
        matched_by=w.member(COORDINATOR, "own").user,
    )


def training(w: World) -> Training:
    return Training.objects.get_or_create(organisation=w.org_a, name="EHBO")[0]


def both(expect: tuple[int, int], *, anonymous: int = 302) -> dict[str, tuple[int, int]]:
    return by_role(anonymous=anonymous, **{COORDINATOR: expect, VOLUNTEER: expect})


def coordinator(ok: int, *, anonymous: int = 302) -> dict[str, tuple[int, int]]:
    return by_role(anonymous=anonymous, **{COORDINATOR: (ok, UNSEEN), VOLUNTEER: (FORBIDDEN, UNSEEN)})


def volunteer_only(
    ok: int, coordinator_gets: int = FORBIDDEN, *, anonymous: int = 302
) -> dict[str, tuple[int, int]]:
    return by_role(anonymous=anonymous, **{COORDINATOR: (coordinator_gets, UNSEEN), VOLUNTEER: (ok, UNSEEN)})


def _site(w: World) -> dict[str, int]:
    return {"pk": site(w).pk}


def _today() -> str:
    return timezone.localdate().isoformat()


SITE_API = f"{API}/shelter/sites"

ROUTES: list[GridRoute] = [
    # --- volunteers ---
    GridRoute("shelter:volunteers", coordinator(OK), kwargs=_site),
    GridRoute(
        "shelter:volunteer_edit",
        coordinator(CHANGED),
        method="POST",
        kwargs=lambda w: {"pk": site(w).pk, "member": w.member(VOLUNTEER, "own").pk},
        data=lambda w: {"phone": "06 1234 5678", "languages": "nl, en"},
    ),
    GridRoute(
        "shelter:training_record",
        coordinator(CHANGED),
        method="POST",
        kwargs=lambda w: {"pk": site(w).pk, "member": w.member(VOLUNTEER, "own").pk},
        data=lambda w: {"training": training(w).pk, "completed_on": _today()},
    ),
    GridRoute(
        "shelter:availability",
        both((CHANGED, UNSEEN)),
        method="POST",
        kwargs=lambda w: {"pk": site(w).pk, "member": w.member(VOLUNTEER, "own").pk},
        data=lambda w: {"availability": [f"0-{slot_at(site(w)).pk}"]},
    ),
    GridRoute(
        "shelter:trainings",
        coordinator(CHANGED),
        method="POST",
        kwargs=_site,
        data=lambda w: {"name": "EHBO"},
    ),
    GridRoute("shelter:my_profile", volunteer_only(OK, UNSEEN), kwargs=_site),
    # --- roster ---
    GridRoute("shelter:roster", both((OK, UNSEEN)), kwargs=lambda w: (slot_at(site(w)), _site(w))[1]),
    GridRoute(
        "shelter:signup",
        both((CHANGED, UNSEEN)),
        method="POST",
        kwargs=_site,
        data=lambda w: {"shift": shift_at(site(w)).pk, "volunteer": volunteer(w).pk},
    ),
    GridRoute(
        "shelter:signup_cancel",
        both((CHANGED, UNSEEN)),
        method="POST",
        kwargs=lambda w: {"pk": site(w).pk, "signup": signup(w).pk},
    ),
    GridRoute(
        "shelter:swap_offer",
        volunteer_only(CHANGED),
        method="POST",
        kwargs=lambda w: {"pk": site(w).pk, "signup": signup(w).pk},
    ),
    GridRoute(
        "shelter:swap_withdraw",
        volunteer_only(CHANGED),
        method="POST",
        kwargs=lambda w: {"pk": site(w).pk, "offer": offer(w).pk},
    ),
    GridRoute(
        "shelter:swap_take",
        volunteer_only(CHANGED),
        method="POST",
        kwargs=lambda w: {"pk": site(w).pk, "offer": offer(w, by_other=True).pk},
    ),
    GridRoute(
        "shelter:slots",
        coordinator(CHANGED),
        method="POST",
        kwargs=_site,
        data=lambda w: {"name": "Ochtend", "starts_at": "08:00", "ends_at": "12:00", "needed": "2"},
    ),
    GridRoute(
        "shelter:slot_edit", coordinator(OK), kwargs=lambda w: {"pk": site(w).pk, "slot": slot_at(site(w)).pk}
    ),
    # --- house log and buddies ---
    GridRoute(
        "shelter:house_log",
        both((CHANGED, UNSEEN)),
        method="POST",
        kwargs=_site,
        data=lambda w: {"text": "Rustige avond.", "person": resident(w).pk},
    ),
    GridRoute("shelter:buddies", both((OK, UNSEEN)), kwargs=_site),
    GridRoute(
        "shelter:buddy_end",
        coordinator(CHANGED),
        method="POST",
        kwargs=lambda w: {"pk": site(w).pk, "pair": pair(w).pk},
    ),
    GridRoute(
        "shelter:buddy_map",
        volunteer_only(OK, UNSEEN),
        kwargs=lambda w: {"pk": site(w).pk, "person": pair(w).person_id},
    ),
    # --- API ---
    GridRoute(
        "GET /api/v1/shelter/sites/{site_id}/roster",
        both((OK, UNSEEN), anonymous=401),
        path=lambda w: f"{SITE_API}/{site(w).pk}/roster",
    ),
    GridRoute(
        "POST /api/v1/shelter/sites/{site_id}/signups",
        both((CREATED, UNSEEN), anonymous=401),
        method="POST",
        json=True,
        path=lambda w: f"{SITE_API}/{site(w).pk}/signups",
        data=lambda w: {"shift": shift_at(site(w)).pk, "volunteer": volunteer(w).pk},
    ),
    GridRoute(
        "POST /api/v1/shelter/sites/{site_id}/signups/{signup_id}/cancel",
        both((OK, UNSEEN), anonymous=401),
        method="POST",
        json=True,
        path=lambda w: f"{SITE_API}/{site(w).pk}/signups/{signup(w).pk}/cancel",
    ),
    GridRoute(
        "GET /api/v1/shelter/sites/{site_id}/volunteers",
        coordinator(OK, anonymous=401),
        path=lambda w: f"{SITE_API}/{site(w).pk}/volunteers",
    ),
    GridRoute(
        "GET /api/v1/shelter/sites/{site_id}/house-log",
        both((OK, UNSEEN), anonymous=401),
        path=lambda w: f"{SITE_API}/{site(w).pk}/house-log",
    ),
    GridRoute(
        "POST /api/v1/shelter/sites/{site_id}/house-log",
        both((CREATED, UNSEEN), anonymous=401),
        method="POST",
        json=True,
        path=lambda w: f"{SITE_API}/{site(w).pk}/house-log",
        data=lambda w: {"text": "Rustige avond."},
    ),
    GridRoute(
        "GET /api/v1/shelter/sites/{site_id}/buddies",
        coordinator(OK, anonymous=401),
        path=lambda w: f"{SITE_API}/{site(w).pk}/buddies",
    ),
    GridRoute(
        "POST /api/v1/shelter/sites/{site_id}/buddies",
        coordinator(CREATED, anonymous=401),
        method="POST",
        json=True,
        path=lambda w: f"{SITE_API}/{site(w).pk}/buddies",
        data=lambda w: {"volunteer": w.member(VOLUNTEER, "own").pk, "person": resident(w).pk},
    ),
]
