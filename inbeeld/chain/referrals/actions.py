"""Referrals: who sees one, and the writes that create it and move it through its lifecycle.

Access (DESIGN.md rules 1–6), decided here:
- A caseworker whose organisation has the person's file (``Need.EDIT_CARE``) refers, to a service of another
  organisation of the network. The referral is seen by the caseworkers of its two organisations: the sending
  side (``FROM``) always, the receiving side (``TO``) once it is sent (a draft is the sender's own).
- Everyone else gets 404 on every referral route (rule 1): a third organisation, and also coordinators —
  a referral is case content (its reason says why someone needs a service); the coordinator has the radar,
  where a referral waiting too long shows as a signal. Privacy officers have one page, the referrals resting
  on a legal basis instead of consent, without reason or note (rule 4).
- The handover note: the sender writes it and reads it while the referral is a draft; from sending on only
  the receiving organisation reads it. The reason for declining is read by both sides.
- The receiver accepts, declines (with a reason), starts, completes or drops; the sender sends or withdraws.
  The wrong side gets 403; a transition the lifecycle does not allow is refused naming ``state``. The row is
  locked first, so of two racing transitions exactly one is executed.
- A referral rests on a consent (or recorded legal basis) of the person for the receiving organisation, valid
  that day and covering every shared category; otherwise it is refused naming ``consent``, when it is made
  and again when it is sent.
Every read and write records an audit event in its transaction (rule 6).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.chain import sides
from inbeeld.chain.models import Service
from inbeeld.chain.referrals.models import Referral, ReferralEvent
from inbeeld.core import access, audit, roles
from inbeeld.core.access import Level, Need, PersonAccess
from inbeeld.core.models import AuditEvent, Membership
from inbeeld.people import actions as people_actions
from inbeeld.people import validation as v
from inbeeld.people.models import Consent, DataCategory

Action = AuditEvent.Action
Basis = AuditEvent.Basis
State = Referral.State
REASON_MAX = 2000
NOTE_MAX = 2000
DECLINE_MAX = 1000


class Side(enum.Enum):
    FROM = "from"
    TO = "to"


# state reached → (the states it may come from, the side that moves it there)
TRANSITIONS: dict[str, tuple[frozenset[str], Side]] = {
    State.SENT: (frozenset({State.DRAFT}), Side.FROM),
    State.ACCEPTED: (frozenset({State.SENT}), Side.TO),
    State.DECLINED: (frozenset({State.SENT}), Side.TO),
    State.STARTED: (frozenset({State.ACCEPTED}), Side.TO),
    State.COMPLETED: (frozenset({State.STARTED}), Side.TO),
    State.DROPPED: (frozenset({State.STARTED}), Side.TO),
    State.WITHDRAWN: (frozenset({State.DRAFT, State.SENT}), Side.FROM),
}


@dataclass(frozen=True)
class ReferralAccess:
    referral: Referral
    membership: Membership
    side: Side

    @property
    def record(self) -> Referral:
        return self.referral

    @property
    def sees_note(self) -> bool:
        if self.side is Side.TO:
            return True
        return self.referral.state == State.DRAFT

    @property
    def next_states(self) -> list[str]:
        """The states this side may move the referral to now."""
        state = self.referral.state
        return [to for to, (sources, side) in TRANSITIONS.items() if side is self.side and state in sources]

    @property
    def basis(self) -> str:
        if self.side is Side.FROM:
            return Basis.INVOLVEMENT
        if self.membership.organisation_id in access.involved_organisation_ids(self.referral.person):
            return Basis.INVOLVEMENT
        return consent_basis(self.referral.consent)


def consent_basis(consent: Consent) -> str:
    return Basis.CONSENT if consent.basis == Consent.Basis.CONSENT else Basis.LEGAL_BASIS


def may_use_referrals(membership: Membership | None) -> bool:
    return membership is not None and membership.ended_on is None and membership.role == roles.Role.CASEWORKER


def side_of(membership: Membership, referral: Referral) -> Side | None:
    if not may_use_referrals(membership):
        return None
    if membership.organisation_id == referral.from_organisation_id:
        return Side.FROM
    if membership.organisation_id == referral.to_organisation_id and referral.state != State.DRAFT:
        return Side.TO
    return None


def referrals_for(membership: Membership | None) -> QuerySet[Referral]:
    """The referrals this member sees: from their organisation, and sent to it."""
    membership = access.require_membership(membership)
    if not may_use_referrals(membership):
        raise access.not_found()
    own = membership.organisation_id
    return Referral.objects.select_related(
        "person", "from_organisation", "to_organisation", "service", "consent", "referred_by"
    ).filter(Q(from_organisation_id=own) | (Q(to_organisation_id=own) & ~Q(state=State.DRAFT)))


def with_side(membership: Membership, referral: Referral) -> ReferralAccess:
    side = side_of(membership, referral)
    if side is None:
        raise access.not_found()
    return ReferralAccess(referral, membership, side)


def referral_for(membership: Membership | None, pk: int | str) -> ReferralAccess:
    referral = sides.one_of(referrals_for(membership), pk)
    assert membership is not None  # referrals_for refused anyone else
    return with_side(membership, referral)


def may_refer(person_access: PersonAccess) -> bool:
    return person_access.role == roles.Role.CASEWORKER and person_access.allows(Need.EDIT_CARE)


def referrer_for(membership: Membership | None, person_id: int | str) -> PersonAccess:
    """The person as the member may refer them: 404 when not visible, 403 when not allowed."""
    membership = access.require_membership(membership)
    if membership.role not in roles.RADAR_VIEW:
        raise access.not_found()
    person_access = access.person_for(membership, person_id, Need.READ_CORE)
    if not may_refer(person_access):
        raise PermissionDenied(_("Only a caseworker of an organisation with the file refers."))
    return person_access


def services_for(person_access: PersonAccess) -> QuerySet[Service]:
    return (
        Service.objects.filter(
            organisation__network_id=person_access.person.network_id, status=Service.Status.ACTIVE
        )
        .exclude(organisation_id=person_access.own_organisation_id)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def consents_for(person_access: PersonAccess) -> QuerySet[Consent]:
    return (
        Consent.objects.valid_on()
        .filter(person=person_access.person)
        .exclude(recipient_id=person_access.own_organisation_id)
        .select_related("recipient")
    )


def check_consent(referral: Referral, consent: Consent | None) -> None:
    """The consent or legal basis must be the person's, for the receiving organisation, valid today and
    covering every shared category; otherwise refused naming ``consent``."""
    if consent is None:
        raise ValidationError({"consent": _("A referral rests on a consent or a recorded legal basis.")})
    if consent.person_id != referral.person_id or consent.recipient_id != referral.to_organisation_id:
        raise ValidationError({"consent": _("This consent is not for the receiving organisation.")})
    if not consent.is_valid_on(timezone.localdate()):
        raise ValidationError({"consent": _("This consent is not valid today.")})
    missing = set(referral.shared_categories) - set(consent.data_categories)
    if missing:
        raise ValidationError({"consent": _("This consent does not cover everything that is shared.")})


# --- reads --------------------------------------------------------------------------------------------


def legal_basis_referrals(membership: Membership | None) -> QuerySet[Referral]:
    """For the privacy officer: the network's referrals resting on a legal basis instead of consent."""
    membership = access.require_membership(membership)
    if membership.role != roles.Role.PRIVACY_OFFICER or membership.ended_on is not None:
        raise access.not_found()
    return (
        Referral.objects.filter(person__network_id=membership.organisation.network_id)
        .exclude(consent__basis=Consent.Basis.CONSENT)
        .exclude(state=State.DRAFT)
        .select_related("person", "from_organisation", "to_organisation", "consent", "referred_by")
    )


def record_privacy_reads(actor: audit.Actor, referrals: Iterable[Referral]) -> None:
    with transaction.atomic():
        for referral in referrals:
            audit.record(
                actor,
                action=Action.READ,
                data="referral.legal_basis",
                basis=Basis.PRIVACY_OFFICER,
                person_id=referral.person_id,
                object_id=referral.pk,
            )


# --- writes -------------------------------------------------------------------------------------------


def _event(referral: Referral, seen_membership: Membership, actor: audit.Actor, state: str) -> None:
    assert actor.user is not None
    ReferralEvent.objects.create(
        referral=referral,
        state=state,
        at=referral.state_changed_at,
        actor=actor.user,
        organisation_id=seen_membership.organisation_id,
    )


def _record(
    actor: audit.Actor, seen: ReferralAccess, action: str, state: str, basis: str | None = None
) -> None:
    audit.record(
        actor,
        action=action,
        data="referral",
        basis=basis or seen.basis,
        person_id=seen.referral.person_id,
        object_id=seen.referral.pk,
        detail={"state": state, "legal_basis": seen.referral.on_legal_basis},
    )


def create(
    person_access: PersonAccess,
    *,
    actor: audit.Actor,
    service: Service | None,
    reason: str,
    urgency: str,
    shared_categories: list[str],
    consent: Consent | None,
    handover_note: str = "",
    send: bool = False,
) -> Referral:
    """A draft referral (sent at once when ``send``)."""
    if not may_refer(person_access):
        raise PermissionDenied(_("Only a caseworker of an organisation with the file refers."))
    person = person_access.person
    if service is None or not services_for(person_access).filter(pk=service.pk).exists():
        raise ValidationError({"service": _("Choose a service of another organisation of this network.")})
    reason = v.clean_text(reason, field="reason", max_length=REASON_MAX)
    if not reason:
        raise ValidationError({"reason": _("Say why the person is referred.")})
    if urgency not in Referral.Urgency.values:
        raise ValidationError({"urgency": _("Choose an urgency.")})
    shared = sorted(set(shared_categories))
    if not shared or not set(shared) <= set(DataCategory.values):
        raise ValidationError({"shared_categories": _("Choose what is shared.")})
    note = v.clean_text(handover_note, field="handover_note", max_length=NOTE_MAX)
    now = timezone.now()
    referral = Referral(
        person=person,
        from_organisation_id=person_access.own_organisation_id,
        referred_by=actor.user,
        service=service,
        to_organisation=service.organisation,
        reason=reason,
        urgency=urgency,
        shared_categories=shared,
        handover_note=note,
        created_at=now,
        state_changed_at=now,
    )
    check_consent(referral, consent)
    referral.consent = consent  # type: ignore[assignment]
    with transaction.atomic():
        referral.save()
        seen = ReferralAccess(referral, person_access.membership, Side.FROM)
        _event(referral, person_access.membership, actor, State.DRAFT)
        _record(actor, seen, Action.CREATE, State.DRAFT)
        if send:
            return transition(seen, actor=actor, to=State.SENT)
    return referral


def transition(seen: ReferralAccess, *, actor: audit.Actor, to: str, reason: str = "") -> Referral:
    """To ``to``: the wrong side 403, a step the lifecycle does not allow names ``state``."""
    if to not in TRANSITIONS:
        raise ValidationError({"state": _("This is not a step of a referral.")})
    sources, side = TRANSITIONS[to]
    if seen.side is not side:
        raise PermissionDenied(_("Your organisation may not take this step with this referral."))
    fields = ["state", "state_changed_at"]
    if to == State.DECLINED:
        reason = v.clean_text(reason, field="reason", max_length=DECLINE_MAX)
        if not reason:
            raise ValidationError({"reason": _("Say why the referral is declined.")})
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update().select_related("consent", "person").get(pk=seen.referral.pk)
        )
        if referral.state not in sources:
            raise ValidationError(
                {"state": _("This step is not possible from the referral's current state.")}
            )
        if to == State.SENT:
            check_consent(referral, referral.consent)
        if to == State.DECLINED:
            referral.decline_reason = reason
            fields.append("decline_reason")
        referral.state = to
        referral.state_changed_at = timezone.now()
        referral.save(update_fields=fields)
        now_seen = ReferralAccess(referral, seen.membership, seen.side)
        basis = now_seen.basis  # the basis of this step: before accepting makes the receiver involved
        if to == State.ACCEPTED:
            _involve_receiver(now_seen, actor=actor)
        _event(referral, seen.membership, actor, to)
        _record(actor, now_seen, Action.UPDATE, to, basis)
    return referral


def _involve_receiver(seen: ReferralAccess, *, actor: audit.Actor) -> None:
    """Accepting makes the receiving organisation involved (if it was not): the referral is the basis."""
    referral = seen.referral
    if referral.to_organisation_id in access.involved_organisation_ids(referral.person):
        return
    receiver = PersonAccess(
        person=referral.person, membership=seen.membership, level=Level.FILE, basis=seen.basis
    )
    people_actions.add_involvement(
        receiver,
        actor=actor,
        organisation=referral.to_organisation,
        started_on=timezone.localdate(),
        reason=_("Referral"),
    )
