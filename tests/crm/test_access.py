"""Everyone signs in: every URL sends an anonymous visitor to the login page."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from crm.permissions import MANAGERS, SALES_REPS
from tests.crm.urlwalk import walk

# The only views that answer without a session, each for a reason.
PUBLIC = {
    "login",            # signing in
    "set_language",     # choosing the language of the login page
    "calendar:feed",    # the feed's secret is its key (iCalendar clients have no session)
    "healthz",          # load balancers' health check: says "ok" or "unavailable", nothing more
}


def test_the_resolver_walk_finds_the_app_urls():
    names = {name for _url, _view, name in walk()}
    assert {"home", "contacts:list", "contacts:detail", "notes:create", "admin:index"} <= names


@pytest.mark.django_db
def test_every_private_url_redirects_anonymous_visitors_to_login():
    client = Client()
    checked = 0
    for url, view, name in walk():
        if not getattr(view, "login_required", True) and name.startswith("api:"):
            # The API signs in by token, not by session: without one it answers 401 (api/auth.py).
            assert client.get(url).status_code == 401, f"{url} answers without a token"
            continue
        if not getattr(view, "login_required", True):
            assert name in PUBLIC or name.startswith("admin:"), f"{name} ({url}) is public"
            continue
        response = client.get(url)
        assert response.status_code == 302, f"{url} answered {response.status_code}"
        assert response["Location"].startswith(("/login/?next=", "/admin/login/?next=")), url
        checked += 1
    assert checked > 20


@pytest.mark.django_db
def test_groups_exist_with_their_permissions():
    reps = set(Group.objects.get(name=SALES_REPS).permissions.values_list("codename", flat=True))
    managers = set(Group.objects.get(name=MANAGERS).permissions.values_list("codename", flat=True))
    assert {"view_contact", "add_contact", "change_contact", "add_note", "change_note"} <= reps
    assert "delete_contact" not in reps and "view_admin_only_note" not in reps
    assert {"delete_contact", "view_admin_only_note"} <= managers
    assert reps <= managers
