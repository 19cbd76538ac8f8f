"""Contacts on the web and in the API: recording named and anonymous contacts, the live person search,
another organisation's contacts (hidden without consent, shown with one), the person-page section,
and an audit event for every read and write.

``member`` is a caseworker of A (file level), ``readonly_member`` an outreach worker of A (core level),
``outsider`` a caseworker of B. Which role may call what is the grid's job (grid_contacts.py).
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from inbeeld.care.forms_contacts import DATETIME_LOCAL
from inbeeld.care.models import Contact
from inbeeld.core.models import AuditEvent, Location, Organisation, User
from inbeeld.core.roles import Role
from inbeeld.people.models import Alias, DataCategory, Involvement, Person
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1"


def now_local() -> str:
    return timezone.localtime().strftime(DATETIME_LOCAL)


def quick(person: Person | str, **extra: Any) -> dict[str, Any]:
    """A valid quick-form submission for a person (or "anonymous")."""
    who = person if isinstance(person, str) else person.pk
    return {"person": who, "occurred_at": now_local(), "channel": "street_zone", "kind": "help", **extra}


def make_contact(person: Person | None, organisation: Organisation, user: User, **extra: Any) -> Contact:
    values: dict[str, Any] = {
        "occurred_at": timezone.now() - datetime.timedelta(hours=1),
        "channel": "huiskamer",
        "kind": "advice",
        **extra,
    }
    return Contact.objects.create(person=person, organisation=organisation, recorded_by=user, **values)


def involve(person: Person, organisation: Organisation) -> None:
    Involvement.objects.create(person=person, organisation=organisation, started_on=datetime.date(2019, 1, 1))


def contacts_consent(person: Person, recipient: Organisation, by: Any, *categories: str) -> Any:
    return f.ConsentFactory(
        person=person,
        recipient=recipient,
        recorded_by=by.user,
        recorded_by_organisation=by.organisation,
        data_categories=list(categories or [DataCategory.CONTACTS]),
    )


def new_events(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=before).order_by("id"))


def last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


# --- the quick form ---------------------------------------------------------------------------------


def test_the_form_opens_with_now_filled_in_and_big_choices(login, readonly_member):
    response = login(readonly_member).get(reverse("care:contact_new"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="datetime-local"' in html and timezone.localtime().strftime("%Y-%m-%dT") in html
    assert html.count('class="choice"') >= 7 + 7 + 11 + 1  # where, kind, topics, anonymous
    assert 'value="anonymous"' in html
    assert 'hx-get="/care/contacts/persons/"' in html


def test_record_a_named_contact(login, readonly_member, person):
    location = Location.objects.create(
        organisation=readonly_member.organisation, name="Zone", kind="street_zone"
    )
    before = last_event_id()
    data = quick(
        person,
        topics=["housing", "health"],
        duration_minutes="15",
        note="Geheim briefje",
        location=location.pk,
    )
    response = login(readonly_member).post(reverse("care:contact_new"), data)
    assert response.status_code == 302 and response.url == reverse("people:detail", kwargs={"pk": person.pk})
    contact = Contact.objects.get()
    assert (contact.person, contact.organisation, contact.recorded_by) == (
        person,
        readonly_member.organisation,
        readonly_member.user,
    )
    assert (contact.channel, contact.kind, contact.topics) == ("street_zone", "help", ["housing", "health"])
    assert (contact.duration_minutes, contact.note, contact.location) == (15, "Geheim briefje", location)
    [event] = new_events(before)
    assert (event.action, event.data, event.person_id_snapshot, event.object_id, event.basis) == (
        "create",
        "contact",
        person.pk,
        str(contact.pk),
        "involvement",
    )


def test_the_note_is_encrypted_in_the_database(login, member, person):
    login(member).post(reverse("care:contact_new"), quick(person, note="Heel geheime notitie"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM care_contact")
        [(raw,)] = cursor.fetchall()
    assert "geheime" not in str(raw)
    assert Contact.objects.get().note == "Heel geheime notitie"


def test_record_an_anonymous_contact_as_a_host(login, org_a):
    host = f.MembershipFactory(organisation=org_a, role=Role.HOST)
    before = last_event_id()
    response = login(host).post(reverse("care:contact_new"), quick("anonymous", channel="huiskamer"))
    assert response.status_code == 302 and response.url == reverse("care:contact_new")
    contact = Contact.objects.get()
    assert contact.person is None and contact.organisation == org_a
    [event] = new_events(before)
    assert (event.action, event.data, event.person_id_snapshot, event.basis) == (
        "create",
        "contact",
        None,
        "involvement",
    )
    assert event.detail == {"anonymous": True}


def test_the_last_channel_is_chosen_next_time(login, readonly_member, person):
    client = login(readonly_member)
    client.post(reverse("care:contact_new"), quick(person, channel="phone"))
    html = client.get(reverse("care:contact_new")).content.decode()
    assert re.search(r'name="channel" value="phone"[^>]* checked>', html)
    assert len(re.findall(r'name="channel"[^>]* checked>', html)) == 1


def test_prefilled_from_the_person_page(login, readonly_member, person):
    before = last_event_id()
    response = login(readonly_member).get(reverse("care:contact_new"), {"person": person.pk})
    html = response.content.decode()
    assert f'name="person" value="{person.pk}" checked' in html
    [event] = new_events(before)
    assert (event.action, event.data, event.person_id_snapshot) == ("read", "contact.form", person.pk)


def test_prefilling_a_person_one_does_not_see_is_not_found(login, outsider, person):
    response = login(outsider).get(reverse("care:contact_new"), {"person": person.pk})
    assert response.status_code == 404


def test_neither_person_nor_anonymous_is_refused(login, member):
    data = quick("anonymous")
    data.pop("person")
    response = login(member).post(reverse("care:contact_new"), data)
    assert response.status_code == 422
    assert "person" in response.context["form"].errors
    assert Contact.objects.count() == 0


def test_a_person_of_another_organisation_cannot_be_picked(login, outsider, person):
    response = login(outsider).post(reverse("care:contact_new"), quick(person))
    assert response.status_code == 422 and "person" in response.context["form"].errors
    assert person.roepnaam not in response.content.decode()
    assert Contact.objects.count() == 0


# --- the live person search ---------------------------------------------------------------------


def test_search_finds_by_roepnaam_and_alias_and_is_audited(login, readonly_member, person, org_a, org_b):
    Alias.objects.create(person=person, name="Zonnebloem")
    hidden = f.PersonFactory(network=org_a.network, roepnaam="Zonnetje", involved=[org_b])
    client = login(readonly_member)
    before = last_event_id()
    response = client.get(
        reverse("care:contact_person_search"), {"q": "zonne"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert f'name="person" value="{person.pk}"' in html and "Zonnebloem" in html
    assert hidden.roepnaam not in html
    [event] = new_events(before)
    assert (event.action, event.data, event.detail) == ("search", "contact.search", {"persons": [person.pk]})
    assert (
        person.roepnaam
        in client.get(reverse("care:contact_person_search"), {"q": person.roepnaam}).content.decode()
    )


def test_search_without_javascript_reloads_the_form_with_results(login, readonly_member, person):
    response = login(readonly_member).get(reverse("care:contact_new"), {"q": person.roepnaam})
    assert f'name="person" value="{person.pk}"' in response.content.decode()


def test_an_empty_search_shows_nobody_and_records_nothing(login, readonly_member, person):
    before = last_event_id()
    response = login(readonly_member).get(reverse("care:contact_person_search"), {"q": "  "})
    assert 'name="person"' not in response.content.decode()
    assert new_events(before) == []


# --- what a viewer sees (rule 2) ------------------------------------------------------------------


@pytest.fixture
def shared(person, org_b, outsider, member):
    """The person is involved with A and B too; each organisation has recorded a contact."""
    involve(person, org_b)
    theirs = make_contact(person, org_b, outsider.user, note="Notitie van B")
    ours = make_contact(
        person, member.organisation, member.user, note="Notitie van A", occurred_at=timezone.now()
    )
    return ours, theirs


def _list(client, person) -> str:  # type: ignore[no-untyped-def]
    return client.get(reverse("care:contact_list", kwargs={"pk": person.pk})).content.decode()


def test_another_organisations_contacts_are_hidden_without_consent(login, member, person, shared):
    html = _list(login(member), person)
    assert "Notitie van A" in html and "Notitie van B" not in html


def test_another_organisations_contacts_show_with_a_contacts_consent(login, member, outsider, person, shared):
    consent = contacts_consent(person, member.organisation, outsider)
    before = last_event_id()
    html = _list(login(member), person)
    assert "Notitie van A" in html and "Notitie van B" in html and outsider.organisation.name in html
    events = new_events(before)
    assert [(e.data, e.basis, e.consent_id_snapshot) for e in events] == [
        ("contacts.list", "involvement", None),
        ("contacts.list", "consent", consent.pk),
    ]


def test_a_consent_for_another_category_shows_nothing_more(login, member, outsider, person, shared):
    contacts_consent(person, member.organisation, outsider, DataCategory.CARE_PLAN)
    assert "Notitie van B" not in _list(login(member), person)


def test_a_withdrawn_consent_hides_them_again(login, member, outsider, person, shared):
    consent = contacts_consent(person, member.organisation, outsider)
    consent.withdrawn_at = timezone.now()
    consent.save()
    assert "Notitie van B" not in _list(login(member), person)


def test_outreach_sees_its_own_organisations_contacts_only(login, readonly_member, outsider, person, shared):
    contacts_consent(person, readonly_member.organisation, outsider)
    html = _list(login(readonly_member), person)
    assert "Notitie van A" in html and "Notitie van B" not in html


def test_the_list_is_newest_first_and_paginated(login, member, person):
    start = timezone.now() - datetime.timedelta(days=40)
    for n in range(30):
        make_contact(
            person,
            member.organisation,
            member.user,
            note=f"nr-{n:02d}",
            occurred_at=start + datetime.timedelta(days=n),
        )
    client = login(member)
    first = _list(client, person)
    assert first.index("nr-29") < first.index("nr-28") and "nr-04" not in first
    second = client.get(reverse("care:contact_list", kwargs={"pk": person.pk}), {"page": 2}).content.decode()
    assert "nr-04" in second and "nr-00" in second and "nr-29" not in second


def test_anonymous_contacts_are_in_no_persons_list(login, member, person):
    make_contact(None, member.organisation, member.user, note="anoniem-bezoek")
    assert "anoniem-bezoek" not in _list(login(member), person)


# --- the person page ------------------------------------------------------------------------------


def _page(client, person) -> str:  # type: ignore[no-untyped-def]
    return client.get(reverse("people:detail", kwargs={"pk": person.pk})).content.decode()


def test_the_section_shows_the_five_latest_and_the_record_button(login, member, person):
    for n in range(7):
        make_contact(
            person,
            member.organisation,
            member.user,
            note=f"sectie-{n}",
            occurred_at=timezone.now() - datetime.timedelta(days=n),
        )
    before = last_event_id()
    html = _page(login(member), person)
    assert all(f"sectie-{n}" in html for n in range(5)) and "sectie-5" not in html
    assert f'href="{reverse("care:contact_new")}?person={person.pk}"' in html
    assert reverse("care:contact_list", kwargs={"pk": person.pk}) in html
    assert "contacts.section" in [e.data for e in new_events(before)]


def test_a_host_gets_the_button_but_not_the_contacts(login, org_a, member, person):
    make_contact(person, org_a, member.user, note="niet-voor-de-host")
    host = f.MembershipFactory(organisation=org_a, role=Role.HOST)
    html = _page(login(host), person)
    assert f"?person={person.pk}" in html and "niet-voor-de-host" not in html
    assert reverse("care:contact_list", kwargs={"pk": person.pk}) not in html


def test_a_coordinator_sees_no_contacts_section(login, org_b, member, person):
    make_contact(person, member.organisation, member.user, note="niet-voor-de-coordinator")
    coordinator = f.MembershipFactory(organisation=org_b, role=Role.COORDINATOR)
    html = _page(login(coordinator), person)
    assert 'id="contacts-heading"' not in html and "niet-voor-de-coordinator" not in html


# --- API ----------------------------------------------------------------------------------------------


def post_json(client, url: str, body: Any):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(body), content_type="application/json")


def test_api_records_a_contact_with_a_person(login, readonly_member, person):
    before = last_event_id()
    body = {"channel": "phone", "kind": "information", "topics": ["exit", "exit"], "note": "Belde zelf"}
    response = post_json(login(readonly_member), f"{API}/persons/{person.pk}/contacts", body)
    assert response.status_code == 201, response.json()
    out = response.json()
    assert (out["person_id"], out["channel"], out["topics"], out["note"]) == (
        person.pk,
        "phone",
        ["exit"],
        "Belde zelf",
    )
    assert out["channel_label"] == "Telefoon" or out["channel_label"] == "Phone"
    assert abs(datetime.datetime.fromisoformat(out["occurred_at"]) - timezone.now()) < datetime.timedelta(
        minutes=1
    )
    [event] = new_events(before)
    assert (event.action, event.data, event.person_id_snapshot, event.source) == (
        "create",
        "contact",
        person.pk,
        "api",
    )


def test_api_records_an_anonymous_contact(login, member):
    response = post_json(
        login(member), f"{API}/contacts", {"anonymous": True, "channel": "street_zone", "kind": "sighting"}
    )
    assert response.status_code == 201 and response.json()["person_id"] is None


def test_api_records_a_contact_with_person_id(login, member, person):
    body = {"person_id": person.pk, "channel": "street_zone", "kind": "sighting"}
    response = post_json(login(member), f"{API}/contacts", body)
    assert response.status_code == 201 and response.json()["person_id"] == person.pk


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({}, "person_id"),
        ({"anonymous": True, "person_id": 1}, "anonymous"),
        ({"person_id": 987654}, "person_id"),
    ],
    ids=["neither", "both", "unknown-person"],
)
def test_api_says_which_of_person_and_anonymous_is_wrong(login, member, extra, field):
    body = {"channel": "street_zone", "kind": "sighting", **extra}
    response = post_json(login(member), f"{API}/contacts", body)
    assert response.status_code == 422
    assert any(field in e["loc"] for e in response.json()["detail"])
    assert Contact.objects.count() == 0


def test_api_person_id_of_another_organisations_person_looks_unknown(login, outsider, person):
    unknown = post_json(
        login(outsider), f"{API}/contacts", {"person_id": 987654, "channel": "phone", "kind": "help"}
    )
    theirs = post_json(
        login(outsider), f"{API}/contacts", {"person_id": person.pk, "channel": "phone", "kind": "help"}
    )
    assert unknown.status_code == theirs.status_code == 422
    assert unknown.json() == theirs.json()


def test_api_lists_what_the_viewer_may_see_and_audits_it(login, member, outsider, person, shared):
    client = login(member)
    before = last_event_id()
    body = client.get(f"{API}/persons/{person.pk}/contacts").json()
    assert [c["note"] for c in body["items"]] == ["Notitie van A"] and body["count"] == 1
    assert [(e.data, e.source) for e in new_events(before)] == [("contacts.api", "api")]
    contacts_consent(person, member.organisation, outsider)
    body = client.get(f"{API}/persons/{person.pk}/contacts").json()
    assert [c["note"] for c in body["items"]] == ["Notitie van A", "Notitie van B"]
    assert body["items"][1]["organisation"] == outsider.organisation.name


def test_api_list_of_a_person_one_does_not_see_is_404(login, outsider, person):
    assert login(outsider).get(f"{API}/persons/{person.pk}/contacts").status_code == 404
