from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RadarConfig(AppConfig):
    name = "inbeeld.radar"
    label = "radar"
    verbose_name = _("Radar")

    def ready(self) -> None:
        # The built-in last-seen and stay sources, and the rules of DESIGN.md, register themselves;
        # later apps register theirs from their own ready().
        from inbeeld.radar import builtin_sources, hooks, rules_builtin, sections  # noqa: F401
