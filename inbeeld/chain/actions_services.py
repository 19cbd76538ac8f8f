"""The partner services directory: who may read and edit it, the input rules, and its writes.

Reading is for every member of the network, whatever the role: the directory is public information
within the network. Another network's service is 404 (rule 1). Editing is for the organisation's own
caseworkers, hosts, shelter coordinators and network coordinators, and for the application manager
(``admin``) on any organisation of the network; everyone else gets 403, since they can see the service.

Services hold no person data, so reads and writes write no audit events; each write is one transaction.
The rules about input live here, so the web forms and the API refuse exactly the same things.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.care.actions.contacts import clean_choice, clean_line, collect
from inbeeld.chain.languages import ISO_639_1
from inbeeld.chain.models import Category, Service, ServiceQuerySet
from inbeeld.core import access
from inbeeld.core.models import Location, Membership, Organisation
from inbeeld.core.roles import Role
from inbeeld.people import validation as v
from inbeeld.people.actions import EditConflict
from inbeeld.people.view_support import clean_query

# Roles that keep their own organisation's services up to date; ``admin`` does so for any organisation.
EDIT_OWN_SERVICES = frozenset({Role.CASEWORKER, Role.HOST, Role.SHELTER_COORDINATOR, Role.COORDINATOR})
NAME_MAX = 160
LINE_MAX = 255
TEXT_MAX = 4000
LANGUAGES_MAX = 20


# --- who ---------------------------------------------------------------------------------------------


def may_edit_services(membership: Membership | None, organisation: Organisation) -> bool:
    """Whether the member may create, change and deactivate this organisation's services."""
    if membership is None or membership.ended_on is not None:
        return False
    if membership.organisation.network_id != organisation.network_id:
        return False
    if membership.role == Role.ADMIN:
        return True
    return membership.role in EDIT_OWN_SERVICES and membership.organisation_id == organisation.pk


def require_member(membership: Membership | None) -> Membership:
    if membership is None or membership.ended_on is not None:
        raise access.not_found()
    return membership


def services_for(membership: Membership | None) -> ServiceQuerySet:
    """The directory as this member sees it: every service of their network."""
    member = require_member(membership)
    return Service.objects.in_network(member.organisation.network_id).select_related("organisation")


def service_for(membership: Membership | None, pk: int) -> Service:
    found = services_for(membership).filter(pk=pk).first()
    if found is None:
        raise access.not_found()
    return found


def editable_organisations(membership: Membership | None) -> list[Organisation]:
    member = require_member(membership)
    organisations = Organisation.objects.filter(network_id=member.organisation.network_id)
    return [o for o in organisations.order_by("name") if may_edit_services(member, o)]


def require_edit(membership: Membership | None, organisation: Organisation) -> Membership:
    member = require_member(membership)
    if not may_edit_services(member, organisation):
        raise PermissionDenied(
            _("Only the organisation's own staff and the application manager edit its services.")
        )
    return member


def may_add_services(membership: Membership | None) -> bool:
    return membership is not None and bool(editable_organisations(membership))


def require_may_add(membership: Membership | None) -> Membership:
    member = require_member(membership)
    if not may_add_services(member):
        raise PermissionDenied(
            _("Only an organisation's own staff and the application manager add services.")
        )
    return member


def filter_directory(
    services: ServiceQuerySet,
    *,
    q: str | None = None,
    category: str | None = None,
    organisation: int | None = None,
    language: str | None = None,
    inactive: bool = False,
) -> list[Service]:
    """The directory's filters, shared by the page and the API: active services unless ``inactive``."""
    found = services.all() if inactive else services.active()
    if category:
        found = found.filter(category=category)
    if organisation:
        found = found.filter(organisation_id=organisation)
    if language:
        found = found.speaking(language)
    found = found.search(clean_query(q or "").split())
    return list(found.prefetch_related("locations").order_by("name", "pk"))


# --- input rules ----------------------------------------------------------------------------------


class ServiceEditConflict(EditConflict):
    """Someone saved the service after the editor loaded it; nothing was written (the API answers 409)."""

    def __init__(self, service: Service, changed: list[tuple[str, Any, Any]]):
        self.service = service
        self.changed = changed  # (field, value stored now, value submitted)
        Exception.__init__(
            self, _("Someone else changed this service while you were editing. Nothing was saved.")
        )


@dataclass(frozen=True)
class ServiceInput:
    name: str = ""
    category: str = ""
    description: str = ""
    email: str = ""
    phone: str = ""
    url: str = ""
    eligibility: str = ""
    languages: list[str] = field(default_factory=list)
    application_process: str = ""
    fees: str = ""
    location_ids: list[int] = field(default_factory=list)
    status: str | None = None  # None: as it is (a new service starts active)


# The fields a write sets from ServiceInput (locations are set separately: a many-to-many).
FIELDS = (
    "name",
    "category",
    "description",
    "email",
    "phone",
    "url",
    "eligibility",
    "languages",
    "application_process",
    "fees",
)


def clean_name(value: str, *, field: str = "name") -> str:
    text = clean_line(value, field=field, max_length=NAME_MAX)
    if not text:
        raise ValidationError({field: _("This field is required.")})
    return text


def clean_email(value: str, *, field: str = "email") -> str:
    text = clean_line(value, field=field, max_length=254).lower()
    if text:
        try:
            EmailValidator()(text)
        except ValidationError:
            raise ValidationError({field: _("Enter a valid email address.")}) from None
    return text


def clean_url(value: str, *, field: str = "url") -> str:
    text = clean_line(value, field=field, max_length=200)
    if text:
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            raise ValidationError(
                {field: _("Enter a web address starting with https:// or http://.")}
            ) from None
    return text


def clean_languages(values: Any, *, field: str = "languages") -> list[str]:
    """ISO 639-1 codes (nl, en, ro, bg…), each once, in the order given."""
    if values is None:
        return []
    if not isinstance(values, list | tuple):
        raise ValidationError({field: _("Give a list of two-letter language codes.")})
    cleaned: list[str] = []
    for raw in values:
        code = raw.strip().lower() if isinstance(raw, str) else None
        if code == "":
            continue
        if code not in ISO_639_1:
            raise ValidationError(
                {field: _("“%(code)s” is not an ISO 639-1 language code such as nl, en, ro.") % {"code": raw}}
            )
        if code not in cleaned:
            cleaned.append(code)
    if len(cleaned) > LANGUAGES_MAX:
        raise ValidationError({field: _("At most %(max)d languages.") % {"max": LANGUAGES_MAX}})
    return cleaned


def clean_locations(ids: Any, organisation: Organisation, *, field: str = "locations") -> list[Location]:
    """Locations of the service's own organisation only."""
    if not ids:
        return []
    if not isinstance(ids, list | tuple) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in ids
    ):
        raise ValidationError({field: _("Choose locations from the list.")})
    found = list(Location.objects.filter(organisation=organisation, pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({field: _("Choose locations of the service's own organisation.")})
    return found


def clean_input(data: ServiceInput, organisation: Organisation) -> tuple[dict[str, Any], list[Location]]:
    values = collect(
        {
            "name": lambda: clean_name(data.name),
            "category": lambda: clean_choice(data.category, Category, field="category"),
            "description": lambda: v.clean_text(data.description, field="description", max_length=TEXT_MAX),
            "email": lambda: clean_email(data.email),
            "phone": lambda: v.clean_phone(data.phone, field="phone"),
            "url": lambda: clean_url(data.url),
            "eligibility": lambda: v.clean_text(data.eligibility, field="eligibility", max_length=TEXT_MAX),
            "languages": lambda: clean_languages(data.languages),
            "application_process": lambda: v.clean_text(
                data.application_process, field="application_process", max_length=TEXT_MAX
            ),
            "fees": lambda: clean_line(data.fees, field="fees", max_length=LINE_MAX),
            "locations": lambda: clean_locations(data.location_ids, organisation),
            "status": lambda: (
                None if data.status is None else clean_choice(data.status, Service.Status, field="status")
            ),
        }
    )
    locations = values.pop("locations")
    if values["status"] is None:
        del values["status"]
    return values, locations


def _name_taken(organisation: Organisation, name: str, *, exclude: int | None = None) -> bool:
    same = Service.objects.filter(organisation=organisation, name__iexact=name)
    return (same.exclude(pk=exclude) if exclude is not None else same).exists()


def _refuse_taken_name() -> ValidationError:
    return ValidationError({"name": _("This organisation already has a service with this name.")})


# --- writes ------------------------------------------------------------------------------------------


def create_service(*, acting: Membership | None, organisation: Organisation, data: ServiceInput) -> Service:
    require_edit(acting, organisation)
    values, locations = clean_input(data, organisation)
    if _name_taken(organisation, values["name"]):
        raise _refuse_taken_name()
    try:
        with transaction.atomic():
            service = Service.objects.create(organisation=organisation, **values)
            service.locations.set(locations)
    except IntegrityError:  # a simultaneous create with the same name
        raise _refuse_taken_name() from None
    return service


def update_service(
    *, acting: Membership | None, service: Service, data: ServiceInput, expected_version: int | None
) -> Service:
    """Change the service if nobody saved it since ``expected_version`` (else ServiceEditConflict)."""
    require_edit(acting, service.organisation)
    values, locations = clean_input(data, service.organisation)
    if _name_taken(service.organisation, values["name"], exclude=service.pk):
        raise _refuse_taken_name()
    try:
        with transaction.atomic():
            stored = Service.objects.select_for_update().get(pk=service.pk)
            if expected_version is not None and stored.version != expected_version:
                submitted = {**values, "locations": sorted(loc.pk for loc in locations)}
                now = {**{name: getattr(stored, name) for name in values}, "locations": _location_ids(stored)}
                changed = [(name, now[name], submitted[name]) for name in now if now[name] != submitted[name]]
                raise ServiceEditConflict(stored, changed)
            for name, value in values.items():
                setattr(stored, name, value)
            stored.version += 1
            stored.updated_at = timezone.now()
            stored.save(update_fields=[*values, "version", "updated_at"])
            stored.locations.set(locations)
    except IntegrityError:  # renamed to a name saved at the same moment
        raise _refuse_taken_name() from None
    return stored


def set_status(
    *, acting: Membership | None, service: Service, status: str, expected_version: int | None = None
) -> Service:
    """Deactivate (or reactivate) a service: it stays in the directory and the export, marked inactive."""
    require_edit(acting, service.organisation)
    clean_choice(status, Service.Status, field="status")
    with transaction.atomic():
        stored = Service.objects.select_for_update().get(pk=service.pk)
        if expected_version is not None and stored.version != expected_version:
            raise ServiceEditConflict(stored, [("status", stored.status, status)])
        if stored.status != status:
            stored.status = status
            stored.version += 1
            stored.updated_at = timezone.now()
            stored.save(update_fields=["status", "version", "updated_at"])
    return stored


def _location_ids(service: Service) -> list[int]:
    return sorted(service.locations.values_list("pk", flat=True))
