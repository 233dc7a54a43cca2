from django.urls import reverse
from rest_framework.test import APIClient

from agencies.models import ApiToken
from audit.models import AuditEvent
from tests.agencies.factories import every_field
from tests.agencies.factories_security import token_request


def test_script_gets_a_token_with_username_and_password_and_uses_it(police_caseworker):
    api = APIClient()
    response = api.post("/api/v1/auth/token/", token_request(police_caseworker, name="Nightly feed"))
    assert response.status_code == 201
    key = response.data["token"]
    token = ApiToken.objects.get(user=police_caseworker)
    assert token.name == "Nightly feed" and key.startswith(token.prefix)
    assert key not in token.key_hash, "only a hash of the key is stored"

    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/cases/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_wrong_password_is_a_400_with_a_message(police_caseworker):
    response = APIClient().post("/api/v1/auth/token/", {"username": "police-cw", "password": "nope"})
    assert response.status_code == 400
    assert "correct username and password" in str(response.data)


def test_user_creates_names_sees_and_revokes_tokens_from_profile(client, police_caseworker):
    client.force_login(police_caseworker)
    page = client.post(reverse("profile"), {"name": "Housing feed"}).content.decode()
    token = ApiToken.objects.get(user=police_caseworker)
    assert "Copy it now" in page and token.prefix in page
    assert "Never" in page  # not used yet

    client.post(reverse("profile"), {"revoke": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(object_type="apitoken", detail="API token revoked").exists()


def test_a_revoked_token_no_longer_works(police_caseworker):
    api = APIClient()
    key = api.post("/api/v1/auth/token/", token_request(police_caseworker)).data["token"]
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/cases/").status_code == 401


def test_a_token_without_a_name_is_refused_with_a_message(client, police_caseworker):
    client.force_login(police_caseworker)
    page = client.post(reverse("profile"), {"name": "  "}).content.decode()
    assert "Give the token a name" in page
    assert not ApiToken.objects.exists()


def test_nobody_can_revoke_someone_elses_token(client, police_caseworker, council_caseworker):
    from agencies.tokens import api_token_create
    from audit.services import Actor

    token, _ = api_token_create(actor=Actor.system(), user=council_caseworker, name="Theirs")
    client.force_login(police_caseworker)
    assert client.post(reverse("profile"), {"revoke": token.pk}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_requests_are_throttled_with_retry_after(police_caseworker, settings):
    from django.core.cache import cache

    cache.clear()
    api = APIClient()
    statuses = [api.post("/api/v1/auth/token/", {"username": "police-cw", "password": "nope"}).status_code for _ in range(12)]
    assert statuses[-1] == 429
    response = api.post("/api/v1/auth/token/", {"username": "police-cw", "password": "nope"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    cache.clear()


def test_a_token_is_read_with_its_user_as_the_orm_reads_them(police_caseworker, django_assert_num_queries):
    from agencies.tokens import _hash, _live_token_with_user, api_token_create, api_token_revoke
    from audit.services import Actor

    token, key = api_token_create(actor=Actor.system(), user=police_caseworker, name="Nightly export")
    with django_assert_num_queries(1):
        found = _live_token_with_user(key_hash=_hash(key))
        assert found.user.username == police_caseworker.username
    expected = ApiToken.objects.select_related("user").get(pk=token.pk)
    assert every_field(found) == every_field(expected) and every_field(found.user) == every_field(expected.user)
    assert _live_token_with_user(key_hash=_hash("not-a-key")) is None
    api_token_revoke(actor=Actor.system(), token=token)
    assert _live_token_with_user(key_hash=_hash(key)) is None
