from inbeeld.reports.views_street import urlpatterns

__all__ = ["urlpatterns"]
