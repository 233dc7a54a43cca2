import pytest
from django.urls import reverse

from agencies.models import Membership
from audit.models import AuditEvent
from audit.services import Actor
from casework.models import AsbKind, Case
from casework.services.access import case_access_grant
from tests.agencies.factories import make_member
from tests.casework.factories import make_case
from tests.casework.factories_cases import date_parts


def edit_post(case, **overrides):
    data = {
        "version": str(case.version),
        "summary": case.summary,
        "kind": str(case.kind_id or ""),
        "category": case.category,
        "subject_type": case.subject_type,
        "subject_tenure": case.subject_tenure,
        "subject_age_band": case.subject_age_band,
        "risk_level": case.risk_level,
        "security_marking": case.security_marking,
        "address": case.address,
        "postcode": case.postcode,
        "ward": case.ward,
        "latitude": "",
        "longitude": "",
        "lead_officer": str(case.lead_officer_id or ""),
    }
    if case.next_review_on:
        data.update(date_parts("next_review_on", case.next_review_on))
    data.update(overrides)
    return data


@pytest.fixture
def case(partnership, police):
    return make_case(partnership=partnership, lead_agency=police, summary="Loud music from flat 3")


@pytest.fixture
def police_supervisor(police, partnership):
    return make_member(agency=police, partnership=partnership, role=Membership.Role.SUPERVISOR, username="police-sup",
                       first_name="Karen", last_name="Doyle")


def test_edit_page_shows_the_case_as_it_is_and_is_audited(client, case, police_caseworker):
    client.force_login(police_caseworker)
    response = client.get(reverse("case_edit", args=[case.reference]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Loud music from flat 3"' in page
    assert 'name="version" value="1"' in page
    assert AuditEvent.objects.filter(action="view", case_id=case.pk, detail="Edit form").exists()


def test_saving_changes_records_old_and_new_values(client, case, police_caseworker):
    client.force_login(police_caseworker)
    response = client.post(reverse("case_edit", args=[case.reference]), edit_post(case, ward="Ely East", postcode="cb7 4ab", risk_level="high"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.ward, case.postcode, case.risk_level, case.version) == ("Ely East", "CB7 4AB", "high", 2)
    event = AuditEvent.objects.filter(action="update", case_id=case.pk).latest("id")
    assert event.changes["ward"] == ["", "Ely East"] and event.changes["risk_level"] == ["not_assessed", "high"]


def test_changing_the_kind_brings_its_category(client, case, police_caseworker):
    client.force_login(police_caseworker)
    fly_tipping = AsbKind.objects.get(slug="fly-tipping")
    client.post(reverse("case_edit", args=[case.reference]), edit_post(case, kind=str(fly_tipping.pk), category=""))
    case.refresh_from_db()
    assert case.kind == fly_tipping and case.category == "environmental"


def test_a_stale_save_is_refused_showing_what_changed_and_keeping_what_was_typed(client, case, police_caseworker, police_supervisor):
    url = reverse("case_edit", args=[case.reference])
    loaded_by_b = edit_post(case)  # both open the form at version 1

    client.force_login(police_caseworker)
    assert client.post(url, edit_post(case, ward="Ely East", risk_level="high")).status_code == 302

    client.force_login(police_supervisor)
    typed = {**loaded_by_b, "ward": "Soham North", "summary": "Loud music and threats from flat 3"}
    response = client.post(url, typed)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this case while you were editing it" in page
    # what the other person changed: the detail, its value before, its value now, and what this user typed
    assert "<th scope=\"row\" class=\"govuk-table__header\">Ward</th><td class=\"govuk-table__cell\">(blank)</td><td class=\"govuk-table__cell\">Ely East</td><td class=\"govuk-table__cell\">Soham North</td>" in page
    assert "Risk to the victim</th><td class=\"govuk-table__cell\">Not assessed</td><td class=\"govuk-table__cell\">High</td>" in page
    # everything typed is still in the form, on the new version; what only the other person changed is theirs
    assert 'value="Loud music and threats from flat 3"' in page
    assert 'value="Soham North"' in page
    assert 'name="version" value="2"' in page
    assert '<input type="radio" name="risk_level" value="high" class="govuk-radios__input" id="id_risk_level_3" checked>' in page
    ward_row = page.split(">Ward</th>")[1].split("</tr>")[0]
    risk_row = page.split(">Risk to the victim</th>")[1].split("</tr>")[0]
    assert ">Yours<" in ward_row and ">Theirs<" in risk_row
    case.refresh_from_db()
    assert (case.ward, case.summary, case.version) == ("Ely East", "Loud music from flat 3", 2)

    # saving the form as shown again keeps this user's entries and the other person's risk level
    again = {**typed, "version": "2", "risk_level": "high"}
    assert client.post(url, again).status_code == 302
    case.refresh_from_db()
    assert (case.ward, case.summary, case.risk_level, case.version) == ("Soham North", "Loud music and threats from flat 3", "high", 3)


def test_bad_input_on_edit_keeps_the_case_unchanged(client, case, police_caseworker):
    client.force_login(police_caseworker)
    response = client.post(reverse("case_edit", args=[case.reference]), edit_post(case, postcode="nowhere", **{"next_review_on_0": "30", "next_review_on_1": "2", "next_review_on_2": "2026"}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a real UK postcode, like CB7 4AB." in page
    assert "Next review date must be a real date" in page
    case.refresh_from_db()
    assert case.version == 1 and case.postcode == ""


def test_missing_version_is_a_form_error_not_a_crash(client, case, police_caseworker):
    client.force_login(police_caseworker)
    data = edit_post(case)
    del data["version"]
    response = client.post(reverse("case_edit", args=[case.reference]), data)
    assert response.status_code == 200 and "There is a problem" in response.content.decode()


def test_lead_officer_choices_are_the_lead_agencys_people(client, case, police_caseworker, council_caseworker):
    client.force_login(police_caseworker)
    page = client.get(reverse("case_edit", args=[case.reference])).content.decode()
    officers = page.split('id="id_lead_officer"')[1].split("</select>")[0]
    assert f'<option value="{police_caseworker.pk}">{police_caseworker.get_full_name()}</option>' in officers
    assert council_caseworker.get_full_name() not in officers
    response = client.post(reverse("case_edit", args=[case.reference]), edit_post(case, lead_officer=str(council_caseworker.pk)))
    assert "Choose a lead officer from the list" in response.content.decode()
    client.post(reverse("case_edit", args=[case.reference]), edit_post(case, lead_officer=str(police_caseworker.pk)))
    case.refresh_from_db()
    assert case.lead_officer == police_caseworker


def test_only_the_lead_agency_may_edit_others_get_404(client, case, council, council_caseworker, housing_caseworker):
    case_access_grant(actor=Actor.system(), case=case, agency=council, level="contributor")
    url = reverse("case_edit", args=[case.reference])
    for user in (council_caseworker, housing_caseworker):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, edit_post(case, ward="x")).status_code == 404
    assert Case.objects.get(pk=case.pk).ward == ""
    assert client.get(reverse("case_edit", args=["ECAM-1999-0001"])).status_code == 404
    assert AuditEvent.objects.filter(action="denied").count() >= 4
