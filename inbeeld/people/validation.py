"""Input rules for person data, shared by web forms and the API so both refuse the same things."""

from __future__ import annotations

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.core.crypto import normalise_phone

EARLIEST_BIRTH_YEAR = 1900
EARLIEST_RECORD_DATE = datetime.date(2000, 1, 1)
NAME_MAX = 80
TEXT_MAX = 4000


def _has_control_chars(text: str, *, allow_newlines: bool) -> bool:
    allowed = {"\n", "\r", "\t"} if allow_newlines else set()
    return any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in allowed for ch in text)


def clean_name(value: str, *, field: str, required: bool = True) -> str:
    text = (value or "").strip()
    if not text:
        if required:
            raise ValidationError({field: _("This field is required.")})
        return ""
    if len(text) > NAME_MAX:
        raise ValidationError({field: _("At most %(max)d characters.") % {"max": NAME_MAX}})
    if _has_control_chars(text, allow_newlines=False):
        raise ValidationError({field: _("Contains characters that are not allowed.")})
    return text


def clean_text(value: str, *, field: str, max_length: int = TEXT_MAX) -> str:
    text = (value or "").strip()
    if len(text) > max_length:
        raise ValidationError({field: _("At most %(max)d characters.") % {"max": max_length}})
    if _has_control_chars(text, allow_newlines=True):
        raise ValidationError({field: _("Contains characters that are not allowed.")})
    return text


def clean_phone(value: str, *, field: str = "phone") -> str:
    text = clean_name(value, field=field, required=False)
    if not text:
        return ""
    if any(not (ch.isdigit() or ch in "+-() .") for ch in text):
        raise ValidationError({field: _("A phone number holds digits, spaces, +, - and brackets only.")})
    digits = normalise_phone(text)
    if not 6 <= len(digits) <= 15:
        raise ValidationError({field: _("A phone number has 6 to 15 digits.")})
    return text


def clean_birth(
    date_of_birth: datetime.date | None, birth_year: int | None
) -> tuple[datetime.date | None, int | None]:
    today = timezone.localdate()
    if date_of_birth is not None:
        if date_of_birth > today:
            raise ValidationError({"date_of_birth": _("A date of birth cannot be in the future.")})
        if date_of_birth.year < EARLIEST_BIRTH_YEAR:
            raise ValidationError({"date_of_birth": _("A date of birth before 1900 is not plausible.")})
        if birth_year is not None and birth_year != date_of_birth.year:
            raise ValidationError({"birth_year": _("The year of birth does not match the date of birth.")})
        return date_of_birth, date_of_birth.year
    if birth_year is not None and not EARLIEST_BIRTH_YEAR <= birth_year <= today.year:
        raise ValidationError(
            {
                "birth_year": _("Enter a year between %(a)d and %(b)d.")
                % {"a": EARLIEST_BIRTH_YEAR, "b": today.year}
            }
        )
    return None, birth_year


def clean_record_date(
    value: datetime.date | None, *, field: str, allow_future_days: int = 0
) -> datetime.date:
    if value is None:
        raise ValidationError({field: _("This field is required.")})
    today = timezone.localdate()
    if value < EARLIEST_RECORD_DATE:
        raise ValidationError({field: _("A date before 2000 is not plausible here.")})
    if value > today + datetime.timedelta(days=allow_future_days):
        if allow_future_days:
            raise ValidationError({field: _("This date is too far in the future.")})
        raise ValidationError({field: _("This date cannot be in the future.")})
    return value


def clean_languages(values: list[str], *, field: str = "languages") -> list[str]:
    cleaned = []
    for raw in values or []:
        code = (raw or "").strip().lower()
        if not code:
            continue
        if not (2 <= len(code) <= 3 and code.isascii() and code.isalpha()):
            raise ValidationError({field: _("Use ISO language codes such as nl, en, ro, bg.")})
        if code not in cleaned:
            cleaned.append(code)
    if len(cleaned) > 12:
        raise ValidationError({field: _("At most 12 languages.")})
    return cleaned


def clean_country(value: str, *, field: str = "nationality") -> str:
    code = (value or "").strip().upper()
    if code and not (len(code) == 2 and code.isascii() and code.isalpha()):
        raise ValidationError({field: _("Use a two-letter country code such as NL, RO, BG.")})
    return code


def clean_aliases(values: list[str], *, field: str = "aliases") -> list[str]:
    cleaned: list[str] = []
    for raw in values or []:
        name = clean_name(raw, field=field, required=False)
        if name and name not in cleaned:
            cleaned.append(name)
    if len(cleaned) > 20:
        raise ValidationError({field: _("At most 20 aliases.")})
    return cleaned
