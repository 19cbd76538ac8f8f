from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "inbeeld.chain.transfers"
    label = "chain_transfers"
    verbose_name = _("Transfers of lead")

    def ready(self) -> None:
        from inbeeld.chain.transfers.audit_labels import DATA_LABELS
        from inbeeld.core.audit import register_data_labels

        register_data_labels(DATA_LABELS)
        # Importing the section registers it on the person page.
        from inbeeld.chain.transfers import sections  # noqa: F401
