from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HuiskamerConfig(AppConfig):
    name = "inbeeld.huiskamer"
    label = "huiskamer"
    verbose_name = _("Huiskamer")

    def ready(self) -> None:
        from inbeeld.core.audit import register_data_labels
        from inbeeld.huiskamer.audit_labels import DATA_LABELS

        register_data_labels(DATA_LABELS)
        # A named visit is a sighting: it moves "last seen" on the radar.
        # Importing the section registers it on the person page.
        from inbeeld.huiskamer import sections, sources  # noqa: F401
