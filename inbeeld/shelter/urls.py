from django.urls import URLPattern

from inbeeld.shelter.views import urlpatterns as hub_urls
from inbeeld.shelter.views_stays import urlpatterns as stay_urls
from inbeeld.shelter.views_volunteers import urlpatterns as volunteer_urls

app_name = "shelter"
urlpatterns: list[URLPattern] = [*hub_urls, *stay_urls, *volunteer_urls]
