from datetime import date

import pytest

from tests.meetings.factories_meetings import at, make_chair, make_group, make_meeting


@pytest.fixture
def chair(police, partnership):
    return make_chair(police=police, partnership=partnership)


@pytest.fixture
def group(partnership, police, council, housing, chair):
    return make_group(partnership=partnership, member_agencies=[police, council, housing], chair=chair)


@pytest.fixture
def chair_actor(chair, police):
    from audit.services import Actor

    return Actor(user=chair, agency=police)


@pytest.fixture
def february(group):
    """The previous meeting: its agenda was cut off on 3 February."""
    meeting = make_meeting(group, date(2026, 2, 10))
    meeting.agenda_cut_off = meeting.agenda_built_at = at(date(2026, 2, 3))
    meeting.save(update_fields=["agenda_cut_off", "agenda_built_at"])
    return meeting


@pytest.fixture
def march(group):
    return make_meeting(group, date(2026, 3, 10))
