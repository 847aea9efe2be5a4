"""The schema and its documentation page."""

import pytest
from django.conf import settings

from tests.api.conftest import api_for


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files(rep_client):
    response = rep_client.get("/api/v1/docs/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "/static/js/api_docs.js" in page
    assert "<script>" not in page and "cdn" not in page.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_docs_page_needs_a_session(client):
    assert client.get("/api/v1/docs/").status_code == 302


def test_the_schema_is_served_to_a_session_or_a_token(rep_client, rep):
    assert rep_client.get("/api/v1/schema/").status_code == 200
    response = api_for(rep).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    assert "/api/v1/notes/" in response.json()["paths"]


@pytest.mark.django_db
def test_the_schema_needs_a_token_or_a_session(client):
    assert client.get("/api/v1/schema/").status_code == 401


def test_the_schema_has_opportunities_only_with_the_module(rep_client):
    paths = rep_client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    assert ("/api/v1/opportunities/" in paths) is settings.PROSPECTION_ENABLED
    assert {"/api/v1/contacts/", "/api/v1/people/", "/api/v1/notes/", "/api/v1/note-types/", "/api/v1/me/"} <= set(paths)
