"""Episode registrations: the radar's stay source, the timeline source and the person-page section.

- Radar: an open episode puts the person "in view, admitted"; its end is a discharge, so the radar's
  "discharged without contact" rule follows it (amber after 3 days without a sighting).
- Timeline: each episode, for those who read the file: their own organisation's, another organisation's
  only by consent for episodes (rule 2).
- Person page: the counts per kind ("6 clinic admissions since 2017") and a link, on the same terms;
  recorded as read (with each consent used) when there is anything to show.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from inbeeld.chain.episodes import actions
from inbeeld.chain.episodes.models import Episode, EpisodeKind
from inbeeld.core import access
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.audit import Actor
from inbeeld.core.models import Network
from inbeeld.people import sections
from inbeeld.people.models import DataCategory
from inbeeld.people.timeline import Entry, Source, register
from inbeeld.radar import sources as radar

KEY = "episodes"
# The radar's words for a stay (``radar.rules_builtin.stay_label``): a mental-health admission is a clinic.
RADAR_KIND: dict[str, str] = {EpisodeKind.MENTAL_HEALTH: "clinic"}


def episode_stays(network: Network, day: datetime.date) -> Iterator[radar.Stay]:
    rows = Episode.objects.filter(person__network=network, started_on__lte=day).values_list(
        "person_id", "kind", "started_on", "ended_on"
    )
    for person_id, kind, started_on, ended_on in rows.iterator(chunk_size=5000):
        yield radar.Stay(person_id, RADAR_KIND.get(kind, kind), started_on, ended_on)


def _day(day: datetime.date | None) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else ""


def episode_entry(access: PersonAccess, episode: Episode) -> Entry:
    where = f", {episode.place}" if episode.place else ""
    return Entry(
        when=episode.started_on,
        kind="episode",
        kind_label=_("Episode"),
        title=f"{episode.get_kind_display()}{where}, {_day(episode.started_on)}–{_day(episode.ended_on)}",
        detail=str(episode.get_outcome_display()) if episode.ended_on else "",
        organisation=episode.organisation.name,
    )


def episodes_section(request: HttpRequest, person_access: PersonAccess) -> str | None:
    if not person_access.allows(Need.READ_FILE):
        return None
    scope = actions.episode_scope(person_access)
    episodes = actions.episodes_of(person_access, scope)
    found = actions.counts(episodes)
    ongoing = list(episodes.filter(ended_on__isnull=True).order_by("-started_on", "-id"))
    if found:
        access.record_shared_read(
            Actor.from_request(request), person_access, scope.shared, data="episodes.section"
        )
    context = {
        "person": person_access.person,
        "counts": found,
        "ongoing": ongoing,
        "may_record": person_access.allows(Need.EDIT_CARE),
    }
    return render_to_string("chain/episodes/_section.html", context, request=request)


radar.register_stay(
    radar.StaySource(key=KEY, label=lambda: str(_("Admissions and stays")), stays=episode_stays)
)
register(
    Source(
        key="episode",
        label=lambda: _("Admissions and stays"),
        need=Need.READ_FILE,
        category=DataCategory.EPISODES,
        rows=lambda a: Episode.objects.filter(person=a.person).select_related("organisation"),
        owner_field="organisation_id",
        order_field="started_on",
        entry=episode_entry,
    )
)
sections.register(sections.Section(KEY, 47, episodes_section))
