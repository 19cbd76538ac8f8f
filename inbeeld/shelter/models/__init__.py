"""The shelter's models, one module per area: beds, stays and waitlist, volunteers, roster and house log."""

from inbeeld.shelter.models.beds import Bed, HouseRules, Room
from inbeeld.shelter.models.roster import (
    Availability,
    HouseLogEntry,
    Shift,
    ShiftSignup,
    ShiftSlot,
    SwapOffer,
)
from inbeeld.shelter.models.stays import CheckoutReason, Priority, Stay, WaitlistEntry
from inbeeld.shelter.models.volunteers import (
    VOG_WARNING_DAYS,
    BuddyPair,
    Training,
    TrainingRecord,
    VolunteerProfile,
)

__all__ = [
    "VOG_WARNING_DAYS",
    "Availability",
    "Bed",
    "BuddyPair",
    "CheckoutReason",
    "HouseLogEntry",
    "HouseRules",
    "Priority",
    "Room",
    "Shift",
    "ShiftSignup",
    "ShiftSlot",
    "Stay",
    "SwapOffer",
    "Training",
    "TrainingRecord",
    "VolunteerProfile",
    "WaitlistEntry",
]
