"""Care records on the person's timeline: contacts, appointments, assessments, plan versions, evaluations."""

from __future__ import annotations

from django.utils.translation import gettext as _

from inbeeld.care.models import Appointment, Assessment, Contact, Evaluation, PlanVersion, Topic
from inbeeld.core.access import Need, PersonAccess
from inbeeld.people.models import DataCategory
from inbeeld.people.timeline import Entry, Source, register


def _contact(access: PersonAccess, contact: Contact) -> Entry:
    topics = dict(Topic.choices)
    detail = ", ".join(str(topics.get(t, t)) for t in contact.topics)
    if contact.note:
        detail = f"{detail}\n{contact.note}" if detail else contact.note
    return Entry(
        when=contact.occurred_at,
        kind="contact",
        kind_label=_("Contact"),
        title=f"{contact.get_kind_display()} · {contact.get_channel_display()}",
        detail=detail,
        organisation=contact.organisation.name,
    )


def _appointment(access: PersonAccess, appointment: Appointment) -> Entry:
    return Entry(
        when=appointment.starts_at,
        kind="appointment",
        kind_label=_("Appointment"),
        title=str(appointment.get_status_display()),
        detail=appointment.place_label(),
        organisation=appointment.organisation.name,
    )


def _assessment(access: PersonAccess, assessment: Assessment) -> Entry:
    scored = sum(1 for score in assessment.scores.all() if score.value is not None)
    return Entry(
        when=assessment.assessed_on,
        kind="assessment",
        kind_label=_("Assessment"),
        title=assessment.instrument.name,
        detail=_("%(count)d domains scored") % {"count": scored},
        organisation=assessment.organisation.name,
    )


def _plan_version(access: PersonAccess, version: PlanVersion) -> Entry:
    return Entry(
        when=version.saved_at,
        kind="plan_version",
        kind_label=_("Care plan"),
        title=_("Version %(number)d") % {"number": version.number},
        detail=version.change_summary,
        organisation=version.plan.organisation.name,
    )


def _evaluation(access: PersonAccess, evaluation: Evaluation) -> Entry:
    return Entry(
        when=evaluation.evaluated_on,
        kind="evaluation",
        kind_label=_("Evaluation"),
        title=_("Care plan evaluated"),
        detail=evaluation.went_well,
        organisation=evaluation.organisation.name,
    )


register(
    Source(
        key="contact",
        label=lambda: _("Contacts"),
        need=Need.READ_CONTACTS,
        category=DataCategory.CONTACTS,
        rows=lambda a: Contact.objects.filter(person=a.person).select_related("organisation"),
        owner_field="organisation_id",
        order_field="occurred_at",
        entry=_contact,
    )
)
register(
    Source(
        key="appointment",
        label=lambda: _("Appointments"),
        need=Need.READ_APPOINTMENTS,
        category=DataCategory.CONTACTS,
        rows=lambda a: Appointment.objects.filter(person=a.person).select_related("organisation", "location"),
        owner_field="organisation_id",
        order_field="starts_at",
        entry=_appointment,
    )
)
register(
    Source(
        key="assessment",
        label=lambda: _("Assessments"),
        need=Need.READ_CARE,
        category=DataCategory.CARE_PLAN,
        rows=lambda a: (
            Assessment.objects.filter(person=a.person)
            .select_related("organisation", "instrument")
            .prefetch_related("scores")
        ),
        owner_field="organisation_id",
        order_field="assessed_on",
        entry=_assessment,
    )
)
register(
    Source(
        key="plan_version",
        label=lambda: _("Care plan versions"),
        need=Need.READ_CARE,
        category=DataCategory.CARE_PLAN,
        rows=lambda a: PlanVersion.objects.filter(plan__person=a.person).select_related("plan__organisation"),
        owner_field="plan__organisation_id",
        order_field="saved_at",
        entry=_plan_version,
    )
)
register(
    Source(
        key="evaluation",
        label=lambda: _("Evaluations"),
        need=Need.READ_CARE,
        category=DataCategory.CARE_PLAN,
        rows=lambda a: Evaluation.objects.filter(plan__person=a.person).select_related("organisation"),
        owner_field="organisation_id",
        order_field="evaluated_on",
        entry=_evaluation,
    )
)
