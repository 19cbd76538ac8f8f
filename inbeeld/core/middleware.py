"""Per-request context: the acting membership, and the two-factor requirement."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from inbeeld.core.auth import lacks_required_two_factor

SESSION_MEMBERSHIP_KEY = "inbeeld_membership_id"
# Paths a user without the required 2FA may still reach: setting it up, logging out, language.
_TWO_FACTOR_EXEMPT = ("/accounts/", "/i18n/", "/static/", "/healthz")


class DutchUnlessChosenMiddleware:
    """Dutch for everyone until they choose English with the switch (a cookie set by set_language).

    Django's LocaleMiddleware would follow the browser's Accept-Language; the network works in Dutch,
    so a browser set to English does not decide the language of the pages. API clients may ask for a
    language with Accept-Language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen in self.supported:
            language = chosen
        elif request.path.startswith("/api/"):
            # A script has no switch to press: for the API, Accept-Language is how it asks.
            language = translation.get_language_from_request(request)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


class MembershipMiddleware:
    """Resolve once per request in which organisation and role the user acts."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        request.memberships = []  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            memberships = list(request.user.active_memberships())  # type: ignore[union-attr]
            chosen = request.session.get(SESSION_MEMBERSHIP_KEY)
            current = next(
                (m for m in memberships if m.pk == chosen), memberships[0] if memberships else None
            )
            request.membership = current  # type: ignore[attr-defined]
            request.memberships = memberships  # type: ignore[attr-defined]
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_TWO_FACTOR_EXEMPT)
            and lacks_required_two_factor(user)  # type: ignore[arg-type]
        ):
            if request.path.startswith("/api/"):
                message = _("Set up two-factor authentication before using person data.")
                return JsonResponse({"detail": message}, status=403)
            return redirect("mfa_activate_totp")
        return self.get_response(request)
