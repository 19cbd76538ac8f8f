from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EpisodesConfig(AppConfig):
    name = "inbeeld.chain.episodes"
    label = "chain_episodes"
    verbose_name = _("Episodes")

    def ready(self) -> None:
        from inbeeld.chain.episodes.audit_labels import DATA_LABELS
        from inbeeld.core.audit import register_data_labels

        register_data_labels(DATA_LABELS)
        # Episodes are a radar stay source, a timeline source and a person-page section.
        from inbeeld.chain.episodes import sources  # noqa: F401
