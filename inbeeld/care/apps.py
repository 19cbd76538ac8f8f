from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "inbeeld.care"
    label = "care"
    verbose_name = _("Care")

    def ready(self) -> None:
        # Importing the view modules registers their sections on the person page.
        # Importing the timeline sources registers them on the person's timeline.
        from inbeeld.care import timeline_sources  # noqa: F401
        from inbeeld.care.views import appointments, assessments, contacts, plans  # noqa: F401
