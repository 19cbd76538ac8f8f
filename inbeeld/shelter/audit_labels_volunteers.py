"""What the access log calls each kind of volunteer, roster, house log and buddy data."""

from django.utils.translation import gettext_lazy as _

DATA_LABELS = {
    "shelter.volunteer": _("volunteer profile"),
    "shelter.training": _("training"),
    "shelter.training_record": _("completed training"),
    "shelter.availability": _("volunteer availability"),
    "shelter.slot": _("shift slot"),
    "shelter.signup": _("shift sign-up"),
    "shelter.swap": _("shift swap"),
    "shelter.house_log": _("house log"),
    "shelter.house_log.api": _("house log (API)"),
    "shelter.house_log.residents": _("residents to choose from (house log)"),
    "shelter.buddy_pair": _("buddy pair"),
    "shelter.buddies": _("buddy pairs"),
    "shelter.buddies.api": _("buddy pairs (API)"),
    "shelter.buddy_map": _("buddy's network map"),
}
