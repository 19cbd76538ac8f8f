from django.utils.translation import gettext_lazy as _

DATA_LABELS = {
    "shelter.room": _("shelter room"),
    "shelter.bed": _("shelter bed"),
    "shelter.beds": _("shelter bed board"),
    "shelter.beds.api": _("shelter bed board (API)"),
    "shelter.house_rules": _("shelter house rules"),
    "shelter.stay": _("shelter stay"),
    "shelter.residents": _("shelter residents"),
    "shelter.residents.api": _("shelter residents (API)"),
    "shelter.waitlist": _("shelter waitlist"),
    "shelter.waitlist.api": _("shelter waitlist (API)"),
    "shelter.waitlist_entry": _("shelter waitlist entry"),
    "shelter.search": _("shelter person search"),
    "shelter.check_in_form": _("shelter check-in form"),
    "shelter.stays.section": _("shelter stays on the person page"),
}
