"""The daily digest: one e-mail a day to every worker with open signals, so nobody has to remember to look.

What it says of a person is as little as it can: the roepnaam, the rule's label, the colour, how long the
signal is open, and a link to the signal in Inbeeld — never a legal name, an alias, a note or the rule's
reason (which names dates and places). E-mail leaves the system: whatever more there is to know is
behind the link, where the access policy decides and the audit trail records.

Who gets what:
- every active user with an active membership in a role that has a radar (``roles.RADAR_VIEW``): the open
  signals assigned to them, of persons that membership still sees;
- a network coordinator besides: the network's open signals that escalated or that nobody is assigned to.

``DigestSent`` (unique per user and day) makes it idempotent: a second run on the same day mails nobody
twice. Each e-mail writes one audit event (export, ``radar.digest``) naming the persons in it.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from inbeeld.core import access, audit
from inbeeld.core.models import AuditEvent, Membership, User
from inbeeld.core.roles import NETWORK_WIDE, RADAR_VIEW, Role
from inbeeld.radar import rules
from inbeeld.radar.models import Colour, DigestSent, Signal

logger = logging.getLogger(__name__)

# At most this many signals per list in one e-mail; the rest are counted, with a link to the radar.
SECTION_MAX = 50

audit.register_data_labels({"radar.digest": gettext_lazy("radar digest e-mail")})


@dataclass(frozen=True)
class DigestLine:
    signal_id: int
    person_id: int
    roepnaam: str
    rule_label: str
    severity: int
    severity_label: str
    days_open: int
    escalated: bool
    url: str

    @property
    def colour(self) -> str:
        return Colour(self.severity).name.lower()


@dataclass
class Digest:
    user: User
    day: datetime.date
    mine: list[DigestLine] = field(default_factory=list)
    escalated: list[DigestLine] = field(default_factory=list)  # coordinators: the network's escalated
    unassigned: list[DigestLine] = field(default_factory=list)  # coordinators: nobody's
    # Signals left out of each list beyond SECTION_MAX (named nowhere in the mail).
    more: dict[str, int] = field(default_factory=dict)

    @property
    def lines(self) -> list[DigestLine]:
        return [*self.mine, *self.escalated, *self.unassigned]

    @property
    def count(self) -> int:
        return len(self.lines) + sum(self.more.values())

    @property
    def person_ids(self) -> list[int]:
        return sorted({line.person_id for line in self.lines})

    @property
    def signal_ids(self) -> list[int]:
        return [line.signal_id for line in self.lines]


def recipients() -> QuerySet[User]:
    """Active users with an active membership in a role that has a radar."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__ended_on__isnull=True,
            memberships__role__in=RADAR_VIEW,
        )
        .distinct()
        .order_by("pk")
    )


def radar_memberships(user: User) -> list[Membership]:
    return [m for m in user.active_memberships() if access.may_use_radar(m)]


def _section(signals: QuerySet[Signal], day: datetime.date) -> tuple[list[DigestLine], int]:
    """The first SECTION_MAX signals, worst and oldest first, and how many more there are."""
    ordered = signals.select_related("person").order_by("-severity", "opened_on", "person__roepnaam", "id")
    shown = list(ordered[: SECTION_MAX + 1])
    more = 0
    if len(shown) > SECTION_MAX:
        shown = shown[:SECTION_MAX]
        more = signals.count() - SECTION_MAX
    return [_line(signal, day) for signal in shown], more


def build_digest(user: User, day: datetime.date) -> Digest:
    """What this user's digest for ``day`` lists; reads only. Call it in the language of the mail."""
    digest = Digest(user=user, day=day)
    memberships = radar_memberships(user)
    if not memberships:
        return digest
    # Their own signals, of persons one of their radar memberships still sees (rule 3).
    visible = Q(pk__in=[])
    for membership in memberships:
        visible |= Q(person__in=access.radar_persons(membership).values("pk"))
    mine = Q(assigned_to=user) & visible
    digest.mine, digest.more["mine"] = _section(Signal.objects.open().filter(mine), day)
    networks = sorted({m.organisation.network_id for m in memberships if m.role == Role.COORDINATOR})
    if networks:
        network_signals = Signal.objects.open().filter(network_id__in=networks)
        digest.escalated, digest.more["escalated"] = _section(
            network_signals.filter(escalated_on__isnull=False).exclude(mine), day
        )
        digest.unassigned, digest.more["unassigned"] = _section(
            network_signals.filter(assigned_to__isnull=True, escalated_on__isnull=True), day
        )
    return digest


def _line(signal: Signal, day: datetime.date) -> DigestLine:
    return DigestLine(
        signal_id=signal.pk,
        person_id=signal.person_id,
        roepnaam=signal.person.roepnaam,
        rule_label=rules.label_for(signal.rule),
        severity=signal.severity,
        severity_label=str(Colour(signal.severity).label),
        days_open=max((day - signal.opened_on).days, 0),
        escalated=signal.escalated_on is not None,
        url=settings.BASE_URL + reverse("radar:signal", args=[signal.pk]),
    )


def render_digest(digest: Digest) -> mail.EmailMultiAlternatives:
    count = digest.count
    subject = ngettext(
        "Inbeeld: %(count)d open signal on the radar",
        "Inbeeld: %(count)d open signals on the radar",
        count,
    ) % {"count": count}
    sections = [
        (_("Assigned to you"), digest.mine, digest.more.get("mine", 0)),
        (
            _("Escalated in the network (not acknowledged in time)"),
            digest.escalated,
            digest.more.get("escalated", 0),
        ),
        (_("Not assigned to anyone"), digest.unassigned, digest.more.get("unassigned", 0)),
    ]
    context = {
        "digest": digest,
        "user": digest.user,
        "count": count,
        "sections": sections,
        "radar_url": settings.BASE_URL + reverse("radar:dashboard"),
    }
    message = mail.EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("radar/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[digest.user.email],
    )
    message.attach_alternative(render_to_string("radar/email/digest.html", context), "text/html")
    return message


def send_digests(day: datetime.date | None = None) -> int:
    """Mail every worker their open signals of ``day`` (default today), once a day. Returns how many went."""
    day = day or timezone.localdate()
    already = set(DigestSent.objects.filter(day=day).values_list("user_id", flat=True))
    sent = 0
    with mail.get_connection() as connection:
        for user in recipients().exclude(pk__in=already):
            try:
                if _send_one(user, day, connection):
                    sent += 1
            except IntegrityError:
                # Another run sent this user's digest in the meantime.
                continue
            except OSError:
                # An unreachable mail server or a refused address: this user's digest is retried by the
                # next run of the day (nothing was recorded as sent); the others still go.
                logger.exception("The radar digest to user %s could not be sent.", user.pk)
    return sent


def _send_one(user: User, day: datetime.date, connection: BaseEmailBackend) -> bool:
    with translation.override(settings.LANGUAGE_CODE):
        digest = build_digest(user, day)
        if not digest.lines:
            return False
        message = render_digest(digest)
    message.connection = connection
    memberships = radar_memberships(user)
    acting = next((m for m in memberships if m.role in NETWORK_WIDE), memberships[0])
    with transaction.atomic():
        # Recorded first: the unique (user, day) row is the lock against a concurrent run.
        DigestSent.objects.create(user=user, day=day, signal_count=digest.count)
        audit.record(
            audit.Actor(user=user, membership=acting, source="email", request_path="radar_digest"),
            action=AuditEvent.Action.EXPORT,
            data="radar.digest",
            basis=AuditEvent.Basis.NETWORK_ROLE
            if acting.role in NETWORK_WIDE
            else AuditEvent.Basis.INVOLVEMENT,
            detail={
                "day": day.isoformat(),
                "to": user.email,
                "persons": digest.person_ids,
                "signals": digest.signal_ids,
                "not_listed": sum(digest.more.values()),
            },
        )
        # Sent inside the transaction: when the mail server refuses, nothing is recorded as sent.
        message.send()
    return True
