"""What the access log calls each kind of episode data."""

from django.utils.translation import gettext_lazy as _

DATA_LABELS = {
    "episodes": _("admissions and stays"),
    "episodes.section": _("admissions and stays (person page)"),
    "episode": _("episode"),
    "episode.form": _("episode form"),
}
