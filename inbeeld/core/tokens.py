"""Personal API tokens: made in one membership, shown once, stored only as a SHA-256, revocable."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.core.models import ApiToken, Membership, User

NAME_MAX = ApiToken._meta.get_field("name").max_length or 80
# How much of the key is kept in clear so its owner can tell tokens apart: the prefix and 4 characters.
HINT_LENGTH = len(ApiToken.PREFIX) + 4


def clean_token_name(value: str) -> str:
    name = (value or "").strip()
    if not name:
        raise ValidationError({"name": _("This field is required.")})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": _("At most %(max)d characters.") % {"max": NAME_MAX}})
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise ValidationError({"name": _("Contains characters that are not allowed.")})
    return name


def create_token(*, membership: Membership, name: str) -> tuple[ApiToken, str]:
    """Make a token for the membership's user; returns it with the plain key, which is not kept."""
    if membership.ended_on is not None:
        raise ValidationError(_("This membership has ended."))
    name = clean_token_name(name)
    key = ApiToken.new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=membership.user,
            membership=membership,
            name=name,
            key_hash=ApiToken.hash_key(key),
            hint=key[:HINT_LENGTH],
        )
    return token, key


def revoke_token(token: ApiToken, *, acting_user: User) -> ApiToken:
    """Revoke a token; only its own user may. Revoking twice keeps the first moment."""
    if token.user_id != acting_user.pk:
        raise PermissionDenied(_("This is not your token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
