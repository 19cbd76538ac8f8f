"""Radar pages, mounted at /radar/. Each area keeps its own routes next to its views."""

from inbeeld.radar.views import dashboard, mdo, signals, transition

app_name = "radar"
urlpatterns = [
    *dashboard.urlpatterns,
    *signals.urlpatterns,
    *transition.urlpatterns,
    *mdo.urlpatterns,
]
