"""The break-the-glass form (reason, exact search term, the chosen person) and the review form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inbeeld.chain.emergency.models import REASON_MIN_LENGTH

SEARCH_MAX = 100


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need this person's data now?"),
        min_length=REASON_MIN_LENGTH,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The privacy officer reads this and judges whether the emergency access was justified."),
    )
    q = forms.CharField(
        label=_("Roepnaam, alias or phone number, exactly"),
        max_length=SEARCH_MAX,
    )
    person = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class ReviewForm(forms.Form):
    justified = forms.TypedChoiceField(
        label=_("Verdict"),
        choices=[("yes", _("Justified")), ("no", _("Not justified"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    review_note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the access was not justified."),
    )
