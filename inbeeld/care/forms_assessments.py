"""The form for recording an assessment: built from the instrument's domains and levels (data, not code).

Per domain a choice of the instrument's levels, named in the page's language, or "not assessed", and an
optional note. The form checks types and choices; the rules themselves (dates, lengths, control
characters, at least one score) live in ``care.actions.assessments`` and are shown next to the fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.care.actions import assessments as actions
from inbeeld.care.models import Domain, Instrument
from inbeeld.people.forms import date_field, text_area

NOT_ASSESSED = ""


@dataclass
class DomainRow:
    domain: Domain
    label: str
    score: forms.BoundField
    note: forms.BoundField


class AssessmentForm(forms.Form):
    instrument = forms.ModelChoiceField(
        queryset=Instrument.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": gettext_lazy("Choose an instrument of this network."),
            "invalid_choice": gettext_lazy("Choose an instrument of this network."),
        },
    )
    assessed_on = date_field(gettext_lazy("Assessed on"), today=True)
    note = text_area(gettext_lazy("Note on the whole assessment"), actions.NOTE_MAX)

    def __init__(
        self,
        data: Any = None,
        *,
        instruments: QuerySet[Instrument],
        chosen: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.instruments = list(instruments)
        self.fields["instrument"].queryset = instruments  # type: ignore[attr-defined]
        wanted = str((data.get("instrument") if data is not None else chosen) or "").strip()
        self.chosen_instrument: Instrument | None = next(
            (i for i in self.instruments if str(i.pk) == wanted), None
        ) or actions.pick_default(self.instruments)
        self.domains: list[Domain] = []
        if self.chosen_instrument is not None:
            self.fields["instrument"].initial = self.chosen_instrument.pk
            self._add_domain_fields(self.chosen_instrument)

    def _add_domain_fields(self, instrument: Instrument) -> None:
        lang = actions.language()
        choices = [
            (str(value), f"{value} · {instrument.level_label(value, lang)}")
            for value in actions.levels_of(instrument)
        ]
        message = actions.score_error(instrument)
        self.domains = sorted(instrument.domains.all(), key=lambda d: d.position)
        for domain in self.domains:
            self.fields[f"score_{domain.code}"] = forms.ChoiceField(
                label=domain.label(lang),
                choices=[*choices, (NOT_ASSESSED, _("Not assessed"))],
                required=False,
                initial=NOT_ASSESSED,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": message},
            )
            self.fields[f"note_{domain.code}"] = forms.CharField(
                label=_("Note on %(domain)s") % {"domain": domain.label(lang)},
                required=False,
                max_length=actions.NOTE_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def domain_rows(self) -> list[DomainRow]:
        lang = actions.language()
        return [
            DomainRow(
                domain=domain,
                label=domain.label(lang),
                score=self[f"score_{domain.code}"],
                note=self[f"note_{domain.code}"],
            )
            for domain in self.domains
        ]

    def scores(self) -> dict[int, actions.ScoreInput]:
        data = self.cleaned_data
        out: dict[int, actions.ScoreInput] = {}
        for domain in self.domains:
            raw = data.get(f"score_{domain.code}") or NOT_ASSESSED
            value = int(raw) if raw != NOT_ASSESSED else None
            out[domain.pk] = (value, data.get(f"note_{domain.code}") or "")
        return out
