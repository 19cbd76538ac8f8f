"""What the access log calls each kind of transfer-of-lead data."""

from django.utils.translation import gettext_lazy as _

DATA_LABELS = {
    "lead_transfer": _("transfer of lead"),
    "lead_transfer.list": _("transfers of lead (list)"),
    "lead_transfer.detail": _("transfer of lead (page)"),
    "lead_transfer.section": _("transfer of lead (person page)"),
    "lead_transfer.api": _("transfers of lead (API)"),
}
