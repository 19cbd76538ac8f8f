"""The figures dashboard, its CSV and PDF, and the API: what an analyst gets, and what never reaches her.

The data set is small on purpose: three persons on the street zone and twelve exited, so the street-zone
cells are small (suppressed) and the exited ones are not.
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.conf import settings

from inbeeld.core.models import AuditEvent, Membership
from inbeeld.core.roles import Role
from inbeeld.people.models import Involvement, Person, Status, StatusChange
from inbeeld.reports.indicators import ALL
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year
PICKED: dict[str, str | int] = {
    "first_year": YEAR - 1,
    "last_year": YEAR,
    "granularity": "year",
    "organisation": "network",
}


def _person(membership: Membership, status: str, since: datetime.date) -> Person:
    person = f.PersonFactory(network=membership.organisation.network, status=status, status_since=since)
    Person.objects.filter(pk=person.pk).update(
        registered_at=datetime.datetime.combine(since, datetime.time(12), tzinfo=datetime.UTC)
    )
    StatusChange.objects.filter(person=person).delete()
    StatusChange.objects.create(person=person, from_status="", to_status=status, effective_on=since)
    Involvement.objects.create(
        person=person, organisation=membership.organisation, started_on=since, reason="test"
    )
    return person


@pytest.fixture
def analyst() -> Membership:
    membership = f.MembershipFactory(role=Role.ANALYST)
    since = datetime.date(YEAR - 1, 1, 10)
    for _ in range(3):
        _person(membership, Status.STREET_ZONE, since)
    for _ in range(12):
        _person(membership, Status.EXITED, since)
    return membership


def _csv_rows(body: bytes, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def test_the_dashboard_shows_every_indicator_and_audits_the_view(login: Any, analyst: Membership) -> None:
    response = login(analyst).get("/reports/", PICKED)
    assert response.status_code == 200
    html = response.content.decode()
    for indicator in ALL:
        assert f'data-indicator="{indicator.code}"' in html, indicator.code
    event = AuditEvent.objects.get(data="reports.dashboard")
    assert event.basis == AuditEvent.Basis.REPORTS
    assert event.person_id_snapshot is None
    assert event.user_id_snapshot == analyst.user_id


def test_small_cells_are_marked_x_and_larger_ones_shown(login: Any, analyst: Membership) -> None:
    response = login(analyst).get("/reports/", PICKED)
    tables = {t.code: t for t in response.context["tables"]}
    in_view = tables["in_view"]
    keys = [c.key for c in in_view.columns]
    row = in_view.rows[-1]
    assert row.values[keys.index("street_zone")] is None
    assert row.values[keys.index("exited")] == 12 or row.values[keys.index("exited")] is None
    assert 3 not in row.values
    assert 'data-column="street_zone">x<' in response.content.decode()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"last_year": YEAR - 3, "first_year": YEAR}, "last_year"),
        ({"first_year": YEAR - 12}, "first_year"),
        ({"granularity": "week"}, "granularity"),
        ({"organisation": "999999"}, "organisation"),
    ],
)
def test_bad_pickers_are_refused_naming_the_field(
    login: Any, analyst: Membership, change: dict, field: str
) -> None:
    response = login(analyst).get("/reports/", {**PICKED, **change})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not AuditEvent.objects.filter(data="reports.dashboard").exists()


def test_the_csv_is_excel_friendly_in_dutch_and_english(login: Any, analyst: Membership) -> None:
    dutch = login(analyst).get("/reports/figures.csv", PICKED)
    assert dutch.status_code == 200
    assert dutch["Content-Type"].startswith("text/csv")
    assert dutch.content.startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(dutch.content, ";")
    assert len(rows[0]) == 9
    client = login(analyst)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/reports/figures.csv", PICKED)
    assert len(_csv_rows(english.content, ",")[0]) == 9
    assert AuditEvent.objects.filter(data="reports.csv", action=AuditEvent.Action.EXPORT).count() == 2


def test_the_csv_never_holds_a_small_number(login: Any, analyst: Membership) -> None:
    response = login(analyst).get("/reports/figures.csv", {**PICKED, "granularity": "month"})
    rows = _csv_rows(response.content, ";")[1:]
    assert {"1", "2", "3", "4"}.isdisjoint(row[7] for row in rows)
    january = {r[5]: r for r in rows if r[0] == "in_view" and r[3] == f"{YEAR}-01"}
    # A suppressed figure: no value, and a status other than that of a shown one.
    assert january["street_zone"][7] == ""
    assert january["deceased"][7] == "0"
    assert january["street_zone"][8] != january["deceased"][8]


def test_the_pdf_is_a_pdf_and_its_export_is_audited(login: Any, analyst: Membership) -> None:
    response = login(analyst).get("/reports/report.pdf", PICKED)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"].endswith('.pdf"')
    assert AuditEvent.objects.filter(data="reports.pdf", action=AuditEvent.Action.EXPORT).exists()


def test_the_api_gives_the_same_protected_figures(login: Any, analyst: Membership) -> None:
    client = login(analyst)
    listed = client.get("/api/v1/reports/indicators").json()
    assert [i["code"] for i in listed] == [i.code for i in ALL]
    figures = client.get("/api/v1/reports/indicators/in_view", {"granularity": "year"}).json()
    last = figures["rows"][-1]["values"]
    assert last["street_zone"] is None
    assert figures["threshold"] == 5
    assert 3 not in last.values()


def test_the_api_names_a_bad_picker_and_hides_unknown_indicators(login: Any, analyst: Membership) -> None:
    client = login(analyst)
    response = client.get("/api/v1/reports/indicators/in_view", {"granularity": "week"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "granularity"]
    assert client.get("/api/v1/reports/indicators/nationality").status_code == 404
