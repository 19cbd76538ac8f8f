"""Raw activity indicators (issue 7): huiskamer visits and questions, referrals, clinic admissions and
radar signals. The shelter's (bed-nights, stays, residents' networks) are in ``shelter``.

Each indicator is one grouped query (two for signals) per organisation, month and category over the
scope's organisations and dates; nothing is read per person or per month. A moment (a visit's arrival,
a referral's sending, a signal's resolution) counts on its calendar day in the project's time zone
(Europe/Amsterdam): ``TruncMonth`` converts in SQL on SQLite and PostgreSQL alike, and the scope's
bounds are that zone's midnights (``Scope.moments``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Expression,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from inbeeld.care.models import Topic
from inbeeld.chain.episodes.models import Episode, EpisodeKind
from inbeeld.chain.models import Category as ServiceCategory
from inbeeld.chain.referrals.models import Referral, ReferralEvent
from inbeeld.huiskamer.models import Visit
from inbeeld.radar.models import Signal
from inbeeld.reports.cube import Category, CountCube, Indicator, Scope

Row = tuple[Any, datetime.date, Any, int]  # (organisation id, first day of the month, category, count)


def _month(field: str) -> TruncMonth:
    """The first day of the month of a date or (in the current time zone) of a moment, as a date."""
    return TruncMonth(field, output_field=DateField())


def _grouped(
    queryset: QuerySet[Any],
    *,
    org: Expression | F,
    month: TruncMonth,
    category: Expression | F,
    distinct: str = "pk",
) -> list[Row]:
    """One GROUP BY query: (organisation, month, category, count)."""
    return list(
        queryset.annotate(org_key=org, month_key=month, category_key=category)
        .values("org_key", "month_key", "category_key")
        .order_by()
        .annotate(number=Count(distinct, distinct=distinct != "pk"))
        .values_list("org_key", "month_key", "category_key", "number")
    )


def add_known(cube: CountCube, org: int, category: str, month: datetime.date, n: int) -> None:
    """Add to a category of the cube; a value outside the model's choices (never written by the app)
    is left out rather than failing disclosure control."""
    if any(c.key == category for c in cube.categories):
        cube.add(org, category, month, n)


# --- huiskamer --------------------------------------------------------------------------------------------

NAMED, ANONYMOUS = "named", "anonymous"


def _visits(scope: Scope) -> QuerySet[Visit]:
    first, after = scope.moments()
    return Visit.objects.filter(
        organisation_id__in=scope.organisation_ids, arrived_at__gte=first, arrived_at__lt=after
    )


def huiskamer_visits(scope: Scope) -> CountCube:
    cube = CountCube(
        indicator="huiskamer_visits",
        flow=True,
        org_additive=True,
        categories=[Category(NAMED, _("Named visits")), Category(ANONYMOUS, _("Anonymous visits"))],
        category_additive=True,
    )
    anonymous = ExpressionWrapper(Q(person__isnull=True), output_field=BooleanField())
    for org, month, is_anonymous, n in _grouped(
        _visits(scope), org=F("organisation_id"), month=_month("arrived_at"), category=anonymous
    ):
        cube.add(org, ANONYMOUS if is_anonymous else NAMED, month, n)
    return cube


def huiskamer_questions(scope: Scope) -> CountCube:
    cube = CountCube(
        indicator="huiskamer_questions",
        flow=True,
        org_additive=True,
        categories=[Category(key, label) for key, label in Topic.choices],
        category_additive=False,
    )
    # One query: per organisation and month, for every topic the visits whose list holds it (once per
    # visit, however often it is listed). Values that are not a topic are not counted.
    counts = {topic: Count("pk", filter=_asked(topic)) for topic in Topic.values}
    rows = (
        _visits(scope)
        .exclude(questions=[])
        .annotate(org_key=F("organisation_id"), month_key=_month("arrived_at"))
        .values("org_key", "month_key")
        .order_by()
        .annotate(**counts)
    )
    for row in rows:
        for topic in Topic.values:
            if row[topic]:
                cube.add(row["org_key"], topic, row["month_key"], row[topic])
    return cube


def _asked(topic: str) -> Q:
    """The visit's list of question topics holds ``topic``. PostgreSQL: ``?``, which on a JSON array asks
    for a string element (``has_key``; a third cheaper than containment, ``@>``). SQLite has neither, but
    a topic is a whole quoted string in the list's JSON text."""
    if connection.vendor == "postgresql":
        return Q(questions__has_key=topic)
    return Q(questions__icontains=f'"{topic}"')


# --- referrals --------------------------------------------------------------------------------------------

WAITING = "waiting"
# The referral's current state, as an outcome of sending it. A sent referral not yet answered is waiting.
OUTCOMES: list[Category] = [
    Category(WAITING, _("Waiting for an answer")),
    Category(Referral.State.ACCEPTED, _("Accepted, not yet started")),
    Category(Referral.State.DECLINED, _("Declined")),
    Category(Referral.State.STARTED, _("Started")),
    Category(Referral.State.COMPLETED, _("Completed")),
    Category(Referral.State.DROPPED, _("Dropped out")),
    Category(Referral.State.WITHDRAWN, _("Withdrawn by the sender")),
]


def _sent(scope: Scope) -> QuerySet[ReferralEvent]:
    """The step "sent" of the network's referrals, in the scope: a referral is made when it is sent."""
    first, after = scope.moments()
    return ReferralEvent.objects.filter(
        state=Referral.State.SENT,
        referral__from_organisation_id__in=scope.organisation_ids,
        at__gte=first,
        at__lt=after,
    )


def referrals_by_service(scope: Scope) -> CountCube:
    cube = CountCube(
        indicator="referrals_by_service",
        flow=True,
        org_additive=True,
        categories=[Category(key, label) for key, label in ServiceCategory.choices],
        category_additive=True,
    )
    for org, month, category, n in _grouped(
        _sent(scope),
        org=F("referral__from_organisation_id"),
        month=_month("at"),
        category=F("referral__service__category"),
        distinct="referral_id",
    ):
        add_known(cube, org, category, month, n)
    return cube


def referrals_by_outcome(scope: Scope) -> CountCube:
    cube = CountCube(
        indicator="referrals_by_outcome",
        flow=True,
        org_additive=True,
        categories=list(OUTCOMES),
        category_additive=True,
    )
    for org, month, state, n in _grouped(
        _sent(scope),
        org=F("referral__from_organisation_id"),
        month=_month("at"),
        category=F("referral__state"),
        distinct="referral_id",
    ):
        add_known(cube, org, WAITING if state == Referral.State.SENT else state, month, n)
    return cube


# --- clinic admissions ------------------------------------------------------------------------------------

ADMISSIONS = (EpisodeKind.CLINIC, EpisodeKind.DETOX, EpisodeKind.HOSPITAL, EpisodeKind.MENTAL_HEALTH)


def clinic_admissions(scope: Scope) -> CountCube:
    labels = dict(EpisodeKind.choices)
    cube = CountCube(
        indicator="clinic_admissions",
        flow=True,
        org_additive=True,
        categories=[Category(kind, labels[kind]) for kind in ADMISSIONS],
        category_additive=True,
    )
    episodes = Episode.objects.filter(
        organisation_id__in=scope.organisation_ids,
        kind__in=ADMISSIONS,
        started_on__gte=scope.start,
        started_on__lte=scope.end,
    )
    for org, month, kind, n in _grouped(
        episodes, org=F("organisation_id"), month=_month("started_on"), category=F("kind")
    ):
        cube.add(org, kind, month, n)
    return cube


# --- radar signals ----------------------------------------------------------------------------------------

OPEN, CLEARED = "open", "cleared"
RESOLVED_IN_TIME = "resolved_in_time"


def _signal_rows(scope: Scope, category: Expression) -> list[Row]:
    """Signals opened in the scope, per organisation: the assigned one, else the person's lead organisation
    (two queries, so that only signals without an assigned organisation join their person)."""
    signals = Signal.objects.filter(
        network_id=scope.network_id, opened_on__gte=scope.start, opened_on__lte=scope.end
    )
    month = _month("opened_on")
    return [
        *_grouped(
            signals.filter(assigned_organisation_id__in=scope.organisation_ids),
            org=F("assigned_organisation_id"),
            month=month,
            category=category,
        ),
        *_grouped(
            signals.filter(
                assigned_organisation__isnull=True, person__lead_organisation_id__in=scope.organisation_ids
            ),
            org=F("person__lead_organisation_id"),
            month=month,
            category=category,
        ),
    ]


def signals(scope: Scope) -> CountCube:
    _first, after = scope.moments()
    cube = CountCube(
        indicator="signals",
        flow=True,
        org_additive=True,
        categories=[
            *(Category(key, label) for key, label in Signal.Outcome.choices),
            Category(CLEARED, _("Cleared: the condition ended")),
            Category(OPEN, _("Still open")),
        ],
        category_additive=True,
    )
    # Its state at the data date: resolved or cleared later is still open then.
    state = Case(
        When(state=Signal.State.RESOLVED, resolved_at__lt=after, then=F("outcome")),
        When(state=Signal.State.CLEARED, cleared_on__lte=scope.end, then=Value(CLEARED)),
        default=Value(OPEN),
    )
    for org, month, category, n in _signal_rows(scope, state):
        add_known(cube, org, category, month, n)
    return cube


def signals_in_time(scope: Scope) -> CountCube:
    _first, after = scope.moments()
    cube = CountCube(
        indicator="signals_in_time",
        flow=True,
        org_additive=True,
        # How many were opened is the signals indicator's total: counted there only, so that it is
        # protected once (the same figure protected twice could be shown in one and hidden in the other).
        categories=[Category(RESOLVED_IN_TIME, _("Resolved without escalation"))],
        category_additive=False,
    )
    in_time = ExpressionWrapper(
        Q(state=Signal.State.RESOLVED, escalated_on__isnull=True, resolved_at__lt=after),
        output_field=BooleanField(),
    )
    for org, month, resolved_in_time, n in _signal_rows(scope, in_time):
        if resolved_in_time:
            cube.add(org, RESOLVED_IN_TIME, month, n)
    return cube


INDICATORS: list[Indicator] = [
    Indicator(
        code="huiskamer_visits",
        title=_("Huiskamer visits"),
        definition=_(
            "Visits registered by the organisation's huiskamer in the month of arrival: named visits (of a "
            "person on the by-name list) and anonymous visits."
        ),
        compute=huiskamer_visits,
    ),
    Indicator(
        code="huiskamer_questions",
        title=_("Questions asked in the huiskamer"),
        definition=_(
            "Huiskamer visits in the month of arrival at which a question on the topic was asked. A visit "
            "with questions on several topics counts once for each topic, so the topics do not add up."
        ),
        compute=huiskamer_questions,
    ),
    Indicator(
        code="referrals_by_service",
        title=_("Referrals by kind of service"),
        definition=_(
            "Referrals sent by the organisation in the month (a draft that was never sent does not count), "
            "by the category of the partner service referred to."
        ),
        compute=referrals_by_service,
    ),
    Indicator(
        code="referrals_by_outcome",
        title=_("Referrals by outcome"),
        definition=_(
            "Referrals sent in the year, by where they stand at the time of the report: waiting for an "
            "answer, accepted, declined, started, completed, dropped out or withdrawn. Shown per year for "
            "the whole network only, and only when no outcome is a small number: the same referrals are "
            "counted by kind of service, and the two must not let each other's hidden figures be worked out."
        ),
        compute=referrals_by_outcome,
        breakdown_of="referrals_by_service",
    ),
    Indicator(
        code="clinic_admissions",
        title=_("Clinic admissions"),
        definition=_(
            "Episodes that started in the month and are an admission: clinic, detox, hospital or "
            "mental-health admission (not detention, shelter elsewhere or other stays), per organisation "
            "that recorded the episode."
        ),
        compute=clinic_admissions,
    ),
    Indicator(
        code="signals",
        title=_("Radar signals"),
        definition=_(
            "Radar signals opened in the month, by their outcome if resolved by the data date, cleared when "
            "the condition ended by itself, else still open. A signal counts for its assigned organisation, "
            "else for the person's lead organisation; a signal with neither is left out."
        ),
        compute=signals,
    ),
    Indicator(
        code="signals_in_time",
        title=_("Radar signals resolved in time"),
        definition=_(
            "Radar signals opened in the month and resolved by the data date without ever being escalated, "
            "also as a share of all signals opened in the month (the total of the radar signals). "
            "A signal counts for its assigned organisation, else for the person's lead "
            "organisation; a signal with neither is left out."
        ),
        compute=signals_in_time,
    ),
]
