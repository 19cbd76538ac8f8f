from inbeeld.chain.transfers.views import urlpatterns

__all__ = ["urlpatterns"]
