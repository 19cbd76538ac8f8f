"""Personal API tokens, included at /account/tokens/ (no namespace)."""

from django.urls import path

from inbeeld.core import token_views

urlpatterns = [
    path("", token_views.tokens, name="tokens"),
    path("<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
]
