from django.utils.translation import gettext_lazy as _

DATA_LABELS = {
    "shelter.placeholder": _("shelter"),
}
