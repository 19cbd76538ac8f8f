"""Forms for planning an appointment and giving it its outcome.

The rules (not in the past, at most two years ahead, ends after it starts, a worker of the acting
organisation) live in ``care.actions.appointments``; these forms only turn text into values.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inbeeld.care.actions.appointments import OUTCOMES, PLACE_MAX, PURPOSE_MAX, workers_of
from inbeeld.care.actions.contacts import locations_of
from inbeeld.care.forms_contacts import datetime_field
from inbeeld.core.models import Location, Membership, User
from inbeeld.people.forms import WorkerChoiceField, text_area


class AppointmentForm(forms.Form):
    worker = WorkerChoiceField(
        label=_("Worker"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Myself"),
        help_text=_("A caseworker or outreach worker of your organisation."),
    )
    starts_at = datetime_field(_("Starts at"))
    ends_at = datetime_field(_("Ends at"))
    location = forms.ModelChoiceField(
        label=_("Location"),
        queryset=Location.objects.none(),
        required=False,
        help_text=_("A location of the network, or describe the place below."),
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=PLACE_MAX)
    purpose = text_area(
        _("Purpose"), PURPOSE_MAX, help_text=_("Stored encrypted; never shown in calendar feeds.")
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.membership = membership
        organisation = membership.organisation
        self.fields["worker"].queryset = workers_of(organisation)  # type: ignore[attr-defined]
        self.fields["location"].queryset = locations_of(organisation.network_id)  # type: ignore[attr-defined]

    def appointment_input(self) -> dict[str, Any]:
        """The arguments of ``plan_appointment`` (besides the person and the actor)."""
        data = self.cleaned_data
        return {
            "worker": data["worker"] or self.membership.user,
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "location": data["location"],
            "place": data["place"],
            "purpose": data["purpose"],
        }


class AppointmentStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(s.value, s.label) for s in OUTCOMES],
        widget=forms.RadioSelect,
    )
