from django.core.management import call_command
from django.urls import reverse

from agencies.models import Agency, Membership, Partnership
from casework.models import Case
from tests.agencies.factories_security import sign_in_with_code


def test_seed_demo_loads_partners_and_users_and_is_idempotent(db, client):
    call_command("seed_demo", "--password", "demo-password-123")
    call_command("seed_demo", "--password", "demo-password-123")
    assert Partnership.objects.count() == 6
    ecam = Partnership.objects.get(short_code="ECAM")
    names = set(Agency.objects.filter(partnerships=ecam).values_list("name", flat=True))
    assert {
        "Cambridgeshire Constabulary",
        "East Cambridgeshire District Council",
        "Cambridgeshire County Council",
        "Cambridgeshire Youth Offending Service",
        "Cambridgeshire County Council Locality Team",
        "Cambridgeshire Drug and Alcohol Action Team",
        "Cambridgeshire Fire and Rescue",
        "Sanctuary Housing",
    } <= names
    assert Partnership.objects.filter(name__startswith="South Cambridgeshire").exists()
    for username in ("police-caseworker", "council-caseworker", "housing-caseworker", "fire-caseworker",
                     "yos-caseworker", "police-chair", "coordinator", "analyst"):
        assert Membership.objects.filter(user__username=username, partnership=ecam).exists(), username
    assert Membership.objects.get(user__username="police-chair").role == "chair"
    assert Case.objects.filter(partnership=ecam).count() >= 12

    response = sign_in_with_code(client, "housing-caseworker", "demo-password-123")
    assert "Sanctuary Housing" in response.content.decode()
