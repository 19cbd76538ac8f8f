"""What the access log calls each kind of reports data: none of it is person data."""

from django.utils.translation import gettext_lazy as _

DATA_LABELS = {
    "reports.street_count": _("street count"),
    "reports.dashboard": _("figures dashboard"),
    "reports.csv": _("figures (CSV)"),
    "reports.pdf": _("monitoring report (PDF)"),
    "reports.api": _("figures (API)"),
}
