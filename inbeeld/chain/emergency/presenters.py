"""What the holder of a grant and the privacy officer see of emergency access, with its audit events.

The emergency page shows the radar core and the latest care plan version to the grant's holder while
the grant is active; afterwards (or to anyone else) the grant does not exist (404, rule 1). Every read is
audited on the emergency basis and so flagged (``audit.record``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from inbeeld.care import presenters_plans
from inbeeld.care.models import CarePlan
from inbeeld.care.presenters_plans import VersionView
from inbeeld.chain.emergency import actions
from inbeeld.chain.emergency.models import EmergencyAccess
from inbeeld.core import access, audit
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.models import AuditEvent, Membership

Basis = AuditEvent.Basis
OWN_GRANTS_SHOWN = 20
REVIEW_PAGE_SIZE = 100


@dataclass(frozen=True)
class EmergencyView:
    grant: EmergencyAccess
    person_access: PersonAccess
    plan: CarePlan | None
    version: VersionView | None


def _own_active_grant(membership: Membership, grant_id: int) -> EmergencyAccess:
    grant = (
        EmergencyAccess.objects.active()
        .select_related("person")
        .filter(pk=grant_id, membership=membership)
        .first()
    )
    if grant is None:
        raise access.not_found()
    return grant


def open_emergency(actor: audit.Actor, grant_id: int) -> EmergencyView:
    """The grant's radar core and latest plan for its holder while active; the read is audited."""
    membership = actions.require_break_glass(actor.membership)
    grant = _own_active_grant(membership, grant_id)
    person_access = access.person_for(membership, grant.person_id, Need.READ_CORE)
    plan, version = _latest_version(grant.person_id)
    with transaction.atomic():
        audit.record(
            actor,
            action=AuditEvent.Action.READ,
            data="emergency_access.page",
            basis=Basis.EMERGENCY,
            person_id=grant.person_id,
            object_id=grant.pk,
            detail={"care_plan": plan.pk if plan is not None else None},
        )
    return EmergencyView(grant, person_access, plan, version)


def _latest_version(person_id: int) -> tuple[CarePlan | None, VersionView | None]:
    """The person's care plan and its latest version, whichever organisation keeps it: the emergency
    basis reaches past consent for exactly this (rule 5). (None, None) when there is no saved version."""
    plan = CarePlan.objects.select_related("organisation").filter(person_id=person_id).first()
    if plan is None or plan.current_number == 0:
        return None, None
    version = presenters_plans.version_of(plan, plan.current_number)
    if version is None:
        return None, None
    return plan, presenters_plans.version_view(version)


def own_grants(actor: audit.Actor) -> list[EmergencyAccess]:
    """The worker's own grants, newest first; showing the persons' roepnamen is an audited read."""
    membership = actions.require_break_glass(actor.membership)
    grants = list(
        EmergencyAccess.objects.filter(membership=membership)
        .select_related("person")
        .order_by("-granted_at", "-id")[:OWN_GRANTS_SHOWN]
    )
    if grants:
        with transaction.atomic():
            audit.record(
                actor,
                action=AuditEvent.Action.READ,
                data="emergency_access.list",
                basis=Basis.EMERGENCY,
                detail={"persons": sorted({g.person_id for g in grants})},
            )
    return grants


def review_queue(membership: Membership | None) -> QuerySet[EmergencyAccess]:
    """Every grant in the privacy officer's network: unreviewed first."""
    membership = actions.require_review(membership)
    return (
        EmergencyAccess.objects.in_network(membership.organisation.network_id)
        .select_related("person", "user", "membership__organisation", "reviewed_by")
        .for_review()
    )


def record_review_read(actor: audit.Actor, grants: list[EmergencyAccess], *, data: str) -> None:
    """The privacy officer reads roepnamen and reasons: audited on their own basis."""
    if not grants:
        return
    with transaction.atomic():
        audit.record(
            actor,
            action=AuditEvent.Action.READ,
            data=data,
            basis=Basis.PRIVACY_OFFICER,
            person_id=grants[0].person_id if len(grants) == 1 else None,
            object_id=grants[0].pk if len(grants) == 1 else "",
            detail={"grants": [g.pk for g in grants], "persons": sorted({g.person_id for g in grants})},
        )


def grant_for_review(membership: Membership | None, grant_id: int) -> EmergencyAccess:
    grant = review_queue(membership).filter(pk=grant_id).first()
    if grant is None:
        raise access.not_found()
    return grant
