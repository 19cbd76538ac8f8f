"""The visit form, made for a tablet at the huiskamer door: big buttons, few fields, all optional but one.

As in ``care.forms_contacts``: the form turns text into values; ``huiskamer.actions`` decides.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from inbeeld.care.models import Topic
from inbeeld.core import access
from inbeeld.core.access import Need, PersonAccess
from inbeeld.core.models import Membership
from inbeeld.huiskamer.actions import NOTE_MAX, VisitInput
from inbeeld.huiskamer.models import Intent, Service

ANONYMOUS = "anonymous"
FIRST_VISIT = [("", _("Don't know")), ("yes", _("Yes")), ("no", _("No"))]


class VisitForm(forms.Form):
    # "anonymous" or the id of a person picked from the search results (radio buttons).
    person = forms.CharField(label=_("Visitor"), required=False, max_length=30)
    first_visit = forms.ChoiceField(
        label=_("First visit?"), choices=FIRST_VISIT, required=False, widget=forms.RadioSelect
    )
    intent = forms.ChoiceField(
        label=_("Comes for"), choices=Intent.choices, required=False, widget=forms.RadioSelect
    )
    language = forms.CharField(
        label=_("Language (two letters, e.g. nl, ro)"),
        required=False,
        max_length=2,
        widget=forms.TextInput(attrs={"size": 3, "autocomplete": "off"}),
    )
    questions = forms.MultipleChoiceField(
        label=_("Questions about"), choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    services = forms.MultipleChoiceField(
        label=_("Given"), choices=Service.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Stored encrypted. Only what the work needs."),
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.person_access: PersonAccess | None = None

    def clean_person(self) -> str:
        value = (self.cleaned_data.get("person") or "").strip()
        if value == ANONYMOUS:
            return value
        if not value:
            raise ValidationError(_("Choose a person, or mark the visit as anonymous."))
        try:
            self.person_access = access.person_for(self.membership, value, Need.RECORD_CONTACT)
        except (Http404, PermissionDenied):
            # Unknown and not yours look the same (rule 1).
            raise ValidationError(_("Choose a person from the search results.")) from None
        return value

    def visit_input(self) -> VisitInput:
        data = self.cleaned_data
        first = data.get("first_visit") or ""
        return VisitInput(
            first_visit=None if first == "" else first == "yes",
            intent=data.get("intent") or "",
            language=data.get("language") or "",
            questions=list(data.get("questions") or []),
            services=list(data.get("services") or []),
            note=data.get("note") or "",
        )
