"""Personal API tokens: shown once, stored hashed, revocable, expiring; the API takes nothing else."""

import datetime
import re

import pytest
from django.utils import timezone

from api.models import ApiToken, hash_token
from tests.api.conftest import ApiClient, api_for
from tests.conftest import client_for


def test_a_new_token_is_shown_once_and_stored_only_as_its_hash(rep_client, rep):
    response = rep_client.post("/profile/api-tokens/", {"name": "Site web"})
    assert response.status_code == 200
    key = re.search(r'value="(rlk_[^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=rep)
    assert token.key_hash == hash_token(key) and key not in token.key_hash
    assert not ApiToken.objects.filter(key_hash=key).exists()
    assert "no-store" in response["Cache-Control"]
    page = rep_client.get("/profile/api-tokens/").content.decode()
    assert "Site web" in page and key not in page and token.hint in page
    assert ApiClient(key).get("/api/v1/me/").json()["username"] == "rep"


def test_the_profile_links_to_the_tokens_page(rep_client):
    assert 'href="/profile/api-tokens/"' in rep_client.get("/profile/").content.decode()


def test_an_expiry_in_the_past_is_refused_in_french(rep_client, rep):
    response = rep_client.post("/profile/api-tokens/", {"name": "x", "expires_on": "2020-01-01"})
    assert response.status_code == 400
    assert "Choisissez un jour après aujourd’hui." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_revoked_token_gets_401(rep_client, rep):
    token, key = ApiToken.issue(user=rep, name="x")
    assert ApiClient(key).get("/api/v1/me/").status_code == 200
    assert rep_client.post(f"/profile/api-tokens/{token.pk}/revoke/").status_code == 302
    response = ApiClient(key).get("/api/v1/contacts/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_an_expired_token_gets_401(rep):
    _token, key = ApiToken.issue(user=rep, name="x", expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = ApiClient(key).get("/api/v1/contacts/")
    assert response.status_code == 401
    assert "expir" in response.json()["detail"]


@pytest.mark.django_db
def test_no_token_or_a_wrong_one_gets_401():
    assert ApiClient(None).get("/api/v1/contacts/").status_code == 401
    assert ApiClient("rlk_not-a-token").get("/api/v1/contacts/").status_code == 401


def test_a_signed_in_session_does_not_open_the_api(rep_client):
    assert rep_client.get("/api/v1/contacts/").status_code == 401


def test_nobody_revokes_someone_elses_token(rep, manager_client):
    token, key = ApiToken.issue(user=rep, name="x")
    assert manager_client.post(f"/profile/api-tokens/{token.pk}/revoke/").status_code == 404
    assert ApiClient(key).get("/api/v1/me/").status_code == 200


def test_revoking_needs_the_csrf_token(rep):
    from django.test import Client

    token, _key = ApiToken.issue(user=rep, name="x")
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    assert client.post(f"/profile/api-tokens/{token.pk}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_of_an_inactive_user_gets_401(rep):
    _token, key = ApiToken.issue(user=rep, name="x")
    rep.is_active = False
    rep.save()
    assert ApiClient(key).get("/api/v1/me/").status_code == 401


def test_the_last_used_date_is_recorded_and_shown(rep, rep_client):
    token, key = ApiToken.issue(user=rep, name="x")
    assert "Jamais utilisé" in rep_client.get("/profile/api-tokens/").content.decode()
    ApiClient(key).get("/api/v1/me/")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_requests_are_throttled_per_token(rep, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/minute"}}
    first, second = api_for(rep), api_for(rep)
    assert [first.get("/api/v1/me/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert second.get("/api/v1/me/").status_code == 200  # another token, its own budget


def test_the_tokens_page_speaks_english(rep):
    page = client_for(rep, "en").get("/profile/api-tokens/").content.decode()
    assert "API tokens" in page and "You have no API token." in page
