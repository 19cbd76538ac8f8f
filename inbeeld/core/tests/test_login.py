"""Login: argon2 hashes, 2FA where it is required, the failed-login rate limit, idle sessions ending."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from inbeeld.core.roles import REQUIRES_2FA, Role
from inbeeld.testing import factories as f

PASSWORD = "a-long-test-password-42"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _user_with_role(organisation, role: str):  # type: ignore[no-untyped-def]
    membership = f.MembershipFactory(organisation=organisation, role=role)
    membership.user.set_password(PASSWORD)
    membership.user.save()
    return membership.user


def _log_in(client, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(org_a):
    user = _user_with_role(org_a, Role.CASEWORKER)
    assert user.password.startswith("argon2$")


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(REQUIRES_2FA))
def test_roles_that_see_person_data_must_set_up_2fa(client, org_a, role):
    user = _user_with_role(org_a, role)
    response = _log_in(client, user.email)
    assert response.status_code == 302
    for path in ("/", "/persons/", "/account/tokens/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get("/api/v1/me").status_code == 403


@pytest.mark.django_db
def test_setting_up_2fa_opens_the_app(client, org_a):
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    user = _user_with_role(org_a, Role.CASEWORKER)
    _log_in(client, user.email)
    # allauth asks for the password again before adding an authenticator
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": f.totp_code(secret)})
    assert response.status_code == 302
    assert user.authenticator_set.filter(type="totp").exists()
    assert client.get("/persons/").status_code == 200


@pytest.mark.django_db
def test_analyst_sees_no_person_data_and_needs_no_2fa(client, org_a):
    user = _user_with_role(org_a, Role.ANALYST)
    _log_in(client, user.email)
    response = client.get("/")
    # Straight to the figures, with no second factor asked: an analyst sees no person data.
    assert response.status_code == 302
    assert response["Location"] == "/reports/"
    assert client.get("/reports/").status_code == 200
    assert client.get("/persons/").status_code == 404


@pytest.mark.django_db
def test_demo_mode_may_waive_2fa_and_says_so(client, org_a, settings):
    settings.DEMO_MODE = True
    settings.DEMO_WAIVE_2FA = True
    user = _user_with_role(org_a, Role.CASEWORKER)
    _log_in(client, user.email)
    response = client.get("/persons/")
    assert response.status_code == 200
    assert b"banner-demo" in response.content


@pytest.mark.django_db
def test_login_with_totp_code(client, org_a):
    user = _user_with_role(org_a, Role.CASEWORKER)
    secret = f.with_totp(user)
    response = _log_in(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # not logged in yet: the second factor is still owed
    assert client.get("/persons/").status_code == 302
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": f.totp_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/persons/").status_code == 200


@pytest.mark.django_db
def test_failed_logins_are_rate_limited(client, org_a):
    user = _user_with_role(org_a, Role.CASEWORKER)
    for _ in range(5):
        response = _log_in(client, user.email, "wrong-password")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    # the sixth attempt is refused even with the right password
    response = _log_in(client, user.email)
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert b"Too many" in response.content or b"Te veel" in response.content


@pytest.mark.django_db
def test_sessions_end_after_the_idle_period(client, org_a, settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60 == 30 * 60
    membership = f.MembershipFactory(organisation=org_a, role=Role.CASEWORKER)
    f.with_totp(membership.user)
    client.force_login(membership.user)
    now = timezone.now()

    def at(minutes: int):  # type: ignore[no-untyped-def]
        return mock.patch("django.utils.timezone.now", return_value=now + datetime.timedelta(minutes=minutes))

    with at(29):
        assert client.get("/persons/").status_code == 200  # activity renews the session
    with at(29 + 29):
        assert client.get("/persons/").status_code == 200
    with at(29 + 29 + 31):
        response = client.get("/persons/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_dutch_by_default_whatever_the_browser_says_and_english_when_chosen(client):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "nl"
    assert "Wachtwoord" in page.content.decode()
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(reverse("account_login"))
    assert page["Content-Language"] == "en"
    assert "Password" in page.content.decode()
