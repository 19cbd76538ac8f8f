"""Two people editing the same care plan: the second save gets a clear conflict, never an overwrite.

Both start from the same version. The first save becomes the next version; the second is refused with
what changed in between (in words, and as data in the API's 409), keeps the second editor's input on
the page, and writes nothing. Saving again after reading the changes is a deliberate choice.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inbeeld.care.actions.plans import GoalDraft, PlanConflict, PlanDraft, record_evaluation
from inbeeld.care.models import CarePlan, Evaluation, Goal, PlanAction, PlanVersion
from inbeeld.care.tests.grid_plans import draft_as_form, in_days, plan_draft, save_as
from inbeeld.core import access
from inbeeld.core.audit import Actor
from inbeeld.core.models import AuditEvent
from inbeeld.core.roles import Role
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def colleague(org_a):
    return f.MembershipFactory(organisation=org_a, role=Role.CASEWORKER)


@pytest.fixture
def plan(member, person) -> CarePlan:
    save_as(member, person, plan_draft("Een eigen kamer", "Schulden op een rij"))
    return CarePlan.objects.get(person=person)


def _client(membership: Any) -> Client:
    if not membership.user.authenticator_set.exists():
        f.with_totp(membership.user)
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session["inbeeld_membership_id"] = membership.pk
    session.save()
    client.cookies["django_language"] = "en"  # the assertions below read the English page
    return client


def _stored() -> tuple[Any, ...]:
    """Everything a save could write (the audit trail is checked separately)."""
    return (
        list(CarePlan.objects.values_list("pk", "current_number")),
        PlanVersion.objects.count(),
        list(Goal.objects.order_by("pk").values_list("pk", "status")),
        PlanAction.objects.count(),
        Evaluation.objects.count(),
    )


def _first_editor_changes(draft: PlanDraft) -> PlanDraft:
    draft.goals[0].status = "achieved"
    draft.goals.pop(1)
    draft.goals.append(GoalDraft(description="Werk vinden"))
    draft.evaluation_date = in_days(40)
    return draft


def test_the_second_web_save_is_a_409_showing_what_changed(member, colleague, person, plan):
    url = reverse("care:plan_edit", kwargs={"pk": person.pk})
    first, second = _client(colleague), _client(member)
    assert first.get(url).status_code == 200
    assert second.get(url).status_code == 200
    start = PlanDraft.of(plan.current_version())
    assert (
        first.post(
            url, draft_as_form(_first_editor_changes(PlanDraft.of(plan.current_version())), 1)
        ).status_code
        == 302
    )
    mine = start
    mine.goals[1].description = "Schulden op een rij, met de bewindvoerder"
    before = _stored()
    reads = AuditEvent.objects.count()
    response = second.post(url, draft_as_form(mine, 1))
    assert response.status_code == 409
    html = response.content.decode()
    assert "version 2" in html
    for words in ("Goal 1, status", "Goal 2 removed", "Goal 3 added", "Werk vinden", "Evaluation date"):
        assert words in html, words
    # The second editor's input is kept, and saving again is based on the version stored now.
    assert "Schulden op een rij, met de bewindvoerder" in html
    assert 'name="based_on" value="2"' in html
    assert _stored() == before
    new_events = list(AuditEvent.objects.order_by("id")[reads:])
    assert [(e.action, e.data) for e in new_events] == [(AuditEvent.Action.READ, "care_plan.conflict")]
    # A deliberate second save after reading the changes: a new version; the first editor's stays readable.
    again = second.post(url, {**draft_as_form(mine, 2)})
    assert again.status_code == 302
    plan.refresh_from_db()
    assert plan.current_number == 3
    assert [g.description for g in plan.versions.get(number=2).goals.all()] == [
        "Een eigen kamer",
        "Werk vinden",
    ]


def test_the_second_api_save_is_a_409_with_the_changes(member, colleague, person, plan):
    url = f"{API}/persons/{person.pk}/care-plan"
    read = _client(member).get(url).json()
    goals = [{"number": g["number"], "description": g["description"]} for g in read["current"]["goals"]]
    body = {"based_on": read["current_number"], "evaluation_date": in_days(60).isoformat(), "goals": goals}
    first = _client(colleague).put(
        url,
        json.dumps({**body, "goals": [{**goals[0], "status": "achieved"}, goals[1]]}),
        content_type="application/json",
    )
    assert first.status_code == 200, first.json()
    before = _stored()
    second = _client(member).put(
        url, json.dumps({**body, "own_words": "Anders"}), content_type="application/json"
    )
    assert second.status_code == 409
    answer = second.json()
    assert answer["detail"] and answer["based_on"] == 1 and answer["current_number"] == 2
    status_change = next(c for c in answer["changes"] if c["field"] == "status")
    assert status_change == {
        "kind": "changed",
        "field": "status",
        "goal": 1,
        "action": None,
        "before": "open",
        "after": "achieved",
        "text": status_change["text"],
    }
    assert "1" in status_change["text"]
    assert {c["field"] for c in answer["changes"]} >= {"status", "evaluation_date", "own_words"}
    assert _stored() == before


def test_conflict_words_for_every_kind_of_change(member, person, plan):
    draft = PlanDraft.of(plan.current_version())
    draft.own_words = "Iets anders"
    draft.agreed_on, draft.agreed_how = timezone.localdate(), "signed"
    draft.goals[0].actions[0].status = "done"
    draft.goals[0].actions[0].what = "Andere stap"
    draft.goals[1].actions = []
    draft.goals[0].actions.append(plan_draft("x").goals[0].actions[0])
    save_as(member, person, draft)
    with pytest.raises(PlanConflict) as conflict:
        save_as(member, person, plan_draft("Mijn versie"), based_on=1)
    texts = [c.text for c in conflict.value.changes]
    fields = {(c.kind, c.field, c.goal, c.action) for c in conflict.value.changes}
    assert {
        ("changed", "own_words", None, None),
        ("changed", "agreed_on", None, None),
        ("changed", "agreed_how", None, None),
        ("changed", "status", 1, 1),
        ("changed", "what", 1, 1),
        ("added", "action", 1, 2),
        ("removed", "action", 2, 1),
    } <= fields, fields
    assert any("“Andere stap”" in t for t in texts)
    assert str(conflict.value).startswith(("Someone else saved version 2", "Iemand anders"))


def test_two_people_making_the_first_plan_at_once(member, colleague, person):
    save_as(member, person, plan_draft("Eerste plan"))
    with pytest.raises(PlanConflict) as conflict:
        save_as(colleague, person, plan_draft("Ook een eerste plan"), based_on=0)
    assert [(c.kind, c.field, c.goal) for c in conflict.value.changes if c.field == "goal"] == [
        ("added", "goal", 1)
    ]
    assert CarePlan.objects.get(person=person).current_number == 1


def test_an_evaluation_in_between_is_a_conflict_too(member, colleague, person, plan):
    found = access.person_access(colleague, person)
    assert found is not None
    record_evaluation(
        found,
        actor=Actor(user=colleague.user, membership=colleague),
        evaluated_on=timezone.localdate(),
        went_well="",
        changed="",
        next_evaluation_date=in_days(20),
    )
    with pytest.raises(PlanConflict) as conflict:
        save_as(member, person, PlanDraft.of(plan.current_version()), based_on=1)
    assert [c.field for c in conflict.value.changes] == ["evaluation_date"]


def test_a_version_that_never_existed_is_bad_input_not_a_conflict(login, member, person, plan):
    url = reverse("care:plan_edit", kwargs={"pk": person.pk})
    response = login(member).post(url, draft_as_form(PlanDraft.of(plan.current_version()), 7))
    assert response.status_code == 422
    assert "based_on" in response.context["editor"].error_keys()
    assert CarePlan.objects.get(pk=plan.pk).current_number == 1
