"""Opening a case shows the routing suggestion and records which rule applied, or why it was overridden."""

from django.urls import reverse
from rest_framework.test import APIClient

from casework.models import AsbKind, Case
from referrals.models import CaseRoutingDecision
from tests.referrals.factories_routing import ecam_agencies, ecam_rules  # noqa: F401 (fixtures)


def _form(kind, lead, **extra):
    return {
        "summary": "Loud music from the flat above", "kind": kind.pk, "subject_type": "individual",
        "subject_tenure": "housing_association", "subject_age_band": "adult", "lead_agency": lead.pk,
        "risk_level": "not_assessed", "security_marking": "official",
        "opened_on_0": "2", "opened_on_1": "3", "opened_on_2": "2026", **extra,
    }


def test_the_open_page_shows_the_suggestion_and_its_reason(client, ecam_rules, council_caseworker, housing):
    client.force_login(council_caseworker)
    noise = AsbKind.objects.get(slug="neighbour-noise")
    page = client.post(reverse("case_open"), _form(noise, housing, summary="")).content.decode()  # re-shown with an error
    assert "Suggested lead: Sanctuary Housing" in page
    assert "because the subject is a housing association tenant" in page


def test_choosing_another_lead_needs_a_reason_and_nothing_is_saved_without_it(client, ecam_rules, council_caseworker, council):
    client.force_login(council_caseworker)
    noise = AsbKind.objects.get(slug="neighbour-noise")
    page = client.post(reverse("case_open"), _form(noise, council)).content.decode()
    assert "Say why East Cambridgeshire District Council should lead rather than Sanctuary Housing" in page
    assert not Case.objects.exists()

    response = client.post(reverse("case_open"), _form(noise, council, routing_override_reason="Reported to the council front office; we investigate first"))
    case = Case.objects.get()
    assert response.status_code == 302 and case.lead_agency == council
    decision = CaseRoutingDecision.objects.get(case=case)
    assert decision.was_overridden and decision.suggested_lead.name == "Sanctuary Housing"
    assert decision.override_reason.startswith("Reported to the council")
    summary = client.get(reverse("case_detail", args=[case.reference])).content.decode()
    assert "Suggestion overridden" in summary


def test_following_the_suggestion_records_the_rule(client, ecam_rules, council_caseworker, housing):
    client.force_login(council_caseworker)
    noise = AsbKind.objects.get(slug="neighbour-noise")
    client.post(reverse("case_open"), _form(noise, housing))
    decision = CaseRoutingDecision.objects.get()
    assert not decision.was_overridden and decision.chosen_lead == housing
    assert "housing association tenant" in decision.rule_description.lower()


def test_the_api_applies_the_same_rule(ecam_rules, council_caseworker, council):
    api = APIClient()
    api.force_authenticate(council_caseworker)
    payload = {"summary": "Noise", "kind": "neighbour-noise", "subject_tenure": "housing_association", "lead_agency": council.slug}
    refused = api.post("/api/v1/cases/", payload, format="json")
    assert refused.status_code == 400 and "routing_override_reason" in refused.data
    assert not Case.objects.exists()
    accepted = api.post("/api/v1/cases/", {**payload, "routing_override_reason": "Council investigates first"}, format="json")
    assert accepted.status_code == 201
    assert CaseRoutingDecision.objects.get().was_overridden


def test_the_case_summary_shows_when_the_facts_now_point_elsewhere(client, ecam_rules, council_caseworker, council, housing):
    from audit.services import Actor
    from casework.services.cases import case_update
    from referrals.services.routing import case_open_routed

    noise = AsbKind.objects.get(slug="neighbour-noise")
    case = case_open_routed(actor=Actor.system(), partnership=council.partnerships.first(), lead_agency=council, summary="Noise",
                            kind=noise, subject_tenure="owner_occupier")
    case_update(actor=Actor.system(), case=case, expected_version=case.version, subject_tenure="housing_association")
    client.force_login(council_caseworker)
    page = client.get(reverse("case_detail", args=[case.reference])).content.decode()
    assert "The routing rules now suggest Sanctuary Housing" in page
