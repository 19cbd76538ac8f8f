"""How an API request says who it is: the browser's session, or a personal API token.

Both refuse a user who lacks the two-factor authentication their role requires (403). For session
requests ``RequireTwoFactorMiddleware`` already answers first; the check is repeated here so the API
never depends on middleware order. Token requests never pass that middleware as a logged-in user,
so for them this is the only check.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie

from inbeeld.core.auth import lacks_required_two_factor
from inbeeld.core.models import ApiToken, User

# Writing last_used_at on every call would turn each read into a write; a minute is precise enough.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)
# A key is "ibt_" plus 43 url-safe characters; anything far longer is not worth hashing.
_MAX_KEY_LENGTH = 100


def _refuse_without_two_factor(user: User) -> None:
    if lacks_required_two_factor(user):
        raise AuthorizationError(message=_("Set up two-factor authentication before using person data."))


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ibt_…``: the token's user, acting in the membership it was made in."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token.startswith(ApiToken.PREFIX) or len(token) > _MAX_KEY_LENGTH:
            return None
        row = (
            ApiToken.objects.usable()
            .select_related("user", "membership__organisation__network")
            .filter(key_hash=ApiToken.hash_key(token))
            .first()
        )
        # An ended membership takes its tokens with it: the member no longer acts for that organisation.
        if row is None or row.membership.ended_on is not None or row.membership.user_id != row.user_id:
            return None
        _refuse_without_two_factor(row.user)
        _touch(row)
        request.user = row.user
        request.membership = row.membership  # type: ignore[attr-defined]
        request.memberships = [row.membership]  # type: ignore[attr-defined]
        request.api_token = row  # type: ignore[attr-defined]
        return row.user


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return  # recent enough: spare the write
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_PRECISION)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)


class SessionAuth(APIKeyCookie):
    """The browser's login session, CSRF-checked.

    Unlike ninja's ``django_auth`` the CSRF check runs only once a session has authenticated the
    user: an anonymous call is then answered 401 (not 403), and a token call passes untouched.
    """

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if key is None or not user.is_authenticated:
            return None
        _refuse_without_two_factor(user)  # type: ignore[arg-type]
        return user


token_auth = TokenAuth()
session_auth = SessionAuth()
# The token is tried first: a script's POST carries no CSRF token and must not be judged as a session.
API_AUTH = [token_auth, session_auth]
