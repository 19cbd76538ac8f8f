from django.urls import path

from inbeeld.reports import urls_street, views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures.csv", views.export_csv, name="export_csv"),
    path("report.pdf", views.export_pdf, name="export_pdf"),
    path("refresh/", views.refresh, name="refresh"),
    *urls_street.urlpatterns,
]
