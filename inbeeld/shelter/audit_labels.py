"""What the access log calls each kind of shelter data."""

from inbeeld.shelter.audit_labels_stays import DATA_LABELS as STAY_LABELS
from inbeeld.shelter.audit_labels_volunteers import DATA_LABELS as VOLUNTEER_LABELS

DATA_LABELS = {**STAY_LABELS, **VOLUNTEER_LABELS}
