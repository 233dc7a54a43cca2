"""seed_scale: a county in proportion to --cases, with access exactly as the policy derives it and an intact audit
chain. Runs on SQLite and on PostgreSQL (where the bulk path drops and remakes indexes and keys)."""

from collections import defaultdict
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Max, Min
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import Agency, CaseworkGroup, Partnership
from audit.models import AuditEvent
from audit.services import audit_chain_verify
from casework import permissions
from casework.models import (
    AsbKind, Case, CaseAccess, CaseGroupObjectPermission, CasePerson, Incident, Intervention, Note, Person, VisibleCaseCount,
)
from meetings.models import GroupSchedule, Meeting
from referrals.models import Referral
from referrals.selectors.routing import routing_facts_for_draft, routing_rules_for_partnership, routing_suggest_for_facts
from referrals.services.routing import EAST_CAMBRIDGESHIRE_RULES
from scale import seed as seeding
from tests.agencies.factories import PartnershipFactory

CASES = 2000


@pytest.fixture
def county(db):
    call_command("seed_scale", cases=CASES, stdout=open("/dev/null", "w"))
    return CASES


def _close(actual, expected, tolerance):
    return abs(actual - expected) <= tolerance * expected


def test_the_county_is_in_proportion_with_access_as_the_policy_says_and_an_intact_audit_chain(county):
    # Proportions.
    per_case = {
        Person: seeding.PER_CASE["people"], Incident: seeding.PER_CASE["incidents"], Intervention: seeding.PER_CASE["interventions"],
        Note: seeding.PER_CASE["notes"], Referral: seeding.PER_CASE["referrals"], AuditEvent: seeding.PER_CASE["audit"],
    }
    assert Case.objects.count() == county
    assert Partnership.objects.count() == 6 and Agency.objects.count() == 40
    for model, ratio in per_case.items():
        found = model.objects.count()
        assert _close(found, ratio * county, 0.15), f"{model.__name__}: {found} for {county} cases, expected about {ratio * county:.0f}"
    assert get_user_model().objects.count() >= 2 * 40, "at least the floor of users the agencies need"
    police = Agency.objects.get(slug="county-police")
    assert _close(Case.objects.filter(lead_agency=police).count(), county / 3, 0.12), "one police force leads a third"
    span = Case.objects.aggregate(first=Min("opened_on"), last=Max("opened_on"))
    assert span["last"] - span["first"] > timedelta(days=365 * 5 - 30), "five years of history"
    repeat = CasePerson.objects.filter(role=CasePerson.Role.VICTIM).values("person").annotate(n=Count("case", distinct=True)).order_by("-n")
    assert repeat[0]["n"] >= 3, "repeat victims"

    # Every grant is what the policy derives from the open access periods, and nothing more.
    wanted = defaultdict(set)
    for case_id, group_id, level in CaseAccess.objects.filter(revoked_at__isnull=True).values_list("case_id", "agency__group_id", "level"):
        wanted[(case_id, group_id)] |= set(permissions.LEVEL_PERMISSIONS[level])
    held = defaultdict(set)
    for case_id, group_id, codename in CaseGroupObjectPermission.objects.values_list("content_object_id", "group_id", "permission__codename"):
        held[(case_id, group_id)].add(codename)
    assert held == {pair: codenames for pair, codenames in wanted.items() if codenames}  # group membership alone gives none
    leads = set(CaseAccess.objects.filter(level=CaseAccess.Level.LEAD, revoked_at__isnull=True).values_list("case_id", "agency_id"))
    assert leads == set(Case.objects.values_list("pk", "lead_agency_id")), "the lead agency holds lead access"
    for referral in Referral.objects.filter(status=Referral.Status.ACCEPTED).exclude(purpose=Referral.Purpose.TAKE_LEAD):
        assert CaseAccess.objects.filter(case_id=referral.case_id, agency_id=referral.to_agency_id).exists()
    assert not Referral.objects.filter(status=Referral.Status.PENDING, case__status=Case.Status.CLOSED).exists()

    # The list's sort keys and the counters match the grants.
    assert not CaseGroupObjectPermission.objects.exclude(case_opened_on=F("content_object__opened_on")).exists()
    view = CaseGroupObjectPermission.objects.filter(permission__codename=permissions.VIEW).values("group_id").annotate(n=Count("id"))
    assert {row["group_id"]: row["n"] for row in view} == dict(VisibleCaseCount.objects.values_list("group_id", "cases"))

    # Everyone can sign in with two factors (the benchmark computes their codes), and every casework group meets.
    users = get_user_model().objects.all()
    assert TOTPDevice.objects.filter(confirmed=True, user__in=users).values("user").distinct().count() == users.count()
    for group in CaseworkGroup.objects.all():
        schedule = GroupSchedule.objects.get(group=group)
        assert schedule.is_active
        assert Meeting.objects.filter(group=group, held_on__gte=timezone.localdate()).count() >= 2

    # Every partnership routes by the working agreement's flow chart, each rule led by an agency serving it.
    for partnership in Partnership.objects.all():
        rules = list(routing_rules_for_partnership(partnership=partnership, active_only=True))
        assert len(rules) == len(EAST_CAMBRIDGESHIRE_RULES), partnership.name
        assert all(partnership in rule.lead_agency.partnerships.all() for rule in rules)
        fire_setting = routing_facts_for_draft(kind=AsbKind.objects.get(slug="deliberate-fire-setting"), subject_age_band=Case.AgeBand.AGE_10_15)
        assert routing_suggest_for_facts(partnership, fire_setting).lead_agency.kind == "fire_rescue", partnership.name

    # The audit trail is chained exactly as audit_record chains it.
    check = audit_chain_verify()
    assert check.ok, check.reason
    assert check.rows_checked == AuditEvent.objects.count()


def test_a_seeded_caseworker_sees_their_agencys_cases_in_the_pages(county, client):
    user = get_user_model().objects.filter(memberships__agency__slug="county-police", memberships__role="caseworker").first()
    police = Agency.objects.get(slug="county-police")
    client.force_login(user)
    page = client.get("/cases/").content.decode()
    expected = VisibleCaseCount.objects.get(group_id=police.group_id).cases
    assert f"{expected} cases" in page
    newest = permissions.cases_permitted(user=user, agency=police).order_by("-opened_on", "-id").first()
    assert newest.reference in page


def test_refuses_a_database_holding_other_data_unless_forced(db):
    PartnershipFactory(name="East Cambridgeshire CSP", slug="east-cambridgeshire", short_code="ECAM")
    with pytest.raises(CommandError, match="already holds data"):
        call_command("seed_scale", cases=50, stdout=open("/dev/null", "w"))
    assert not Case.objects.exists()
    call_command("seed_scale", cases=50, force=True, stdout=open("/dev/null", "w"))
    assert Case.objects.count() == 50
    assert Partnership.objects.filter(slug="east-cambridgeshire").exists(), "the other data is left alone"


def test_seeding_again_replaces_the_earlier_county(db):
    call_command("seed_scale", cases=60, stdout=open("/dev/null", "w"))
    call_command("seed_scale", cases=80, stdout=open("/dev/null", "w"))
    assert Case.objects.count() == 80
    assert Partnership.objects.count() == 6
    assert audit_chain_verify().ok


@pytest.mark.django_db
def test_the_postgresql_bulk_path_remakes_every_index_and_key(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the bulk path (COPY, indexes and keys dropped and remade) is PostgreSQL's")

    def definitions():
        tables = [m._meta.db_table for m in seeding.BULK_MODELS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1", [tables])
            indexes = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) ORDER BY 1", [tables]
            )
            return indexes, cursor.fetchall()

    before = definitions()
    monkeypatch.setattr(seeding, "BULK_LOAD_FROM", 0)
    call_command("seed_scale", cases=300, stdout=open("/dev/null", "w"))
    assert definitions() == before
    assert audit_chain_verify().ok
    assert Case.objects.count() == 300 and timezone.localdate() >= Case.objects.aggregate(last=Max("opened_on"))["last"]
