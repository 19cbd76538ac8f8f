"""What the access log calls each kind of emergency-access data (registered in ``apps.ready``)."""

from django.utils.translation import gettext_lazy

from inbeeld.core import audit

LABELS = {
    "emergency_access": gettext_lazy("emergency access (break the glass)"),
    "emergency_access.search": gettext_lazy("emergency search"),
    "emergency_access.page": gettext_lazy("emergency page: radar core and latest care plan"),
    "emergency_access.list": gettext_lazy("own emergency accesses"),
    "emergency_access.review": gettext_lazy("review of an emergency access"),
    "emergency_access.reviews": gettext_lazy("emergency access review queue"),
}


def register() -> None:
    audit.register_data_labels(LABELS)
