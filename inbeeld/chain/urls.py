from django.urls import URLPattern

from inbeeld.chain.emergency.urls import urlpatterns as emergency_urls
from inbeeld.chain.episodes.urls import urlpatterns as episode_urls
from inbeeld.chain.referrals.urls import urlpatterns as referral_urls
from inbeeld.chain.transfers.urls import urlpatterns as transfer_urls
from inbeeld.chain.views_services import urlpatterns as service_urls

app_name = "chain"
urlpatterns: list[URLPattern] = [
    *service_urls,
    *episode_urls,
    *emergency_urls,
    *transfer_urls,
    *referral_urls,
]
