"""Retention: closed cases past the period are listed for review at the right day; a coordinator defers or approves;
anonymisation removes what identifies people and keeps what the statistics count; the audit chain still holds."""

import re
from datetime import date, timedelta

import pytest
from django.db.models import Count
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import Actor, audit_chain_verify
from casework.models import (
    Action,
    Case,
    CasePerson,
    Document,
    Household,
    Incident,
    Intervention,
    Note,
    Person,
    RetentionReview,
    RiskAssessment,
    SecurityMarking,
    SubjectAccessRequest,
)
from casework.selectors.governance import audit_event_search
from casework.services.cases import case_close
from casework.services.people import household_create
from casework.services.retention import case_anonymise, retention_review_defer, retention_reviews_raise
from casework.services.subject_access import subject_access_produce, subject_access_request_create
from referrals.models import Referral
from tests.agencies.factories import make_member
from tests.casework.factories import make_case
from tests.casework.factories_documents import make_document, media_root, stored_files  # noqa: F401
from tests.casework.factories_governance import (  # noqa: F401
    actor_of,
    coordinator,
    dpo,
    make_action,
    make_closed_case,
    make_intervention,
    make_note,
    membership_of,
)
from tests.casework.factories_incidents import make_incident
from tests.casework.factories_people import put_on_case
from tests.referrals.factories_referrals import make_referral

pytestmark = pytest.mark.usefixtures("media_root")
TODAY = date(2026, 6, 15)


def _listed(**filters) -> set[int]:
    return set(RetentionReview.objects.filter(**filters).values_list("case_id", flat=True))


def test_a_case_is_listed_on_the_day_its_retention_period_ends_not_the_day_before(partnership, council):
    minus_a_day = make_closed_case(partnership=partnership, lead_agency=council, opened_on=date(2019, 1, 7), closed_on=date(2020, 6, 16))
    exactly = make_closed_case(partnership=partnership, lead_agency=council, opened_on=date(2019, 1, 7), closed_on=date(2020, 6, 15))
    plus_a_day = make_closed_case(partnership=partnership, lead_agency=council, opened_on=date(2019, 1, 7), closed_on=date(2020, 6, 14))
    make_case(partnership=partnership, lead_agency=council, opened_on=date(2015, 1, 5))  # never closed: never listed

    assert retention_reviews_raise(actor=Actor.system(), today=TODAY) == 2
    assert _listed(status="due") == {exactly.pk, plus_a_day.pk}
    assert RetentionReview.objects.get(case=plus_a_day).retention_ends_on == date(2026, 6, 14)
    flag = AuditEvent.objects.get(action="flag", case_id=plus_a_day.pk)
    assert "6-year retention period has ended" in flag.detail

    assert retention_reviews_raise(actor=Actor.system(), today=TODAY) == 0  # idempotent
    assert retention_reviews_raise(actor=Actor.system(), today=TODAY + timedelta(days=1)) == 1
    assert minus_a_day.pk in _listed(status="due")


def test_each_partnership_uses_its_own_period(partnership, other_partnership, police):
    other_partnership.retention_years = 3
    other_partnership.save()
    fenland = make_closed_case(partnership=other_partnership, lead_agency=police, opened_on=date(2022, 1, 3), closed_on=date(2023, 6, 14))
    ecam = make_closed_case(partnership=partnership, lead_agency=police, opened_on=date(2022, 1, 3), closed_on=date(2023, 6, 14))
    retention_reviews_raise(actor=Actor.system(), today=TODAY)
    assert _listed() == {fenland.pk} and ecam.pk not in _listed()


def test_a_deferred_case_comes_back_on_its_review_date(partnership, council, coordinator):
    case = make_closed_case(partnership=partnership, lead_agency=council, opened_on=date(2019, 1, 7), closed_on=date(2020, 1, 6))
    retention_reviews_raise(actor=Actor.system(), today=TODAY)
    review = RetentionReview.objects.get(case=case)
    retention_review_defer(actor=actor_of(coordinator), review=review, partnership=partnership,
                           reason="Injunction in force until the end of June", review_on=date(2026, 7, 1), today=TODAY)
    retention_reviews_raise(actor=Actor.system(), today=date(2026, 6, 30))
    assert RetentionReview.objects.get(case=case).status == "deferred"
    retention_reviews_raise(actor=Actor.system(), today=date(2026, 7, 1))
    assert RetentionReview.objects.get(case=case).status == "due"
    assert AuditEvent.objects.filter(case_id=case.pk, action="flag", detail__startswith="Deferred retention review came back").exists()


# The pages


@pytest.fixture
def due_case(partnership, council):
    case = make_closed_case(partnership=partnership, lead_agency=council, opened_on=date(2018, 5, 1), closed_on=date(2019, 2, 1),
                            summary="Parties at a rented house on Prickwillow Road")
    retention_reviews_raise(actor=Actor.system())
    return case


def test_the_coordinator_sees_the_due_list_and_others_may_not(client, due_case, coordinator, dpo, council_supervisor):
    review = RetentionReview.objects.get(case=due_case)
    client.force_login(coordinator)
    page = client.get(reverse("retention_list")).content.decode()
    assert reverse("retention_review", args=[review.pk]) in page and due_case.reference in page and "Neighbour noise" in page
    for user in (dpo, council_supervisor):
        client.force_login(user)
        assert client.get(reverse("retention_list")).status_code == 403


def test_a_coordinator_of_another_partnership_cannot_reach_the_review(client, due_case, police, other_partnership):
    from agencies.models import Membership

    fenland = make_member(agency=police, partnership=other_partnership, role=Membership.Role.COORDINATOR, username="fenland-coord")
    client.force_login(fenland)
    review = RetentionReview.objects.get(case=due_case)
    assert client.get(reverse("retention_review", args=[review.pk])).status_code == 404
    assert client.post(reverse("retention_review", args=[review.pk]), {"decision": "approve"}).status_code == 404
    assert RetentionReview.objects.get(pk=review.pk).status == "due"


def test_deferring_needs_a_reason_and_a_future_date(client, due_case, coordinator):
    review = RetentionReview.objects.get(case=due_case)
    client.force_login(coordinator)
    url = reverse("retention_review", args=[review.pk])
    page = client.post(url, {"decision": "defer", "reason": "", "review_on": "2020-01-01"}).content.decode()
    assert "There is a problem" in page and "Say why the case should be kept" in page
    page = client.post(url, {"decision": "defer", "reason": "Court case pending", "review_on": "2020-01-01"}).content.decode()
    assert "The new review date must be in the future" in page
    assert RetentionReview.objects.get(pk=review.pk).status == "due"

    later = date.today() + timedelta(days=200)
    response = client.post(url, {"decision": "defer", "reason": "Court case pending", "review_on": later.isoformat()}, follow=True)
    assert f"kept until {later:%d %B %Y}" in response.content.decode()
    review.refresh_from_db()
    assert (review.status, review.review_on, review.defer_reason, review.decided_by) == ("deferred", later, "Court case pending", coordinator)
    deferred_list = client.get(reverse("retention_list"), {"status": "deferred"}).content.decode()
    assert "Court case pending" in deferred_list


def test_approving_on_the_page_anonymises_the_case_in_the_background(client, due_case, coordinator, django_capture_on_commit_callbacks):
    review = RetentionReview.objects.get(case=due_case)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("retention_review", args=[review.pk]), {"decision": "approve"}, follow=True)
    assert "approved" in response.content.decode()
    review.refresh_from_db()
    assert review.status == "anonymised" and review.decided_by == coordinator and review.anonymised_at
    assert Case.objects.get(pk=due_case.pk).summary == "[anonymised]"
    approval, anonymised = AuditEvent.objects.filter(case_id=due_case.pk, action="update", username="coordinator").order_by("id")[:2]
    assert approval.detail == "Anonymisation approved under the retention policy"
    assert anonymised.detail.startswith("Anonymised under the retention policy")
    # Approving twice is refused with a message, not an error page.
    page = client.post(reverse("retention_review", args=[review.pk]), {"decision": "approve"}, follow=True).content.decode()
    assert "no longer due for review" in page


@pytest.mark.parametrize("count", [5, 30])
def test_the_review_list_runs_a_fixed_number_of_queries(client, partnership, council, coordinator, django_assert_max_num_queries, count):
    for n in range(count):
        make_closed_case(partnership=partnership, lead_agency=council, opened_on=date(2018, 1, 1), closed_on=date(2019, 1, 1 + n % 28))
    retention_reviews_raise(actor=Actor.system())
    client.force_login(coordinator)
    client.get(reverse("retention_list"))
    with django_assert_max_num_queries(8):
        page = client.get(reverse("retention_list")).content.decode()
    assert len(re.findall(r'href="/retention/\d+/"', page)) == min(count, 25)


# Anonymisation


def _statistics() -> dict:
    """What the quarterly statistics count: cases by their kept fields, incidents, interventions and roles."""
    cases = Case.objects.values("kind__slug", "category", "subject_type", "lead_agency", "status", "closing_outcome", "risk_level",
                                "opened_on", "closed_on", "referred_to_group_on")
    incidents = Incident.objects.values("case_id", "occurred_at", "reported_on", "channel", "is_hate_motivated")
    interventions = Intervention.objects.values("case_id", "type", "status", "start_on", "end_on", "delivering_agency")
    return {
        "cases": sorted(map(str, cases.annotate(n=Count("id")))),
        "cases_by_kind_and_subject": sorted(map(str, Case.objects.values("kind__slug", "subject_type").annotate(n=Count("id")))),
        "incidents": sorted(map(str, incidents.annotate(n=Count("id")))),
        "interventions": sorted(map(str, interventions.annotate(n=Count("id")))),
        "notes": Note.objects.count(),
        "actions": Action.objects.count(),
    }


@pytest.fixture
def old_case(partnership, council, police, coordinator, council_caseworker, monkeypatch):
    """A closed 2019 case with everything on it. The victim is on no other case; the perpetrator is also on a live one."""
    from casework.services import subject_access

    monkeypatch.setattr(subject_access, "subject_access_pdf_render", lambda *, data: b"%PDF-1.4 the victim's pack")  # only its removal matters here
    case = make_case(partnership=partnership, lead_agency=council, summary="Music from flat 7 keeps Doreen Whitmore awake",
                     opened_on=date(2019, 3, 1), address="Flat 3, Cromwell Court, Silver Street, Ely", postcode="CB7 4AB",
                     ward="Ely East", latitude="52.398100", longitude="0.262400", risk_level="medium")
    victim = put_on_case(case=case, role=CasePerson.Role.VICTIM, notes="Lives below flat 7").person
    perpetrator = put_on_case(case=case, role=CasePerson.Role.PERPETRATOR, first_name="Kyle", last_name="Barker",
                              date_of_birth=date(1998, 7, 30), address="Flat 7, Cromwell Court", phone="07700 900 214").person
    household_create(actor=Actor.system(), name="The Whitmore household, Flat 3", address="Flat 3, Cromwell Court", members=[victim])
    live = make_case(partnership=partnership, lead_agency=police, summary="Kyle Barker threatening shop staff", opened_on=date(2026, 2, 2))
    put_on_case(case=live, role=CasePerson.Role.PERPETRATOR, person=perpetrator)

    make_incident(case=case, on=date(2019, 3, 2), reported_by=victim, description="Music until 3am again", other_references="CAD 1234")
    make_incident(case=case, on=date(2019, 3, 9), reported_by=perpetrator, description="Kyle says she bangs on the ceiling", hate=True)
    make_note(case=case, agency=council, text="Doreen rang in tears", written_on=date(2019, 3, 3))
    make_note(case=case, agency=council, text="Kyle's tenancy file", marking=SecurityMarking.OFFICIAL_SENSITIVE, written_on=date(2019, 3, 4))
    make_intervention(case=case, agency=council, person=perpetrator, type="cpw", notes="Served on Kyle at the door", start_on=date(2019, 4, 1))
    make_intervention(case=case, agency=council, person=victim, type="floating_support", notes="Visits for Doreen", start_on=date(2019, 4, 2))
    make_action(case=case, agency=council, description="Ring Doreen Whitmore on Friday")
    RiskAssessment.objects.create(case=case, assessed_on=date(2019, 3, 2), score=9, level="medium", notes="She cannot sleep")
    make_referral(case=case, from_agency=council, to_agency=police, by=council_caseworker, reason="Doreen Whitmore is frightened of Kyle")
    make_document(case=case, agency=council, title="Noise diary kept by Doreen Whitmore")
    request = subject_access_request_create(actor=actor_of(coordinator), membership=membership_of(coordinator), person=victim,
                                            request_reference="SAR-2019-1", received_on=date(2019, 6, 1), reason="Letter from her daughter")
    subject_access_produce(request_id=request.pk)
    case = case_close(actor=Actor.system(), case=case, outcome="resolved", reason="Doreen moved to sheltered housing", closed_on=date(2019, 12, 1))
    return {"case": case, "victim": victim, "perpetrator": perpetrator, "live": live, "request": request}


def _anonymise(case, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return case_anonymise(actor=actor_of(coordinator), case=case)


def test_anonymisation_removes_names_contacts_free_text_and_documents(old_case, coordinator, media_root, django_capture_on_commit_callbacks):
    assert len(stored_files(media_root)) == 3  # the document, and the victim's subject access pack (PDF and JSON)
    _anonymise(old_case["case"], coordinator, django_capture_on_commit_callbacks)

    case = Case.objects.get(pk=old_case["case"].pk)
    assert (case.summary, case.address, case.ward, case.postcode, case.latitude, case.longitude, case.closing_reason) == (
        "[anonymised]", "", "", "CB7", None, None, "")
    assert (case.reference, case.status, case.closing_outcome, case.risk_level, case.kind.slug) == (
        old_case["case"].reference, "closed", "resolved", "medium", "neighbour-noise")
    incidents = Incident.objects.filter(case=case).order_by("occurred_at")
    assert [(i.description, i.other_references, i.is_hate_motivated, i.channel) for i in incidents] == [
        ("", "", False, "phone"), ("", "", True, "phone")]
    assert list(Note.objects.filter(case=case).values_list("text", flat=True)) == ["", ""]
    assert set(Intervention.objects.filter(case=case).values_list("notes", flat=True)) == {""}
    assert list(Action.objects.filter(case=case).values_list("description", flat=True)) == [""]
    assert list(RiskAssessment.objects.filter(case=case).values_list("notes", flat=True)) == [""]
    assert set(CasePerson.objects.filter(case=case).values_list("notes", flat=True)) == {""}
    assert list(Referral.objects.filter(case=case).values_list("reason", flat=True)) == [""]
    assert not Document.objects.filter(case=case).exists()
    assert stored_files(media_root) == []  # the document's file, and the victim's pack, are gone

    victim = Person.objects.get(pk=old_case["victim"].pk)
    assert (victim.first_name, victim.last_name) == ("Anonymised", f"person {victim.pk}")
    assert victim.date_of_birth == date(1947, 1, 1)
    assert (victim.address, victim.postcode, victim.phone, victim.email, victim.vulnerability_notes, victim.household) == ("", "", "", "", "", None)
    assert Household.objects.get().name.startswith("Anonymised household")
    request = SubjectAccessRequest.objects.get(pk=old_case["request"].pk)
    assert (request.request_reference, request.reason, request.pdf_file.name, request.json_file.name) == ("SAR-2019-1", "", "", "")


def test_people_on_live_cases_are_only_taken_off_the_anonymised_case(old_case, coordinator, django_capture_on_commit_callbacks):
    _anonymise(old_case["case"], coordinator, django_capture_on_commit_callbacks)
    kyle = Person.objects.get(pk=old_case["perpetrator"].pk)
    assert (kyle.first_name, kyle.last_name, kyle.phone, kyle.date_of_birth) == ("Kyle", "Barker", "07700 900 214", date(1998, 7, 30))
    assert list(CasePerson.objects.filter(person=kyle).values_list("case_id", flat=True)) == [old_case["live"].pk]
    assert not Incident.objects.filter(case=old_case["case"], reported_by=kyle).exists()
    assert not Intervention.objects.filter(case=old_case["case"], person=kyle).exists()
    review = RetentionReview.objects.get(case=old_case["case"])
    assert list(review.people_anonymised.values_list("pk", flat=True)) == [old_case["victim"].pk]
    assert AuditEvent.objects.filter(action="delete", object_type="caseperson", person_id=kyle.pk, case_id=old_case["case"].pk).exists()


def test_anonymisation_keeps_every_count_the_reports_need(old_case, coordinator, partnership, police, django_capture_on_commit_callbacks):
    make_closed_case(partnership=partnership, lead_agency=police, opened_on=date(2018, 1, 1), closed_on=date(2018, 9, 1),
                     kind_slug="youth-asb", subject_type="area", category="nuisance")
    before = _statistics()
    _anonymise(old_case["case"], coordinator, django_capture_on_commit_callbacks)
    after = _statistics()
    assert after == before
    assert CasePerson.objects.filter(case=old_case["case"], role="victim").count() == 1  # the (anonymised) victim stays counted


def test_the_audit_trail_is_untouched_and_its_old_values_are_withheld_from_search(old_case, coordinator, dpo, django_capture_on_commit_callbacks):
    events_before = list(AuditEvent.objects.order_by("id").values_list("id", "hash"))
    _anonymise(old_case["case"], coordinator, django_capture_on_commit_callbacks)
    assert list(AuditEvent.objects.filter(id__lte=events_before[-1][0]).order_by("id").values_list("id", "hash")) == events_before
    check = audit_chain_verify()
    assert check.ok and check.rows_checked > len(events_before)

    anonymisation = AuditEvent.objects.get(case_id=old_case["case"].pk, detail__startswith="Anonymised under the retention policy.")
    assert "Doreen" not in str(anonymisation.changes) and "Cromwell" not in str(anonymisation.changes)
    assert anonymisation.detail == ("Anonymised under the retention policy. Text cleared from 2 incidents, 2 notes, 2 interventions, "
                                    "1 action; 1 document deleted; 1 person anonymised, 1 taken off the case")

    found = {e.pk: e for e in audit_event_search(membership=membership_of(dpo), filters={"case_reference": old_case["case"].reference})}
    opened = AuditEvent.objects.get(case_id=old_case["case"].pk, action="create", object_type="case")
    assert found[opened.pk].withheld and "Doreen" in str(opened.changes)
    assert not found[anonymisation.pk].withheld
    victim_created = AuditEvent.objects.get(person_id=old_case["victim"].pk, action="create", object_type="person")
    assert audit_event_search(membership=membership_of(dpo), filters={"person_id": old_case["victim"].pk}).get(pk=victim_created.pk).withheld
    # Kyle is kept: what was recorded about him on the live case is shown; what was recorded on the anonymised case
    # (his record was made there, and incidents there may describe others) is withheld with the rest of that case.
    kyle = {e.pk: e.withheld for e in audit_event_search(membership=membership_of(dpo), filters={"person_id": old_case["perpetrator"].pk})}
    on_live = AuditEvent.objects.get(person_id=old_case["perpetrator"].pk, case_id=old_case["live"].pk, action="create")
    on_old = AuditEvent.objects.get(person_id=old_case["perpetrator"].pk, case_id=old_case["case"].pk, action="create", object_type="person")
    assert kyle[on_live.pk] is False and kyle[on_old.pk] is True


def test_the_audit_page_and_export_show_withheld_for_anonymised_values(client, old_case, coordinator, dpo, django_capture_on_commit_callbacks):
    _anonymise(old_case["case"], coordinator, django_capture_on_commit_callbacks)
    client.force_login(dpo)
    reference = old_case["case"].reference
    page = client.get(reverse("audit_search"), {"case_reference": reference}).content.decode()
    assert "withheld: anonymised under the retention policy" in page
    assert "Doreen" not in page and "Cromwell" not in page and "Kyle" not in page
    export = b"".join(client.get(reverse("audit_export"), {"case_reference": reference}).streaming_content).decode()
    assert "Doreen" not in export and "Cromwell" not in export and "withheld: anonymised" in export


def test_an_open_case_cannot_be_anonymised_nor_one_twice(old_case, coordinator, partnership, council, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Only a closed case"):
        case_anonymise(actor=actor_of(coordinator), case=make_case(partnership=partnership, lead_agency=council))
    _anonymise(old_case["case"], coordinator, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="already anonymised"):
        case_anonymise(actor=actor_of(coordinator), case=old_case["case"])


def test_a_person_on_two_cases_is_anonymised_with_the_second(partnership, council, coordinator, django_capture_on_commit_callbacks):
    first = make_case(partnership=partnership, lead_agency=council, opened_on=date(2018, 1, 1))
    second = make_case(partnership=partnership, lead_agency=council, opened_on=date(2018, 2, 1))
    person = put_on_case(case=first).person
    put_on_case(case=second, person=person)
    for case in (first, second):
        case_close(actor=Actor.system(), case=case, outcome="resolved", reason="", closed_on=date(2019, 1, 1))
    _anonymise(first, coordinator, django_capture_on_commit_callbacks)
    person.refresh_from_db()
    assert person.first_name == "Doreen" and not CasePerson.objects.filter(case=first).exists()
    _anonymise(second, coordinator, django_capture_on_commit_callbacks)
    person.refresh_from_db()
    assert person.first_name == "Anonymised" and CasePerson.objects.filter(case=second, person=person).exists()


def test_the_monthly_task_lists_due_cases_and_finishes_approved_anonymisations(partnership, council, coordinator):
    from casework.services.retention import retention_review_approve
    from casework.tasks import retention_review_task

    waiting = make_closed_case(partnership=partnership, lead_agency=council, opened_on=date(2018, 1, 1), closed_on=date(2019, 1, 1))
    retention_review_task()
    review = RetentionReview.objects.get(case=waiting)
    retention_review_approve(actor=actor_of(coordinator), review=review, partnership=partnership)  # its task is lost: on_commit never runs
    assert RetentionReview.objects.get(pk=review.pk).status == "approved"
    retention_review_task()
    assert RetentionReview.objects.get(pk=review.pk).status == "anonymised"


def test_a_reopened_case_leaves_the_list_and_an_anonymised_case_cannot_be_reopened(
    client, partnership, council, coordinator, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    from casework.services.cases import case_reopen
    from casework.services.retention import retention_review_approve

    reopened = make_closed_case(partnership=partnership, lead_agency=council, opened_on=date(2018, 1, 1), closed_on=date(2019, 1, 1))
    gone = make_closed_case(partnership=partnership, lead_agency=council, opened_on=date(2018, 1, 1), closed_on=date(2019, 2, 1))
    retention_reviews_raise(actor=Actor.system())
    review = RetentionReview.objects.get(case=reopened)
    case_reopen(actor=Actor.system(), case=reopened, reason="New reports from the same address")

    client.force_login(coordinator)
    assert reopened.reference not in client.get(reverse("retention_list")).content.decode()
    assert client.post(reverse("retention_review", args=[review.pk]), {"decision": "approve"}).status_code == 404
    with pytest.raises(ValidationError, match="has been reopened"):
        retention_review_approve(actor=actor_of(coordinator), review=review, partnership=partnership)
    assert Case.objects.get(pk=reopened.pk).summary != "[anonymised]"
    retention_reviews_raise(actor=Actor.system())
    assert not RetentionReview.objects.filter(case=reopened).exists()
    assert AuditEvent.objects.filter(case_id=reopened.pk, detail="Taken off the retention review list: the case was reopened").exists()

    _anonymise(gone, coordinator, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="cannot be reopened"):
        case_reopen(actor=Actor.system(), case=Case.objects.get(pk=gone.pk), reason="By mistake")


def test_the_case_history_tab_withholds_what_anonymisation_removed(client, old_case, coordinator, partnership, council, django_capture_on_commit_callbacks):
    from agencies.models import Membership

    _anonymise(old_case["case"], coordinator, django_capture_on_commit_callbacks)
    supervisor = make_member(agency=council, partnership=partnership, role=Membership.Role.SUPERVISOR, username="council-sup-2")
    client.force_login(supervisor)
    page = client.get(reverse("case_history", args=[old_case["case"].reference])).content.decode()
    assert "Details withheld: anonymised under the retention policy" in page
    assert "Doreen" not in page and "Cromwell" not in page
    assert "Anonymised under the retention policy. Text cleared from" in page  # recorded after: shown
