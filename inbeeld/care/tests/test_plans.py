"""The care plan op maat: pages, versions, goal and action status, evaluations, the person-page section,
consent between organisations, the API, and the audit events of each read and write.

``member`` is a caseworker of A (the file), ``readonly_member`` an outreach worker of A (radar core),
``outsider`` a caseworker of B, which is not involved with ``person`` until a test involves it.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import replace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from inbeeld.care.actions.plans import ActionDraft, GoalDraft, PlanDraft, record_evaluation
from inbeeld.care.models import CarePlan, Domain, Evaluation, Goal, PlanAction, PlanVersion
from inbeeld.care.tests.grid_plans import draft_as_form, form_data, in_days, plan_draft, save_as
from inbeeld.core import access, audit
from inbeeld.core.audit import Actor
from inbeeld.core.models import AuditEvent
from inbeeld.core.roles import Role
from inbeeld.people.models import DataCategory, Involvement
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _url(name: str, person: Any, **kwargs: Any) -> str:
    return reverse(f"care:{name}", kwargs={"pk": person.pk, **kwargs})


def _events(**filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**filters).order_by("id"))


def _main(response: Any) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _current(person: Any) -> PlanDraft:
    plan = CarePlan.objects.get(person=person)
    return PlanDraft.of(plan.current_version())


def _evaluate(member: Any, person: Any, **kwargs: Any) -> Evaluation:
    found = access.person_access(member, person)
    assert found is not None
    values = {
        "evaluated_on": timezone.localdate(),
        "went_well": "Rustiger",
        "changed": "Nieuwe kamer",
        "next_evaluation_date": in_days(100),
        **kwargs,
    }
    return record_evaluation(found, actor=Actor(user=member.user, membership=member), **values)


# --- making and editing a plan on the web ---------------------------------------------------------


def test_a_person_without_a_plan_offers_to_make_one(login, member, person):
    response = login(member).get(_url("plan", person))
    assert response.status_code == 200
    assert "Er is nog geen zorgplan." in _main(response) or "There is no care plan yet." in _main(response)
    assert _url("plan_edit", person) in _main(response)
    assert _events(data="care_plan")[-1].action == AuditEvent.Action.READ


def test_make_a_plan_with_two_goals_on_the_web(login, member, person, org_b):
    client = login(member)
    assert client.get(_url("plan_edit", person)).status_code == 200
    domain = Domain.objects.get(code="huisvesting")
    data = form_data(
        0,
        [
            {
                "description": "Een eigen kamer",
                "domain": domain.pk,
                "target_date": in_days(90),
                "actions": [
                    {"what": "Inschrijven bij de woningcorporatie", "who": "person", "due_date": in_days(14)},
                    {"what": "Brief schrijven", "who": "worker", "worker": member.user.pk},
                ],
            },
            {
                "description": "Schulden op een rij",
                "actions": [{"what": "Intake schuldhulp", "who": "organisation", "organisation": org_b.pk}],
            },
        ],
        agreed_on=timezone.localdate(),
        agreed_how="verbal",
    )
    response = client.post(_url("plan_edit", person), data)
    assert response.status_code == 302, response.context["editor"].error_keys()
    assert response["Location"] == _url("plan", person)
    plan = CarePlan.objects.get(person=person)
    assert (plan.current_number, plan.organisation_id, plan.created_by_id) == (
        1,
        member.organisation_id,
        member.user_id,
    )
    version = plan.versions.get(number=1)
    assert version.agreed_how == "verbal" and version.saved_by_id == member.user_id
    goals = list(version.goals.all())
    assert [(g.position, g.description, g.domain_id) for g in goals] == [
        (1, "Een eigen kamer", domain.pk),
        (2, "Schulden op een rij", None),
    ]
    assert [(a.position, a.who, a.worker_id) for a in goals[0].actions.all()] == [
        (1, "person", None),
        (2, "worker", member.user_id),
    ]
    assert goals[1].actions.get().organisation_id == org_b.pk
    created = _events(data="care_plan", action=AuditEvent.Action.CREATE)
    assert len(created) == 1 and created[0].detail["version"] == 1
    page = _main(client.get(_url("plan", person)))
    for text in ("Een eigen kamer", "Schulden op een rij", "Inschrijven bij de woningcorporatie", org_b.name):
        assert text in page


def test_every_save_is_a_new_version_and_earlier_versions_stay_as_they_were(login, member, person):
    first = save_as(member, person, plan_draft("Eerste doel"))
    client = login(member)
    draft = _current(person)
    draft.goals[0] = replace(draft.goals[0], description="Eerste doel, anders gezegd")
    draft.goals.append(GoalDraft(description="Tweede doel"))
    assert client.post(_url("plan_edit", person), draft_as_form(draft, 1)).status_code == 302
    # Saving the same content again is still a new version (for instance, to renew the agreement).
    assert client.post(_url("plan_edit", person), draft_as_form(_current(person), 2)).status_code == 302
    plan = CarePlan.objects.get(person=person)
    assert plan.current_number == 3
    assert list(plan.versions.order_by("number").values_list("number", flat=True)) == [1, 2, 3]
    first.refresh_from_db()
    assert [g.description for g in first.goals.all()] == ["Eerste doel"]
    assert Goal.objects.filter(version__plan=plan).count() == 1 + 2 + 2
    old = client.get(_url("plan_version", person, number=1))
    assert old.status_code == 200
    html = _main(old)
    assert "Eerste doel" in html and "Tweede doel" not in html
    changed = _main(client.get(_url("plan_version", person, number=2)))
    assert "Tweede doel" in changed and "anders gezegd" in changed
    assert client.get(_url("plan_version", person, number=4)).status_code == 404
    assert _events(data="care_plan.version")[-1].detail["version"] == 4 - 2


def test_goal_numbers_are_stable_and_never_reused(member, person):
    save_as(member, person, plan_draft("Een", "Twee"))
    draft = _current(person)
    draft.goals = [draft.goals[1], GoalDraft(description="Drie")]  # goal 1 removed, a new one added
    save_as(member, person, draft)
    numbers = [(g.number, g.description) for g in _current(person).goals]
    assert numbers == [(2, "Twee"), (3, "Drie")]
    draft = _current(person)
    draft.goals[0].actions.append(ActionDraft(what="Nog een stap"))
    draft.goals[0].actions.pop(0)
    save_as(member, person, draft)
    assert [a.number for a in _current(person).goals[0].actions] == [2]


def test_adding_rows_shows_the_form_again_and_saves_nothing(login, member, person):
    client = login(member)
    data = form_data(0, [{"description": "Een doel", "actions": []}])
    response = client.post(_url("plan_edit", person), {**data, "add_goal": "1"})
    assert response.status_code == 200
    editor = response.context["editor"]
    assert len(editor.goals.forms) == 2 and not editor.error_keys()
    assert 'name="goals-1-description"' in response.content.decode()
    response = client.post(_url("plan_edit", person), {**data, "add_action": "0"})
    assert 'name="goals-0-actions-0-what"' in response.content.decode()
    # Nonsense in the row buttons changes nothing either.
    assert client.post(_url("plan_edit", person), {**data, "add_action": "x"}).status_code == 200
    assert not CarePlan.objects.exists()


def test_a_removed_row_is_not_saved(login, member, person):
    save_as(member, person, plan_draft("Blijft", "Gaat weg"))
    data = draft_as_form(_current(person), 1)
    data["goals-1-DELETE"] = "on"
    data["goals-1-description"] = ""  # a deleted row is not checked
    assert login(member).post(_url("plan_edit", person), data).status_code == 302
    assert [g.description for g in _current(person).goals] == ["Blijft"]


# --- goal and action status ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "allowed"),
    [
        ("open", "achieved", True),
        ("open", "partly", True),
        ("open", "not_achieved", True),
        ("open", "dropped", True),
        ("achieved", "open", True),
        ("dropped", "open", True),
        ("achieved", "achieved", True),
        ("achieved", "dropped", False),
        ("partly", "achieved", False),
        ("not_achieved", "partly", False),
        ("dropped", "achieved", False),
    ],
)
def test_goal_status_transitions(member, person, before, after, allowed):
    draft = plan_draft("Doel")
    draft.goals[0].status = before
    save_as(member, person, draft)
    changed = _current(person)
    changed.goals[0].status = after
    if allowed:
        save_as(member, person, changed)
        assert _current(person).goals[0].status == after
    else:
        with pytest.raises(ValidationError) as refused:
            save_as(member, person, changed)
        assert "goals-0-status" in refused.value.message_dict
        assert CarePlan.objects.get(person=person).current_number == 1


@pytest.mark.parametrize(
    ("before", "after", "allowed"),
    [
        ("open", "done", True),
        ("open", "cancelled", True),
        ("done", "open", True),
        ("cancelled", "open", True),
        ("done", "cancelled", False),
        ("cancelled", "done", False),
    ],
)
def test_action_status_transitions(member, person, before, after, allowed):
    draft = plan_draft("Doel")
    draft.goals[0].actions[0].status = before
    save_as(member, person, draft)
    changed = _current(person)
    changed.goals[0].actions[0].status = after
    if allowed:
        save_as(member, person, changed)
        assert _current(person).goals[0].actions[0].status == after
    else:
        with pytest.raises(ValidationError) as refused:
            save_as(member, person, changed)
        assert "goals-0-actions-0-status" in refused.value.message_dict


def test_a_refused_transition_on_the_web_is_422_next_to_the_status(login, member, person):
    draft = plan_draft("Doel")
    draft.goals[0].status = "achieved"
    save_as(member, person, draft)
    data = draft_as_form(_current(person), 1)
    data["goals-0-status"] = "dropped"
    response = login(member).post(_url("plan_edit", person), data)
    assert response.status_code == 422
    assert "goals-0-status" in response.context["editor"].error_keys()
    assert 'id="id_goals-0-status_error"' in response.content.decode()
    assert CarePlan.objects.get(person=person).current_number == 1


def test_unchanged_dates_from_the_past_may_stay(member, person):
    """A plan made months ago keeps its old dates; only dates set in a save must lie ahead."""
    save_as(member, person, plan_draft("Doel"))
    goal = Goal.objects.get()
    Goal.objects.filter(pk=goal.pk).update(target_date=in_days(-30))
    PlanVersion.objects.update(evaluation_date=in_days(-1))
    draft = _current(person)
    draft.goals[0].status = "achieved"
    save_as(member, person, draft)
    current = _current(person)
    assert current.goals[0].target_date == in_days(-30) and current.evaluation_date == in_days(-1)


# --- evaluations ------------------------------------------------------------------------------------


def test_an_evaluation_sets_the_next_evaluation_date_as_a_new_version(login, member, person):
    save_as(member, person, plan_draft("Doel"))
    client = login(member)
    assert client.get(_url("plan_evaluate", person)).status_code == 200
    data = {
        "evaluated_on": timezone.localdate().isoformat(),
        "went_well": "Elke week langs geweest",
        "changed": "Woont nu in de opvang",
        "next_evaluation_date": in_days(45).isoformat(),
    }
    assert client.post(_url("plan_evaluate", person), data).status_code == 302
    plan = CarePlan.objects.get(person=person)
    evaluation = Evaluation.objects.get()
    assert (evaluation.version.number, plan.current_number) == (1, 2)
    current = plan.versions.get(number=2)
    assert (current.evaluation_date, current.change_summary) == (in_days(45), "evaluation")
    assert [g.description for g in current.goals.all()] == ["Doel"]
    event = _events(data="care_plan.evaluation", action=AuditEvent.Action.CREATE)[0]
    assert event.detail == {"version": 1, "new_version": 2}
    page = _main(client.get(_url("plan", person)))
    assert "Elke week langs geweest" in page and "Woont nu in de opvang" in page


def test_an_evaluation_keeping_the_date_makes_no_new_version(member, person):
    save_as(member, person, plan_draft("Doel", evaluation_in_days=30))
    _evaluate(member, person, next_evaluation_date=in_days(30))
    assert CarePlan.objects.get(person=person).current_number == 1


def test_an_evaluation_needs_a_plan(login, member, person):
    assert login(member).get(_url("plan_evaluate", person)).status_code == 404
    with pytest.raises(ValidationError):
        _evaluate(member, person)
    assert not Evaluation.objects.exists()


# --- the section on the person page ------------------------------------------------------------------


def test_the_person_page_shows_goals_statuses_and_an_overdue_evaluation(login, member, person):
    draft = plan_draft("Een eigen kamer", "Werk vinden")
    draft.goals[1].status = "achieved"
    save_as(member, person, draft)
    PlanVersion.objects.update(evaluation_date=in_days(-3))
    response = login(member).get(reverse("people:detail", kwargs={"pk": person.pk}))
    html = _main(response)
    section = html[html.index('id="care-plan"') :]
    assert "Een eigen kamer" in section and "Werk vinden" in section
    assert str(Goal.Status.ACHIEVED.label) in section or "Behaald" in section
    assert "overdue" in section or "verlopen" in section.lower() or "te laat" in section
    assert _url("plan", person) in section and _url("plan_pdf", person) in section
    assert _events(data="care_plan.section")


def test_the_section_is_absent_for_those_without_the_file(login, member, readonly_member, person):
    save_as(member, person, plan_draft("Geheim doel"))
    response = login(readonly_member).get(reverse("people:detail", kwargs={"pk": person.pk}))
    assert response.status_code == 200
    assert "Geheim doel" not in response.content.decode()
    assert 'id="care-plan"' not in response.content.decode()
    assert not _events(data="care_plan.section")


def test_the_section_offers_to_make_a_plan(login, member, person):
    html = _main(login(member).get(reverse("people:detail", kwargs={"pk": person.pk})))
    section = html[html.index('id="care-plan"') :]
    assert _url("plan_edit", person) in section


# --- another organisation ----------------------------------------------------------------------------


@pytest.fixture
def b_involved(person, org_b, member):
    Involvement.objects.create(person=person, organisation=org_b, started_on=datetime.date(2018, 1, 1))
    return org_b


def test_another_organisation_sees_the_plan_only_with_consent(login, member, outsider, person, b_involved):
    save_as(member, person, plan_draft("Alleen met toestemming"))
    client = login(outsider)
    page = client.get(_url("plan", person))
    assert page.status_code == 200 and "Alleen met toestemming" not in page.content.decode()
    assert client.get(_url("plan_version", person, number=1)).status_code == 404
    assert client.get(_url("plan_pdf", person)).status_code == 404
    assert client.get(f"{API}/persons/{person.pk}/care-plan").status_code == 404
    consent = f.ConsentFactory(
        person=person,
        recipient=b_involved,
        recorded_by=member.user,
        recorded_by_organisation=member.organisation,
        data_categories=[DataCategory.CARE_PLAN],
    )
    page = client.get(_url("plan", person))
    assert "Alleen met toestemming" in page.content.decode()
    event = _events(data="care_plan")[-1]
    assert (event.basis, event.consent_id_snapshot) == (AuditEvent.Basis.CONSENT, consent.pk)
    body = client.get(f"{API}/persons/{person.pk}/care-plan").json()
    assert (
        body["may_edit"] is False and body["current"]["goals"][0]["description"] == "Alleen met toestemming"
    )
    assert client.get(_url("plan_version", person, number=1)).status_code == 200


def test_only_the_organisation_that_made_the_plan_changes_it(login, member, outsider, person, b_involved):
    save_as(member, person, plan_draft("Van A"))
    f.ConsentFactory(
        person=person,
        recipient=b_involved,
        recorded_by=member.user,
        recorded_by_organisation=member.organisation,
        data_categories=[DataCategory.CARE_PLAN],
    )
    client = login(outsider)
    assert client.get(_url("plan_edit", person)).status_code == 403
    data = draft_as_form(_current(person), 1)
    assert client.post(_url("plan_edit", person), data).status_code == 403
    assert client.post(_url("plan_evaluate", person), {}).status_code == 403
    with pytest.raises(PermissionDenied):
        save_as(outsider, person, _current(person))
    assert CarePlan.objects.get(person=person).current_number == 1


# --- the API ------------------------------------------------------------------------------------------


def _put(client: Any, person: Any, body: dict[str, Any]) -> Any:
    return client.put(
        f"{API}/persons/{person.pk}/care-plan", json.dumps(body), content_type="application/json"
    )


def _body(based_on: int, *goals: dict[str, Any], **plan: Any) -> dict[str, Any]:
    return {
        "based_on": based_on,
        "own_words": "Rust",
        "evaluation_date": in_days(60).isoformat(),
        "goals": list(goals) or [{"description": "Een doel"}],
        **plan,
    }


def test_api_make_read_and_change_a_plan(login, member, person, org_a):
    client = login(member)
    assert client.get(f"{API}/persons/{person.pk}/care-plan").status_code == 404
    goal = {
        "description": "Een eigen kamer",
        "target_date": in_days(30).isoformat(),
        "actions": [
            {"what": "Bellen", "who": "organisation", "organisation_id": org_a.pk},
            {"what": "Vragen", "who": "network_member", "who_name": "Zus"},
        ],
    }
    created = _put(client, person, _body(0, goal))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["current_number"] == 1 and body["may_edit"] is True
    assert [a["who_text"] for a in body["current"]["goals"][0]["actions"]] == [org_a.name, "Zus"]
    goals = body["current"]["goals"]
    goals[0]["status"] = "achieved"
    goals.append({"description": "Werk"})
    kept = [{k: g[k] for k in ("number", "description", "status", "target_date") if k in g} for g in goals]
    changed = _put(client, person, _body(1, *kept))
    assert changed.status_code == 200, changed.json()
    assert [(g["number"], g["status"]) for g in changed.json()["current"]["goals"]] == [
        (1, "achieved"),
        (2, "open"),
    ]
    versions = client.get(f"{API}/persons/{person.pk}/care-plan/versions").json()
    assert versions["count"] == 2 and [v["number"] for v in versions["items"]] == [2, 1]
    first = client.get(f"{API}/persons/{person.pk}/care-plan/versions/1").json()
    assert [g["status"] for g in first["goals"]] == ["open"] and len(first["goals"][0]["actions"]) == 2
    assert client.get(f"{API}/persons/{person.pk}/care-plan/versions/9").status_code == 404


def test_api_evaluations(login, member, person):
    client = login(member)
    url = f"{API}/persons/{person.pk}/care-plan/evaluations"
    evaluation = {
        "evaluated_on": timezone.localdate().isoformat(),
        "next_evaluation_date": in_days(80).isoformat(),
    }
    assert client.post(url, json.dumps(evaluation), content_type="application/json").status_code == 404
    save_as(member, person, plan_draft("Doel"))
    response = client.post(
        url, json.dumps({**evaluation, "went_well": "Goed"}), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["went_well"] == "Goed" and response.json()["version_number"] == 1
    listed = client.get(url).json()
    assert listed["count"] == 1 and listed["items"][0]["next_evaluation_date"] == in_days(80).isoformat()
    plan = client.get(f"{API}/persons/{person.pk}/care-plan").json()
    assert plan["current_number"] == 2 and plan["current"]["evaluation_date"] == in_days(80).isoformat()


def test_api_lists_are_paginated(login, member, person, settings):
    settings.API_PAGE_SIZE = 2
    save_as(member, person, plan_draft("Doel"))
    for _ in range(3):
        save_as(member, person, _current(person))
    client = login(member)
    page = client.get(f"{API}/persons/{person.pk}/care-plan/versions", {"page": 2}).json()
    assert page["count"] == 4 and [v["number"] for v in page["items"]] == [2, 1]


# --- audit ----------------------------------------------------------------------------------------


def test_every_read_and_write_is_audited(login, member, person):
    client = login(member)
    save_as(member, person, plan_draft("Doel"))
    steps = [
        ("get", _url("plan", person), "care_plan"),
        ("get", _url("plan_edit", person), "care_plan.edit"),
        ("get", _url("plan_version", person, number=1), "care_plan.version"),
        ("get", _url("plan_evaluate", person), "care_plan.evaluation_form"),
        ("get", f"{API}/persons/{person.pk}/care-plan", "care_plan.api"),
        ("get", f"{API}/persons/{person.pk}/care-plan/versions", "care_plan.versions"),
        ("get", f"{API}/persons/{person.pk}/care-plan/versions/1", "care_plan.version"),
        ("get", f"{API}/persons/{person.pk}/care-plan/evaluations", "care_plan.evaluations"),
    ]
    for method, url, data in steps:
        before = AuditEvent.objects.count()
        assert getattr(client, method)(url).status_code == 200, url
        events = list(AuditEvent.objects.order_by("id")[before:])
        assert [(e.action, e.data, e.person_id_snapshot) for e in events] == [
            (AuditEvent.Action.READ, data, person.pk)
        ], url
        assert events[0].basis == AuditEvent.Basis.INVOLVEMENT
    before = AuditEvent.objects.count()
    assert _put(client, person, _body(1)).status_code == 200
    assert [(e.action, e.data) for e in AuditEvent.objects.order_by("id")[before:]] == [
        (AuditEvent.Action.UPDATE, "care_plan")
    ]
    before = AuditEvent.objects.count()
    _evaluate(member, person)
    assert [(e.action, e.data) for e in AuditEvent.objects.order_by("id")[before:]] == [
        (AuditEvent.Action.CREATE, "care_plan.evaluation")
    ]
    # The access log names each kind of care-plan data in words.
    labels = {data: audit.data_label(data) for _, _, data in steps}
    assert all(label != data for data, label in labels.items()), labels


def test_a_worker_named_in_an_action_must_belong_to_the_network(member, person):
    stranger = f.MembershipFactory(role=Role.CASEWORKER)  # another network
    draft = plan_draft("Doel")
    draft.goals[0].actions = [ActionDraft(what="Helpen", who="worker", worker_id=stranger.user_id)]
    with pytest.raises(ValidationError) as refused:
        save_as(member, person, draft)
    assert "goals-0-actions-0-worker_id" in refused.value.message_dict
    assert not PlanAction.objects.exists() and not CarePlan.objects.exists()


def test_an_added_action_row_left_empty_is_ignored(network):
    from inbeeld.care.forms_plans import ActionForm, Choices

    choices = Choices(network)
    untouched = ActionForm(
        {"who": "worker", "status": "open"},
        choices=choices,
        empty_permitted=True,
        use_required_attribute=False,
    )
    assert untouched.is_valid() and not untouched.has_changed()
    written = ActionForm(
        {"who": "worker", "status": "open", "what": "Bellen"},
        choices=choices,
        empty_permitted=True,
        use_required_attribute=False,
    )
    assert written.has_changed()
