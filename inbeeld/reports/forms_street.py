"""The street count form: where, when, how many, counted or estimated.

As elsewhere: the form turns text into values; ``reports.actions_street`` decides what is allowed
(a street zone of the network that is open on the date, not in the future, not negative).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from inbeeld.core.models import Membership
from inbeeld.people.forms import DateInput
from inbeeld.reports import actions_street as actions
from inbeeld.reports.models import StreetCount


class StreetCountForm(forms.Form):
    location = forms.TypedChoiceField(label=_("Street zone"), coerce=int)
    counted_on = forms.DateField(label=_("Date"), widget=DateInput())
    count = forms.IntegerField(
        label=_("Number of people"), min_value=0, max_value=actions.COUNT_MAX, widget=forms.NumberInput()
    )
    method = forms.ChoiceField(
        label=_("How"),
        choices=StreetCount.Method.choices,
        initial=StreetCount.Method.COUNTED,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=actions.NOTE_MAX,
        help_text=_("No names: only what explains the number (weather, police check, one evening only)."),
    )

    def __init__(
        self, *args: Any, membership: Membership, street_count: StreetCount | None = None, **kwargs: Any
    ) -> None:
        if street_count is not None:
            kwargs.setdefault(
                "initial",
                {
                    "location": street_count.location_id,
                    "counted_on": street_count.counted_on,
                    "count": street_count.count,
                    "method": street_count.method,
                    "note": street_count.note,
                },
            )
        super().__init__(*args, **kwargs)
        zones = list(actions.street_zones(membership))
        field = self.fields["location"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(zone.pk, self._label(zone)) for zone in zones]
        if len(zones) == 1 and street_count is None:
            field.initial = zones[0].pk

    @staticmethod
    def _label(zone: Any) -> str:
        label = f"{zone.name} — {zone.organisation.name}"
        if zone.closed_on is not None:
            closed = _("closed on %(day)s") % {"day": date_format(zone.closed_on, "SHORT_DATE_FORMAT")}
            label = f"{label} ({closed})"
        return label

    def street_count_input(self) -> actions.StreetCountInput:
        data = self.cleaned_data
        return actions.StreetCountInput(
            location_id=data.get("location"),
            counted_on=data.get("counted_on"),
            count=data.get("count"),
            method=data.get("method") or "",
            note=data.get("note") or "",
        )
