from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "inbeeld.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from inbeeld.core.audit import register_data_labels
        from inbeeld.reports.audit_labels import DATA_LABELS

        register_data_labels(DATA_LABELS)
