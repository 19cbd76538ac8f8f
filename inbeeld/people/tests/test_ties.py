"""The social network map: who reads and edits ties, bad input, the network size series, the picture."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.core.models import AuditEvent
from inbeeld.core.roles import Role
from inbeeld.people import ties
from inbeeld.people.models import DataCategory, Involvement, NetworkTie
from inbeeld.testing import factories as f
from inbeeld.testing.bad_input import HTML, LONG, MISSING, with_change

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _tie(person, organisation, user, **kwargs: Any) -> NetworkTie:  # type: ignore[no-untyped-def]
    values: dict[str, Any] = {
        "kind": "family",
        "quality": "supportive",
        "name": "zus",
        "frequency": "weekly",
        "started_on": datetime.date(2024, 1, 1),
    }
    values.update(kwargs)
    return NetworkTie.objects.create(person=person, organisation=organisation, recorded_by=user, **values)


def _valid() -> dict[str, Any]:
    return {
        "kind": "friend",
        "quality": "neutral",
        "name": "Mo (buddy)",
        "frequency": "monthly",
        "started_on": timezone.localdate().isoformat(),
        "note": "",
    }


def _post_json(client, url: str, data: dict[str, Any], method: str = "POST"):  # type: ignore[no-untyped-def]
    return client.generic(method, url, json.dumps(data), content_type="application/json")


@pytest.fixture
def org_c(network):
    return f.OrganisationFactory(network=network, name="Org C", kind="care_provider")


@pytest.fixture
def caseworker_c(org_c, person):
    """A caseworker of C, which is involved with the person too: their own ties, A's only by consent."""
    Involvement.objects.create(person=person, organisation=org_c, started_on=datetime.date(2020, 1, 1))
    return f.MembershipFactory(organisation=org_c, role=Role.CASEWORKER)


class TestWhoReads:
    def test_caseworker_records_and_sees_a_tie(self, login, member, person):
        client = login(member)
        response = client.post(reverse("people:tie_add", kwargs={"pk": person.pk}), _valid())
        assert response.status_code == 302
        tie = NetworkTie.objects.get()
        assert tie.organisation_id == member.organisation_id and tie.name == "Mo (buddy)"
        assert AuditEvent.objects.filter(data="network_tie", action="create", object_id=tie.pk).exists()
        page = client.get(reverse("people:network", kwargs={"pk": person.pk}))
        assert page.status_code == 200
        assert "Mo (buddy)" in page.content.decode()
        assert AuditEvent.objects.filter(
            data="network_map", action="read", person_id_snapshot=person.pk
        ).exists()

    def test_outreach_of_the_involved_organisation_does_not_see_the_map(self, login, readonly_member, person):
        client = login(readonly_member)
        assert client.get(reverse("people:network", kwargs={"pk": person.pk})).status_code == 404
        assert client.get(f"{API}/persons/{person.pk}/ties").status_code == 404
        detail = client.get(reverse("people:detail", kwargs={"pk": person.pk}))
        assert 'id="network-map"' not in detail.content.decode()

    def test_other_organisation_sees_ties_only_with_a_network_map_consent(
        self, login, member, person, org_c, caseworker_c
    ):
        _tie(person, member.organisation, member.user, name="Tante Ria")
        _tie(person, org_c, caseworker_c.user, name="Eigen band C")
        client = login(caseworker_c)
        page = client.get(reverse("people:network", kwargs={"pk": person.pk})).content.decode()
        assert "Eigen band C" in page and "Tante Ria" not in page
        names = [t["name"] for t in client.get(f"{API}/persons/{person.pk}/ties").json()["items"]]
        assert names == ["Eigen band C"]

        consent = f.ConsentFactory(
            person=person,
            recipient=org_c,
            recorded_by=member.user,
            recorded_by_organisation=member.organisation,
            data_categories=[DataCategory.NETWORK_MAP],
        )
        items = client.get(f"{API}/persons/{person.pk}/ties").json()["items"]
        by_name = {t["name"]: t for t in items}
        assert set(by_name) == {"Eigen band C", "Tante Ria"}
        assert by_name["Tante Ria"]["may_edit"] is False and by_name["Eigen band C"]["may_edit"] is True
        assert AuditEvent.objects.filter(consent_id_snapshot=consent.pk, data="network_map").exists()

        # Read only: A's tie is not C's to change or end.
        tie_a = NetworkTie.objects.get(organisation=member.organisation)
        assert _post_json(client, f"{API}/ties/{tie_a.pk}", _valid(), "PUT").status_code == 403
        ended = _post_json(
            client, f"{API}/ties/{tie_a.pk}/end", {"ended_on": timezone.localdate().isoformat()}
        )
        assert ended.status_code == 403
        url = reverse("people:tie_end", kwargs={"pk": person.pk, "tie_pk": tie_a.pk})
        assert client.post(url, {"ended_on": timezone.localdate().isoformat()}).status_code == 403
        assert NetworkTie.objects.get(pk=tie_a.pk).ended_on is None

    def test_a_consent_for_another_category_shows_nothing(self, login, member, person, org_c, caseworker_c):
        _tie(person, member.organisation, member.user, name="Tante Ria")
        f.ConsentFactory(
            person=person,
            recipient=org_c,
            recorded_by=member.user,
            recorded_by_organisation=member.organisation,
            data_categories=[DataCategory.CARE_PLAN],
        )
        client = login(caseworker_c)
        assert client.get(f"{API}/persons/{person.pk}/ties").json()["items"] == []
        tie_a = NetworkTie.objects.get()
        assert _post_json(client, f"{API}/ties/{tie_a.pk}", _valid(), "PUT").status_code == 404


class TestBadInput:
    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("kind", "enemy"),
            ("kind", MISSING),
            ("quality", "great"),
            ("frequency", "hourly"),
            ("name", ""),
            ("name", LONG),
            ("name", "a\x00b"),
            ("started_on", "2200-01-01"),
            ("started_on", "1850-01-01"),
            ("note", LONG),
        ],
    )
    def test_web_form_refuses_naming_the_field(self, login, member, person, field, value):
        client = login(member)
        data = with_change(_valid(), field, value)
        response = client.post(reverse("people:tie_add", kwargs={"pk": person.pk}), data)
        assert response.status_code == 422
        assert field in response.context["form"].errors
        assert not NetworkTie.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("kind", "enemy"),
            ("quality", 3),
            ("frequency", MISSING),
            ("name", ""),
            ("name", LONG),
            ("started_on", "2200-01-01"),
            ("note", LONG),
        ],
    )
    def test_api_refuses_naming_the_field(self, login, member, person, field, value):
        client = login(member)
        response = _post_json(client, f"{API}/persons/{person.pk}/ties", with_change(_valid(), field, value))
        assert response.status_code == 422
        assert field in [e["loc"][-1] for e in response.json()["detail"]]
        assert not NetworkTie.objects.exists()

    def test_a_risk_contact_is_of_quality_risk(self, login, member, person):
        client = login(member)
        data = with_change(_valid(), "kind", "risk_contact")
        response = client.post(reverse("people:tie_add", kwargs={"pk": person.pk}), data)
        assert response.status_code == 422
        assert "quality" in response.context["form"].errors
        api = _post_json(client, f"{API}/persons/{person.pk}/ties", data)
        assert api.status_code == 422
        assert [e["loc"][-1] for e in api.json()["detail"]] == ["quality"]

    def test_a_tie_cannot_end_before_it_started_or_twice(self, login, member, person):
        tie = _tie(person, member.organisation, member.user, started_on=datetime.date(2024, 5, 1))
        client = login(member)
        url = reverse("people:tie_end", kwargs={"pk": person.pk, "tie_pk": tie.pk})
        response = client.post(url, {"ended_on": "2024-04-30"})
        assert response.status_code == 422
        assert "ended_on" in response.context["form"].errors
        assert client.post(url, {"ended_on": "2024-06-01"}).status_code == 302
        again = _post_json(client, f"{API}/ties/{tie.pk}/end", {"ended_on": "2024-07-01"})
        assert again.status_code == 422
        assert [e["loc"][-1] for e in again.json()["detail"]] == ["ended_on"]

    def test_html_in_a_name_is_stored_as_typed_and_rendered_escaped(self, login, member, person):
        client = login(member)
        response = client.post(
            reverse("people:tie_add", kwargs={"pk": person.pk}), {**_valid(), "name": HTML}
        )
        assert response.status_code == 302
        page = client.get(reverse("people:network", kwargs={"pk": person.pk})).content.decode()
        assert HTML not in page and "&lt;script&gt;" in page


class TestNetworkSize:
    def test_month_ends(self):
        days = ties.month_ends(today=datetime.date(2025, 3, 15))
        assert len(days) == 12
        assert days[-1] == datetime.date(2025, 3, 15)
        assert days[-2] == datetime.date(2025, 2, 28)
        assert days[0] == datetime.date(2024, 4, 30)

    def test_ending_a_tie_changes_the_series(self, login, member, person):
        start = timezone.localdate() - datetime.timedelta(days=400)
        tie = _tie(person, member.organisation, member.user, started_on=start)
        _tie(person, member.organisation, member.user, name="buurman", quality="neutral", started_on=start)
        client = login(member)
        before = client.get(f"{API}/persons/{person.pk}/network-size").json()
        assert len(before) == 12
        assert before[-1] == {"on": timezone.localdate().isoformat(), "size": 2, "supportive": 1, "risk": 0}
        ended = _post_json(client, f"{API}/ties/{tie.pk}/end", {"ended_on": timezone.localdate().isoformat()})
        assert ended.status_code == 200
        assert ended.json()["ended_on"] == timezone.localdate().isoformat()
        after = client.get(f"{API}/persons/{person.pk}/network-size").json()
        assert after[-1]["size"] == 1 and after[-1]["supportive"] == 0
        # The history stays: earlier months still count the tie.
        assert after[:-1] == before[:-1]
        assert AuditEvent.objects.filter(data="network_tie", action="update", object_id=tie.pk).exists()

    def test_change_through_the_api(self, login, member, person):
        tie = _tie(person, member.organisation, member.user)
        client = login(member)
        data = {**_valid(), "kind": "risk_contact", "quality": "risk", "name": "Pooier"}
        response = _post_json(client, f"{API}/ties/{tie.pk}", data, "PUT")
        assert response.status_code == 200
        assert response.json()["quality"] == "risk"
        tie.refresh_from_db()
        assert tie.name == "Pooier" and tie.kind == "risk_contact"
        event = AuditEvent.objects.get(data="network_tie", action="update", object_id=tie.pk)
        assert "name" in event.detail["fields"]
        assert "Pooier" not in json.dumps(event.detail)


class TestPicture:
    def test_each_tie_is_drawn_with_its_quality(self, login, member, person):
        for quality, name in (("supportive", "Zus"), ("neutral", "Buurman"), ("risk", "Pooier")):
            _tie(person, member.organisation, member.user, quality=quality, name=name)
        ended = _tie(person, member.organisation, member.user, name="Ex", ended_on=datetime.date(2024, 6, 1))
        client = login(member)
        page = client.get(reverse("people:network", kwargs={"pk": person.pk})).content.decode()
        svg = page[page.index("<svg") : page.index("</svg>")]
        for quality, style, name in (
            ("supportive", "solid", "Zus"),
            ("neutral", "dashed", "Buurman"),
            ("risk", "dotted", "Pooier"),
        ):
            group = svg[svg.index(f'data-quality="{quality}"') :]
            group = group[: group.index("</g>")]
            assert name in group and f'data-line="{style}"' in group
        assert ended.name not in svg  # an ended tie is in the list, not in the picture
        assert "Ex" in page

    def test_the_person_page_shows_the_small_map_and_counts(self, login, member, person):
        _tie(person, member.organisation, member.user, name="Zus")
        _tie(person, member.organisation, member.user, name="Pooier", kind="risk_contact", quality="risk")
        page = login(member).get(reverse("people:detail", kwargs={"pk": person.pk})).content.decode()
        assert 'id="network-map"' in page and "<svg" in page
        assert "2 banden" in page and "1 steunend, 1 risico" in page  # Dutch, the default


def test_the_access_log_names_network_map_data():
    from django.utils import translation

    from inbeeld.core import audit

    with translation.override("en"):
        assert str(audit.data_label("network_map")) == "social network map"
        assert str(audit.data_label("network_tie")) == "network tie"
