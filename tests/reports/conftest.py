from datetime import date

import pytest
from django.utils import timezone

from agencies.models import Membership
from tests.agencies.factories import make_member


@pytest.fixture
def today(monkeypatch):
    """Fix "today" (timezone.localdate() with no argument); returns a setter."""
    real = timezone.localdate

    def set_today(day: date):
        monkeypatch.setattr(timezone, "localdate", lambda value=None, timezone=None: day if value is None else real(value, timezone))
        return day

    return set_today


@pytest.fixture
def analyst(council, partnership):
    return make_member(agency=council, partnership=partnership, role=Membership.Role.ANALYST, username="analyst", first_name="Priya", last_name="Shah")


@pytest.fixture
def coordinator(council, partnership):
    return make_member(agency=council, partnership=partnership, role=Membership.Role.COORDINATOR, username="coordinator", first_name="Helen", last_name="Ward")


@pytest.fixture
def chair(police, partnership):
    return make_member(agency=police, partnership=partnership, role=Membership.Role.CHAIR, username="police-chair", first_name="Chris", last_name="Savage")


@pytest.fixture
def pdf_storage(settings, tmp_path):
    """Generated PDFs go to a folder of the test's own."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    return tmp_path / "media"
