from django.urls import URLPattern, path

from inbeeld.chain.emergency import views

urlpatterns: list[URLPattern] = [
    path("emergency/", views.start, name="emergency"),
    path("emergency/<int:pk>/", views.grant_page, name="emergency_grant"),
    path("emergency/review/", views.review_list, name="emergency_review"),
    path("emergency/review/<int:pk>/", views.review_grant, name="emergency_review_grant"),
]
