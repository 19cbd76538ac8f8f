"""The page where a user makes and revokes their personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from inbeeld.core.models import ApiToken, User
from inbeeld.core.tokens import NAME_MAX, create_token, revoke_token


@never_cache  # the response to a POST holds the new key: no cache may keep it
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]  # login_required: never anonymous here
    membership = request.membership  # type: ignore[attr-defined]
    new_key = None
    errors: list[str] = []
    name = ""
    if request.method == "POST":
        name = request.POST.get("name", "")
        if membership is None:
            errors.append(_("You have no active membership to make a token for."))
        else:
            try:
                _token, new_key = create_token(membership=membership, name=name)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                name = ""
    # The key is shown in this one response only (not via a redirect), so it is never stored anywhere.
    context = {
        "tokens": ApiToken.objects.filter(user=user).select_related("membership__organisation"),
        "new_key": new_key,
        "errors": errors,
        "name": name,
        "name_max": NAME_MAX,
    }
    return render(request, "core/tokens.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's token is answered like a missing one.
    user: User = request.user  # type: ignore[assignment]  # login_required: never anonymous here
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    revoke_token(token, acting_user=user)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("tokens")
