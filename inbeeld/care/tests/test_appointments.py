"""Appointments on the web and in the API: planning, outcomes (attended / no-show / cancelled), the
person-page section, a worker's week (boundaries, who is named), and the audit trail of each.

Which role may call what is the grid's job (grid_appointments.py); the feed is in test_calendar.py.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.care.forms_contacts import DATETIME_LOCAL
from inbeeld.care.models import Appointment
from inbeeld.care.tests.test_contacts import contacts_consent, involve, last_event_id, new_events
from inbeeld.core.models import AuditEvent, Organisation, User
from inbeeld.core.roles import Role
from inbeeld.people.models import Person
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1"
HOUR = datetime.timedelta(hours=1)


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def tomorrow(hour: int = 10) -> datetime.datetime:
    return at(timezone.localdate() + datetime.timedelta(days=1), hour)


def make_appointment(
    person: Person, organisation: Organisation, worker: User, starts_at: datetime.datetime, **extra: Any
) -> Appointment:
    values = {"ends_at": starts_at + HOUR, "place": "Huiskamer", "created_by": worker, **extra}
    return Appointment.objects.create(
        person=person, organisation=organisation, worker=worker, starts_at=starts_at, **values
    )


def post_json(client, url: str, body: Any):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(body), content_type="application/json")


def _plan_url(person: Person) -> str:
    return reverse("care:appointment_new", kwargs={"pk": person.pk})


def _status_url(appointment: Appointment) -> str:
    return reverse(
        "care:appointment_status", kwargs={"pk": appointment.person_id, "appointment_pk": appointment.pk}
    )


# --- planning ---------------------------------------------------------------------------------------


def test_plan_an_appointment_with_myself_as_worker(login, member, person):
    before = last_event_id()
    data = {
        "starts_at": tomorrow(10).strftime(DATETIME_LOCAL),
        "ends_at": tomorrow(11).strftime(DATETIME_LOCAL),
        "place": "Spreekkamer 2",
        "purpose": "Gesprek over huisvesting",
    }
    response = login(member).post(_plan_url(person), data)
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert (appointment.worker, appointment.created_by, appointment.organisation) == (
        member.user,
        member.user,
        member.organisation,
    )
    assert (appointment.starts_at, appointment.ends_at) == (tomorrow(10), tomorrow(11))
    assert (appointment.status, appointment.purpose) == ("planned", "Gesprek over huisvesting")
    [event] = new_events(before)
    assert (event.action, event.data, event.person_id_snapshot, event.object_id) == (
        "create",
        "appointment",
        person.pk,
        str(appointment.pk),
    )


def test_the_plan_form_offers_the_organisations_workers_only(
    login, member, readonly_member, outsider, person
):
    html = login(member).get(_plan_url(person)).content.decode()
    assert str(readonly_member.user) in html and str(outsider.user) not in html
    data = {
        "worker": readonly_member.user.pk,
        "starts_at": tomorrow(9).strftime(DATETIME_LOCAL),
        "ends_at": tomorrow(10).strftime(DATETIME_LOCAL),
    }
    assert login(member).post(_plan_url(person), data).status_code == 302
    assert Appointment.objects.get().worker == readonly_member.user


def test_a_worker_of_another_organisation_is_refused(login, member, outsider, person):
    data = {
        "worker": outsider.user.pk,
        "starts_at": tomorrow(9).strftime(DATETIME_LOCAL),
        "ends_at": tomorrow(10).strftime(DATETIME_LOCAL),
    }
    response = login(member).post(_plan_url(person), data)
    assert response.status_code == 422 and "worker" in response.context["form"].errors
    body = {
        "worker_id": outsider.user.pk,
        "starts_at": tomorrow(9).isoformat(),
        "ends_at": tomorrow(10).isoformat(),
    }
    response = post_json(login(member), f"{API}/persons/{person.pk}/appointments", body)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-2:] == ["body", "worker_id"]
    assert Appointment.objects.count() == 0


# --- outcomes -------------------------------------------------------------------------------------


def test_attended_once_it_has_started(login, member, person):
    appointment = make_appointment(person, member.organisation, member.user, timezone.now() - HOUR)
    before = last_event_id()
    response = login(member).post(_status_url(appointment), {"status": "attended"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "attended" and appointment.status_changed_at is not None
    [event] = new_events(before)
    assert (event.action, event.data, event.detail) == (
        "update",
        "appointment.status",
        {"status": "attended"},
    )


@pytest.mark.parametrize("status", ["attended", "no_show"])
def test_not_attended_or_no_show_before_it_starts(login, member, person, status):
    appointment = make_appointment(person, member.organisation, member.user, tomorrow())
    response = login(member).post(_status_url(appointment), {"status": status})
    assert response.status_code == 422 and "status" in response.context["form"].errors
    appointment.refresh_from_db()
    assert appointment.status == "planned"


def test_cancelled_any_time_but_only_once(login, member, person):
    appointment = make_appointment(person, member.organisation, member.user, tomorrow())
    client = login(member)
    assert client.post(_status_url(appointment), {"status": "cancelled"}).status_code == 302
    response = client.post(_status_url(appointment), {"status": "attended"})
    assert response.status_code == 422
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"


def test_the_status_form_page_is_an_audited_read(login, member, person):
    appointment = make_appointment(person, member.organisation, member.user, timezone.now() - HOUR)
    before = last_event_id()
    html = login(member).get(_status_url(appointment)).content.decode()
    assert 'value="no_show"' in html
    assert [e.data for e in new_events(before)] == ["appointment.status"]


def test_another_organisations_appointment_hidden_or_not_theirs_to_change(
    login, member, outsider, person, org_b
):
    involve(person, org_b)
    theirs = make_appointment(person, org_b, outsider.user, timezone.now() - HOUR, purpose="Doel van B")
    client = login(member)
    url = f"{API}/appointments/{theirs.pk}/status"
    assert client.post(_status_url(theirs), {"status": "attended"}).status_code == 404
    assert post_json(client, url, {"status": "attended"}).status_code == 404
    contacts_consent(person, member.organisation, outsider)
    assert client.post(_status_url(theirs), {"status": "attended"}).status_code == 403
    assert post_json(client, url, {"status": "attended"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == "planned"


def test_the_appointment_must_belong_to_the_person_in_the_url(login, member, person, org_a):
    other = f.PersonFactory(network=org_a.network, involved=[org_a])
    appointment = make_appointment(other, org_a, member.user, timezone.now() - HOUR)
    url = reverse("care:appointment_status", kwargs={"pk": person.pk, "appointment_pk": appointment.pk})
    assert login(member).post(url, {"status": "attended"}).status_code == 404


# --- lists and the person page --------------------------------------------------------------------


def test_the_section_shows_upcoming_and_recent_with_outcome_buttons(login, member, person, org_b, outsider):
    involve(person, org_b)
    make_appointment(person, member.organisation, member.user, tomorrow(), purpose="Komend gesprek")
    past = make_appointment(
        person, member.organisation, member.user, timezone.now() - 3 * HOUR, purpose="Gisteren"
    )
    make_appointment(person, org_b, outsider.user, tomorrow(14), purpose="Geheim van B")
    before = last_event_id()
    html = login(member).get(reverse("people:detail", kwargs={"pk": person.pk})).content.decode()
    assert "Komend gesprek" in html and "Gisteren" in html and "Geheim van B" not in html
    assert f'action="{_status_url(past)}"' in html and 'value="no_show"' in html
    assert reverse("care:appointment_new", kwargs={"pk": person.pk}) in html
    assert "appointments.section" in [e.data for e in new_events(before)]


def test_a_host_sees_no_appointments(login, org_a, member, person):
    make_appointment(person, org_a, member.user, tomorrow(), purpose="Niet voor de host")
    host = f.MembershipFactory(organisation=org_a, role=Role.HOST)
    html = login(host).get(reverse("people:detail", kwargs={"pk": person.pk})).content.decode()
    assert "Niet voor de host" not in html and 'id="appointments-heading"' not in html


def test_the_list_is_latest_first_and_audited(login, member, person):
    make_appointment(person, member.organisation, member.user, tomorrow(9), purpose="eerste")
    make_appointment(person, member.organisation, member.user, tomorrow(15), purpose="tweede")
    before = last_event_id()
    html = login(member).get(reverse("care:appointment_list", kwargs={"pk": person.pk})).content.decode()
    assert html.index("tweede") < html.index("eerste")
    assert [e.data for e in new_events(before)] == ["appointments.list"]


# --- the agenda -----------------------------------------------------------------------------------

MONDAY = datetime.date(2030, 3, 4)  # 2030-W10


@pytest.fixture
def week(member, person, readonly_member):
    """Appointments of the caseworker around week 2030-W10, and one of a colleague inside it."""
    user, org = member.user, member.organisation
    sunday = MONDAY + datetime.timedelta(days=6)
    inside = [
        make_appointment(person, org, user, at(MONDAY, 0, 0), purpose="maandag-vroeg"),
        make_appointment(
            person, org, user, at(sunday, 23, 0), ends_at=at(sunday, 23, 59), purpose="zondag-laat"
        ),
    ]
    make_appointment(person, org, user, at(MONDAY - datetime.timedelta(days=1), 23, 0), purpose="week-ervoor")
    make_appointment(person, org, user, at(MONDAY + datetime.timedelta(days=7), 0, 0), purpose="week-erna")
    make_appointment(person, org, readonly_member.user, at(MONDAY, 12), purpose="van-een-collega")
    return inside


def test_the_agenda_holds_exactly_the_week(login, member, person, week):
    before = last_event_id()
    response = login(member).get(reverse("care:agenda"), {"week": "2030-W10"})
    html = response.content.decode()
    assert "maandag-vroeg" in html and "zondag-laat" in html
    assert "week-ervoor" not in html and "week-erna" not in html and "van-een-collega" not in html
    assert "?week=2030-W09" in html and "?week=2030-W11" in html
    assert person.roepnaam in html
    [event] = new_events(before)
    assert (event.data, event.detail) == ("appointments.agenda", {"persons": [person.pk]})


def test_the_api_agenda_is_the_same_week(login, member, week):
    body = login(member).get(f"{API}/agenda", {"week": "2030-W10"}).json()
    assert [a["purpose"] for a in body["appointments"]] == ["maandag-vroeg", "zondag-laat"]
    assert (body["starts_on"], body["ends_on"]) == ("2030-03-04", "2030-03-10")
    assert (body["previous_week"], body["next_week"]) == ("2030-W09", "2030-W11")


def test_the_agenda_defaults_to_this_week(login, member, person):
    make_appointment(person, member.organisation, member.user, timezone.now() + datetime.timedelta(minutes=5))
    body = login(member).get(f"{API}/agenda").json()
    year, number, _ = timezone.localdate().isocalendar()
    assert body["week"] == f"{year}-W{number:02d}" and len(body["appointments"]) == 1


def test_the_week_across_summer_time(login, member, person):
    # 2030-W13 ends on Sunday 31 March, when the clocks go forward in Europe/Amsterdam.
    monday = datetime.date(2030, 3, 25)
    make_appointment(
        person, member.organisation, member.user, at(monday + datetime.timedelta(days=6), 23, 30)
    )
    make_appointment(person, member.organisation, member.user, at(monday + datetime.timedelta(days=7), 0, 0))
    body = login(member).get(f"{API}/agenda", {"week": "2030-W13"}).json()
    assert len(body["appointments"]) == 1


@pytest.mark.parametrize("week", ["2030-W54", "2030-W00", "1999-W10", "2030-10", "volgende", "2030-W1"])
def test_a_bad_week_is_refused(login, member, week):
    client = login(member)
    response = client.get(reverse("care:agenda"), {"week": week})
    assert response.status_code == 422 and 'id="id_week_error"' in response.content.decode()
    response = client.get(f"{API}/agenda", {"week": week})
    assert response.status_code == 422 and "week" in response.json()["detail"][0]["loc"]


def test_a_person_the_acting_member_does_not_see_is_not_named(login, member, org_b, network):
    """A worker in two organisations: acting for A, B's persons in their own agenda stay nameless."""
    in_b = f.MembershipFactory(user=member.user, organisation=org_b, role=Role.CASEWORKER)
    theirs = f.PersonFactory(network=network, roepnaam="AlleenBijB", involved=[org_b])
    make_appointment(theirs, org_b, member.user, at(MONDAY, 9), purpose="doel-bij-b")
    as_a = login(member).get(f"{API}/agenda", {"week": "2030-W10"}).json()["appointments"]
    assert [(a["person_id"], a["roepnaam"], a["purpose"], a["statuses"]) for a in as_a] == [
        (None, None, None, [])
    ]
    html = login(member).get(reverse("care:agenda"), {"week": "2030-W10"}).content.decode()
    assert "AlleenBijB" not in html and "doel-bij-b" not in html and "Huiskamer" in html
    as_b = login(in_b).get(f"{API}/agenda", {"week": "2030-W10"}).json()["appointments"]
    assert [(a["roepnaam"], a["purpose"]) for a in as_b] == [("AlleenBijB", "doel-bij-b")]


def test_agenda_outcome_buttons_return_to_the_agenda(login, member, person):
    start = timezone.now() - HOUR
    appointment = make_appointment(person, member.organisation, member.user, start)
    client = login(member)
    assert 'name="next" value="agenda"' in client.get(reverse("care:agenda")).content.decode()
    response = client.post(_status_url(appointment), {"status": "no_show", "next": "agenda"})
    assert response.status_code == 302 and response.url.startswith(reverse("care:agenda") + "?week=")


# --- API ------------------------------------------------------------------------------------------


def test_api_plan_list_and_outcome(login, readonly_member, person):
    client = login(readonly_member)
    body = {
        "starts_at": tomorrow(10).isoformat(),
        "ends_at": tomorrow(11).isoformat(),
        "purpose": "Kennismaking",
    }
    created = post_json(client, f"{API}/persons/{person.pk}/appointments", body)
    assert created.status_code == 201, created.json()
    out = created.json()
    assert (out["worker_id"], out["status"], out["purpose"]) == (
        readonly_member.user_id,
        "planned",
        "Kennismaking",
    )
    listed = client.get(f"{API}/persons/{person.pk}/appointments").json()
    assert [a["id"] for a in listed["items"]] == [out["id"]]
    cancelled = post_json(client, f"{API}/appointments/{out['id']}/status", {"status": "cancelled"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = post_json(client, f"{API}/appointments/{out['id']}/status", {"status": "attended"})
    assert again.status_code == 422 and again.json()["detail"][0]["loc"][-1] == "status"
    actions = list(AuditEvent.objects.filter(person_id_snapshot=person.pk).values_list("action", "data"))
    assert actions == [
        ("create", "appointment"),
        ("read", "appointments.api"),
        ("update", "appointment.status"),
    ]
