import os

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls there (tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

from agencies.models import Agency, Membership  # noqa: E402
from tests.agencies.factories import PartnershipFactory, make_agency, make_member  # noqa: E402

# Property tests: the same examples on every run and every machine ("ci", the default), so that a failure in CI is a
# failure here too; no deadline, since a shared 2-core machine makes timings noisy. HYPOTHESIS_PROFILE=explore draws
# fresh random examples (and remembers failures in .hypothesis/) for hunting bugs by hand.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, database=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.register_profile("explore", deadline=None, max_examples=500, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_modifyitems(items):
    """Every test that commits to the database (transactional tests, browser tests and their live server) starts from
    the migrated data, reference data included (the ASB kinds, permissions). Without this, a transactional test that
    runs after another one's flush would find those tables empty."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        commits = (marker is not None and marker.kwargs.get("transaction")) or {"transactional_db", "live_server"} & set(item.fixturenames)
        if commits and "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.insert(0, "django_db_serialized_rollback")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor(monkeypatch):
    """Two-factor sign-in is on in the test settings, as in production. A test that signs a client in with
    client.force_login or client.login means a user who is fully signed in, so here they also give the user an
    authenticator device and mark the session as verified with it, exactly as the code page does. Tests of the code step itself sign
    in through the sign-in page, or use tests.agencies.factories_security.password_only_login."""
    from django.test import Client
    from django.test.client import ClientMixin

    from tests.agencies.factories_security import mark_verified

    def force_login(self, user, backend=None):
        ClientMixin.force_login(self, user, backend)
        mark_verified(self, user)

    def login(self, **credentials):
        # Django's client.login authenticates without a request, which django-axes refuses; give it one.
        from django.contrib.auth import authenticate
        from django.test import RequestFactory

        user = authenticate(RequestFactory().post("/sign-in/"), **credentials)
        if user is None:
            return False
        self._login(user)
        mark_verified(self, user)
        return True

    monkeypatch.setattr(Client, "force_login", force_login)
    monkeypatch.setattr(Client, "login", login)


@pytest.fixture
def partnership(db):
    return PartnershipFactory(name="East Cambridgeshire CSP", slug="east-cambridgeshire", short_code="ECAM")


@pytest.fixture
def other_partnership(db):
    return PartnershipFactory(name="Fenland CSP", slug="fenland", short_code="FENL")


@pytest.fixture
def police(partnership, other_partnership):
    return make_agency(partnerships=[partnership, other_partnership], name="Cambridgeshire Constabulary", slug="cambs-police", short_name="Police", kind=Agency.Kind.POLICE)


@pytest.fixture
def council(partnership):
    return make_agency(partnerships=[partnership], name="East Cambridgeshire District Council", slug="ecdc", short_name="ECDC", kind=Agency.Kind.DISTRICT_COUNCIL)


@pytest.fixture
def housing(partnership):
    return make_agency(partnerships=[partnership], name="Sanctuary Housing", slug="sanctuary", short_name="Sanctuary", kind=Agency.Kind.HOUSING, is_statutory=False)


@pytest.fixture
def fire(partnership, other_partnership):
    return make_agency(partnerships=[partnership, other_partnership], name="Cambridgeshire Fire and Rescue", slug="cambs-fire", short_name="Fire", kind=Agency.Kind.FIRE_RESCUE)


@pytest.fixture
def police_caseworker(police, partnership):
    return make_member(agency=police, partnership=partnership, username="police-cw")


@pytest.fixture
def council_caseworker(council, partnership):
    return make_member(agency=council, partnership=partnership, username="council-cw")


@pytest.fixture
def housing_caseworker(housing, partnership):
    return make_member(agency=housing, partnership=partnership, username="housing-cw")


@pytest.fixture
def fire_caseworker(fire, partnership):
    return make_member(agency=fire, partnership=partnership, username="fire-cw")


@pytest.fixture
def council_supervisor(council, partnership):
    return make_member(agency=council, partnership=partnership, role=Membership.Role.SUPERVISOR, username="council-sup")
