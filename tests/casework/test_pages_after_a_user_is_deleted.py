"""A record with no user behind it (written by the system, for example by a command, or its user's account since
removed) still shows: the authorization matrix's coordinator and DPO callers found the subject access pages answering
500 for such a request."""

from django.urls import reverse

from agencies.models import Membership
from casework.models import InterventionBreach, InterventionType, SubjectAccessRequest
from tests.agencies.factories import make_member
from tests.casework.factories import make_case
from tests.casework.factories_people import put_on_case
from tests.casework.factories_work import make_intervention, make_note


def test_a_subject_access_request_recorded_by_the_system_still_lists_and_shows(client, partnership, police):
    case = make_case(partnership=partnership, lead_agency=police)
    person = put_on_case(case=case).person
    request = SubjectAccessRequest.objects.create(partnership=partnership, person=person, request_reference="SAR-2026-001",
                                                  received_on=case.opened_on, requested_by=None)  # as subject_access_request_create does for Actor.system()
    client.force_login(make_member(agency=police, partnership=partnership, role=Membership.Role.DPO, username="dpo"))
    listing = client.get(reverse("subject_access_list"))
    assert listing.status_code == 200 and "A user no longer on the system" in listing.content.decode()
    detail = client.get(reverse("subject_access_detail", args=[request.pk]))
    assert detail.status_code == 200 and "A user no longer on the system" in detail.content.decode()


def test_a_note_and_a_breach_with_no_user_behind_them_still_show(client, partnership, police, police_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    make_note(case=case, agency=police, user=None, text="Spoke to the neighbour")
    intervention = make_intervention(case=case, type=InterventionType.ABC, delivering_agency=police, start_on=case.opened_on)
    InterventionBreach.objects.create(intervention=intervention, occurred_on=case.opened_on, notes="Seen drinking", recorded_by=None)
    client.force_login(police_caseworker)
    notes = client.get(reverse("case_notes", args=[case.reference]))
    assert notes.status_code == 200 and "Spoke to the neighbour" in notes.content.decode()
    detail = client.get(reverse("case_intervention_detail", args=[case.reference, intervention.pk]))
    assert detail.status_code == 200 and "Seen drinking" in detail.content.decode()
