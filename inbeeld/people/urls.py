from django.urls import path

from inbeeld.people import views, views_network

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.register, name="register"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/status/", views.change_status, name="status"),
    path("<int:pk>/lead/", views.assign_lead, name="lead"),
    path("<int:pk>/involvements/new/", views.involvement_add, name="involvement_add"),
    path("<int:pk>/involvements/<int:involvement_pk>/end/", views.involvement_end, name="involvement_end"),
    path("<int:pk>/consents/new/", views.consent_add, name="consent_add"),
    path("<int:pk>/consents/<int:consent_pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("<int:pk>/access-log/", views.access_log, name="access_log"),
    path("<int:pk>/access-report/", views.access_report, name="access_report"),
    path("<int:pk>/access-report/pdf/", views.access_report, {"format": "pdf"}, name="access_report_pdf"),
    path("<int:pk>/timeline/", views.person_timeline, name="timeline"),
    path("<int:pk>/network/", views_network.network_map, name="network"),
    path("<int:pk>/network/new/", views_network.tie_add, name="tie_add"),
    path("<int:pk>/network/<int:tie_pk>/edit/", views_network.tie_edit, name="tie_edit"),
    path("<int:pk>/network/<int:tie_pk>/end/", views_network.tie_end, name="tie_end"),
]
