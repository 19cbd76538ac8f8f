from inbeeld.chain.referrals.views import urlpatterns

__all__ = ["urlpatterns"]
