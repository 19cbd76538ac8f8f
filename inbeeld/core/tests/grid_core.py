"""Permission-grid entries for core routes: landing, health, language, login (allauth), admin, API docs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from inbeeld.core.roles import LIST_PERSONS, SHELTER, Role
from inbeeld.testing.grid import ROLES, GridRoute, World, by_role, same_for_all

# The landing page sends each role where its work is; roles without the person list see a short page.
_home = {
    role: ((302, 302) if role in LIST_PERSONS | SHELTER or role in (Role.ADMIN, Role.ANALYST) else (200, 200))
    for role in ROLES
}

# Logged-in users are sent on from pages meant for logged-out users (login, sign-up, password reset).
LOGGED_OUT_PAGE = same_for_all(302, anonymous=200)
# Account pages for a logged-in user; anonymous users are sent to the login page.
ACCOUNT_PAGE = same_for_all(200, anonymous=302)
# Sensitive account changes first ask to log in again (a fresh second factor).
REAUTHENTICATE_FIRST = same_for_all(302, anonymous=302)

ROUTES: list[GridRoute] = [
    GridRoute("home", expect={**_home, "anonymous": (302, 302)}),
    GridRoute("healthz", expect=same_for_all(200, anonymous=200)),
    GridRoute(
        "switch_membership",
        method="POST",
        data=lambda w: {"membership": "0"},
        expect=same_for_all(302),
    ),
    GridRoute(
        "set_language",
        method="POST",
        data=lambda w: {"language": "en"},
        expect=same_for_all(302, anonymous=302),
    ),
    GridRoute("api:openapi-json", expect=same_for_all(200, anonymous=200)),
    GridRoute("api:openapi-view", expect=same_for_all(200, anonymous=200)),
    # --- login and account (django-allauth) ---
    GridRoute("account_login", expect=LOGGED_OUT_PAGE),
    GridRoute("account_logout", expect=same_for_all(200, anonymous=302)),
    GridRoute("account_inactive", expect=same_for_all(200, anonymous=200)),
    GridRoute("account_signup", expect=LOGGED_OUT_PAGE),  # sign-up is closed: a page saying so
    GridRoute("account_reauthenticate", expect=REAUTHENTICATE_FIRST),
    GridRoute("account_request_reauthentication_code", expect=REAUTHENTICATE_FIRST),
    GridRoute("account_confirm_reauthentication_code", expect=REAUTHENTICATE_FIRST),
    GridRoute("account_email", expect=ACCOUNT_PAGE),
    GridRoute("account_email_verification_sent", expect=same_for_all(200, anonymous=200)),
    # grid users have no password yet: changing one first means setting one
    GridRoute("account_change_password", expect=same_for_all(302)),
    GridRoute("account_set_password", expect=ACCOUNT_PAGE),
    GridRoute("account_reset_password", expect=same_for_all(200, anonymous=200)),
    GridRoute("account_confirm_login_code", expect=same_for_all(302, anonymous=302)),
    GridRoute(
        "account_confirm_email", kwargs=lambda w: {"key": "nonsense"}, expect=same_for_all(200, anonymous=200)
    ),
    GridRoute("account_reset_password_from_key_done", expect=same_for_all(200, anonymous=200)),
    GridRoute(
        "account_reset_password_from_key",
        kwargs=lambda w: {"uidb36": "1", "key": "nonsense"},
        expect=same_for_all(200, anonymous=200),
    ),
    GridRoute("account_reset_password_done", expect=same_for_all(200, anonymous=200)),
    GridRoute("mfa_index", expect=ACCOUNT_PAGE),
    GridRoute("mfa_authenticate", expect=same_for_all(302, anonymous=302)),
    GridRoute("mfa_reauthenticate", expect=ACCOUNT_PAGE),
    GridRoute("mfa_activate_totp", expect=same_for_all(302, anonymous=302)),  # already active in the grid
    GridRoute("mfa_deactivate_totp", expect=REAUTHENTICATE_FIRST),
    GridRoute("mfa_view_recovery_codes", expect=same_for_all(404, anonymous=302)),
    GridRoute("mfa_generate_recovery_codes", expect=REAUTHENTICATE_FIRST),
    GridRoute("mfa_download_recovery_codes", expect=same_for_all(404, anonymous=302)),
]

# --- the application manager's admin: the admin role only; everyone else is sent to its login ---
ADMIN_ONLY = by_role(default=(302, 302), admin=(200, 200))


def _first_location(world: World) -> int:
    from inbeeld.core.models import Location

    location, _ = Location.objects.get_or_create(organisation=world.org_a, name="Grid office", kind="office")
    return location.pk


def _zrm(world: World) -> int:
    from inbeeld.care.models import Instrument

    return Instrument.objects.get(code="zrm-2017").pk


# Every model in the admin: (app label, model name) → the id of an object to open.
_admin_models: dict[tuple[str, str], Callable[[World], int]] = {
    ("core", "network"): lambda w: w.network.pk,
    ("core", "organisation"): lambda w: w.org_a.pk,
    ("core", "location"): _first_location,
    ("core", "user"): lambda w: w.member("caseworker", "own").user_id,
    ("core", "membership"): lambda w: w.member("caseworker", "own").pk,
    ("care", "instrument"): _zrm,
    ("radar", "rulesetting"): lambda w: _rule_setting(w),
    ("radar", "keydate"): lambda w: _key_date(w),
    ("reports", "reportsettings"): lambda w: _report_settings(w),
}


def _report_settings(w: World) -> int:
    from inbeeld.reports.models import ReportSettings

    return ReportSettings.objects.get_or_create(network=w.network)[0].pk


def _rule_setting(w: World) -> int:
    from inbeeld.radar.models import RuleSetting

    setting, _ = RuleSetting.objects.get_or_create(
        network=w.network,
        rule="not_seen_zone",
        defaults={"amber_at": 7, "red_at": 14, "escalate_after_days": 2},
    )
    return setting.pk


def _key_date(w: World) -> int:
    import datetime

    from inbeeld.radar.models import KeyDate

    return KeyDate.objects.create(network=w.network, name="Sluiting", date=datetime.date(2030, 1, 1)).pk


def _admin_routes() -> list[GridRoute]:
    routes = [
        GridRoute("admin:index", expect=ADMIN_ONLY),
        GridRoute("admin:login", expect=same_for_all(200, anonymous=200, admin=(302, 302))),
        GridRoute("admin:logout", method="POST", expect=by_role(default=(302, 302), admin=(200, 200))),
        GridRoute("admin:password_change", expect=ADMIN_ONLY),
        GridRoute("admin:password_change_done", expect=ADMIN_ONLY),
        GridRoute("admin:autocomplete", expect=by_role(default=(302, 302), admin=(403, 403))),
        GridRoute("admin:jsi18n", expect=ADMIN_ONLY),
        GridRoute(
            "admin:view_on_site",
            kwargs=lambda w: {"content_type_id": "1", "object_id": "1"},
            expect=by_role(default=(302, 302), admin=(404, 404)),
        ),
        GridRoute("admin:app_list", kwargs=lambda w: {"app_label": "care"}, expect=ADMIN_ONLY),
        GridRoute(
            "admin/(?P<url>.*)$",
            path=lambda w: "/admin/no-such-page/",
            expect=by_role(default=(302, 302), admin=(404, 404)),
        ),
        GridRoute(
            "admin:auth_user_password_change",
            kwargs=lambda w: {"id": w.member("caseworker", "own").user_id},
            expect=ADMIN_ONLY,
        ),
    ]
    for (app, model), object_id in _admin_models.items():
        routes += [
            GridRoute(f"admin:{app}_{model}_changelist", expect=ADMIN_ONLY),
            GridRoute(f"admin:{app}_{model}_add", expect=ADMIN_ONLY),
        ]
        routes += [
            GridRoute(f"admin:{app}_{model}_{view}", kwargs=_object_kwargs(object_id), expect=ADMIN_ONLY)
            for view in ("history", "delete", "change")
        ]
        routes.append(
            GridRoute(
                f"admin/{app}/{model}/<path:object_id>/",
                path=_object_path(app, model, object_id),
                expect=by_role(default=(302, 302), admin=(302, 302)),
            )
        )
    return routes


def _object_kwargs(object_id: Callable[[World], int]) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"object_id": str(object_id(w))}


def _object_path(app: str, model: str, object_id: Callable[[World], int]) -> Callable[[World], str]:
    return lambda w: f"/admin/{app}/{model}/{object_id(w)}/"


ROUTES += _admin_routes()
