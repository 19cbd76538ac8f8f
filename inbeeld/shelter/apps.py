from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShelterConfig(AppConfig):
    name = "inbeeld.shelter"
    label = "shelter"
    verbose_name = _("Shelter")

    def ready(self) -> None:
        from inbeeld.core.audit import register_data_labels
        from inbeeld.shelter.audit_labels import DATA_LABELS

        register_data_labels(DATA_LABELS)
        # Stays are a radar stay source and a timeline source; check-ins are sightings.
        # Importing these modules registers them.
        from inbeeld.shelter import hooks  # noqa: F401
