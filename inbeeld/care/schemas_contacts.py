"""The shapes of the contacts API.

As in ``people.schemas``: input schemas check types and forbid unknown fields; the rules about values
(not in the future, not before 2000, note length, control characters) are the write function's, so the
quick form and the API refuse the same things.
"""

from __future__ import annotations

import datetime

from ninja import Field, Schema
from pydantic import ConfigDict

from inbeeld.care.actions.contacts import DURATION_MAX, NOTE_MAX, topic_labels
from inbeeld.care.models import Channel, Contact, ContactKind, Topic


class In(Schema):
    # An unknown field is most often a typo; silently ignoring it would lose what the caller meant.
    model_config = ConfigDict(extra="forbid")


class ContactIn(In):
    occurred_at: datetime.datetime | None = Field(
        None,
        description="When it happened; default now. Not in the future, not before 2000. "
        "Without a time zone, the network's time zone.",
    )
    channel: Channel = Field(description="Where: huiskamer, street zone, phone, …")
    kind: ContactKind
    topics: list[Topic] = []
    duration_minutes: int | None = Field(None, description=f"1 to {DURATION_MAX}")
    note: str = Field("", description=f"At most {NOTE_MAX} characters; stored encrypted")
    location_id: int | None = Field(None, description="A location of your network")


class NewContactIn(ContactIn):
    """A contact with a person (``person_id``) or an anonymous one (``anonymous: true``): one of the two."""

    person_id: int | None = None
    anonymous: bool = False


class ContactOut(Schema):
    id: int
    person_id: int | None = Field(description="null: an anonymous contact")
    organisation_id: int = Field(description="The organisation that recorded it (and owns it)")
    organisation: str
    recorded_by: str
    occurred_at: datetime.datetime
    channel: Channel
    channel_label: str
    kind: ContactKind
    kind_label: str
    topics: list[Topic]
    topic_labels: list[str]
    duration_minutes: int | None
    location_id: int | None
    location: str | None
    note: str
    recorded_at: datetime.datetime

    @staticmethod
    def resolve_organisation(obj: Contact) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_recorded_by(obj: Contact) -> str:
        return str(obj.recorded_by)

    @staticmethod
    def resolve_channel_label(obj: Contact) -> str:
        return str(obj.get_channel_display())

    @staticmethod
    def resolve_kind_label(obj: Contact) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_topic_labels(obj: Contact) -> list[str]:
        return topic_labels(obj.topics)

    @staticmethod
    def resolve_location(obj: Contact) -> str | None:
        return obj.location.name if obj.location else None
