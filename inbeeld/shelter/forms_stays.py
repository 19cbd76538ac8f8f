"""Forms of the beds, stays and waitlist pages. They turn text into values; ``shelter.stays`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.people.forms import DateInput
from inbeeld.shelter.models import Bed, CheckoutReason, Priority, WaitlistEntry
from inbeeld.shelter.stays.common import NAME_MAX, NOTE_MAX
from inbeeld.shelter.stays.rooms import HOUSE_RULES_MAX
from inbeeld.shelter.stays.waitlist import CLOSING_OUTCOMES

NOTE_HELP = _("Stored encrypted. Only what the stay needs: no health, addiction or case details.")


class BedChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.room.name} · {obj.label}"


def _bed_field(beds: QuerySet[Bed]) -> BedChoiceField:
    return BedChoiceField(
        label=_("Bed"),
        queryset=beds,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a free bed in use at this site.")},
    )


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Room"), max_length=NAME_MAX)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class BedForm(forms.Form):
    label = forms.CharField(label=_("Bed"), max_length=30)


class HouseRulesForm(forms.Form):
    text = forms.CharField(
        label=_("House rules"), max_length=HOUSE_RULES_MAX, widget=forms.Textarea(attrs={"rows": 12})
    )


class WaitlistForm(forms.Form):
    # The id of a person picked from the search results (radio buttons); the action checks it.
    person = forms.CharField(label=_("Person"), max_length=30)
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        coerce=int,
        initial=Priority.NORMAL,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=NOTE_HELP,
    )


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Priority.choices, coerce=int)


class CloseEntryForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (value, label) for value, label in WaitlistEntry.Outcome.choices if value in CLOSING_OUTCOMES
        ],
    )


class CheckInForm(forms.Form):
    person = forms.CharField(label=_("Resident"), max_length=30)
    planned_end_on = forms.DateField(label=_("Planned end"), required=False, widget=DateInput())
    house_rules_accepted = forms.BooleanField(label=_("The resident accepts the house rules"), required=False)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=NOTE_HELP,
    )

    def __init__(self, *args: Any, beds: QuerySet[Bed], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bed"] = _bed_field(beds)
        self.order_fields(["person", "bed", "planned_end_on", "house_rules_accepted", "note"])


class StayForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    planned_end_on = forms.DateField(label=_("Planned end"), required=False, widget=DateInput())

    def __init__(self, *args: Any, beds: QuerySet[Bed], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bed"] = _bed_field(beds)


class CheckOutForm(forms.Form):
    checkout_reason = forms.ChoiceField(
        label=_("Reason for leaving"), choices=CheckoutReason.choices, widget=forms.RadioSelect
    )
    checked_out_at = forms.DateTimeField(
        label=_("Checked out at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"checked_out_at": timezone.localtime().replace(second=0, microsecond=0)}
        )
        super().__init__(*args, **kwargs)
