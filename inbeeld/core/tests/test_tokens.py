"""Personal API tokens: made in a membership, shown once, kept only as a hash, revoked by their owner.

How the API accepts or refuses them is tested in people/tests/test_api.py.
"""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from inbeeld.core.models import ApiToken
from inbeeld.core.tokens import create_token, revoke_token
from inbeeld.testing import factories as f


@pytest.mark.django_db
class TestActions:
    def test_only_the_hash_is_stored(self, member):
        token, key = create_token(membership=member, name="Export")
        assert key.startswith("ibt_") and len(key) > 40
        assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
        stored = ApiToken.objects.filter(pk=token.pk).values().get()
        assert not any(key in str(value) for value in stored.values())
        assert key.startswith(token.hint) and len(token.hint) < 12
        assert (token.user, token.membership) == (member.user, member)

    def test_every_key_is_new(self, member):
        keys = {create_token(membership=member, name=f"t{n}")[1] for n in range(20)}
        assert len(keys) == 20

    @pytest.mark.parametrize("name", ["", "   ", "x" * 81, "a\x00b", "a\u202eb", "line\nbreak"])
    def test_bad_names_are_refused(self, member, name):
        with pytest.raises(ValidationError) as error:
            create_token(membership=member, name=name)
        assert "name" in error.value.message_dict
        assert not ApiToken.objects.exists()

    def test_no_token_for_an_ended_membership(self, member):
        member.ended_on = timezone.localdate()
        member.save()
        with pytest.raises(ValidationError):
            create_token(membership=member, name="Late")
        assert not ApiToken.objects.exists()

    def test_only_the_owner_revokes(self, member, outsider):
        token, _key = create_token(membership=member, name="Mine")
        with pytest.raises(PermissionDenied):
            revoke_token(token, acting_user=outsider.user)
        token.refresh_from_db()
        assert token.revoked_at is None
        revoke_token(token, acting_user=member.user)
        first = ApiToken.objects.get().revoked_at
        assert first is not None
        revoke_token(ApiToken.objects.get(), acting_user=member.user)
        assert ApiToken.objects.get().revoked_at == first


@pytest.mark.django_db
class TestPage:
    def test_key_is_shown_once(self, member, login):
        client = login(member)
        response = client.post(reverse("tokens"), {"name": "Maandexport"})
        assert response.status_code == 200
        token = ApiToken.objects.get()
        key = response.context["new_key"]
        assert ApiToken.hash_key(key) == token.key_hash
        assert key in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        later = client.get(reverse("tokens")).content.decode()
        assert key not in later
        assert "Maandexport" in later and token.hint in later
        assert token.key_hash not in later

    def test_token_acts_for_the_current_membership(self, member, network, login):
        second = f.MembershipFactory(user=member.user, organisation=f.OrganisationFactory(network=network))
        client = login(second)
        client.post(reverse("tokens"), {"name": "Tweede"})
        assert ApiToken.objects.get().membership == second

    @pytest.mark.parametrize("name", ["", "x" * 500, "bad\x07name"])
    def test_bad_name_shows_an_error_and_makes_nothing(self, member, login, name):
        response = login(member).post(reverse("tokens"), {"name": name})
        assert response.status_code == 200
        assert response.context["errors"]
        assert response.context["new_key"] is None
        assert not ApiToken.objects.exists()

    def test_only_own_tokens_are_listed(self, member, outsider, login):
        create_token(membership=outsider, name="Van een ander")
        assert "Van een ander" not in login(member).get(reverse("tokens")).content.decode()

    def test_revoke_own_token(self, member, login):
        token, _key = create_token(membership=member, name="Weg")
        response = login(member).post(reverse("token_revoke", args=[token.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("tokens")
        token.refresh_from_db()
        assert token.revoked_at is not None

    def test_someone_elses_token_is_404(self, member, outsider, login):
        token, _key = create_token(membership=outsider, name="Niet van jou")
        assert login(member).post(reverse("token_revoke", args=[token.pk])).status_code == 404
        token.refresh_from_db()
        assert token.revoked_at is None

    def test_revoke_needs_post(self, member, login):
        token, _key = create_token(membership=member, name="Blijft")
        assert login(member).get(reverse("token_revoke", args=[token.pk])).status_code == 405
        token.refresh_from_db()
        assert token.revoked_at is None

    def test_huge_id_is_404(self, member, login):
        response = login(member).post(f"/account/tokens/{10**30}/revoke/")
        assert response.status_code == 404
