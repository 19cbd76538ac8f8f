"""Transfer of lead through the API: the same rules as the web pages, errors naming the field."""

from __future__ import annotations

import json
from typing import Any

import pytest

from inbeeld.chain.transfers.models import LeadTransfer
from inbeeld.chain.transfers.tests.helpers import NOTE, events, propose
from inbeeld.core.roles import Role
from inbeeld.testing import factories as f

API = "/api/v1"
State = LeadTransfer.State
pytestmark = pytest.mark.django_db


def post_json(client: Any, url: str, body: object) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def named(response: Any) -> list[str]:
    assert response.status_code == 422, response.content
    return [item["loc"][-1] for item in response.json()["detail"]]


def test_lifecycle_through_the_api(login, member, outsider, org_a, org_b, person):
    client = login(member)
    created = post_json(
        client,
        f"{API}/persons/{person.pk}/lead-transfers",
        {"to_organisation": org_b.pk, "handover_note": NOTE},
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["state"], body["direction"], body["handover_note"]) == (State.PROPOSED, "outgoing", NOTE)
    transfer_id = body["id"]

    client = login(outsider)
    inbox = client.get(f"{API}/lead-transfers", {"direction": "incoming"})
    assert [(t["id"], t["handover_note"]) for t in inbox.json()] == [(transfer_id, NOTE)]
    assert client.get(f"{API}/lead-transfers", {"direction": "outgoing"}).json() == []
    assert events(person, "lead_transfer.api", organisation_id_snapshot=org_b.pk)
    assert client.get(f"{API}/lead-transfers/{transfer_id}").status_code == 200
    accepted = post_json(
        client, f"{API}/lead-transfers/{transfer_id}/accept", {"to_key_worker": outsider.user.pk}
    )
    assert accepted.status_code == 200
    assert (accepted.json()["state"], accepted.json()["to_key_worker_id"]) == (
        State.ACCEPTED,
        outsider.user.pk,
    )
    person.refresh_from_db()
    assert (person.lead_organisation, person.key_worker) == (org_b, outsider.user)


def test_api_refusals_name_the_field(login, member, outsider, org_a, org_b, person):
    client = login(member)
    url = f"{API}/persons/{person.pk}/lead-transfers"
    assert named(post_json(client, url, {"to_organisation": org_a.pk, "handover_note": NOTE})) == [
        "to_organisation"
    ]
    elsewhere = f.OrganisationFactory()
    assert named(post_json(client, url, {"to_organisation": elsewhere.pk, "handover_note": NOTE})) == [
        "to_organisation"
    ]
    assert named(post_json(client, url, {"to_organisation": org_b.pk, "handover_note": " "})) == [
        "handover_note"
    ]
    assert not LeadTransfer.objects.exists()

    transfer = propose(member, person, org_b)
    accept = f"{API}/lead-transfers/{transfer.pk}/accept"
    assert post_json(client, accept, {"to_key_worker": member.user.pk}).status_code == 403  # the sender
    client = login(outsider)
    assert named(post_json(client, accept, {"to_key_worker": member.user.pk})) == ["to_key_worker"]
    decline = f"{API}/lead-transfers/{transfer.pk}/decline"
    assert named(post_json(client, decline, {"reason": ""})) == ["reason"]
    assert post_json(client, f"{API}/lead-transfers/{transfer.pk}/withdraw", {}).status_code == 403
    assert post_json(client, decline, {"reason": "Geen capaciteit (testreden)."}).status_code == 200
    assert named(post_json(client, accept, {"to_key_worker": outsider.user.pk})) == ["state"]
    assert named(post_json(login(member), f"{API}/lead-transfers/{transfer.pk}/withdraw", {})) == ["state"]
    person.refresh_from_db()
    assert person.lead_organisation == org_a


def test_api_withdraw_and_who_sees_what(login, member, outsider, org_b, person, network):
    transfer = propose(member, person, org_b)
    coordinator = f.MembershipFactory(
        organisation=f.OrganisationFactory(network=network, kind="municipality"), role=Role.COORDINATOR
    )
    listed = login(coordinator).get(f"{API}/lead-transfers").json()
    assert [(t["id"], t["direction"], t["handover_note"]) for t in listed] == [(transfer.pk, "network", None)]
    third = login(f.MembershipFactory(organisation=f.OrganisationFactory(network=network)))
    assert third.get(f"{API}/lead-transfers").json() == []
    assert third.get(f"{API}/lead-transfers", {"direction": "sideways"}).status_code == 422
    assert third.get(f"{API}/lead-transfers/{transfer.pk}").status_code == 404
    proposal = {"to_organisation": org_b.pk, "handover_note": NOTE}
    assert (
        post_json(login(outsider), f"{API}/persons/{person.pk}/lead-transfers", proposal).status_code == 404
    )
    withdrawn = post_json(login(member), f"{API}/lead-transfers/{transfer.pk}/withdraw", {})
    assert (withdrawn.status_code, withdrawn.json()["state"]) == (200, State.WITHDRAWN)
