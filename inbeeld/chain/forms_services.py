"""The forms of the partner services directory: the filter bar and the service form.

As elsewhere: the form turns text into values; ``chain.actions_services`` decides what is allowed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from inbeeld.chain import actions_services as actions
from inbeeld.chain.models import Category, Service
from inbeeld.core.models import Location, Membership, Organisation
from inbeeld.people.forms import split_list

TEXTAREA = {"rows": 3}


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class FilterForm(forms.Form):
    """The directory's filters: every field optional; an unknown value is simply ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Category"), required=False)
    language = forms.CharField(label=_("Language (two letters, e.g. ro)"), required=False, max_length=2)
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    inactive = forms.BooleanField(label=_("Show inactive services"), required=False)

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "category").choices = [("", _("All categories")), *Category.choices]
        _choice_field(self, "organisation").choices = [
            ("", _("All organisations")),
            *((o.pk, o.name) for o in organisations),
        ]

    def filters(self) -> dict[str, Any]:
        # cleaned_data keeps the fields that validated: one bad filter does not undo the others.
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}


class ServiceForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int, required=False)
    name = forms.CharField(label=_("Name"), max_length=actions.NAME_MAX)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=actions.TEXT_MAX,
    )
    eligibility = forms.CharField(
        label=_("Who is it for"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=actions.TEXT_MAX,
    )
    application_process = forms.CharField(
        label=_("How to apply"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=actions.TEXT_MAX,
    )
    fees = forms.CharField(label=_("Costs"), required=False, max_length=actions.LINE_MAX)
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=200,
        help_text=_("Two-letter codes separated by commas, e.g. nl, en, ro, bg."),
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    email = forms.CharField(label=_("Email address"), required=False, max_length=254)
    url = forms.CharField(label=_("Website"), required=False, max_length=200)
    locations = forms.TypedMultipleChoiceField(
        label=_("Locations"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, membership: Membership, service: Service | None = None, **kwargs: Any
    ) -> None:
        if service is not None:
            kwargs.setdefault("initial", {**self.initial_for(service), **kwargs.get("initial", {})})
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.service = service
        if service is None:
            organisations = actions.editable_organisations(membership)
            _choice_field(self, "organisation").choices = [(o.pk, o.name) for o in organisations]
            self.fields["organisation"].initial = membership.organisation_id
            self.fields["organisation"].help_text = _("Left empty: your own organisation.")
            locations = Location.objects.filter(organisation__in=organisations)
            del self.fields["version"]
        else:
            del self.fields["organisation"]
            self.fields["version"].required = True  # the optimistic lock: no version, no save
            locations = Location.objects.filter(organisation=service.organisation)
        _choice_field(self, "locations").choices = [
            (loc.pk, f"{loc.name} — {loc.organisation.name}" if service is None else loc.name)
            for loc in locations.select_related("organisation").order_by("name")
        ]

    @staticmethod
    def initial_for(service: Service) -> dict[str, Any]:
        return {
            **{name: getattr(service, name) for name in actions.FIELDS if name != "languages"},
            "languages": ", ".join(service.languages or []),
            "locations": list(service.locations.values_list("pk", flat=True)),
            "version": service.version,
        }

    def chosen_organisation(self) -> Organisation:
        """The organisation a new service is for: the chosen one, or the member's own."""
        if self.service is not None:
            return self.service.organisation
        chosen = self.cleaned_data.get("organisation") or self.membership.organisation_id
        found = Organisation.objects.filter(
            pk=chosen, network_id=self.membership.organisation.network_id
        ).first()
        if found is None:
            raise ValidationError({"organisation": _("Choose an organisation from the list.")})
        return found

    def service_input(self) -> actions.ServiceInput:
        data = self.cleaned_data
        return actions.ServiceInput(
            name=data.get("name") or "",
            category=data.get("category") or "",
            description=data.get("description") or "",
            email=data.get("email") or "",
            phone=data.get("phone") or "",
            url=data.get("url") or "",
            eligibility=data.get("eligibility") or "",
            languages=split_list(data.get("languages") or ""),
            application_process=data.get("application_process") or "",
            fees=data.get("fees") or "",
            location_ids=list(data.get("locations") or []),
        )
