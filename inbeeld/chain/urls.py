from django.urls import URLPattern

from inbeeld.chain.views_services import urlpatterns as service_urls

app_name = "chain"
urlpatterns: list[URLPattern] = [*service_urls]
