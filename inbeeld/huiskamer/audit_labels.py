"""What the access log calls each kind of huiskamer data."""

from django.utils.translation import gettext_lazy as _

DATA_LABELS = {
    "huiskamer.today": _("huiskamer today"),
    "huiskamer.visit": _("huiskamer visit"),
    "huiskamer.visits.api": _("huiskamer visits (API)"),
    "huiskamer.search": _("huiskamer person search"),
    "huiskamer.visits.section": _("huiskamer visits (person page)"),
}
