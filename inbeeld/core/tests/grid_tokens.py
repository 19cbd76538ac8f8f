"""Permission-grid entries for the personal API token pages (/account/tokens/).

Every member may make tokens for the membership they act in; a token is revoked only by its own user
(someone else's token answers 404, like a missing one).
"""

from __future__ import annotations

from inbeeld.core.tokens import create_token
from inbeeld.testing.grid import GridRoute, by_role, same_for_all


def _token_of_caseworker_a(world) -> int:  # type: ignore[no-untyped-def]
    token, _key = create_token(membership=world.member("caseworker", "own"), name="grid")
    return token.pk


ROUTES: list[GridRoute] = [
    GridRoute("tokens", expect=same_for_all(200, anonymous=302)),
    GridRoute(
        "token_revoke",
        method="POST",
        kwargs=lambda w: {"pk": _token_of_caseworker_a(w)},
        expect=by_role(caseworker=(302, 404)),
    ),
]
