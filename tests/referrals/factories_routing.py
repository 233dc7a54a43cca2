"""Routing test data: East Cambridgeshire's partners by role, its seeded rules, and single rules."""

import pytest

from agencies.models import Agency, Membership
from audit.services import Actor
from referrals.services.routing import routing_rule_create, routing_rules_seed_east_cambridgeshire
from tests.agencies.factories import make_agency, make_member


def make_county_agencies(*, partnership) -> dict:
    return {
        "youth_offending": make_agency(partnerships=[partnership], name="Cambridgeshire Youth Offending Service", slug="cambs-yos", short_name="YOS", kind=Agency.Kind.YOUTH_OFFENDING),
        "locality_team": make_agency(partnerships=[partnership], name="Cambridgeshire County Council Locality Team", slug="cambs-locality", short_name="Locality Team", kind=Agency.Kind.LOCALITY_TEAM),
        "drug_alcohol": make_agency(partnerships=[partnership], name="Cambridgeshire Drug and Alcohol Action Team", slug="cambs-daat", short_name="DAAT", kind=Agency.Kind.DRUG_ALCOHOL),
    }


def make_rule(*, partnership, lead_agency, name="Test rule", **fields):
    return routing_rule_create(actor=Actor.system(), partnership=partnership, name=name, lead_agency=lead_agency, **fields)


@pytest.fixture
def ecam_agencies(partnership, police, council, housing, fire):
    return {"police": police, "district_council": council, "fire_rescue": fire, "housing": housing, **make_county_agencies(partnership=partnership)}


@pytest.fixture
def ecam_rules(partnership, ecam_agencies):
    return routing_rules_seed_east_cambridgeshire(partnership=partnership, agencies=ecam_agencies)


@pytest.fixture
def coordinator(council, partnership):
    return make_member(agency=council, partnership=partnership, role=Membership.Role.COORDINATOR, username="coordinator")
