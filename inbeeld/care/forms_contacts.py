"""The quick contact form, made to be filled in on a phone in under 30 seconds.

As in ``people.forms``, the form only turns text into typed values; ``care.actions.contacts`` decides what
is acceptable and its ValidationError is put back on the fields with ``attach_errors``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.care.actions.contacts import DURATION_MAX, NOTE_MAX, locations_of
from inbeeld.care.models import Channel, ContactKind, Topic
from inbeeld.core import access
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.models import Location, Membership

ANONYMOUS = "anonymous"
# The browser's datetime-local input sends and expects this, whatever the language.
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


def this_minute() -> datetime.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def datetime_field(label: Any, *, now: bool = False, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, widget=DateTimeInput(), initial=this_minute if now else None, help_text=help_text
    )


class QuickContactForm(forms.Form):
    # "anonymous" or the id of a person picked from the search results (radio buttons).
    person = forms.CharField(label=_("Person"), required=False, max_length=30)
    occurred_at = datetime_field(_("When"), now=True)
    channel = forms.ChoiceField(label=_("Where"), choices=Channel.choices, widget=forms.RadioSelect)
    kind = forms.ChoiceField(
        label=_("Kind of contact"), choices=ContactKind.choices, widget=forms.RadioSelect
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        required=False,
        min_value=1,
        max_value=DURATION_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Stored encrypted. Only what the work needs."),
    )
    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none(), required=False)

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.person_access: PersonAccess | None = None
        network_id = membership.organisation.network_id
        self.fields["location"].queryset = locations_of(network_id)  # type: ignore[attr-defined]

    def clean_person(self) -> str:
        value = (self.cleaned_data.get("person") or "").strip()
        if value == ANONYMOUS:
            return value
        if not value:
            raise ValidationError(_("Choose a person, or mark the contact as anonymous."))
        try:
            self.person_access = access.person_for(self.membership, value, Need.RECORD_CONTACT)
        except (Http404, PermissionDenied):
            # Unknown and not yours look the same (rule 1).
            raise ValidationError(_("Choose a person from the search results.")) from None
        return value

    def contact_input(self) -> dict[str, Any]:
        """The arguments of ``record_contact`` (besides the actor)."""
        data = self.cleaned_data
        return {
            "person_access": self.person_access,
            "occurred_at": data["occurred_at"],
            "channel": data["channel"],
            "kind": data["kind"],
            "topics": list(data["topics"]),
            "duration_minutes": data["duration_minutes"],
            "note": data["note"],
            "location": data["location"],
        }
