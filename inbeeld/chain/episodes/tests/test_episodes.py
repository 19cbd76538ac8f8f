"""Episodes: record, change and end them on the pages; bad input, conflicts, counts, audit, who may."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from inbeeld.chain.episodes import actions
from inbeeld.chain.episodes.models import Episode
from inbeeld.chain.episodes.tests.conftest import make_episode
from inbeeld.core.models import AuditEvent
from inbeeld.testing.bad_input import HTML, LONG, MISSING, with_change

pytestmark = pytest.mark.django_db


def _valid() -> dict[str, Any]:
    return {
        "kind": "detox",
        "place": "Detox Noord",
        "started_on": "2024-05-01",
        "ended_on": "",
        "outcome": "",
        "source": "information_received",
        "note": "Heard from her sister.",
    }


def url(name: str, person, **kwargs: Any) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"chain:{name}", kwargs={"pk": person.pk, **kwargs})


class TestRecord:
    def test_caseworker_records_an_episode_and_sees_it(self, login, member, person):
        client = login(member)
        response = client.post(url("episode_add", person), _valid())
        assert response.status_code == 302 and response["Location"] == url("episodes", person)
        episode = Episode.objects.get()
        assert (episode.kind, episode.place, episode.started_on) == (
            "detox",
            "Detox Noord",
            datetime.date(2024, 5, 1),
        )
        assert episode.ended_on is None and episode.outcome == "" and episode.version == 1
        assert episode.organisation_id == member.organisation_id and episode.recorded_by == member.user
        assert AuditEvent.objects.filter(data="episode", action="create", object_id=episode.pk).exists()
        page = client.get(url("episodes", person))
        assert page.status_code == 200
        assert f'data-episode="{episode.pk}"' in page.content.decode()
        assert AuditEvent.objects.filter(
            data="episodes", action="read", person_id_snapshot=person.pk
        ).exists()

    def test_the_form_page_is_an_audited_read(self, login, member, person):
        assert login(member).get(url("episode_add", person)).status_code == 200
        assert AuditEvent.objects.filter(data="episode.form", action="read").exists()

    def test_an_ended_episode_needs_its_outcome(self, login, member, person):
        response = login(member).post(url("episode_add", person), {**_valid(), "ended_on": "2024-05-10"})
        assert response.status_code == 422
        assert "outcome" in response.context["form"].errors
        assert not Episode.objects.exists()

    def test_an_ongoing_episode_has_no_outcome(self, login, member, person):
        response = login(member).post(url("episode_add", person), {**_valid(), "outcome": "completed"})
        assert response.status_code == 422 and "outcome" in response.context["form"].errors

    def test_an_end_before_the_start_is_refused(self, login, member, person):
        data = {**_valid(), "ended_on": "2024-04-01", "outcome": "completed"}
        response = login(member).post(url("episode_add", person), data)
        assert response.status_code == 422 and "ended_on" in response.context["form"].errors
        assert not Episode.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("kind", "spa"),
            ("kind", MISSING),
            ("place", LONG),
            ("place", "a\x00b"),
            ("started_on", "not a date"),
            ("started_on", "2999-01-01"),
            ("started_on", "1850-01-01"),
            ("started_on", MISSING),
            ("ended_on", "2999-01-01"),
            ("outcome", "escaped"),
            ("source", "rumour"),
            ("source", MISSING),
            ("note", LONG),
        ],
    )
    def test_bad_input_is_refused_naming_the_field(self, login, member, person, field, value):
        data = with_change(_valid(), field, value)
        if field == "ended_on":
            data["outcome"] = "completed"
        response = login(member).post(url("episode_add", person), data)
        assert response.status_code == 422
        assert field in response.context["form"].errors
        assert not Episode.objects.exists()

    def test_markup_is_stored_as_text_and_shown_escaped(self, login, member, person):
        client = login(member)
        assert client.post(url("episode_add", person), {**_valid(), "note": HTML}).status_code == 302
        assert Episode.objects.get().note == HTML
        assert HTML not in client.get(url("episodes", person)).content.decode()

    def test_the_note_is_encrypted_at_rest(self, member, person):
        make_episode(person, member.organisation, member.user, note="Geheime notitie")
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT note FROM chain_episodes_episode")
            (stored,) = cursor.fetchone()
        assert "Geheime" not in stored


class TestChangeAndEnd:
    def test_the_edit_and_end_forms_open_with_the_stored_values(self, login, member, person, episode):
        client = login(member)
        edit = client.get(url("episode_edit", person, episode_pk=episode.pk))
        assert edit.status_code == 200
        assert edit.context["form"].initial["place"] == "Kliniek Test"
        assert edit.context["form"].initial["version"] == 1
        assert client.get(url("episode_end", person, episode_pk=episode.pk)).status_code == 200
        assert AuditEvent.objects.filter(data="episode.form", action="read").count() == 2

    def test_change_bumps_the_version_and_is_audited(self, login, member, person, episode):
        data = {**_valid(), "version": episode.version}
        response = login(member).post(url("episode_edit", person, episode_pk=episode.pk), data)
        assert response.status_code == 302
        episode.refresh_from_db()
        assert (episode.kind, episode.version) == ("detox", 2)
        event = AuditEvent.objects.get(data="episode", action="update", object_id=episode.pk)
        assert "kind" in event.detail["fields"]

    def test_a_stale_form_is_a_conflict_not_an_overwrite(self, login, member, person, episode):
        client = login(member)
        Episode.objects.filter(pk=episode.pk).update(place="Changed meanwhile", version=2)
        response = client.post(url("episode_edit", person, episode_pk=episode.pk), {**_valid(), "version": 1})
        assert response.status_code == 409
        assert response.context["conflict"]
        episode.refresh_from_db()
        assert (episode.place, episode.kind, episode.version) == ("Changed meanwhile", "clinic", 2)
        # The form now carries the stored version: saving again is a deliberate overwrite.
        again = client.post(url("episode_edit", person, episode_pk=episode.pk), {**_valid(), "version": 2})
        assert again.status_code == 302
        episode.refresh_from_db()
        assert episode.place == "Detox Noord"

    def test_end_with_outcome(self, login, member, person, episode):
        data = {"ended_on": "2024-02-10", "outcome": "against_advice"}
        response = login(member).post(url("episode_end", person, episode_pk=episode.pk), data)
        assert response.status_code == 302
        episode.refresh_from_db()
        assert (episode.ended_on, episode.outcome) == (datetime.date(2024, 2, 10), "against_advice")
        assert AuditEvent.objects.filter(data="episode", action="update", object_id=episode.pk).exists()

    @pytest.mark.parametrize(
        ("field", "data"),
        [
            ("outcome", {"ended_on": "2024-02-10"}),
            ("outcome", {"ended_on": "2024-02-10", "outcome": "vanished"}),
            ("ended_on", {"ended_on": "2023-12-31", "outcome": "completed"}),
            ("ended_on", {"outcome": "completed"}),
        ],
    )
    def test_bad_end_is_refused(self, login, member, person, episode, field, data):
        response = login(member).post(url("episode_end", person, episode_pk=episode.pk), data)
        assert response.status_code == 422 and field in response.context["form"].errors
        episode.refresh_from_db()
        assert episode.ended_on is None

    def test_an_ended_episode_is_not_ended_again(self, member, person, episode):
        from inbeeld.core.access import Need, person_for
        from inbeeld.core.audit import Actor

        found = person_for(member, person.pk, Need.EDIT_CARE)
        actor = Actor(user=member.user, membership=member)
        actions.end_episode(
            found, episode, actor=actor, ended_on=datetime.date(2024, 2, 1), outcome="completed"
        )
        with pytest.raises(Exception) as refused:
            actions.end_episode(
                found, episode, actor=actor, ended_on=datetime.date(2024, 3, 1), outcome="other"
            )
        assert "ended_on" in refused.value.message_dict  # type: ignore[attr-defined]

    def test_another_organisations_episode_is_not_theirs_to_change(
        self, login, member, person, clinic_worker
    ):
        theirs = make_episode(person, clinic_worker.organisation, clinic_worker.user)
        client = login(member)
        # Without a consent A does not see it at all (404); the end form neither.
        assert client.get(url("episode_edit", person, episode_pk=theirs.pk)).status_code == 404
        assert client.post(url("episode_end", person, episode_pk=theirs.pk), {}).status_code == 404

    def test_an_unknown_episode_is_404(self, login, member, person):
        assert login(member).get(url("episode_edit", person, episode_pk=99999)).status_code == 404


class TestWho:
    def test_outreach_sees_the_person_but_not_the_episodes(self, login, readonly_member, person, episode):
        client = login(readonly_member)
        assert client.get(url("episodes", person)).status_code == 404
        assert client.post(url("episode_add", person), _valid()).status_code == 403
        assert client.post(url("episode_end", person, episode_pk=episode.pk), {}).status_code == 403

    def test_an_organisation_not_involved_gets_404(self, login, outsider, person):
        client = login(outsider)
        assert client.get(url("episodes", person)).status_code == 404
        assert client.post(url("episode_add", person), _valid()).status_code == 404


class TestCounts:
    def test_counts_per_kind_since_the_year_of_the_first(self, login, member, person):
        for year in (2017, 2018, 2019, 2020, 2022, 2024):
            make_episode(person, member.organisation, member.user, started_on=datetime.date(year, 3, 1))
        make_episode(
            person, member.organisation, member.user, kind="detention", started_on=datetime.date(2021, 6, 1)
        )
        episodes = Episode.objects.filter(person=person)
        found = {c.kind: (c.count, c.since) for c in actions.counts(episodes)}
        assert found == {"clinic": (6, 2017), "detention": (1, 2021)}
        with translation.override("en"):
            texts = [c.text for c in actions.counts(episodes)]
        assert texts == ["6 clinic admissions since 2017", "1 detention since 2021"]
        page = login(member).get(url("episodes", person)).content.decode()
        assert 'data-kind="clinic" data-count="6" data-since="2017"' in page

    def test_the_person_page_section_shows_the_counts_and_a_link(self, login, member, person, episode):
        page = login(member).get(reverse("people:detail", kwargs={"pk": person.pk})).content.decode()
        assert 'id="episodes"' in page and 'data-kind="clinic" data-count="1"' in page
        assert url("episodes", person) in page
        assert AuditEvent.objects.filter(data="episodes.section", action="read").exists()

    def test_the_timeline_lists_each_episode(self, login, member, person, episode):
        response = login(member).get(reverse("people:timeline", kwargs={"pk": person.pk}))
        assert response.status_code == 200
        assert "Kliniek Test" in response.content.decode()


class TestDatabase:
    def test_the_database_refuses_an_end_before_the_start(self, member, person, episode):
        with pytest.raises(IntegrityError), transaction.atomic():
            Episode.objects.filter(pk=episode.pk).update(
                ended_on=datetime.date(2023, 1, 1), outcome="completed"
            )

    def test_the_database_refuses_an_end_without_outcome(self, member, person, episode):
        with pytest.raises(IntegrityError), transaction.atomic():
            Episode.objects.filter(pk=episode.pk).update(ended_on=datetime.date(2024, 2, 1))
