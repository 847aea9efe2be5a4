"""The API against its own OpenAPI schema (schemathesis): every endpoint, for each persona, with
generated parameters and bodies. No answer is a server error; every documented answer matches
the schema. Bounded examples (3 per operation and persona, 124 cases) keep it near two minutes on
two shared cores."""

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from api.models import ApiToken
from tests.factories import ContactFactory, ContactPersonFactory, NoteFactory, UserFactory


def load_schema():
    """The schema as /api/v1/schema/ serves it, generated in-process, answered by Django over WSGI."""
    raw = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = WSGIHandler()
    return schema


schema = load_schema()


@pytest.fixture(autouse=True)
def _connection_kept_between_requests():
    """As Django's test client does: a request's end must not close the test's connection
    (on PostgreSQL that would end the transaction the test runs in)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["Sales reps", "Managers", None, "anonymous"], ids=["rep", "manager", "outsider", "anonymous"])
def persona_key(request, django_db_setup, django_db_blocker, settings):
    """A token of this persona's user, or None for an anonymous visitor (no token at all)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "100000/minute"}}
    user = UserFactory(groups=[request.param] if request.param in ("Sales reps", "Managers") else [])
    contact = ContactFactory(name="Boulangerie Saint-Roch")
    ContactPersonFactory(contact=contact, is_primary=True)
    NoteFactory(contact=contact, assigned_to=user, admin_only=True)
    NoteFactory(contact=contact, assigned_to=user, is_done=True)
    return None if request.param == "anonymous" else ApiToken.issue(user=user, name="contract")[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
def test_the_api_keeps_its_contract(case, persona_key):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {persona_key}"} if persona_key else {},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
