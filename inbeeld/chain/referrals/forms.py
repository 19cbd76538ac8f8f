"""The forms of a referral. The value rules are the actions'; these only offer the choices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inbeeld.chain.models import Service
from inbeeld.chain.referrals import actions
from inbeeld.chain.referrals.models import Referral
from inbeeld.core.access import PersonAccess
from inbeeld.people.forms import text_area
from inbeeld.people.models import Consent, DataCategory


class ServiceChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Service) -> str:
        return f"{obj.organisation.name}: {obj.name}"


class ConsentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Consent) -> str:
        return f"{obj.recipient.name}: {obj.get_purpose_display()} ({obj.get_basis_display()})"


class ReferralForm(forms.Form):
    service = ServiceChoiceField(label=_("Service"), queryset=Service.objects.none())
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Referral.Urgency.choices, initial="normal")
    reason = forms.CharField(
        label=_("Reason"), max_length=actions.REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    shared_categories = forms.MultipleChoiceField(
        label=_("What is shared"), choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    consent = ConsentChoiceField(
        label=_("Consent or legal basis"), queryset=Consent.objects.none(), required=False
    )
    handover_note = text_area(
        _("Handover note"),
        actions.NOTE_MAX,
        help_text=_("Once sent, only the receiving organisation reads this."),
    )
    send = forms.BooleanField(label=_("Send now"), required=False, initial=True)

    def __init__(self, *args: Any, person_access: PersonAccess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = actions.services_for(person_access)  # type: ignore[attr-defined]
        self.fields["consent"].queryset = actions.consents_for(person_access)  # type: ignore[attr-defined]


class DeclineForm(forms.Form):
    reason = text_area(_("Reason for declining"), actions.DECLINE_MAX)
