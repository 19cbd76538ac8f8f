"""Bad input on every care-plan form and endpoint: a clear error naming the field, nothing stored, no 500.

Web forms answer 422 with the form again and the error next to the field (``goals-0-target_date``);
the API answers 422 with the field in the error's ``loc``. Cases: target dates before the plan, empty
goals, 10,000-character texts, control characters, unknown ids and ids of another network, wrong
types, impossible transitions, and injection strings (valid text: stored as typed, shown escaped).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.care.actions.plans import PlanDraft
from inbeeld.care.models import CarePlan, Domain, Evaluation, Goal, Instrument, PlanAction, PlanVersion
from inbeeld.care.tests.grid_plans import draft_as_form, in_days, plan_draft, save_as
from inbeeld.core.models import AuditEvent
from inbeeld.core.roles import Role
from inbeeld.testing import factories as f
from inbeeld.testing.bad_input import HTML, LONG, MISSING

pytestmark = pytest.mark.django_db

API = "/api/v1"
SQL = "'); DROP TABLE care_goal; --"
YESTERDAY, TODAY = in_days(-1).isoformat(), in_days(0).isoformat()
PAST, FAR = "1850-01-01", "2200-01-01"


class World:
    def __init__(self, member: Any, person: Any) -> None:
        self.member, self.person = member, person
        save_as(member, person, plan_draft("Een eigen kamer"))
        foreign = f.MembershipFactory(role=Role.CASEWORKER)  # a caseworker of another network
        self.foreign_user, self.foreign_org = foreign.user, foreign.organisation
        theirs = Instrument.objects.create(
            network=foreign.organisation.network, code="x", name="X", levels=[]
        )
        self.foreign_domain = Domain.objects.create(instrument=theirs, code="d", name="D", position=1)

    def current(self) -> PlanDraft:
        return PlanDraft.of(CarePlan.objects.get(person=self.person).current_version())


@pytest.fixture
def world(member, person) -> World:
    return World(member, person)


def fingerprint() -> tuple[Any, ...]:
    """Everything a write could touch, the audit trail included."""
    return (
        list(CarePlan.objects.values_list("pk", "current_number")),
        PlanVersion.objects.count(),
        list(Goal.objects.order_by("pk").values_list("pk", "status", "target_date")),
        PlanAction.objects.count(),
        Evaluation.objects.count(),
        AuditEvent.objects.count(),
    )


# --- the web forms ----------------------------------------------------------------------------------


def _edit_valid(w: World) -> dict[str, str]:
    return draft_as_form(w.current(), 1)


def _evaluation_valid(w: World) -> dict[str, str]:
    return {
        "evaluated_on": TODAY,
        "went_well": "",
        "changed": "",
        "next_evaluation_date": in_days(50).isoformat(),
    }


G, A = "goals-0", "goals-0-actions-0"
Value = Any | Callable[[World], Any]

# (form, field that must carry the error, value, extra changes to make the case)
EDIT_BAD: list[tuple[str, Value, dict[str, Any]]] = [
    ("based_on", MISSING, {}),
    ("based_on", "nieuwste", {}),
    ("based_on", "-1", {}),
    ("evaluation_date", MISSING, {}),
    ("evaluation_date", TODAY, {}),
    ("evaluation_date", YESTERDAY, {}),
    ("evaluation_date", FAR, {}),
    ("evaluation_date", "morgen", {}),
    ("agreed_on", in_days(2).isoformat(), {"agreed_how": "signed"}),
    ("agreed_on", PAST, {"agreed_how": "signed"}),
    ("agreed_on", "", {"agreed_how": "verbal"}),
    ("agreed_how", "telepathie", {}),
    ("agreed_how", "not_yet", {"agreed_on": TODAY}),
    ("own_words", LONG, {}),
    ("own_words", "rust\x1b[2J", {}),
    ("own_words", "rust\x00", {}),
    (f"{G}-description", "", {}),
    (f"{G}-description", "   ", {}),
    (f"{G}-description", LONG, {}),
    (f"{G}-description", "kamer\x1b", {}),
    (f"{G}-target_date", YESTERDAY, {}),
    (f"{G}-target_date", FAR, {}),
    (f"{G}-target_date", "31-31-2030", {}),
    (f"{G}-status", "klaar", {}),
    (f"{G}-status", "", {}),
    (f"{G}-domain", "987654321", {}),
    (f"{G}-domain", "huisvesting", {}),
    (f"{G}-domain", lambda w: w.foreign_domain.pk, {}),
    (f"{G}-number", "999", {}),
    (f"{G}-number", "-1", {}),
    (f"{A}-what", "", {}),
    (f"{A}-what", LONG, {}),
    (f"{A}-what", "bellen\x00", {}),
    (f"{A}-who", "buurman", {}),
    (f"{A}-worker", "", {f"{A}-who": "worker"}),
    (f"{A}-worker", lambda w: w.foreign_user.pk, {f"{A}-who": "worker"}),
    (f"{A}-worker", "iemand", {f"{A}-who": "worker"}),
    (f"{A}-worker", lambda w: w.member.user_id, {f"{A}-who": "person"}),
    (f"{A}-organisation", lambda w: w.foreign_org.pk, {f"{A}-who": "organisation"}),
    (f"{A}-organisation", "", {f"{A}-who": "organisation"}),
    (f"{A}-who_name", "", {f"{A}-who": "network_member"}),
    (f"{A}-who_name", LONG, {f"{A}-who": "network_member"}),
    (f"{A}-who_name", "Zus\x1b", {f"{A}-who": "network_member"}),
    (f"{A}-due_date", YESTERDAY, {}),
    (f"{A}-due_date", FAR, {}),
    (f"{A}-due_date", "gisteren", {}),
    (f"{A}-status", "klaar", {}),
    (f"{A}-number", "999", {}),
    # A form without goals, or with its goal removed: a plan needs at least one.
    ("goals", MISSING, {"goals-TOTAL_FORMS": MISSING}),
    ("goals", "on", {f"{G}-DELETE": "on"}),
    ("goals", "31", {"goals-TOTAL_FORMS": "31"}),
    ("goals-0-actions", "21", {f"{G}-actions-TOTAL_FORMS": "21"}),
]

EVALUATION_BAD: list[tuple[str, Value, dict[str, Any]]] = [
    ("evaluated_on", MISSING, {}),
    ("evaluated_on", in_days(1).isoformat(), {}),
    ("evaluated_on", PAST, {}),
    ("evaluated_on", YESTERDAY, {}),  # the plan was made today
    ("evaluated_on", "vandaag", {}),
    ("went_well", LONG, {}),
    ("went_well", "goed\x00", {}),
    ("changed", LONG, {}),
    ("changed", "\x1b[31m", {}),
    ("next_evaluation_date", MISSING, {}),
    ("next_evaluation_date", TODAY, {}),
    ("next_evaluation_date", YESTERDAY, {}),
    ("next_evaluation_date", FAR, {}),
    ("next_evaluation_date", "later", {}),
]


def _apply(data: dict[str, Any], w: World, changes: dict[str, Any]) -> dict[str, Any]:
    for key, value in changes.items():
        value = value(w) if callable(value) else value
        if value is MISSING:
            data.pop(key, None)
        else:
            data[key] = str(value)
    return data


def _web_cases() -> list[Any]:
    cases = [pytest.param("plan_edit", k, v, c, id=f"edit-{k}-{str(v)[:12]!r}") for k, v, c in EDIT_BAD]
    cases += [
        pytest.param("plan_evaluate", k, v, c, id=f"evaluate-{k}-{str(v)[:12]!r}")
        for k, v, c in EVALUATION_BAD
    ]
    return cases


@pytest.mark.parametrize(("route", "field", "value", "changes"), _web_cases())
def test_bad_input_on_the_web_is_refused_next_to_the_field(login, world, route, field, value, changes):
    valid = _edit_valid(world) if route == "plan_edit" else _evaluation_valid(world)
    data = _apply(
        _apply(valid, world, changes),
        world,
        {field: value} if field not in ("goals", "goals-0-actions") else {},
    )
    client = login(world.member)
    before = fingerprint()
    response = client.post(reverse(f"care:{route}", kwargs={"pk": world.person.pk}), data)
    assert response.status_code == 422, (route, field)
    if route == "plan_edit":
        keys = response.context["editor"].error_keys()
        assert field in keys, keys
        if not field.endswith("number") and field != "based_on":
            assert (
                f'id="id_{field}_error"' in response.content.decode()
                or f'id="{field}_error"' in response.content.decode()
            )
    else:
        assert field in response.context["form"].errors
        assert f'id="id_{field}_error"' in response.content.decode()
    assert fingerprint() == before


@pytest.mark.parametrize("route", ["plan_edit", "plan_evaluate"])
def test_the_valid_baseline_of_each_form_is_accepted(login, world, route):
    data = _edit_valid(world) if route == "plan_edit" else _evaluation_valid(world)
    response = login(world.member).post(reverse(f"care:{route}", kwargs={"pk": world.person.pk}), data)
    assert response.status_code == 302


def test_an_empty_post_names_the_required_fields(login, world):
    response = login(world.member).post(reverse("care:plan_edit", kwargs={"pk": world.person.pk}), {})
    assert response.status_code == 422
    keys = response.context["editor"].error_keys()
    assert {"based_on", "evaluation_date", "goals"} <= keys


def test_errors_are_translated(login, world):
    url = reverse("care:plan_evaluate", kwargs={"pk": world.person.pk})
    client = login(world.member)
    data = {**_evaluation_valid(world), "went_well": "a\x1bb"}
    assert "Bevat tekens die niet zijn toegestaan." in client.post(url, data).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Contains characters that are not allowed." in client.post(url, data).content.decode()


@pytest.mark.parametrize("text", [SQL, HTML])
def test_injection_strings_are_stored_as_typed_and_shown_escaped(login, world, text):
    client = login(world.member)
    data = _edit_valid(world)
    data.update({"own_words": text, f"{G}-description": text, f"{A}-what": text})
    assert client.post(reverse("care:plan_edit", kwargs={"pk": world.person.pk}), data).status_code == 302
    current = world.current()
    assert (current.own_words, current.goals[0].description, current.goals[0].actions[0].what) == (text,) * 3
    for name in ("plan", "plan_edit"):
        html = client.get(reverse(f"care:{name}", kwargs={"pk": world.person.pk})).content.decode()
        assert text not in html
    html = client.get(reverse("people:detail", kwargs={"pk": world.person.pk})).content.decode()
    assert "<script>alert(1)" not in html


def test_absurd_numbers_in_the_url_are_not_found(login, world):
    client = login(world.member)
    assert (
        client.get(reverse("care:plan_version", kwargs={"pk": world.person.pk, "number": 10**20})).status_code
        == 404
    )
    assert client.get(reverse("care:plan", kwargs={"pk": 10**20})).status_code == 404
    assert client.get(f"/care/persons/{world.person.pk}/plan/versions/abc/").status_code == 404


# --- the API ------------------------------------------------------------------------------------------


def _put_valid(w: World) -> dict[str, Any]:
    goal = w.current().goals[0]
    action = goal.actions[0]
    return {
        "based_on": 1,
        "own_words": "Rust",
        "evaluation_date": in_days(60).isoformat(),
        "agreed_on": None,
        "agreed_how": "not_yet",
        "goals": [
            {
                "number": goal.number,
                "description": goal.description,
                "target_date": goal.target_date.isoformat() if goal.target_date else None,
                "status": "open",
                "actions": [
                    {"number": action.number, "what": action.what, "who": "person", "status": "open"}
                ],
            }
        ],
    }


def _evaluation_body(w: World) -> dict[str, Any]:
    return _evaluation_valid(w)


def _set(body: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """Set ``goals-0-actions-0-what`` style keys inside the nested body (MISSING removes)."""
    *path, last = key.replace("-", " ").split()
    node: Any = body
    for part in path:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is MISSING:
        node.pop(last, None)
    else:
        node[last] = value
    return body


A_ = "goals-0-actions-0"
PUT_BAD: list[tuple[str, Value, dict[str, Any]]] = [
    ("based_on", MISSING, {}),
    ("based_on", -1, {}),
    ("based_on", "abc", {}),
    ("based_on", 1.5, {}),
    ("based_on", 99, {}),
    ("own_words", LONG, {}),
    ("own_words", "a\x00b", {}),
    ("own_words", "a\u202eb", {}),
    ("own_words", 12, {}),
    ("own_words", ["x"], {}),
    ("evaluation_date", MISSING, {}),
    ("evaluation_date", None, {}),
    ("evaluation_date", TODAY, {}),
    ("evaluation_date", PAST, {}),
    ("evaluation_date", FAR, {}),
    ("evaluation_date", "31-12-2030", {}),
    ("evaluation_date", "2030-02-30", {}),
    ("agreed_on", in_days(3).isoformat(), {"agreed_how": "signed"}),
    ("agreed_on", PAST, {"agreed_how": "signed"}),
    ("agreed_on", None, {"agreed_how": "verbal"}),
    ("agreed_how", "telepathy", {}),
    ("agreed_how", "", {}),
    ("agreed_how", 5, {}),
    ("goals", [], {}),
    ("goals", MISSING, {}),
    ("goals", "kamer", {}),
    ("goals", [{"description": f"{n}"} for n in range(31)], {}),
    ("goals-0-description", "", {}),
    ("goals-0-description", LONG, {}),
    ("goals-0-description", "a\x1bb", {}),
    ("goals-0-description", 12, {}),
    ("goals-0-description", MISSING, {}),
    ("goals-0-target_date", YESTERDAY, {}),
    ("goals-0-target_date", FAR, {}),
    ("goals-0-target_date", "morgen", {}),
    ("goals-0-status", "finished", {}),
    ("goals-0-status", 5, {}),
    ("goals-0-domain_id", 987_654_321, {}),
    ("goals-0-domain_id", 10**30, {}),
    ("goals-0-domain_id", -1, {}),
    ("goals-0-domain_id", "1 OR 1=1", {}),
    ("goals-0-domain_id", lambda w: w.foreign_domain.pk, {}),
    ("goals-0-number", 999, {}),
    ("goals-0-number", 0, {}),
    ("goals-0-number", "een", {}),
    ("goals-0-actions", [{"what": str(n)} for n in range(21)], {}),
    (f"{A_}-what", "", {}),
    (f"{A_}-what", LONG, {}),
    (f"{A_}-what", "a\x00", {}),
    (f"{A_}-who", "alien", {}),
    (f"{A_}-who", MISSING, {}),
    (f"{A_}-worker_id", None, {f"{A_}-who": "worker"}),
    (f"{A_}-worker_id", 987_654_321, {f"{A_}-who": "worker"}),
    (f"{A_}-worker_id", 10**30, {f"{A_}-who": "worker"}),
    (f"{A_}-worker_id", lambda w: w.foreign_user.pk, {f"{A_}-who": "worker"}),
    (f"{A_}-worker_id", lambda w: w.member.user_id, {}),  # who is the person
    (f"{A_}-organisation_id", lambda w: w.foreign_org.pk, {f"{A_}-who": "organisation"}),
    (f"{A_}-organisation_id", -5, {f"{A_}-who": "organisation"}),
    (f"{A_}-who_name", "", {f"{A_}-who": "network_member"}),
    (f"{A_}-who_name", "x" * 81, {f"{A_}-who": "network_member"}),
    (f"{A_}-who_name", "Zus\x00", {f"{A_}-who": "network_member"}),
    (f"{A_}-due_date", YESTERDAY, {}),
    (f"{A_}-due_date", FAR, {}),
    (f"{A_}-status", "finished", {}),
    (f"{A_}-number", 999, {}),
    ("bogus", 1, {}),
    ("goals-0-bogus", 1, {}),
    (f"{A_}-bogus", 1, {}),
    ("network_id", 1, {}),
]

EVALUATION_API_BAD: list[tuple[str, Value, dict[str, Any]]] = [
    ("evaluated_on", MISSING, {}),
    ("evaluated_on", in_days(1).isoformat(), {}),
    ("evaluated_on", PAST, {}),
    ("evaluated_on", YESTERDAY, {}),
    ("evaluated_on", "2019-02-30", {}),
    ("went_well", LONG, {}),
    ("went_well", "a\x00", {}),
    ("went_well", 12, {}),
    ("changed", LONG, {}),
    ("changed", {"x": 1}, {}),
    ("next_evaluation_date", MISSING, {}),
    ("next_evaluation_date", TODAY, {}),
    ("next_evaluation_date", FAR, {}),
    ("next_evaluation_date", "later", {}),
    ("bogus", 1, {}),
]


def _names(detail: list[dict[str, Any]], key: str) -> bool:
    """The error's ``loc`` names the field: ``goals-0-what`` (the rules) or goals, 0, what (the types)."""
    parts = key.split("-")
    for error in detail:
        loc = [str(part) for part in error["loc"]]
        if key in loc or loc[-len(parts) :] == parts:
            return True
    return False


def _api_cases() -> list[Any]:
    cases = [pytest.param("put", k, v, c, id=f"put-{k}-{str(v)[:12]!r}") for k, v, c in PUT_BAD]
    cases += [
        pytest.param("post", k, v, c, id=f"evaluation-{k}-{str(v)[:12]!r}") for k, v, c in EVALUATION_API_BAD
    ]
    return cases


def _api_url(w: World, method: str) -> str:
    return f"{API}/persons/{w.person.pk}/care-plan" + ("" if method == "put" else "/evaluations")


@pytest.mark.parametrize(("method", "field", "value", "changes"), _api_cases())
def test_bad_api_input_is_422_naming_the_field(login, world, method, field, value, changes):
    body = _put_valid(world) if method == "put" else _evaluation_body(world)
    for key, change in {**changes, field: value}.items():
        _set(body, key, change(world) if callable(change) else change)
    before = fingerprint()
    response = getattr(login(world.member), method)(
        _api_url(world, method), json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422, response.content[:400]
    detail = response.json()["detail"]
    assert _names(detail, field), detail
    assert all(error["msg"] for error in detail)
    assert fingerprint() == before


@pytest.mark.parametrize("method", ["put", "post"])
def test_the_valid_api_bodies_are_accepted(login, world, method):
    body = _put_valid(world) if method == "put" else _evaluation_body(world)
    response = getattr(login(world.member), method)(
        _api_url(world, method), json.dumps(body), content_type="application/json"
    )
    assert response.status_code in (200, 201), response.json()


@pytest.mark.parametrize("method", ["put", "post"])
@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", 422), ("[1, 2]", 422), ('"text"', 422), ("{not json", 400), ("null", 422), ("\x00", 400)],
    ids=["empty", "array", "string", "malformed", "null", "nul-byte"],
)
def test_a_body_that_is_not_an_object_is_refused(login, world, method, raw, expected):
    before = fingerprint()
    response = getattr(login(world.member), method)(
        _api_url(world, method), raw, content_type="application/json"
    )
    assert response.status_code == expected
    assert fingerprint() == before


@pytest.mark.parametrize("bad_id", ["abc", "1.5", "1e3", "%20", "0x10"])
@pytest.mark.parametrize("suffix", ["", "/versions", "/versions/1", "/evaluations"])
def test_non_integer_ids_in_the_path_are_422(login, world, bad_id, suffix):
    before = fingerprint()
    response = login(world.member).get(f"{API}/persons/{bad_id}/care-plan{suffix}")
    assert response.status_code == 422
    assert _names(response.json()["detail"], "person_id")
    assert fingerprint() == before


@pytest.mark.parametrize("number", ["abc", "-1", "0", str(10**30), "1.5"])
def test_bad_version_numbers_never_500(login, world, number):
    response = login(world.member).get(f"{API}/persons/{world.person.pk}/care-plan/versions/{number}")
    assert response.status_code in (404, 422)


@pytest.mark.parametrize("suffix", ["/versions", "/evaluations"])
@pytest.mark.parametrize("page", ["0", "-1", "abc", str(10**30), "1.5"])
def test_bad_pages_are_422(login, world, suffix, page):
    before = AuditEvent.objects.count()
    response = login(world.member).get(f"{API}/persons/{world.person.pk}/care-plan{suffix}", {"page": page})
    assert response.status_code == 422
    assert _names(response.json()["detail"], "page")
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("text", [SQL, HTML, "Zoë ‘Z’ Ünal-O’Brien", "名前"])
def test_injection_strings_round_trip_through_the_api(login, world, text):
    client = login(world.member)
    body = _put_valid(world)
    body["own_words"] = text
    body["goals"][0]["description"] = text
    body["goals"][0]["actions"][0]["what"] = text
    response = client.put(_api_url(world, "put"), json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.json()
    read = client.get(_api_url(world, "put")).json()["current"]
    assert (read["own_words"], read["goals"][0]["description"], read["goals"][0]["actions"][0]["what"]) == (
        text,
    ) * 3
    assert Goal.objects.count() == 2  # one per version: the table is still there with what was expected


def test_nothing_is_stored_when_a_later_goal_is_bad(login, world):
    """All or nothing: a good first goal is not saved when the second one is refused."""
    body = _put_valid(world)
    body["goals"].append({"description": "Tweede", "target_date": YESTERDAY})
    before = fingerprint()
    response = login(world.member).put(
        _api_url(world, "put"), json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    assert _names(response.json()["detail"], "goals-1-target_date")
    assert fingerprint() == before
    assert timezone.localdate() > in_days(-1)
