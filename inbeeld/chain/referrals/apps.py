from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "inbeeld.chain.referrals"
    label = "chain_referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from inbeeld.chain.referrals.audit_labels import DATA_LABELS
        from inbeeld.core.audit import register_data_labels

        register_data_labels(DATA_LABELS)
        # Importing these registers the person-page section and the radar rule.
        from inbeeld.chain.referrals import rules, sections  # noqa: F401
