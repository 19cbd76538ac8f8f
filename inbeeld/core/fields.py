"""Model fields whose values are stored encrypted (see core.crypto)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import models

from inbeeld.core import crypto


class EncryptedTextField(models.TextField):
    """Free text stored as a Fernet token. Empty stays empty; it cannot be searched or sorted."""

    encrypted = True

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))


if TYPE_CHECKING:
    _DateFieldBase = models.Field[datetime.date | str | None, datetime.date | None]
else:
    _DateFieldBase = models.Field


class EncryptedDateField(_DateFieldBase):
    """A date stored encrypted (ISO format inside the token)."""

    encrypted = True

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> datetime.date | None:
        if not value:
            return None
        return datetime.date.fromisoformat(crypto.decrypt(value))

    def to_python(self, value: Any) -> datetime.date | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime.date):
            return value
        return datetime.date.fromisoformat(str(value))

    def get_prep_value(self, value: Any) -> Any:
        if value in (None, ""):
            return None if self.null else ""
        return crypto.encrypt(self.to_python(value).isoformat())  # type: ignore[union-attr]

    def formfield(self, form_class: Any = None, choices_form_class: Any = None, **kwargs: Any) -> Any:
        from django import forms

        return super().formfield(form_class=form_class or forms.DateField, **kwargs)


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every model with encrypted columns, and the names of those columns."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]
        if names:
            found.append((model, names))
    return found
