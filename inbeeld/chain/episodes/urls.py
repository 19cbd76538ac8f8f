from django.urls import URLPattern, path

from inbeeld.chain.episodes import views

urlpatterns: list[URLPattern] = [
    path("persons/<int:pk>/episodes/", views.episodes, name="episodes"),
    path("persons/<int:pk>/episodes/add/", views.episode_add, name="episode_add"),
    path("persons/<int:pk>/episodes/<int:episode_pk>/edit/", views.episode_edit, name="episode_edit"),
    path("persons/<int:pk>/episodes/<int:episode_pk>/end/", views.episode_end, name="episode_end"),
]
