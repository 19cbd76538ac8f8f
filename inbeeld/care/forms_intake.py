"""Forms of the intake's steps, built from the forms the register, contacts and appointments already use.

As everywhere, a form only turns text into values; the write functions decide what is acceptable and
their ValidationError goes back onto the fields. ``draft_answers`` is the one exception: it checks what
"Save and continue later" keeps, because a draft writes to no other record that would check it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from inbeeld.care.actions.intake import FIRST_ASSESSMENT_MINUTES, Answers, key_workers
from inbeeld.care.forms_appointments import AppointmentForm
from inbeeld.care.forms_contacts import QuickContactForm
from inbeeld.care.models import Channel
from inbeeld.core import access
from inbeeld.core.models import Membership, User
from inbeeld.core.roles import Role
from inbeeld.people import validation as v
from inbeeld.people.actions import PersonDetails
from inbeeld.people.forms import PersonDetailsForm, WorkerChoiceField, attach_errors, split_list
from inbeeld.people.models import Person

_DETAILS = PersonDetailsForm.base_fields
DURATIONS = [(str(minutes), str(minutes)) for minutes in (30, 45, 60, 90, 120)]


class IntakePersonForm(forms.Form):
    """Registering a walk-in: what a first conversation tells (the rest of the details can wait)."""

    roepnaam = _DETAILS["roepnaam"]
    aliases = _DETAILS["aliases"]
    languages = _DETAILS["languages"]
    nationality = _DETAILS["nationality"]
    phone = _DETAILS["phone"]

    def details(self) -> PersonDetails:
        data = self.cleaned_data
        return PersonDetails(
            roepnaam=data["roepnaam"],
            aliases=split_list(data["aliases"]),
            languages=split_list(data["languages"]),
            nationality=data["nationality"],
            phone=data["phone"],
        )


class ChoosePersonForm(forms.Form):
    """Someone already in the list: only persons the member sees are a valid choice (access rule 1)."""

    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose a person from the search results."),
            "invalid_choice": _("Choose a person from the search results."),
        },
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = access.visible_persons(membership)  # type: ignore[attr-defined]


class FirstContactForm(QuickContactForm):
    """The quick contact form, for the person the intake is about (so without its person field)."""

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, membership=membership, **kwargs)
        del self.fields["person"]
        # Where a walk-in is met: a host in the huiskamer, a caseworker mostly at the office.
        self.fields["channel"].initial = Channel.HUISKAMER if membership.role == Role.HOST else Channel.OFFICE


class KeyWorkerForm(forms.Form):
    languages = _DETAILS["languages"]
    key_worker = WorkerChoiceField(
        label=_("Key worker"),
        queryset=User.objects.none(),  # the acting organisation's caseworkers, set in __init__
        help_text=_("The caseworker of your organisation who becomes responsible for this person."),
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key_worker"].queryset = key_workers(membership)  # type: ignore[attr-defined]


class FirstAssessmentForm(AppointmentForm):
    """An appointment with the key worker: when, how long, where. Its purpose is the first assessment."""

    duration_minutes = forms.TypedChoiceField(
        label=_("Duration (minutes)"), choices=DURATIONS, coerce=int, initial=str(FIRST_ASSESSMENT_MINUTES)
    )

    field_order = ["starts_at", "duration_minutes", "location", "place"]

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, membership=membership, **kwargs)
        for name in ("worker", "ends_at", "purpose"):
            del self.fields[name]


# --- drafts -------------------------------------------------------------------------------------


def _raw(form: forms.Form, name: str) -> Any:
    field = form.fields[name]
    return field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))


def draft_answers(form: forms.Form) -> Answers | None:
    """The submitted answers as typed, to keep for later; None, with errors on the form, if any is refused.

    A draft may leave out anything, but what it holds must be acceptable text: a known choice, a value of
    the right type, not too long, no control characters. Dates are checked against their limits when the
    step is completed.
    """
    for field in form.fields.values():
        field.required = False
    form.is_valid()
    answers: Answers = {}
    for name, field in form.fields.items():
        raw = _raw(form, name)
        if isinstance(raw, list | tuple):
            answers[name] = [str(item) for item in raw]
            continue
        text = "" if raw is None else str(raw)
        if text and isinstance(field, forms.CharField) and name not in form.errors:
            try:
                v.clean_text(text, field=name, max_length=field.max_length or v.TEXT_MAX)
            except ValidationError as error:
                attach_errors(form, error)
        answers[name] = text
    return None if form.errors else answers
