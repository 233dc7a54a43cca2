from datetime import date

import pytest
from django.utils import timezone

from agencies.models import Membership
from tests.agencies.factories import make_member


@pytest.fixture
def today(monkeypatch):
    """Fix "today" (timezone.localdate() with no argument) for deadline arithmetic; returns a setter."""
    real = timezone.localdate

    def set_today(day: date):
        monkeypatch.setattr(timezone, "localdate", lambda value=None, timezone=None: day if value is None else real(value, timezone))
        return day

    return set_today


@pytest.fixture
def coordinator(council, partnership):
    return make_member(agency=council, partnership=partnership, role=Membership.Role.COORDINATOR, username="coordinator", first_name="Helen", last_name="Ward")


@pytest.fixture
def housing_supervisor(housing, partnership):
    return make_member(agency=housing, partnership=partnership, role=Membership.Role.SUPERVISOR, username="housing-sup")
