"""Web forms for episodes: they only turn text into typed values; ``actions`` decides what is acceptable."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inbeeld.chain.episodes import actions
from inbeeld.chain.episodes.models import EpisodeKind, Outcome, Source
from inbeeld.people.forms import date_field, text_area

_NO_OUTCOME = [("", _("— (ongoing)"))]


class EpisodeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EpisodeKind.choices)
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=actions.PLACE_MAX,
        help_text=_("E.g. the clinic's or hospital's name."),
    )
    started_on = date_field(_("Started on"))
    ended_on = date_field(_("Ended on"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=_NO_OUTCOME + Outcome.choices, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    note = text_area(_("Note"), actions.NOTE_MAX)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EndEpisodeForm(forms.Form):
    ended_on = date_field(_("Ended on"), today=True)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
