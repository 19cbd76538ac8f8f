"""Web forms for the person register.

Forms only turn text into typed values; the rules about what is acceptable live in
``people.validation`` and the write functions, so the web and the API refuse the same input.
Whatever those raise is put back on the form with ``attach_errors``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.core.access import PersonAccess
from inbeeld.core.models import Network, Organisation, User
from inbeeld.core.roles import Role
from inbeeld.people import validation as v
from inbeeld.people.actions import ConsentInput, PersonDetails
from inbeeld.people.models import Consent, DataCategory, Person, Status

# Generous enough for the longest allowed list; the write functions check each item.
LIST_TEXT_MAX = 2000
REASON_MAX = 500
NOTE_MAX = 1000
KEY_WORKER_ROLES = (Role.CASEWORKER, Role.OUTREACH)


def attach_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a write function's ValidationError next to the fields it names."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


def split_list(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # The browser's date picker sends and expects ISO dates whatever the language.
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: Any, *, required: bool = True, today: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        initial=timezone.localdate if today else None,
    )


def text_area(label: Any, max_length: int, *, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


def workers_of(organisations: QuerySet[Organisation] | list[Organisation]) -> QuerySet[User]:
    """People who can be a key worker: caseworkers and outreach workers of these organisations."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation__in=organisations,
            memberships__role__in=KEY_WORKER_ROLES,
            memberships__ended_on__isnull=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def organisations_of(network: Network) -> QuerySet[Organisation]:
    return Organisation.objects.filter(network=network).order_by("name")


class PersonDetailsForm(forms.Form):
    roepnaam = forms.CharField(
        label=_("Roepnaam"),
        max_length=v.NAME_MAX,
        help_text=_("The name the person uses and wants to be called by."),
    )
    aliases = forms.CharField(
        label=_("Other names (aliases)"),
        required=False,
        max_length=LIST_TEXT_MAX,
        help_text=_("Separate names with commas."),
    )
    legal_name = forms.CharField(label=_("Legal name"), required=False, max_length=v.NAME_MAX)
    date_of_birth = date_field(_("Date of birth"), required=False)
    birth_year = forms.IntegerField(
        label=_("Year of birth"), required=False, help_text=_("When only the year is known.")
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=v.NAME_MAX)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=LIST_TEXT_MAX,
        help_text=_("Language codes separated by commas, for example: nl, en, ro."),
    )
    nationality = forms.CharField(
        label=_("Nationality"),
        required=False,
        max_length=v.NAME_MAX,
        help_text=_("Two-letter country code, for example NL, RO, BG."),
    )

    def details(self) -> PersonDetails:
        data = self.cleaned_data
        return PersonDetails(
            roepnaam=data["roepnaam"],
            aliases=split_list(data["aliases"]),
            legal_name=data["legal_name"],
            date_of_birth=data["date_of_birth"],
            birth_year=data["birth_year"],
            phone=data["phone"],
            address=data["address"],
            languages=split_list(data["languages"]),
            nationality=data["nationality"],
        )

    @staticmethod
    def initial_for(person: Person) -> dict[str, Any]:
        return {
            "roepnaam": person.roepnaam,
            "aliases": ", ".join(person.alias_names()),
            "legal_name": person.legal_name,
            "date_of_birth": person.date_of_birth,
            "birth_year": person.birth_year,
            "phone": person.phone,
            "address": person.address,
            "languages": ", ".join(person.languages or []),
            "nationality": person.nationality,
        }


class RegisterForm(PersonDetailsForm):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, initial=Status.UNKNOWN)
    key_worker = WorkerChoiceField(
        label=_("Key worker"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("The one worker responsible for this person (optional)."),
    )
    reason = text_area(_("Reason for involvement"), REASON_MAX)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key_worker"].queryset = workers_of([organisation])  # type: ignore[attr-defined]


class EditForm(PersonDetailsForm):
    # Optimistic locking: the version the editor started from.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    effective_on = date_field(_("Effective on"), today=True)
    note = text_area(_("Note"), NOTE_MAX)


class LeadForm(forms.Form):
    # Required here: a blank choice would silently take the lead away (the API may still clear it).
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead organisation"), queryset=Organisation.objects.none()
    )
    key_worker = WorkerChoiceField(
        label=_("Key worker"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Must be a caseworker or outreach worker of the lead organisation."),
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = organisations_of(network)
        self.fields["lead_organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["key_worker"].queryset = workers_of(organisations)  # type: ignore[attr-defined]


class InvolvementForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    started_on = date_field(_("Started on"), today=True)
    reason = text_area(_("Reason"), REASON_MAX)

    def __init__(self, *args: Any, access: PersonAccess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = access.person
        already = person.involvements.filter(ended_on__isnull=True).values("organisation_id")
        candidates = organisations_of(person.network).exclude(pk__in=already)
        # Offer only what the policy lets this member involve; anything else is not a valid choice.
        allowed = [org.pk for org in candidates if access.may_add_involvement_of(org.pk)]
        self.fields["organisation"].queryset = candidates.filter(pk__in=allowed)  # type: ignore[attr-defined]

    @property
    def has_choices(self) -> bool:
        return self.fields["organisation"].queryset.exists()  # type: ignore[attr-defined]


class EndInvolvementForm(forms.Form):
    ended_on = date_field(_("Ended on"), today=True)
    end_reason = text_area(_("Reason for ending"), REASON_MAX)


class ConsentForm(forms.Form):
    recipient = forms.ModelChoiceField(
        label=_("Recipient organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("The organisation that may receive the data."),
    )
    # No preselected purpose or way of giving: what the person agreed to is chosen, never defaulted.
    purpose = forms.ChoiceField(label=_("Purpose"), choices=[("", "—"), *Consent.Purpose.choices])
    data_categories = forms.MultipleChoiceField(
        label=_("Data categories"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    basis = forms.ChoiceField(label=_("Basis"), choices=Consent.Basis.choices, initial=Consent.Basis.CONSENT)
    how_given = forms.ChoiceField(label=_("How given"), choices=[("", "—"), *Consent.HowGiven.choices])
    valid_from = date_field(_("Valid from"), today=True)
    valid_to = date_field(_("Valid until"), required=False)
    note = text_area(_("Note"), NOTE_MAX)

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = organisations_of(network)  # type: ignore[attr-defined]

    def consent_input(self) -> ConsentInput:
        data = self.cleaned_data
        return ConsentInput(
            recipient=data["recipient"],
            purpose=data["purpose"],
            data_categories=list(data["data_categories"]),
            how_given=data["how_given"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            basis=data["basis"],
            note=data["note"],
        )


class WithdrawConsentForm(forms.Form):
    note = text_area(_("Note"), NOTE_MAX, help_text=_("For example how and when the person withdrew."))
