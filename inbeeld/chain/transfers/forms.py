"""The forms of a transfer of lead. The value rules are the actions'; these only offer the choices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inbeeld.chain.transfers import actions
from inbeeld.core.models import Organisation, User
from inbeeld.people.forms import WorkerChoiceField, text_area
from inbeeld.people.models import Person


class ProposeForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        label=_("Receiving organisation"), queryset=Organisation.objects.none()
    )
    handover_note = text_area(
        _("Handover note"),
        actions.NOTE_MAX,
        help_text=_("Only the two organisations of the transfer read this."),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = actions.receiving_organisations(person)  # type: ignore[attr-defined]


class AcceptForm(forms.Form):
    to_key_worker = WorkerChoiceField(label=_("New key worker"), queryset=User.objects.none())

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_key_worker"].queryset = actions.key_workers_of(organisation)  # type: ignore[attr-defined]


class DeclineForm(forms.Form):
    reason = text_area(_("Reason for declining"), actions.REASON_MAX)
