"""factory-boy factories for tests and benchmarks. All data they make is invented."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from inbeeld.core.models import Membership, Network, Organisation, User
from inbeeld.core.roles import Role
from inbeeld.people.models import Consent, DataCategory, Involvement, Person, Status


class NetworkFactory(factory.django.DjangoModelFactory[Network]):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Testnetwerk {n}")
    slug = factory.Sequence(lambda n: f"testnetwerk-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = Organisation.Kind.CARE_PROVIDER


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Medewerker {n}")
    password = factory.PostGenerationMethodCall("set_unusable_password")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CASEWORKER
    started_on = datetime.date(2017, 1, 1)


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    roepnaam = factory.Sequence(lambda n: f"Roepnaam{n}")
    status = Status.STREET_ZONE
    status_since = datetime.date(2018, 1, 1)

    @factory.post_generation
    def involved(obj, create, extracted, **kwargs):
        for organisation in extracted or []:
            Involvement.objects.create(
                person=obj, organisation=organisation, started_on=datetime.date(2018, 1, 1)
            )


class ConsentFactory(factory.django.DjangoModelFactory[Consent]):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    recipient = factory.SubFactory(OrganisationFactory)
    purpose = Consent.Purpose.CARE_COORDINATION
    data_categories = factory.LazyFunction(lambda: [DataCategory.CARE_PLAN])
    how_given = Consent.HowGiven.WRITTEN
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    recorded_by = factory.SubFactory(UserFactory)
    recorded_by_organisation = factory.SubFactory(OrganisationFactory)


def with_totp(user: User) -> str:
    """Give the user an activated TOTP authenticator; returns its secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))
