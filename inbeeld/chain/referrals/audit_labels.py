"""What the access log calls each kind of referral data."""

from django.utils.translation import gettext_lazy as _

DATA_LABELS = {
    "referral": _("referral"),
    "referral.list": _("referrals (list)"),
    "referral.detail": _("referral (page)"),
    "referral.section": _("referrals (person page)"),
    "referral.api": _("referrals (API)"),
    "referral.legal_basis": _("referrals on a legal basis (privacy officer)"),
    "referral.form": _("referral form"),
}
