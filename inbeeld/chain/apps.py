from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainConfig(AppConfig):
    name = "inbeeld.chain"
    label = "chain"
    verbose_name = _("Working as a chain")
