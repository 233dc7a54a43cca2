"""The case page reads a fixed number of queries, whoever leads the case and however many agencies had access."""

from django.urls import reverse

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import AsbKind, Case, CaseAccess
from casework.services.access import case_access_grant
from tests.agencies.factories import PartnershipFactory
from tests.casework.factories import make_case
from tests.referrals.factories_routing import ecam_agencies, ecam_rules, make_rule  # noqa: F401 (fixtures)

# Session, user, memberships; the case with the agency's grants on it; the audit event, chained onto the head and the
# head moved on to it, in one statement; the access periods; the latest routing decision; the partnership's routing
# rules.
CASE_PAGE_QUERIES = 8


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


# With the partnership's routing rules: the rules' kinds and the case's incident counts. No rule's supporting agencies:
# the notice that the rules now suggest another lead does not show them.
CASE_PAGE_QUERIES_WITH_RULES = CASE_PAGE_QUERIES + 2


def test_the_case_page_reads_routing_in_a_fixed_number_of_queries_however_many_rules(
    client, partnership, police, council, council_caseworker, ecam_rules, django_assert_num_queries
):
    case = make_case(partnership=partnership, lead_agency=council, kind_slug="neighbour-noise", subject_tenure=Case.Tenure.HOUSING_ASSOCIATION)
    client.force_login(council_caseworker)
    url = reverse("case_detail", args=[case.reference])
    client.get(url)
    with django_assert_num_queries(CASE_PAGE_QUERIES_WITH_RULES):
        text = client.get(url).content.decode()
    assert "The routing rules now suggest Sanctuary Housing" in text, "the housing association rule matches"
    for n in range(5):
        make_rule(partnership=partnership, lead_agency=police, supporting_agencies=[council], name=f"Extra {n}",
                  kinds=[AsbKind.objects.get(slug="littering")])
    with django_assert_num_queries(CASE_PAGE_QUERIES_WITH_RULES):
        assert client.get(url).status_code == 200


def test_a_case_of_another_partnership_reads_its_partnership_with_the_case(client, partnership, police, police_caseworker, django_assert_num_queries):
    """A police force serves several partnerships: a case of another than the one it acts in costs no extra query."""
    elsewhere = PartnershipFactory(name="Fenland Community Safety Partnership", slug="fenland")
    police.partnerships.add(elsewhere)
    case = make_case(partnership=elsewhere, lead_agency=police)
    client.force_login(police_caseworker)
    url = reverse("case_detail", args=[case.reference])
    client.get(url)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        text = client.get(url).content.decode()
    assert case.reference in text and "Fenland" in text
