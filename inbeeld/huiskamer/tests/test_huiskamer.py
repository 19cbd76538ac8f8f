"""The huiskamer register: visits named and anonymous, leaving, totals, the audit, and the radar."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from inbeeld.core.models import AuditEvent, Location
from inbeeld.core.roles import Role
from inbeeld.huiskamer import actions
from inbeeld.huiskamer.models import Visit
from inbeeld.radar.actions.run import run_radar
from inbeeld.radar.models import PersonState
from inbeeld.testing import factories as f

API = "/api/v1"


def post_json(client: Any, url: str, body: object) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def host(org_a):
    return f.MembershipFactory(organisation=org_a, role=Role.HOST)


@pytest.fixture
def huiskamer(org_a):
    return Location.objects.create(organisation=org_a, name="De Huiskamer", kind=Location.Kind.HUISKAMER)


def error_fields(response: Any) -> set[str]:
    # The field is the first name after the body ("services" in ["body", "payload", "services", 0]).
    named = [[part for part in item["loc"] if isinstance(part, str)] for item in response.json()["detail"]]
    return {parts[-1] for parts in named}


@pytest.mark.django_db
def test_a_host_registers_a_named_visit_on_the_web_and_sees_it_today(login, host, huiskamer, person):
    client = login(host)
    response = client.post(
        reverse("huiskamer:visit_new", kwargs={"pk": huiskamer.pk}),
        {"person": person.pk, "first_visit": "no", "questions": ["housing"], "services": ["shower", "food"]},
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.person == person and visit.organisation == huiskamer.organisation
    assert visit.first_visit is False and visit.services == ["shower", "food"] and visit.left_at is None
    created = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, data="huiskamer.visit")
    assert created.person_id_snapshot == person.pk and created.basis == AuditEvent.Basis.INVOLVEMENT

    page = client.get(reverse("huiskamer:today", kwargs={"pk": huiskamer.pk}), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert person.roepnaam in page.content.decode()
    read = AuditEvent.objects.get(action=AuditEvent.Action.READ, data="huiskamer.today")
    assert read.detail["persons"] == [person.pk]


@pytest.mark.django_db
def test_an_anonymous_visit_is_counted_not_named_and_can_be_marked_left(login, host, huiskamer):
    client = login(host)
    response = post_json(
        client,
        f"{API}/huiskamer/locations/{huiskamer.pk}/visits",
        {"anonymous": True, "first_visit": True, "intent": "wants_to_leave", "language": "RO"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person_id"] is None and body["roepnaam"] is None and body["language"] == "ro"
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, data="huiskamer.visit")
    assert event.person_id_snapshot is None and event.detail["anonymous"] is True

    left = post_json(client, f"{API}/huiskamer/visits/{body['id']}/left", {})
    assert left.status_code == 200 and left.json()["left_at"] is not None
    again = post_json(client, f"{API}/huiskamer/visits/{body['id']}/left", {})
    assert again.status_code == 422 and error_fields(again) == {"left_at"}
    listed = client.get(f"{API}/huiskamer/locations/{huiskamer.pk}/visits").json()
    assert [v["id"] for v in listed] == [body["id"]]


@pytest.mark.django_db
def test_marking_left_on_the_web_moves_the_visit_to_came_and_left(login, host, huiskamer):
    visit = Visit.objects.create(
        location=huiskamer, organisation=huiskamer.organisation, recorded_by=host.user
    )
    client = login(host)
    response = client.post(reverse("huiskamer:visit_left", kwargs={"pk": visit.pk}))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.left_at is not None and visit.left_at >= visit.arrived_at
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, data="huiskamer.visit").count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"anonymous": True, "language": "dutch"}, "language"),
        ({"anonymous": True, "intent": "shopping"}, "intent"),
        ({"anonymous": True, "services": ["money"]}, "services"),
        ({"anonymous": True, "questions": ["weather"]}, "questions"),
        ({"anonymous": True, "note": "x" * 1001}, "note"),
        ({"anonymous": True, "colour": "red"}, "colour"),
        ({}, "person_id"),
        ({"anonymous": True, "person_id": 1}, "anonymous"),
    ],
)
@pytest.mark.django_db
def test_bad_api_input_is_422_naming_the_field(login, host, huiskamer, body, field):
    response = post_json(login(host), f"{API}/huiskamer/locations/{huiskamer.pk}/visits", body)
    assert response.status_code == 422, response.content
    assert field in error_fields(response)
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_a_visit_in_the_future_is_refused(login, host, huiskamer):
    later = (timezone.now() + datetime.timedelta(hours=2)).isoformat()
    response = post_json(
        login(host),
        f"{API}/huiskamer/locations/{huiskamer.pk}/visits",
        {"anonymous": True, "arrived_at": later},
    )
    assert response.status_code == 422 and error_fields(response) == {"arrived_at"}


@pytest.mark.django_db
def test_a_person_the_host_does_not_work_with_is_refused_by_name(login, huiskamer, org_b, host):
    stranger = f.PersonFactory(network=org_b.network, involved=[org_b], lead_organisation=org_b)
    client = login(host)
    api = post_json(client, f"{API}/huiskamer/locations/{huiskamer.pk}/visits", {"person_id": stranger.pk})
    assert api.status_code == 422 and error_fields(api) == {"person_id"}
    web = client.post(reverse("huiskamer:visit_new", kwargs={"pk": huiskamer.pk}), {"person": stranger.pk})
    assert web.status_code == 422 and web.context["form"].errors.keys() == {"person"}
    empty = client.post(reverse("huiskamer:visit_new", kwargs={"pk": huiskamer.pk}), {})
    assert empty.status_code == 422 and "person" in empty.context["form"].errors
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_only_own_huiskamer_locations_are_used(login, host, org_a, org_b):
    office = Location.objects.create(organisation=org_a, name="Office", kind=Location.Kind.OFFICE)
    elsewhere = Location.objects.create(organisation=org_b, name="B's", kind=Location.Kind.HUISKAMER)
    client = login(host)
    for location in (office, elsewhere):
        assert client.get(reverse("huiskamer:today", kwargs={"pk": location.pk})).status_code == 404
        response = post_json(client, f"{API}/huiskamer/locations/{location.pk}/visits", {"anonymous": True})
        assert response.status_code == 404


@pytest.mark.django_db
def test_leaving_before_arriving_is_refused_by_the_database(host, huiskamer):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.create(
            location=huiskamer,
            organisation=huiskamer.organisation,
            recorded_by=host.user,
            arrived_at=now,
            left_at=now - datetime.timedelta(minutes=1),
        )


@pytest.mark.django_db
def test_day_and_month_totals(login, host, huiskamer, person):
    today = timezone.localdate()
    noon = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    earlier = today.replace(day=1) if today.day > 1 else None

    def visit(at: datetime.datetime, **extra: Any) -> Visit:
        return Visit.objects.create(
            location=huiskamer,
            organisation=huiskamer.organisation,
            recorded_by=host.user,
            arrived_at=at,
            **extra,
        )

    visit(noon, person=person, services=["food", "shower"], questions=["housing"])
    visit(noon, first_visit=True, intent="wants_to_leave", services=["food"])
    visit(noon - datetime.timedelta(days=40), first_visit=True)  # another month
    if earlier is not None:
        visit(timezone.make_aware(datetime.datetime.combine(earlier, datetime.time(12))), intent="info_only")
    on_day, in_month = actions.day_and_month(huiskamer, today)
    assert (on_day.visits, on_day.named, on_day.anonymous, on_day.first_visits) == (2, 1, 1, 1)
    assert on_day.services["food"] == 2 and on_day.services["shower"] == 1 and on_day.services["clothes"] == 0
    assert on_day.intents["wants_to_leave"] == 1 and on_day.questions == {"housing": 1}
    assert in_month.visits == 2 + (earlier is not None)
    assert in_month.intents["info_only"] == (earlier is not None)

    response = login(host).get(f"{API}/huiskamer/locations/{huiskamer.pk}/totals", {"day": today.isoformat()})
    assert response.status_code == 200
    assert response.json()["day_totals"]["anonymous"] == 1
    page = login(host).get(reverse("huiskamer:totals", kwargs={"pk": huiskamer.pk}))
    # The labels are Dutch, the default language.
    assert page.status_code == 200 and ("Bezoeken", 2, in_month.visits) in page.context["rows"]


@pytest.mark.django_db
def test_check_in_and_visits_move_last_seen_on_the_radar(
    login, host, huiskamer, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(
            login(host), f"{API}/huiskamer/locations/{huiskamer.pk}/visits", {"person_id": person.pk}
        )
    assert response.status_code == 201
    visit = Visit.objects.get()
    state = PersonState.objects.get(person=person)
    assert state.last_seen_at == visit.arrived_at and state.last_seen_source == "huiskamer_visit"

    # An anonymous visit names nobody: it moves nobody's last seen.
    with django_capture_on_commit_callbacks(execute=True):
        post_json(login(host), f"{API}/huiskamer/locations/{huiskamer.pk}/visits", {"anonymous": True})
    assert PersonState.objects.get(person=person).last_seen_at == visit.arrived_at


@pytest.mark.django_db
def test_the_daily_run_picks_up_a_visit_the_live_hook_missed(host, huiskamer, person):
    today = timezone.localdate()
    seen = timezone.now() - datetime.timedelta(days=3)
    # Outside a captured commit the live update never runs: only the daily run can see this visit.
    Visit.objects.create(
        location=huiskamer,
        organisation=huiskamer.organisation,
        recorded_by=host.user,
        person=person,
        arrived_at=seen,
    )
    assert PersonState.objects.get(person=person).last_seen_at is None
    run_radar(huiskamer.organisation.network, as_of=today)
    state = PersonState.objects.get(person=person)
    assert state.last_seen_at == seen and state.last_seen_source == "huiskamer_visit"


@pytest.mark.django_db
def test_the_person_page_shows_own_huiskamer_visits_to_those_who_read_contacts(
    login, member, host, huiskamer, person, org_b
):
    Visit.objects.create(
        location=huiskamer, organisation=huiskamer.organisation, recorded_by=host.user, person=person
    )
    url = reverse("people:detail", kwargs={"pk": person.pk})
    page = login(member).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and 'id="huiskamer-visits"' in page.content.decode()
    assert (
        AuditEvent.objects.filter(data="huiskamer.visits.section", person_id_snapshot=person.pk).count() == 1
    )
    # A host records visits but does not read contacts: the register's "today" is their view.
    assert 'id="huiskamer-visits"' not in login(host).get(url).content.decode()
