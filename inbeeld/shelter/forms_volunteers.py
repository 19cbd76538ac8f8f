"""Forms for the volunteers, roster, house log and buddies. They turn text into values; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from inbeeld.core.models import Membership
from inbeeld.people.forms import date_field
from inbeeld.shelter.actions_houselog import TEXT_MAX
from inbeeld.shelter.actions_roster import NEEDED_MAX, SLOT_NAME_MAX, SlotInput
from inbeeld.shelter.actions_volunteers import (
    LANGUAGES_MAX,
    NOTE_MAX,
    TRAINING_NAME_MAX,
    VALID_MONTHS_MAX,
    ProfileInput,
)
from inbeeld.shelter.models import ShiftSlot, Stay, Training

WEEKDAYS = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]


def volunteer_choices(volunteers: QuerySet[Membership] | list[Membership]) -> list[tuple[str, str]]:
    return [("", "—")] + [(str(m.pk), m.user.full_name or m.user.email) for m in volunteers]


def resident_choices(stays: QuerySet[Stay] | list[Stay], *, empty: Any) -> list[tuple[str, Any]]:
    return [("", empty)] + [(str(stay.person_id), stay.person.roepnaam) for stay in stays]


class ChoicesForm(forms.Form):
    def choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field


class OwnProfileForm(forms.Form):
    """What a volunteer changes themselves: how to reach them and which languages they speak."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=LANGUAGES_MAX,
        help_text=_("For example: Dutch, English, Romanian."),
    )

    def profile_input(self) -> ProfileInput:
        data = self.cleaned_data
        return ProfileInput(phone=data.get("phone") or "", languages=data.get("languages") or "")


class ProfileForm(OwnProfileForm):
    """The coordinator's form: also the VOG and a note (about the volunteer, never about a resident)."""

    vog_issued_on = date_field(_("VOG issued on"), required=False)
    vog_valid_until = date_field(_("VOG valid until"), required=False)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        help_text=_("About the volunteer's work only; nothing about residents."),
    )

    def profile_input(self) -> ProfileInput:
        data = self.cleaned_data
        return ProfileInput(
            phone=data.get("phone") or "",
            languages=data.get("languages") or "",
            vog_issued_on=data.get("vog_issued_on"),
            vog_valid_until=data.get("vog_valid_until"),
            note=data.get("note") or "",
        )


class TrainingForm(forms.Form):
    name = forms.CharField(label=_("Training"), max_length=TRAINING_NAME_MAX)
    valid_months = forms.IntegerField(
        label=_("Valid for (months)"),
        required=False,
        min_value=1,
        max_value=VALID_MONTHS_MAX,
        help_text=_("Leave empty if it counts for good."),
    )


class TrainingRecordForm(ChoicesForm):
    training = forms.ChoiceField(label=_("Training"))
    completed_on = date_field(_("Completed on"), today=True)

    def __init__(self, *args: Any, trainings: QuerySet[Training], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("training").choices = [("", "—")] + [(str(t.pk), t.name) for t in trainings]


class AvailabilityForm(ChoicesForm):
    """One checkbox per weekday and slot: usually available then."""

    availability = forms.MultipleChoiceField(
        label=_("Usually available"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, slots: list[ShiftSlot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots = slots
        self.choice_field("availability").choices = [
            (f"{day}-{slot.pk}", f"{WEEKDAYS[day]} {slot.name}") for day in range(7) for slot in slots
        ]

    def chosen(self) -> list[tuple[int, int]]:
        pairs = (value.split("-") for value in self.cleaned_data.get("availability") or [])
        return [(int(day), int(slot)) for day, slot in pairs]

    def grid(self, chosen: set[tuple[int, int]]) -> list[tuple[Any, list[tuple[str, bool]]]]:
        """Rows per weekday of (checkbox value, checked) per slot, for the table on the page."""
        return [
            (WEEKDAYS[day], [(f"{day}-{slot.pk}", (day, slot.pk) in chosen) for slot in self.slots])
            for day in range(7)
        ]


class SlotForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=SLOT_NAME_MAX, help_text=_("For example: morning, night.")
    )
    starts_at = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(
        label=_("Ends at"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("An end before the start means the shift runs past midnight."),
    )
    needed = forms.IntegerField(label=_("Volunteers needed"), min_value=1, max_value=NEEDED_MAX, initial=2)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def slot_input(self) -> SlotInput:
        data = self.cleaned_data
        return SlotInput(
            name=data["name"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            needed=data["needed"],
            active=bool(data.get("active")),
        )

    @staticmethod
    def initial_for(slot: ShiftSlot) -> dict[str, Any]:
        return {f: getattr(slot, f) for f in ("name", "starts_at", "ends_at", "needed", "active")}


class SignupForm(forms.Form):
    """A sign-up: the shift, and (for the coordinator) which volunteer."""

    shift = forms.IntegerField(widget=forms.HiddenInput)
    volunteer = forms.IntegerField(required=False, label=_("Volunteer"))


class HouseLogForm(ChoicesForm):
    text = forms.CharField(
        label=_("What happened"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Stored encrypted."),
    )
    person = forms.ChoiceField(label=_("About a resident"), required=False)

    def __init__(self, *args: Any, residents: list[Stay], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("person").choices = resident_choices(residents, empty=_("Nobody in particular"))


class BuddyForm(ChoicesForm):
    volunteer = forms.ChoiceField(label=_("Volunteer"))
    person = forms.ChoiceField(label=_("Resident"))

    def __init__(
        self, *args: Any, volunteers: list[Membership], residents: list[Stay], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("volunteer").choices = volunteer_choices(volunteers)
        self.choice_field("person").choices = resident_choices(residents, empty="—")
