"""The case page reads a fixed number of queries, whoever leads the case and however many agencies had access."""

from django.urls import reverse

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import CaseAccess
from casework.services.access import case_access_grant
from tests.casework.factories import make_case

# Session, user, memberships; the case with the agency's grants on it; the audit chain's head, then the event and the
# head together, inside a savepoint here (a test runs in a transaction); the access periods; the latest routing decision;
# the partnership's routing rules.
CASE_PAGE_QUERIES = 11


def test_the_case_page_runs_the_same_queries_for_one_agency_or_four(
    client, partnership, police, council, housing, fire, police_caseworker, django_assert_num_queries
):
    case = make_case(partnership=partnership, lead_agency=police)
    client.force_login(police_caseworker)
    url = reverse("case_detail", args=[case.reference])
    client.get(url)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        page = client.get(url)
    assert page.status_code == 200
    for agency in (council, housing, fire):
        case_access_grant(actor=Actor.system(), case=case, agency=agency, level=CaseAccess.Level.CONTRIBUTOR)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        page = client.get(url)
    text = page.content.decode()
    assert all(agency.name in text for agency in (police, council, housing, fire))
    assert "Close case" in text and "Change details" in text
    assert AuditEvent.objects.filter(case_id=case.pk, action=AuditEvent.Action.VIEW, detail="Summary").count() == 3


def test_a_contributor_sees_the_lead_and_its_own_buttons_only(client, partnership, police, council, council_caseworker, django_assert_max_num_queries):
    case = make_case(partnership=partnership, lead_agency=police)
    case_access_grant(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.CONTRIBUTOR)
    client.force_login(council_caseworker)
    # The lead agency, not the acting one, is read when first shown.
    with django_assert_max_num_queries(CASE_PAGE_QUERIES + 1):
        text = client.get(reverse("case_detail", args=[case.reference])).content.decode()
    assert police.name in text and "Close case" not in text and "Change details" not in text
