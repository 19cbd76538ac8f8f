from django.apps import AppConfig


class EmergencyConfig(AppConfig):
    name = "inbeeld.chain.emergency"
    label = "chain_emergency"
    verbose_name = "emergency"

    def ready(self) -> None:
        from inbeeld.chain.emergency import audit_labels

        audit_labels.register()
