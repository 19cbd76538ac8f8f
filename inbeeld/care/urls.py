"""Care pages, mounted at /care/. Each area keeps its own routes next to its views."""

from inbeeld.care.views import appointments, assessments, contacts, intake, plans

app_name = "care"
urlpatterns = [
    *contacts.urlpatterns,
    *appointments.urlpatterns,
    *assessments.urlpatterns,
    *plans.urlpatterns,
    *intake.urlpatterns,
]
