"""The application manager tunes the radar per network: rules on or off, thresholds, key dates.

No person data here: signals, states and exit routes are case work and stay out of the admin.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from inbeeld.core.admin import ManagerOnlyAdmin, admin_site
from inbeeld.radar import rules
from inbeeld.radar.models import KeyDate, RuleSetting


class RuleSettingForm(forms.ModelForm):
    rule = forms.ChoiceField(label=_("rule"), choices=())

    class Meta:
        model = RuleSetting
        fields = ["network", "rule", "enabled", "amber_at", "red_at", "escalate_after_days"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = rules.choices()  # type: ignore[attr-defined]
        help_texts = "; ".join(
            f"{rule.label}: {rule.describe(rule.defaults())}" for rule in rules.all_rules()
        )
        self.fields["amber_at"].help_text = _(
            "Days, or events in a row, as the rule counts them. Defaults: %s"
        ) % (help_texts)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        rule = rules.get(cleaned.get("rule", ""))
        amber_at = cleaned.get("amber_at")
        if rule is not None and amber_at is not None:
            try:
                rule.validate(amber_at, cleaned.get("red_at"))
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        self.add_error(field, message)
        return cleaned


@admin.register(RuleSetting, site=admin_site)
class RuleSettingAdmin(ManagerOnlyAdmin):
    form = RuleSettingForm
    list_display = ["network", "rule_label", "enabled", "amber_at", "red_at", "escalate_after_days"]
    list_filter = ["network", "enabled"]

    @admin.display(description=_("rule"))
    def rule_label(self, obj: RuleSetting) -> str:
        return rules.label_for(obj.rule)


@admin.register(KeyDate, site=admin_site)
class KeyDateAdmin(ManagerOnlyAdmin):
    list_display = ["name", "date", "network"]
    list_filter = ["network"]
