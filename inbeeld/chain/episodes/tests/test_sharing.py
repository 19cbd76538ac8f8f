"""Rule 2 for episodes: another organisation's episodes only with the person's consent for episodes.

B (the clinic) is involved with the person as well. B's caseworker sees exactly B's own episodes, and A's
only with a valid consent for episodes to B: on the episodes page, the person-page section, the timeline
and the API alike. Each consent used is in the audit trail; a shared episode stays read only.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.chain.episodes.tests.conftest import API, make_episode
from inbeeld.core.access import Need, person_for
from inbeeld.core.models import AuditEvent
from inbeeld.people import timeline
from inbeeld.people.models import DataCategory
from inbeeld.testing import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def episodes(person, member, clinic_worker):  # type: ignore[no-untyped-def]
    """A's episode (recorded by the foundation from information received) and B's own clinic admission."""
    ours = make_episode(
        person,
        member.organisation,
        member.user,
        kind="detention",
        place="PI Test",
        source="information_received",
    )
    theirs = make_episode(person, clinic_worker.organisation, clinic_worker.user, place="Kliniek B")
    return ours, theirs


def consent(person, member, recipient, **kwargs):  # type: ignore[no-untyped-def]
    values = {"data_categories": [DataCategory.EPISODES]}
    values.update(kwargs)
    return f.ConsentFactory(
        person=person,
        recipient=recipient,
        recorded_by=member.user,
        recorded_by_organisation=member.organisation,
        **values,
    )


def seen_by(client, person, clinic_worker) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """Which episodes (by place) B's caseworker sees where."""
    page = client.get(reverse("chain:episodes", kwargs={"pk": person.pk}))
    assert page.status_code == 200
    rows = {e.place for e, _may in page.context["rows"]}
    api = client.get(f"{API}/persons/{person.pk}/episodes")
    assert api.status_code == 200
    from_api = {item["place"] for item in api.json()["items"]}
    entries, _more = timeline.page(person_for(clinic_worker, person.pk, Need.READ_FILE), 1)
    in_timeline = {
        p for p in ("PI Test", "Kliniek B") for e in entries if e.kind == "episode" and p in e.title
    }
    detail = client.get(reverse("people:detail", kwargs={"pk": person.pk})).content.decode()
    section = {
        "detention" if 'data-kind="detention"' in detail else "",
        "clinic" if 'data-kind="clinic"' in detail else "",
    }
    return {"page": rows, "api": from_api, "timeline": in_timeline, "section": section - {""}}


ONLY_THEIRS = {"page": {"Kliniek B"}, "api": {"Kliniek B"}, "timeline": {"Kliniek B"}, "section": {"clinic"}}
BOTH = {
    "page": {"Kliniek B", "PI Test"},
    "api": {"Kliniek B", "PI Test"},
    "timeline": {"Kliniek B", "PI Test"},
    "section": {"clinic", "detention"},
}


def test_without_consent_only_their_own(login, person, clinic_worker, episodes):
    assert seen_by(login(clinic_worker), person, clinic_worker) == ONLY_THEIRS


def test_with_a_valid_consent_both_and_each_use_is_audited(login, member, person, clinic_worker, episodes):
    given = consent(person, member, clinic_worker.organisation)
    client = login(clinic_worker)
    assert seen_by(client, person, clinic_worker) == BOTH
    used = AuditEvent.objects.filter(consent_id_snapshot=given.pk, action="read")
    assert {"episodes", "episodes.section"} <= set(used.values_list("data", flat=True))
    assert used.filter(basis=AuditEvent.Basis.CONSENT).exists()
    # Shared is read only: the row offers no change, the form is refused.
    page = client.get(reverse("chain:episodes", kwargs={"pk": person.pk}))
    assert [may for e, may in page.context["rows"] if e.place == "PI Test"] == [False]
    ours = episodes[0]
    edit = reverse("chain:episode_edit", kwargs={"pk": person.pk, "episode_pk": ours.pk})
    assert client.get(edit).status_code == 403


@pytest.mark.parametrize(
    "kind",
    ["expired", "withdrawn", "other_category", "other_recipient", "not_yet"],
)
def test_a_consent_that_does_not_cover_it_shows_nothing_more(
    login, member, person, clinic_worker, episodes, kind
):
    if kind == "expired":
        consent(
            person, member, clinic_worker.organisation, valid_from=TODAY() - 60 * DAY, valid_to=TODAY() - DAY
        )
    elif kind == "withdrawn":
        consent(person, member, clinic_worker.organisation, withdrawn_at=timezone.now())
    elif kind == "other_category":
        consent(person, member, clinic_worker.organisation, data_categories=[DataCategory.CARE_PLAN])
    elif kind == "other_recipient":
        other = f.OrganisationFactory(network=person.network, name="Org C")
        consent(person, member, other)
    else:
        consent(person, member, clinic_worker.organisation, valid_from=TODAY() + DAY)
    assert seen_by(login(clinic_worker), person, clinic_worker) == ONLY_THEIRS
    assert not AuditEvent.objects.filter(consent_id_snapshot__isnull=False).exists()


def test_the_api_refuses_changing_a_shared_episode(login, member, person, clinic_worker, episodes):
    from inbeeld.chain.episodes.tests.conftest import post_json

    consent(person, member, clinic_worker.organisation)
    ours = episodes[0]
    client = login(clinic_worker)
    data = {"kind": "detention", "started_on": "2024-01-01", "source": "own_record", "version": 1}
    assert post_json(client, f"{API}/episodes/{ours.pk}", data, "PUT").status_code == 403
    # Without the consent it does not exist for them.
    ours.person.consents.all().delete()
    assert post_json(client, f"{API}/episodes/{ours.pk}", data, "PUT").status_code == 404
