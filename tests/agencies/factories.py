import factory
from django.contrib.auth import get_user_model

from agencies.models import Agency, Membership, Partnership
from agencies.services import agency_create, membership_add


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    short_code = factory.Sequence(lambda n: "P" + "".join(chr(65 + int(d)) for d in f"{n:03d}"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


def make_agency(*, partnerships, name=None, kind=Agency.Kind.POLICE, slug=None, short_name=None, **fields) -> Agency:
    n = Agency.objects.count() + 1
    slug = slug or f"agency-{n}"
    return agency_create(
        name=name or f"Agency {n} ({slug})",
        short_name=short_name or f"AG{n}-{slug}"[:40],
        slug=slug,
        kind=kind,
        partnerships=partnerships,
        **fields,
    )


def make_member(*, agency, partnership=None, role=Membership.Role.CASEWORKER, username=None, **user_fields):
    user = UserFactory(**({"username": username} if username else {}), **user_fields)
    partnership = partnership or agency.partnerships.first()
    membership_add(user=user, agency=agency, partnership=partnership, role=role)
    return user


def every_field(instance) -> dict:
    """Every concrete field's stored value: two reads of a row compare equal field by field."""
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}
