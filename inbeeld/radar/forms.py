"""Web forms of the radar: the dashboard's filters, resolving a signal, an exit route.

As elsewhere, forms only turn text into typed values; ``radar.actions`` decide what is acceptable and
their ValidationError is put back on the fields (``people.view_support.submit``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.core.models import Network, Organisation, User
from inbeeld.people.forms import DateInput, WorkerChoiceField, organisations_of, workers_of
from inbeeld.people.models import Status
from inbeeld.radar import queries, rules
from inbeeld.radar.actions import signals as signal_actions
from inbeeld.radar.actions import transition as transition_actions
from inbeeld.radar.models import Colour, ExitRoute, Signal
from inbeeld.radar.presenters import COLOUR_BY_NAME, colour_name

# A what-if view travels back, not forward; before 2000 there is nothing to find.
EARLIEST = datetime.date(2000, 1, 1)
NONE_CHOSEN = ("", "—")


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        widget=DateInput(),
        help_text=_("A day in the past: the radar is computed for that day and nothing is stored."),
    )

    def clean_as_of(self) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data.get("as_of")
        if day is None:
            return None
        if day > timezone.localdate():
            raise ValidationError(_("Choose today or a day in the past."))
        if day < EARLIEST:
            raise ValidationError(_("Choose a day in 2000 or later."))
        return day

    def as_of_or_none(self) -> datetime.date | None:
        """The chosen day when it is valid; a refused value counts as not chosen (the error shows)."""
        self.is_valid()
        day = self.cleaned_data.get("as_of") if hasattr(self, "cleaned_data") else None
        return day if isinstance(day, datetime.date) and day != timezone.localdate() else None


class RadarFilterForm(AsOfForm):
    status = forms.ChoiceField(label=_("Status"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation involved"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("Any organisation"),
    )
    key_worker = WorkerChoiceField(
        label=_("Key worker"), required=False, queryset=User.objects.none(), empty_label=_("Anyone")
    )
    rule = forms.ChoiceField(label=_("Rule"), required=False)
    colour = forms.ChoiceField(label=_("Colour"), required=False)
    escalated = forms.BooleanField(label=_("Only escalated signals"), required=False)

    field_order = ["status", "colour", "rule", "organisation", "key_worker", "escalated", "as_of"]

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["status"].choices = [
            ("", _("Followed (not exited, moved away or deceased)")),
            (queries.ALL_STATUSES, _("All statuses")),
            *Status.choices,
        ]
        organisations = organisations_of(network)
        fields["organisation"].queryset = organisations
        fields["key_worker"].queryset = workers_of(organisations)
        fields["rule"].choices = [("", _("Any rule")), *rules.choices()]
        fields["colour"].choices = [("", _("Any colour"))] + [(colour_name(c), c.label) for c in Colour]

    def filters(self) -> queries.RadarFilters:
        """The valid filters; a refused value is left out (and its error shown next to the field)."""
        self.is_valid()
        data = self.cleaned_data
        organisation = data.get("organisation")
        key_worker = data.get("key_worker")
        colour = data.get("colour")
        return queries.RadarFilters(
            status=data.get("status") or "",
            organisation=organisation.pk if organisation else None,
            key_worker=key_worker.pk if key_worker else None,
            rule=data.get("rule") or "",
            colour=COLOUR_BY_NAME[colour] if colour else None,
            escalated=bool(data.get("escalated")),
        )


class AcknowledgeForm(forms.Form):
    """No fields: the button says it all. Its errors (the signal is no longer open) are the form's."""


class ResolveForm(forms.Form):
    # Not required here: the write function names the missing outcome in its own words.
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=Signal.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=signal_actions.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the outcome is 'other'."),
    )

    def resolution(self) -> dict[str, str]:
        return {"outcome": self.cleaned_data["outcome"], "note": self.cleaned_data["note"]}


class ExitRouteForm(forms.Form):
    route = forms.ChoiceField(
        label=_("Exit route"), required=False, choices=[NONE_CHOSEN, *ExitRoute.Route.choices]
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=transition_actions.NOTE_MAX,
        help_text=_("Left empty, an earlier note is kept."),
    )
