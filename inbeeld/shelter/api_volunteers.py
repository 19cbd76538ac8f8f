"""The API of the shelter's roster, volunteers, house log and buddies.

As the pages: another organisation's site, and every role outside the shelter, is 404; a volunteer on a
coordinator's operation is 403; refused input is 422 naming the body field.
"""

# No "from __future__ import annotations": ninja reads the views' annotations at runtime.

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from inbeeld.core.api import actor, errors, membership_of
from inbeeld.shelter import actions_houselog, actions_roster, actions_volunteers, sites
from inbeeld.shelter.models import BuddyPair, HouseLogEntry, ShiftSignup
from inbeeld.shelter.schemas_volunteers import (
    BuddyIn,
    BuddyOut,
    HouseLogIn,
    HouseLogOut,
    RosterOut,
    SignupIn,
    SignupOut,
    VolunteerOut,
)

router = Router(tags=["shelter"])
ERRORS = errors(401, 403, 404, 422)
SITE = "/shelter/sites/{site_id}"


@router.get(
    f"{SITE}/roster",
    response={200: RosterOut, **ERRORS},
    summary="The shifts of the coming 14 days with their sign-ups, free places and gaps",
)
def get_roster(request: HttpRequest, site_id: int) -> dict[str, Any]:
    site = sites.site_for(membership_of(request), site_id)
    roster = actions_roster.roster(site)
    shifts = [
        {
            "id": row.shift.pk,
            "slot": row.shift.slot.name,
            "date": row.shift.date,
            "starts_at": row.shift.starts_at,
            "ends_at": row.shift.ends_at,
            "needed": row.shift.needed,
            "free": row.free,
            "gap": row.gap,
            "signups": row.signups,
        }
        for row in roster.rows
    ]
    return {"start": roster.start, "days": actions_roster.ROSTER_DAYS, "gaps": roster.gaps, "shifts": shifts}


@router.post(
    f"{SITE}/signups",
    response={201: SignupOut, **ERRORS},
    summary="Sign up for a shift (a volunteer themselves; the coordinator names the volunteer)",
)
def create_signup(request: HttpRequest, site_id: int, payload: SignupIn) -> Status[ShiftSignup]:
    site = sites.site_for(membership_of(request), site_id)
    signup = actions_roster.sign_up(
        actor=actor(request), site=site, shift_id=payload.shift, volunteer_id=payload.volunteer
    )
    return Status(201, signup)


@router.post(
    f"{SITE}/signups/{{signup_id}}/cancel",
    response={200: SignupOut, **ERRORS},
    summary="Cancel a sign-up: one's own, or any for the coordinator",
)
def cancel_signup(request: HttpRequest, site_id: int, signup_id: int) -> ShiftSignup:
    site = sites.site_for(membership_of(request), site_id)
    signup = actions_roster.signup_for(actor(request), site, signup_id)
    return actions_roster.cancel_signup(actor=actor(request), signup=signup)


@router.get(
    f"{SITE}/volunteers",
    response={200: list[VolunteerOut], **ERRORS},
    summary="The site's volunteers with VOG and trainings (coordinator)",
)
def list_volunteers(request: HttpRequest, site_id: int) -> list[dict[str, Any]]:
    site = sites.coordinated_site(membership_of(request), site_id)
    out = []
    for membership in actions_volunteers.volunteers_of(site):
        profile = getattr(membership, "volunteer_profile", None)
        out.append(
            {
                "id": membership.pk,
                "name": membership.user.full_name or membership.user.email,
                "phone": profile.phone if profile else "",
                "languages": profile.languages if profile else "",
                "vog_issued_on": profile.vog_issued_on if profile else None,
                "vog_valid_until": profile.vog_valid_until if profile else None,
                "vog_warning": profile is None or profile.vog_warning(),
                "trainings": [r.training.name for r in profile.trainings.all()] if profile else [],
            }
        )
    return out


@router.get(
    f"{SITE}/house-log",
    response={200: list[HouseLogOut], **ERRORS},
    summary="The site's latest house log entries, newest first",
)
def list_house_log(request: HttpRequest, site_id: int) -> list[HouseLogEntry]:
    site = sites.site_for(membership_of(request), site_id)
    entries = actions_houselog.entries_of(site)
    actions_houselog.record_read(actor(request), entries, data="shelter.house_log.api")
    return entries


@router.post(
    f"{SITE}/house-log",
    response={201: HouseLogOut, **ERRORS},
    summary="Write a house log entry, optionally about one current resident",
)
def write_house_log(request: HttpRequest, site_id: int, payload: HouseLogIn) -> Status[HouseLogEntry]:
    site = sites.site_for(membership_of(request), site_id)
    entry = actions_houselog.write_entry(
        actor=actor(request), site=site, text=payload.text, person_id=payload.person
    )
    return Status(201, entry)


@router.get(
    f"{SITE}/buddies",
    response={200: list[BuddyOut], **ERRORS},
    summary="The site's current buddy pairs (coordinator)",
)
def list_buddies(request: HttpRequest, site_id: int) -> list[BuddyPair]:
    site = sites.coordinated_site(membership_of(request), site_id)
    pairs = list(actions_volunteers.pairs_of(site))
    actions_houselog.record_residents_read(actor(request), pairs, data="shelter.buddies.api")
    return pairs


@router.post(
    f"{SITE}/buddies",
    response={201: BuddyOut, **ERRORS},
    summary="Pair a volunteer with a current resident (coordinator)",
)
def create_buddy(request: HttpRequest, site_id: int, payload: BuddyIn) -> Status[BuddyPair]:
    site = sites.coordinated_site(membership_of(request), site_id)
    pair = actions_volunteers.pair_buddy(
        actor=actor(request), site=site, volunteer_id=payload.volunteer, person_id=payload.person
    )
    return Status(201, pair)
