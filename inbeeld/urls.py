from django.urls import include, path

from inbeeld.api import api
from inbeeld.core import views as core_views
from inbeeld.core.admin import admin_site

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("membership/", core_views.switch_membership, name="switch_membership"),
    path("account/tokens/", include("inbeeld.core.token_urls")),
    path("persons/", include("inbeeld.people.urls")),
    path("care/", include("inbeeld.care.urls")),
    path("radar/", include("inbeeld.radar.urls")),
    path("huiskamer/", include("inbeeld.huiskamer.urls")),
    path("shelter/", include("inbeeld.shelter.urls")),
    path("chain/", include("inbeeld.chain.urls")),
    path("reports/", include("inbeeld.reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin_site.urls),
    path("api/v1/", api.urls),
]
