from inbeeld.reports import views  # noqa: F401

app_name = "reports"

urlpatterns: list = []
