"""Login rules: no self sign-up, and two-factor authentication for roles that see person data."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest

from inbeeld.core import crypto, roles
from inbeeld.core.models import User


class InbeeldAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are made by the application manager, never by sign-up.
        return False


def has_two_factor(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def role_requires_two_factor(user: User) -> bool:
    # Staff reach the admin (accounts and memberships): as valuable as any role, so 2FA for them too.
    if user.is_staff or user.is_superuser:
        return True
    return user.memberships.active().filter(role__in=roles.REQUIRES_2FA).exists()


def lacks_required_two_factor(user: User) -> bool:
    if settings.DEMO_WAIVE_2FA:
        return False
    return role_requires_two_factor(user) and not has_two_factor(user)


class InbeeldMFAAdapter(DefaultMFAAdapter):
    """TOTP secrets are encrypted with the field keys, like every other secret column."""

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)
