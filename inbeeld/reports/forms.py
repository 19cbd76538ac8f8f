"""The dashboard's pickers: whole calendar years, a granularity and the network or one organisation."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.core.models import Membership
from inbeeld.reports.cube import NETWORK, OrgKey
from inbeeld.reports.report import MAX_YEARS, Report, compute_report, first_data_year, organisations_of

GRANULARITY_CHOICES = [("month", _("Month")), ("quarter", _("Quarter")), ("year", _("Year"))]
# How far back the year pickers go; older data can be reported by moving the window.
YEARS_BACK = 25


class ReportFilterForm(forms.Form):
    first_year = forms.TypedChoiceField(label=_("From year"), coerce=int)
    last_year = forms.TypedChoiceField(label=_("To year"), coerce=int)
    granularity = forms.ChoiceField(label=_("Per"), choices=GRANULARITY_CHOICES)
    organisation = forms.ChoiceField(label=_("Organisation"))

    def __init__(
        self,
        data: Any,
        *,
        organisations: list[tuple[OrgKey, str]],
        data_date: datetime.date,
        default_first_year: int,
    ) -> None:
        initial = {
            "first_year": default_first_year,
            "last_year": data_date.year,
            "granularity": "quarter",
            "organisation": NETWORK,
        }
        merged = {**initial, **{k: v for k, v in (data or {}).items() if k in initial}}
        super().__init__(merged)
        years = [(y, str(y)) for y in range(data_date.year, data_date.year - YEARS_BACK, -1)]
        for name in ("first_year", "last_year"):
            cast(forms.TypedChoiceField, self.fields[name]).choices = years
        choices = [(str(key), label) for key, label in organisations]
        cast(forms.ChoiceField, self.fields["organisation"]).choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first is not None and last is not None:
            if last < first:
                self.add_error("last_year", _("The last year must not be before the first year."))
            elif last - first + 1 > MAX_YEARS:
                self.add_error(
                    "first_year",
                    _("A report covers at most %(years)s years.") % {"years": MAX_YEARS},
                )
        return cleaned

    @property
    def organisation_key(self) -> OrgKey:
        value = self.cleaned_data["organisation"]
        return NETWORK if value == NETWORK else int(value)


def report_filter(membership: Membership, data: Any) -> ReportFilterForm:
    """The pickers for ``membership``'s network, bound to ``data`` (a query string); defaults fill gaps."""
    network = membership.organisation.network
    today = timezone.localdate()
    return ReportFilterForm(
        data,
        organisations=organisations_of(network),
        data_date=today,
        default_first_year=first_data_year(network, today),
    )


def filtered_report(
    membership: Membership, form: ReportFilterForm, *, codes: list[str] | None = None
) -> Report:
    return compute_report(
        membership.organisation.network,
        first_year=form.cleaned_data["first_year"],
        last_year=form.cleaned_data["last_year"],
        codes=codes,
        reuse_today=True,
    )
