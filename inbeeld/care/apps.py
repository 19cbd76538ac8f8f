from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "inbeeld.care"
    label = "care"
    verbose_name = _("Care")

    def ready(self) -> None:
        from inbeeld.care.audit_labels import DATA_LABELS
        from inbeeld.core.audit import register_data_labels

        register_data_labels(DATA_LABELS)
        # Importing the view modules registers their sections on the person page.
        # Importing the timeline sources registers them on the person's timeline.
        from inbeeld.care import timeline_sources  # noqa: F401
        from inbeeld.care.views import appointments, assessments, contacts, plans  # noqa: F401
