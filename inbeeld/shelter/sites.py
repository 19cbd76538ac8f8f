"""Which shelter sites a member works at: the one access helper every shelter page and API call uses.

Shelter coordinators and volunteers (``access.may_use_shelter``) use the locations of kind shelter of
their own organisation; every other role, and every other organisation's site, is 404 (rule 1).
Writes that run the shelter (beds, stays, waitlist, roster, volunteers) need ``access.may_run_shelter``:
a volunteer asking for them gets 403 on a site they can see.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from inbeeld.core import access
from inbeeld.core.models import Location, Membership


def require_shelter(membership: Membership | None) -> Membership:
    membership = access.require_membership(membership)
    if not access.may_use_shelter(membership):
        raise access.not_found()
    return membership


def require_coordinator(membership: Membership | None) -> Membership:
    """The shelter's coordinator; a volunteer is refused (403), every other role does not see it (404)."""
    membership = require_shelter(membership)
    if not access.may_run_shelter(membership):
        raise PermissionDenied(_("Only the shelter coordinator may do this."))
    return membership


def sites_for(membership: Membership | None) -> QuerySet[Location]:
    """The shelter sites of the member's organisation (open or closed), by name."""
    membership = require_shelter(membership)
    return Location.objects.filter(
        organisation_id=membership.organisation_id, kind=Location.Kind.SHELTER
    ).order_by("name", "id")


def site_for(membership: Membership | None, pk: int | str) -> Location:
    try:
        site = sites_for(membership).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        site = None
    if site is None:
        raise access.not_found()
    return site


def coordinated_site(membership: Membership | None, pk: int | str) -> Location:
    """A site the member coordinates: 404 when not theirs, 403 for its volunteers."""
    site = site_for(membership, pk)
    require_coordinator(membership)
    return site
