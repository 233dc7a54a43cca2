"""The Referrals tab, the inbox and the referral page, as a caseworker uses them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor
from casework import permissions as P
from casework.models import CaseAccess
from casework.permissions import case_permissions
from referrals.models import Referral
from referrals.services.referrals import referral_decline, referral_withdraw
from tests.casework.factories import make_case
from tests.referrals.factories_referrals import make_referral


@pytest.fixture
def case(partnership, council):
    return make_case(partnership=partnership, lead_agency=council, summary="Loud music from the flat above the shop", risk_level="medium")


def _send(client, case, **overrides):
    data = {
        "to_agency": "", "purpose": "contribute", "reason": "The household are housing association tenants.",
        "priority": "routine", "respond_by": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "former_lead_access": "contributor", **overrides,
    }
    return client.post(reverse("case_referrals", args=[case.reference]), data)


def test_the_lead_sees_the_referrals_tab_with_a_form_and_sends_a_referral(client, case, council, housing, police, council_caseworker):
    client.force_login(council_caseworker)
    page = client.get(reverse("case_referrals", args=[case.reference])).content.decode()
    assert 'href="/cases/%s/referrals/"' % case.reference in client.get(reverse("case_detail", args=[case.reference])).content.decode()
    assert "Refer this case to another agency" in page
    assert "Sanctuary Housing" in page and "Cambridgeshire Constabulary" in page
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">What are you asking them to do?</legend>' in page
    # Five working days from today, pre-filled.
    from referrals.services.referrals import default_respond_by

    assert f'value="{default_respond_by().isoformat()}"' in page

    response = _send(client, case, to_agency=housing.pk)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.from_agency, referral.to_agency, referral.purpose, referral.created_by) == (council, housing, "contribute", council_caseworker)
    page = client.get(response.url).content.decode()
    assert "Referral sent to Sanctuary Housing" in page
    assert reverse("referral_detail", args=[referral.pk]) in page


def test_the_agency_list_offers_only_agencies_serving_the_partnership_and_not_the_sender(client, case, housing, other_partnership, council_caseworker):
    from tests.agencies.factories import make_agency

    make_agency(partnerships=[other_partnership], name="Fenland District Council", slug="fdc")
    client.force_login(council_caseworker)
    page = client.get(reverse("case_referrals", args=[case.reference])).content.decode()
    assert "Fenland District Council" not in page
    assert "Sanctuary Housing</option>" in page
    assert "East Cambridgeshire District Council</option>" not in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"to_agency": ""}, "Choose the agency to refer the case to."),
        ({"reason": ""}, "Say why you are referring the case."),
        ({"purpose": ""}, "Choose what you are asking the agency to do."),
        ({"respond_by": "2020-01-01"}, "The reply date cannot be in the past."),
        ({"respond_by": "31/02/2027"}, "Enter a real date."),
        ({"purpose": "take_lead", "former_lead_access": ""}, "Choose what your agency keeps once the other agency takes the lead."),
    ],
)
def test_bad_input_is_shown_in_an_error_summary_and_nothing_is_sent(client, case, housing, council_caseworker, overrides, message):
    client.force_login(council_caseworker)
    overrides.setdefault("to_agency", housing.pk)
    response = _send(client, case, **overrides)
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page
    assert not Referral.objects.exists()


def test_a_contributor_sees_the_tab_without_the_form_and_cannot_post(client, case, police, housing, police_caseworker):
    from casework.services.access import case_access_grant

    case_access_grant(actor=Actor.system(), case=case, agency=police, level=CaseAccess.Level.CONTRIBUTOR)
    client.force_login(police_caseworker)
    page = client.get(reverse("case_referrals", args=[case.reference])).content.decode()
    assert "Refer this case to another agency" not in page
    assert "Only the lead agency" in page
    assert _send(client, case, to_agency=housing.pk).status_code == 403
    assert not Referral.objects.exists()


def test_an_agency_without_access_gets_404_on_the_tab(client, case, fire_caseworker):
    client.force_login(fire_caseworker)
    assert client.get(reverse("case_referrals", args=[case.reference])).status_code == 404


def test_the_receiving_agency_sees_enough_to_decide_before_it_has_any_case_access(client, case, council, housing, council_caseworker, housing_caseworker):
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker, reason="Sanctuary tenancy; please lead.", purpose="take_lead")
    client.force_login(housing_caseworker)
    assert client.get(reverse("case_detail", args=[case.reference])).status_code == 404

    page = client.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    for fact in (case.reference, "Loud music from the flat above the shop", "Neighbour noise", "Medium", "Sanctuary tenancy; please lead.", "Take the lead"):
        assert fact in page, fact
    assert reverse("case_detail", args=[case.reference]) not in page, "no link to a case they cannot open yet"
    assert "Accept the referral" in page and "Decline the referral" in page
    assert AuditEvent.objects.filter(action="view", case_id=case.pk, user=housing_caseworker, detail=f"Referral {referral.pk}").exists()
    assert case_permissions(user=housing_caseworker, agency=housing, case=case) == set()
    assert client.get(reverse("case_detail", args=[case.reference])).status_code == 404


def test_accepting_on_the_page_opens_the_case(client, case, council, housing, council_caseworker, housing_caseworker):
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker, purpose="take_lead", former_lead_access="information")
    client.force_login(housing_caseworker)
    response = client.post(reverse("referral_accept", args=[referral.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("case_detail", args=[case.reference])
    page = response.content.decode()
    assert "You accepted the referral" in page
    # The access periods on the Summary tab show the change.
    assert page.count("Sanctuary Housing") >= 2 and "Lead agency" in page
    assert case_permissions(user=council_caseworker, agency=council, case=case) == {P.VIEW}


def test_declining_needs_a_reason_on_the_page(client, case, council, housing, council_caseworker, housing_caseworker):
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
    client.force_login(housing_caseworker)
    response = client.post(reverse("referral_decline", args=[referral.pk]), {"reason": ""})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode() and "Say why you are declining the referral." in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.PENDING

    response = client.post(reverse("referral_decline", args=[referral.pk]), {"reason": "Not our tenant"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECLINED and referral.decline_reason == "Not our tenant"
    assert case_permissions(user=housing_caseworker, agency=housing, case=case) == set()


def test_the_thread_on_the_page_from_both_sides(client, case, council, housing, council_caseworker, housing_caseworker):
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
    client.force_login(housing_caseworker)
    assert client.post(reverse("referral_message", args=[referral.pk]), {"text": "Which flat is it?"}).status_code == 302
    empty = client.post(reverse("referral_message", args=[referral.pk]), {"text": ""})
    assert "Write your question or answer." in empty.content.decode()
    client.force_login(council_caseworker)
    assert client.post(reverse("referral_message", args=[referral.pk]), {"text": "The first floor."}).status_code == 302
    page = client.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert page.index("Which flat is it?") < page.index("The first floor.")
    assert "Withdraw the referral" in page and "Accept the referral" not in page


def test_the_sender_withdraws_on_the_page_and_the_receiver_cannot(client, case, council, housing, council_caseworker, housing_caseworker):
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
    client.force_login(housing_caseworker)
    assert client.post(reverse("referral_withdraw", args=[referral.pk])).status_code == 403
    client.force_login(council_caseworker)
    assert client.post(reverse("referral_accept", args=[referral.pk])).status_code == 403
    response = client.post(reverse("referral_withdraw", args=[referral.pk]), follow=True)
    assert "You withdrew the referral" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.WITHDRAWN


def test_a_third_agency_gets_404_for_the_referral_and_its_actions(client, case, council, housing, council_caseworker, fire_caseworker):
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
    client.force_login(fire_caseworker)
    for name in ("referral_detail",):
        assert client.get(reverse(name, args=[referral.pk])).status_code == 404
    for name in ("referral_accept", "referral_decline", "referral_withdraw", "referral_message"):
        assert client.post(reverse(name, args=[referral.pk]), {"reason": "x", "text": "x"}).status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.PENDING


def test_an_analyst_in_the_receiving_agency_sees_but_cannot_answer(client, case, partnership, council, housing, council_caseworker):
    from agencies.models import Membership
    from tests.agencies.factories import make_member

    analyst = make_member(agency=housing, partnership=partnership, role=Membership.Role.ANALYST, username="housing-analyst")
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
    client.force_login(analyst)
    page = client.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "Accept the referral" not in page
    assert client.post(reverse("referral_accept", args=[referral.pk])).status_code == 403


def test_the_inbox_lists_pending_first_marks_overdue_and_shows_recent(
    client, partnership, council, housing, police, council_caseworker, housing_caseworker, police_caseworker, today
):
    today(date(2026, 4, 2))
    cases = [make_case(partnership=partnership, lead_agency=council, summary=f"Case {n}") for n in range(3)]
    late = make_referral(case=cases[0], from_agency=council, to_agency=housing, by=council_caseworker)
    fresh = make_referral(case=cases[1], from_agency=council, to_agency=housing, by=council_caseworker, respond_by=date(2026, 4, 30), priority="urgent")
    done = make_referral(case=cases[2], from_agency=council, to_agency=housing, by=council_caseworker)
    referral_decline(actor=Actor(user=housing_caseworker, agency=housing), referral=done, reason="Not ours")
    elsewhere = make_referral(case=cases[2], from_agency=council, to_agency=police, by=council_caseworker)
    today(date(2026, 4, 20))

    client.force_login(housing_caseworker)
    page = client.get(reverse("referral_inbox")).content.decode()
    waiting, _, rest = page.partition("Sent by your agency")
    assert waiting.index(late.case.reference) < waiting.index(fresh.case.reference), "soonest reply date first"
    assert waiting.count('data-testid="overdue"') == 1
    assert done.case.reference not in waiting and done.case.reference in rest
    assert f"/referrals/{elsewhere.pk}/" not in page, "another agency's referral is not in my inbox"

    client.force_login(council_caseworker)
    page = client.get(reverse("referral_inbox")).content.decode()
    _, _, sent = page.partition("Sent by your agency")
    assert f"/referrals/{late.pk}/" in sent and f"/referrals/{elsewhere.pk}/" in sent


def test_the_inbox_query_count_is_pinned_and_does_not_grow_with_rows(
    client, partnership, council, housing, council_caseworker, housing_caseworker, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            case = make_case(partnership=partnership, lead_agency=council, summary=f"Case {i}")
            referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
            if i % 2:
                referral_withdraw(actor=Actor(user=council_caseworker, agency=council), referral=referral)

    add(2)
    client.force_login(housing_caseworker)
    client.get(reverse("referral_inbox"))
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("referral_inbox"))
    add(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("referral_inbox")).content.decode()
    assert page.count("/referrals/") >= 14


def test_a_long_inbox_is_shown_a_page_at_a_time_most_urgent_first(
    client, partnership, council, housing, council_caseworker, housing_caseworker, monkeypatch, django_assert_max_num_queries
):
    """A police force can have hundreds of referrals waiting: each box shows a page, without counting the whole box."""
    monkeypatch.setattr("referrals.selectors.referrals.INBOX_PAGE_ROWS", 3)
    today = timezone.localdate()
    referrals = [
        make_referral(case=make_case(partnership=partnership, lead_agency=council, summary=f"Case {n}"), from_agency=council,
                      to_agency=housing, by=council_caseworker, respond_by=today + timedelta(days=n))
        for n in range(7)
    ]
    client.force_login(housing_caseworker)
    client.get(reverse("referral_inbox"))
    with django_assert_max_num_queries(10):
        first = client.get(reverse("referral_inbox")).content.decode()
    waiting = first.partition("Sent by your agency")[0]
    assert [r.pk for r in referrals if f"/referrals/{r.pk}/" in waiting] == [r.pk for r in referrals[:3]], "the three soonest"
    assert "waiting=2" in waiting and 'rel="prev"' not in waiting

    third = client.get(reverse("referral_inbox"), {"waiting": 3}).content.decode().partition("Sent by your agency")[0]
    assert [r.pk for r in referrals if f"/referrals/{r.pk}/" in third] == [referrals[6].pk]
    assert "waiting=2" in third and 'rel="next"' not in third
    for nonsense in ("0", "-4", "lots"):
        assert client.get(reverse("referral_inbox"), {"waiting": nonsense}).status_code == 200

    client.force_login(council_caseworker)
    sent = client.get(reverse("referral_inbox")).content.decode().partition("Sent by your agency")[2]
    assert sum(f"/referrals/{r.pk}/" in sent for r in referrals) == 3 and "sent=2" in sent


def test_the_case_tab_query_count_does_not_grow_with_referrals(client, case, council, housing, police, fire, council_caseworker, django_assert_max_num_queries):
    make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
    client.force_login(council_caseworker)
    url = reverse("case_referrals", args=[case.reference])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    make_referral(case=case, from_agency=council, to_agency=police, by=council_caseworker)
    make_referral(case=case, from_agency=council, to_agency=fire, by=council_caseworker)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_closed_case_offers_no_referral_form(client, case, housing, council_caseworker):
    from casework.services.cases import case_close

    case_close(actor=Actor.system(), case=case, outcome="resolved", reason="Moved away")
    client.force_login(council_caseworker)
    page = client.get(reverse("case_referrals", args=[case.reference])).content.decode()
    assert "This case is closed, so it cannot be referred." in page and "Send referral" not in page
    response = _send(client, case, to_agency=housing.pk)
    assert "A closed case cannot be referred." in response.content.decode()
    assert not Referral.objects.exists()
