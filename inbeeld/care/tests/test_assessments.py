"""Self-sufficiency assessments: recording and viewing them, the change since the first score, who
sees whose assessments (rule 2), instruments per network, the person-page chart, and the audit trail.

``member`` is a caseworker of A, ``readonly_member`` an outreach worker of A; ``person`` is A's.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from inbeeld.care.actions import assessments as actions
from inbeeld.care.models import Assessment, Domain, Instrument, Score
from inbeeld.core import access, audit
from inbeeld.core.access import Need
from inbeeld.core.models import AuditEvent
from inbeeld.core.roles import Role
from inbeeld.people.models import DataCategory, Involvement
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1"


def zrm() -> Instrument:
    return Instrument.objects.get(network=None, code="zrm-2017")


def domain_ids(instrument: Instrument | None = None) -> dict[str, int]:
    return {d.code: d.pk for d in (instrument or zrm()).domains.all()}


def record(
    membership: Any,
    person: Any,
    day: datetime.date,
    values: dict[str, int | None],
    *,
    instrument: Instrument | None = None,
    notes: dict[str, str] | None = None,
) -> Assessment:
    """Record through the write function, as the web form, the API and the intake do."""
    instrument = instrument or zrm()
    ids = domain_ids(instrument)
    notes = notes or {}
    scores = {ids[code]: (value, notes.get(code, "")) for code, value in values.items()}
    found = access.person_for(membership, person.pk, Need.EDIT_CARE)
    actor = audit.Actor(user=membership.user, membership=membership)
    return actions.record_assessment(
        found, actor=actor, instrument=instrument, assessed_on=day, scores=scores
    )


def events(**filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**filters).order_by("id"))


def form_data(instrument: Instrument | None = None, **overrides: Any) -> dict[str, Any]:
    instrument = instrument or zrm()
    data: dict[str, Any] = {"instrument": instrument.pk, "assessed_on": timezone.localdate().isoformat()}
    data.update({f"score_{code}": "3" for code in domain_ids(instrument)})
    data.update(overrides)
    return data


def add_url(person: Any) -> str:
    return reverse("care:assessment_add", kwargs={"pk": person.pk})


def person_page(client: Any, person: Any) -> str:
    return client.get(reverse("people:detail", kwargs={"pk": person.pk})).content.decode()


@pytest.fixture
def shared(person, org_b):
    """A's person, also involved with B; B's caseworker records assessments of their own."""
    Involvement.objects.create(person=person, organisation=org_b, started_on=datetime.date(2018, 1, 1))
    return f.MembershipFactory(organisation=org_b, role=Role.CASEWORKER)


# --- recording and viewing on the web -------------------------------------------------------------


def test_the_form_offers_every_domain_with_level_names_in_the_page_language(login, member, person):
    client = login(member)
    response = client.get(add_url(person))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="domain"') == 13
    assert "Financiën" in html and "1 · Acute problematiek" in html
    # Six choices per domain: the five levels and "not assessed" (an empty value, checked by default).
    assert html.count('name="score_financien"') == 6
    assert re.search(r'name="score_financien" value="" [^>]*checked', html)
    assert f'value="{timezone.localdate().isoformat()}"' in html  # the date defaults to today
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(add_url(person)).content.decode()
    assert "Finances" in html and "5 · Fully self-sufficient" in html and "Not assessed" in html


def test_recording_stores_scores_and_notes_and_is_audited(login, member, person):
    client = login(member)
    data = form_data()
    data.update(
        {"score_financien": "1", "score_werk-opleiding": "", "note_werk-opleiding": "Wil eerst wonen."}
    )
    data["note"] = "Eerste gesprek in de huiskamer."
    response = client.post(add_url(person), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", kwargs={"pk": person.pk})
    assessment = Assessment.objects.get(person=person)
    assert assessment.organisation == member.organisation and assessment.assessed_by == member.user
    assert assessment.note == "Eerste gesprek in de huiskamer."
    scores = {s.domain.code: (s.value, s.note) for s in assessment.scores.select_related("domain")}
    assert len(scores) == 13
    assert scores["financien"] == (1, "")
    assert scores["werk-opleiding"] == (None, "Wil eerst wonen.")
    assert scores["justitie"] == (3, "")
    (event,) = events(action=AuditEvent.Action.CREATE, data="assessment")
    assert (event.person_id_snapshot, event.object_id) == (person.pk, str(assessment.pk))
    assert event.basis == AuditEvent.Basis.INVOLVEMENT
    assert event.detail == {"instrument": "zrm-2017", "scored": 12}


def test_notes_are_encrypted_at_rest(member, person):
    from django.db import connection

    assessment = record(
        member, person, datetime.date(2020, 5, 1), {"financien": 2}, notes={"financien": "Schuld"}
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM care_score WHERE assessment_id = %s", [assessment.pk])
        stored = [row[0] for row in cursor.fetchall()]
    assert stored and all("Schuld" not in (text or "") for text in stored)


def test_the_assessment_page_and_the_list(login, member, person):
    first = record(member, person, datetime.date(2019, 3, 1), {"financien": 2, "justitie": None})
    second = record(member, person, datetime.date(2020, 3, 1), {"financien": 4})
    client = login(member)
    detail = client.get(
        reverse("care:assessment_detail", kwargs={"pk": person.pk, "assessment_pk": first.pk})
    )
    assert detail.status_code == 200
    html = detail.content.decode()
    row = re.search(r'data-domain="financien" data-score="2">(.*?)</tr>', html, re.S)
    assert row and "2 · Niet zelfredzaam" in row.group(1)
    assert 'data-domain="justitie" data-score=""' in html
    listing = client.get(reverse("care:assessment_list", kwargs={"pk": person.pk})).content.decode()
    links = re.findall(r"/assessments/(\d+)/", listing)
    assert links == [str(second.pk), str(first.pk)]  # newest first


def test_the_list_is_paginated(login, member, person):
    for day in range(25):
        record(member, person, datetime.date(2019, 1, 1) + datetime.timedelta(days=day), {"financien": 3})
    client = login(member)
    url = reverse("care:assessment_list", kwargs={"pk": person.pk})
    first_page = re.findall(r"/assessments/(\d+)/", client.get(url).content.decode())
    second_page = re.findall(r"/assessments/(\d+)/", client.get(url, {"page": 2}).content.decode())
    assert len(first_page) == 20 and len(second_page) == 5
    oldest = Assessment.objects.order_by("assessed_on").first()
    assert oldest and str(oldest.pk) in second_page and str(oldest.pk) not in first_page
    api_url = f"{API}/persons/{person.pk}/assessments"
    pages = [client.get(api_url, {"page": n}).json() for n in (1, 2)]
    assert [p["count"] for p in pages] == [25, 25]
    ids = [i["id"] for p in pages for i in p["items"]]
    assert len(ids) == len(set(ids)) == 25


def test_pages_do_not_query_per_assessment(login, member, person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(member)
    urls = [
        reverse("care:assessment_list", kwargs={"pk": person.pk}),
        reverse("people:detail", kwargs={"pk": person.pk}),
        f"{API}/persons/{person.pk}/assessments",
        f"{API}/persons/{person.pk}/assessments/summary",
    ]

    def queries() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    for day in range(3):
        record(member, person, datetime.date(2019, 1, 1) + datetime.timedelta(days=day), {"financien": 3})
    few = queries()
    for day in range(3, 30):
        record(member, person, datetime.date(2019, 1, 1) + datetime.timedelta(days=day), {"financien": 2})
    assert queries() == few


# --- the change since the first score ---------------------------------------------------------------


SERIES: list[tuple[datetime.date, dict[str, int | None]]] = [
    (
        datetime.date(2019, 1, 10),
        {"financien": 1, "werk-opleiding": None, "tijdsbesteding": 2, "huisvesting": 3},
    ),
    (
        datetime.date(2020, 1, 10),
        {"financien": 3, "werk-opleiding": 2, "tijdsbesteding": None, "huisvesting": 3},
    ),
    (
        datetime.date(2021, 1, 10),
        {
            "financien": 4,
            "werk-opleiding": 4,
            "tijdsbesteding": 1,
            "huisvesting": None,
            "huiselijke-relaties": 3,
        },
    ),
]
# domain: (first, first_on, latest, change)
EXPECTED = {
    "financien": (1, datetime.date(2019, 1, 10), 4, 3),
    "werk-opleiding": (2, datetime.date(2020, 1, 10), 4, 2),  # not assessed the first time
    "tijdsbesteding": (2, datetime.date(2019, 1, 10), 1, -1),  # relapse; not assessed in between
    "huisvesting": (3, datetime.date(2019, 1, 10), None, None),  # not assessed in the latest
    "huiselijke-relaties": (3, datetime.date(2021, 1, 10), 3, None),  # first scored in the latest
    "justitie": (None, None, None, None),  # never scored
}


@pytest.fixture
def series(member, person):
    # Recorded out of date order: the summary goes by the date assessed, not the moment recorded.
    for day, values in [SERIES[2], SERIES[0], SERIES[1]]:
        record(member, person, day, values)
    return person


def test_change_since_first_on_a_hand_made_series(member, series):
    found = access.person_for(member, series.pk, Need.READ_CARE)
    summary = actions.summary(actions.visibility(found))
    assert summary.count == 3
    assert (summary.first_on, summary.latest_on) == (datetime.date(2019, 1, 10), datetime.date(2021, 1, 10))
    by_code = {d.domain_code: d for d in summary.domains}
    assert [d.domain_code for d in summary.domains][:3] == ["financien", "werk-opleiding", "tijdsbesteding"]
    for code, (first, first_on, latest, change) in EXPECTED.items():
        row = by_code[code]
        assert (row.first, row.first_on, row.latest, row.change) == (first, first_on, latest, change), code
    assert by_code["financien"].direction == "up" and by_code["tijdsbesteding"].direction == "down"
    assert by_code["huisvesting"].direction == ""


def test_the_summary_ignores_assessments_with_another_instrument(member, person, network):
    own = Instrument.objects.create(
        network=network, code="esm", name="ESM", levels=[{"value": v, "label": f"L{v}"} for v in range(1, 6)]
    )
    Domain.objects.create(instrument=own, code="income", name="Income", position=1)
    record(member, person, datetime.date(2019, 1, 1), {"financien": 1})
    record(member, person, datetime.date(2020, 1, 1), {"income": 2}, instrument=own)
    record(member, person, datetime.date(2021, 1, 1), {"financien": 5})
    summary = actions.summary(actions.visibility(access.person_for(member, person.pk, Need.READ_CARE)))
    assert summary.count == 2 and summary.instrument == zrm()
    assert next(d for d in summary.domains if d.domain_code == "financien").change == 4


def test_the_person_page_shows_the_chart_and_the_changes(login, member, series):
    html = person_page(login(member), series)
    assert 'data-spider="assessment-chart-data"' in html and "<canvas" in html
    assert "vendor/chartjs/chart.umd.min.js" in html and "inbeeld/spider.js" in html
    island = re.search(
        r'<script id="assessment-chart-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert island
    chart = json.loads(island.group(1))
    assert chart["labels"][:2] == ["Financiën", "Werk & opleiding"]
    assert (chart["min"], chart["max"]) == (0, 5)
    latest, first = chart["datasets"]
    assert latest["data"][:5] == [4, 4, 1, None, 3]
    assert first["data"][:5] == [1, 2, 2, 3, 3]
    assert chart["levels"]["1"] == "Acute problematiek"
    row = re.search(r'data-domain="financien" data-change="3">(.*?)</tr>', html, re.S)
    assert row and "▲" in row.group(1) and "+3" in row.group(1)
    row = re.search(r'data-domain="tijdsbesteding" data-change="-1">(.*?)</tr>', html, re.S)
    assert row and "▼" in row.group(1) and "-1" in row.group(1)
    row = re.search(r'data-domain="huisvesting" data-change="">(.*?)</tr>', html, re.S)
    assert row and "▲" not in row.group(1) and "▼" not in row.group(1)


def test_the_summary_api_agrees(login, member, series):
    body = login(member).get(f"{API}/persons/{series.pk}/assessments/summary").json()
    assert body["count"] == 3 and body["latest_on"] == "2021-01-10" and body["first_on"] == "2019-01-10"
    by_code = {d["domain_code"]: d for d in body["domains"]}
    for code, (first, first_on, latest, change) in EXPECTED.items():
        row = by_code[code]
        assert (row["first"], row["latest"], row["change"]) == (first, latest, change), code
        assert row["first_on"] == (first_on.isoformat() if first_on else None)


def test_the_section_with_no_assessments_and_for_viewers_without_the_file(
    login, member, readonly_member, person
):
    html = person_page(login(member), person)
    assert 'id="assessments"' in html and "<canvas" not in html
    assert reverse("care:assessment_add", kwargs={"pk": person.pk}) in html
    record(member, person, datetime.date(2020, 1, 1), {"financien": 2})
    html = person_page(login(readonly_member), person)
    assert 'id="assessments"' not in html and "assessment-chart-data" not in html
    assert not events(data="assessments.summary")


def test_one_assessment_has_no_change_and_no_first_dataset(login, member, person):
    record(member, person, datetime.date(2020, 1, 1), {"financien": 2})
    html = person_page(login(member), person)
    island = re.search(r'type="application/json">(.*?)</script>', html, re.S)
    assert island and len(json.loads(island.group(1))["datasets"]) == 1


# --- another organisation's assessments (rule 2) ------------------------------------------------------


def test_another_organisations_assessment_shows_only_with_a_care_plan_consent(
    login, member, person, org_a, shared
):
    theirs = record(shared, person, datetime.date(2020, 6, 1), {"financien": 5})
    client = login(member)
    detail = reverse("care:assessment_detail", kwargs={"pk": person.pk, "assessment_pk": theirs.pk})
    listing = reverse("care:assessment_list", kwargs={"pk": person.pk})
    api_list = f"{API}/persons/{person.pk}/assessments"

    def visible() -> dict[str, Any]:
        return {
            "page": "assessment-chart-data" in person_page(client, person),
            "list": detail in client.get(listing).content.decode(),
            "detail": client.get(detail).status_code,
            "api_list": client.get(api_list).json()["count"],
            "api_detail": client.get(f"{api_list}/{theirs.pk}").status_code,
            "api_summary": client.get(f"{api_list}/summary").json()["latest_id"],
        }

    hidden = {
        "page": False,
        "list": False,
        "detail": 404,
        "api_list": 0,
        "api_detail": 404,
        "api_summary": None,
    }
    assert visible() == hidden
    # A consent for other data does not do.
    f.ConsentFactory(
        person=person,
        recipient=org_a,
        data_categories=[DataCategory.CONTACTS],
        recorded_by_organisation=org_a,
    )
    assert visible() == hidden
    consent = f.ConsentFactory(
        person=person,
        recipient=org_a,
        data_categories=[DataCategory.CARE_PLAN],
        recorded_by_organisation=org_a,
    )
    shown = {
        "page": True,
        "list": True,
        "detail": 200,
        "api_list": 1,
        "api_detail": 200,
        "api_summary": theirs.pk,
    }
    assert visible() == shown
    # Each read that showed B's assessment names the consent it was shown on.
    on_consent = AuditEvent.objects.filter(basis=AuditEvent.Basis.CONSENT).order_by("id")
    assert on_consent.count() == 6
    assert {e.consent_id_snapshot for e in on_consent} == {consent.pk}
    assert {e.data for e in on_consent} == {"assessments.summary", "assessments", "assessment"}
    # Withdrawn, it hides them again.
    consent.withdrawn_at = timezone.now()
    consent.save()
    assert visible() == hidden


def test_the_recording_organisation_always_sees_its_own(login, member, person, shared):
    theirs = record(shared, person, datetime.date(2020, 6, 1), {"financien": 5})
    ours = record(member, person, datetime.date(2019, 6, 1), {"financien": 1})
    items = login(shared).get(f"{API}/persons/{person.pk}/assessments").json()["items"]
    assert [i["id"] for i in items] == [theirs.pk]
    items = login(member).get(f"{API}/persons/{person.pk}/assessments").json()["items"]
    assert [i["id"] for i in items] == [ours.pk]


# --- instruments per network --------------------------------------------------------------------------


@pytest.fixture
def esm(network):
    instrument = Instrument.objects.create(
        network=network,
        code="esm",
        name="Self-Sufficiency Matrix",
        levels=[{"value": v, "label": f"Niveau {v}", "label_en": f"Level {v}"} for v in range(1, 6)],
    )
    Domain.objects.create(instrument=instrument, code="income", name="Inkomen", name_en="Income", position=1)
    Domain.objects.create(instrument=instrument, code="housing", name="Wonen", name_en="Housing", position=2)
    return instrument


@pytest.fixture
def foreign_instrument():
    instrument = Instrument.objects.create(
        network=f.NetworkFactory(), code="other", name="Elders", levels=[{"value": 1, "label": "Een"}]
    )
    Domain.objects.create(instrument=instrument, code="x", name="X", position=1)
    return instrument


def test_a_networks_own_instrument_is_usable(login, member, person, esm):
    client = login(member)
    html = client.get(add_url(person), {"instrument": esm.pk}).content.decode()
    assert "Inkomen" in html and "2 · Niveau 2" in html and "Financiën" not in html
    response = client.post(
        add_url(person), {"instrument": esm.pk, "assessed_on": "2021-02-03", "score_income": "2"}
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(person=person)
    assert assessment.instrument == esm and assessment.scores.count() == 2
    body = {
        "instrument_id": esm.pk,
        "assessed_on": "2021-03-03",
        "scores": [{"domain_id": domain_ids(esm)["housing"], "value": 4}],
    }
    created = client.post(f"{API}/persons/{person.pk}/assessments", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["instrument_code"] == "esm"


def test_another_networks_instrument_is_not(login, member, person, foreign_instrument):
    before = Assessment.objects.count()
    with pytest.raises(ValidationError) as raised:
        record(member, person, datetime.date(2020, 1, 1), {"x": 1}, instrument=foreign_instrument)
    assert "instrument" in raised.value.message_dict
    client = login(member)
    response = client.post(
        add_url(person), {"instrument": foreign_instrument.pk, "assessed_on": "2021-02-03", "score_x": "1"}
    )
    assert response.status_code == 422 and "instrument" in response.context["form"].errors
    body = {
        "instrument_id": foreign_instrument.pk,
        "assessed_on": "2021-03-03",
        "scores": [{"domain_id": domain_ids(foreign_instrument)["x"], "value": 1}],
    }
    response = client.post(f"{API}/persons/{person.pk}/assessments", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "instrument_id"]
    assert Assessment.objects.count() == before


def test_an_inactive_instrument_is_not_offered_nor_usable(member, person, esm):
    esm.is_active = False
    esm.save()
    assert esm not in actions.instruments_for(person.network)
    with pytest.raises(ValidationError):
        record(member, person, datetime.date(2020, 1, 1), {"income": 1}, instrument=esm)


def test_levels_the_database_cannot_store_are_refused_not_a_server_error(login, member, person, network):
    # An instrument added in the admin with a level 0 (the database stores 1 to 9): that level is not offered.
    odd = Instrument.objects.create(
        network=network, code="odd", name="Odd", levels=[{"value": v, "label": f"L{v}"} for v in range(0, 3)]
    )
    domain = Domain.objects.create(instrument=odd, code="only", name="Only", position=1)
    client = login(member)
    html = client.get(add_url(person), {"instrument": odd.pk}).content.decode()
    assert 'name="score_only" value="0"' not in html and 'name="score_only" value="2"' in html
    body = {
        "instrument_id": odd.pk,
        "assessed_on": "2021-01-01",
        "scores": [{"domain_id": domain.pk, "value": 0}],
    }
    response = client.post(f"{API}/persons/{person.pk}/assessments", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "score_only"]
    body["scores"] = [{"domain_id": domain.pk, "value": 2}]
    response = client.post(f"{API}/persons/{person.pk}/assessments", body, content_type="application/json")
    assert response.status_code == 201


def test_the_instrument_list(login, member, esm, foreign_instrument):
    client = login(member)
    items = client.get(f"{API}/instruments").json()["items"]
    codes = {i["code"] for i in items}
    assert codes == {"zrm-2017", "esm"}
    by_code = {i["code"]: i for i in items}
    assert by_code["esm"]["network_specific"] and not by_code["zrm-2017"]["network_specific"]
    assert [d["name"] for d in by_code["zrm-2017"]["domains"]][:2] == ["Financiën", "Werk & opleiding"]
    assert by_code["zrm-2017"]["levels"][0] == {"value": 1, "label": "Acute problematiek"}
    english = client.get(f"{API}/instruments", HTTP_ACCEPT_LANGUAGE="en").json()["items"]
    zrm_en = next(i for i in english if i["code"] == "zrm-2017")
    assert (
        zrm_en["levels"][4]["label"] == "Fully self-sufficient" and zrm_en["domains"][0]["name"] == "Finances"
    )
    assert not events()  # no person data, nothing to audit


# --- the write function as the intake calls it -----------------------------------------------------------


def test_the_write_function_refuses_without_edit_care(readonly_member, member, person):
    found = access.person_for(readonly_member, person.pk, Need.READ_CORE)
    with pytest.raises(PermissionDenied):
        actions.record_assessment(
            found,
            actor=audit.Actor(user=readonly_member.user, membership=readonly_member),
            instrument=zrm(),
            assessed_on=datetime.date(2020, 1, 1),
            scores={domain_ids()["financien"]: (3, "")},
        )
    assert not Assessment.objects.exists()


def test_the_write_function_returns_the_assessment_with_all_domains(member, person):
    assessment = record(member, person, datetime.date(2020, 1, 1), {"financien": 3})
    assert isinstance(assessment, Assessment)
    assert Score.objects.filter(assessment=assessment).count() == 13
    assert Score.objects.filter(assessment=assessment, value__isnull=False).count() == 1


# --- the audit trail --------------------------------------------------------------------------------------


def test_every_read_is_audited(login, member, person):
    assessment = record(member, person, datetime.date(2020, 1, 1), {"financien": 3})
    client = login(member)
    pk = person.pk
    reads = [
        (reverse("care:assessment_list", kwargs={"pk": pk}), "assessments"),
        (reverse("care:assessment_detail", kwargs={"pk": pk, "assessment_pk": assessment.pk}), "assessment"),
        (add_url(person), "assessment.form"),
        (reverse("people:detail", kwargs={"pk": pk}), "assessments.summary"),
        (f"{API}/persons/{pk}/assessments", "assessments"),
        (f"{API}/persons/{pk}/assessments/{assessment.pk}", "assessment"),
        (f"{API}/persons/{pk}/assessments/summary", "assessments.summary"),
    ]
    for url, data in reads:
        before = AuditEvent.objects.count()
        assert client.get(url).status_code == 200, url
        new = AuditEvent.objects.filter(data=data).order_by("-id").first()
        assert AuditEvent.objects.count() > before and new is not None, url
        assert (new.action, new.person_id_snapshot, new.basis) == ("read", pk, "involvement"), url
        assert new.user_id_snapshot == member.user.pk


def test_the_api_write_is_audited_and_answers_the_assessment(login, member, person):
    ids = domain_ids()
    body = {
        "assessed_on": "2021-05-05",
        "note": "Via de API",
        "scores": [
            {"domain_id": ids["financien"], "value": 2, "note": "Schulden"},
            {"domain_id": ids["justitie"], "value": None},
        ],
    }
    response = login(member).post(
        f"{API}/persons/{person.pk}/assessments", body, content_type="application/json"
    )
    assert response.status_code == 201
    out = response.json()
    assert out["instrument_code"] == "zrm-2017" and out["scored"] == 1 and len(out["scores"]) == 13
    assert out["scores"][0] == {
        "domain_id": ids["financien"],
        "domain_code": "financien",
        "domain": "Financiën",
        "value": 2,
        "level": "Niet zelfredzaam",
        "note": "Schulden",
    }
    (event,) = events(action="create", data="assessment")
    assert event.object_id == str(out["id"]) and event.source == "api"


def test_the_chart_scripts_are_static_files_without_a_missing_source_map():
    # The manifest storage of production refuses a sourceMappingURL to a file that is not shipped.
    from pathlib import Path

    from django.contrib.staticfiles import finders

    for name in ("vendor/chartjs/chart.umd.min.js", "inbeeld/spider.js", "vendor/chartjs/LICENSE.md"):
        found = finders.find(name)
        assert found, name
        assert "sourceMappingURL" not in Path(str(found)).read_text(encoding="utf-8"), name
