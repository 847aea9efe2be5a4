"""The sign-in guard (django-axes): five failures per user name *and* address, through every
door (sign-in page, admin login, password change), counted in the database so every process
and every server shares them."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from crm.permissions import SALES_REPS
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.servers import Browser, gunicorn, manage, production_env, shared_static_root

pytestmark = pytest.mark.django_db
PASSWORD = "secret-password-1"
OFFICE = "203.0.113.10"  # one address for a whole office behind its router
HOME = "198.51.100.20"
LOCKED_FR = "Trop de tentatives de connexion échouées. Par sécurité, attendez 15 minutes"
LOCKED_EN = "Too many failed sign-in attempts. For your security, wait 15 minutes and try again."
# Every spelling Django's sign-in form reads as "victim" (Unicode NFKC), and the case and
# spaces a person might type.
LOOK_ALIKES = ["ｖictim", "𝐯ictim", "VICTIM", " Victim ", "victim"]


@pytest.fixture
def victim():
    return UserFactory(username="victim", groups=[SALES_REPS])


@pytest.fixture
def boss():
    """The administrator who lifts locks."""
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


def sign_in(username, password=PASSWORD, *, address=OFFICE, language="fr"):
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)
    response = client.post(reverse("login"), {"username": username, "password": password})
    response.client_session = client.session
    return response


def admin_sign_in(username, password=PASSWORD, *, address=OFFICE, language="fr"):
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)
    response = client.post(
        reverse("admin:login") + "?next=/admin/", {"username": username, "password": password, "next": "/admin/"}
    )
    response.client_session = client.session
    return response


def attempts():
    """The locks the administrator sees (django-axes's AccessAttempt rows)."""
    from axes.models import AccessAttempt

    return AccessAttempt.objects


def signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client_session


def fail(times, username="victim", *, address=OFFICE, door=sign_in):
    for _ in range(times):
        assert not signed_in(door(username, "wrong-password", address=address))


def test_admin_login_is_limited_too(boss):
    fail(4, "boss", door=admin_sign_in)
    fifth = admin_sign_in("boss", "wrong-password")
    assert fifth.status_code == 429
    locked = admin_sign_in("boss")
    assert locked.status_code == 429 and not signed_in(locked)
    page = locked.content.decode()
    assert LOCKED_FR in page
    assert 'id="login-form"' in page, "the admin's own login page, in the admin's look"


def test_failures_on_the_sign_in_page_lock_the_admin_login(boss):
    fail(5, "boss")
    assert admin_sign_in("boss").status_code == 429
    assert signed_in(admin_sign_in("boss", address=HOME)), "only that name from that address"


def test_failures_on_the_admin_login_lock_the_sign_in_page(victim):
    fail(5, door=admin_sign_in)
    refused = sign_in("victim")
    assert refused.status_code == 429 and not signed_in(refused)
    assert LOCKED_FR in refused.content.decode()


def test_look_alike_names_share_one_lock(victim):
    UserFactory(username="colleague")
    fail(1, "victim")
    fail(1, "ｖictim")
    fail(1, "𝐯ictim")
    fail(1, "VICTIM", door=admin_sign_in)
    fail(1, " Victim ")
    for spelling in LOOK_ALIKES:
        refused = sign_in(spelling)
        assert refused.status_code == 429 and not signed_in(refused), spelling
        assert not signed_in(admin_sign_in(spelling)), spelling
    # The administrator sees one lock, under the name the account has.
    assert list(attempts().values_list("username", "ip_address", "failures_since_start")) == [
        ("victim", OFFICE, 5)
    ]
    # The lock is that name's, not the office's.
    assert signed_in(sign_in("colleague"))


def test_a_look_alike_success_does_not_clear_the_lock(victim):
    UserFactory(username="colleague")
    fail(5, "victim")
    # Django reads ｖictim as victim (NFKC): from the locked address it is refused too...
    assert not signed_in(sign_in("ｖictim"))
    assert not signed_in(sign_in("𝐯ictim"))
    # ...from home it signs victim in (the same account, its own name + address)...
    home = sign_in("ｖictim", address=HOME)
    assert signed_in(home) and home.client_session["_auth_user_id"] == str(victim.pk)
    # ...and that success does not lift the office's lock.
    assert sign_in("victim").status_code == 429
    assert attempts().get(username="victim", ip_address=OFFICE).failures_since_start == 5
    assert signed_in(sign_in("colleague"))


def test_typos_of_three_colleagues_behind_one_address_do_not_lock_out_a_fourth():
    for name in ["anne", "bruno", "chloe", "denis"]:
        UserFactory(username=name)
    fail(2, "anne")
    fail(2, "bruno")
    fail(1, "chloe")
    assert signed_in(sign_in("denis"))
    # Each keeps their own count: four more typos each, and they all still get in.
    for name in ["anne", "bruno", "chloe"]:
        fail(2, name)
        assert signed_in(sign_in(name)), name


def test_a_success_clears_only_its_own_name_and_address(victim):
    fail(4, address=OFFICE)
    fail(4, address=HOME)
    assert signed_in(sign_in("victim", address=OFFICE))
    # Home still counts its four: one more failure there locks home...
    fail(1, address=HOME)
    assert sign_in("victim", address=HOME).status_code == 429
    # ...while the office starts again from zero.
    fail(4, address=OFFICE)
    assert signed_in(sign_in("victim", address=OFFICE))


def change_password(client, old_password, new_password="Tres-Long-Mot-2026!"):
    return client.post(reverse("password_change"), {
        "old_password": old_password, "new_password1": new_password, "new_password2": new_password})


def test_password_change_limits_guesses_of_the_current_password(victim):
    client = Client(REMOTE_ADDR=OFFICE)
    client.force_login(victim)
    for guess in range(4):
        wrong = change_password(client, f"guess-{guess}")
        assert wrong.status_code == 200
        assert "Votre ancien mot de passe est incorrect" in wrong.content.decode()
    fifth = change_password(client, "guess-4")
    assert fifth.status_code == 429 and LOCKED_FR in fifth.content.decode()
    right = change_password(client, PASSWORD)
    assert right.status_code == 429 and LOCKED_FR in right.content.decode()
    victim.refresh_from_db()
    assert victim.check_password(PASSWORD), "the password did not change"
    # Same name, same address: the sign-in pages refuse it too, other addresses do not.
    assert sign_in("victim").status_code == 429
    assert signed_in(sign_in("victim", address=HOME))
    # What was typed is not kept in the record the administrator sees.
    post_data = attempts().get(username="victim", ip_address=OFFICE).post_data
    assert "guess-" not in post_data and "Tres-Long" not in post_data and PASSWORD not in post_data


def test_the_lock_ends_15_minutes_after_the_fifth_failure(victim):
    from django.db.models import F

    fail(5)
    assert sign_in("victim").status_code == 429  # a try during the lock does not prolong it
    attempts().update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=14))
    assert sign_in("victim").status_code == 429
    attempts().update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=1, seconds=1))
    client = Client(REMOTE_ADDR=OFFICE)
    client.force_login(victim)
    assert change_password(client, PASSWORD).status_code == 302, "the password page lets the right one in"
    assert signed_in(sign_in("victim", "Tres-Long-Mot-2026!"))


def test_administrator_sees_and_lifts_a_lock(victim, boss):
    fail(5)
    admin = client_for(boss)
    page = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "tentatives de connexion" in text.lower()
    assert "victim" in text and OFFICE in text and "Verrouillé jusqu’à" in text
    assert "Verrous de connexion" in admin.get(reverse("admin:index")).content.decode()
    attempt = attempts().get(username="victim")
    lifted = admin.post(reverse("admin:axes_accessattempt_changelist"), {
        "action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"})
    assert lifted.status_code == 302
    assert not attempts().exists()
    assert signed_in(sign_in("victim"))


def test_administrator_list_of_locks_in_english(victim, boss):
    fail(5)
    text = client_for(boss, "en").get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "access attempts" in text.lower() and "Locked until" in text


def test_reset_command_lifts_a_lock(victim):
    fail(5)
    call_command("axes_reset_username", "victim", stdout=io.StringIO())
    assert signed_in(sign_in("victim"))


@pytest.mark.parametrize("language, message", [("fr", LOCKED_FR), ("en", LOCKED_EN)])
def test_lock_message_in_both_languages_on_every_door(victim, language, message):
    fail(5)
    assert message in sign_in("victim", language=language).content.decode()
    assert message in admin_sign_in("victim", language=language).content.decode()
    client = Client(REMOTE_ADDR=OFFICE, HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(victim)
    assert message in change_password(client, PASSWORD).content.decode()


def test_a_refusal_outside_the_sign_in_forms_still_explains_itself(victim, rf):
    # A door that authenticates without our forms (a script, a future API) gets the message alone.
    from django.contrib.auth import authenticate

    from crm.signin import lockout_response

    fail(5)
    request = rf.post("/api/token/", {"username": "victim", "password": PASSWORD}, REMOTE_ADDR=OFFICE)
    assert authenticate(request, username="victim", password=PASSWORD) is None
    assert request.axes_locked_out
    response = lockout_response(request)
    assert response.status_code == 429 and LOCKED_FR in response.content.decode()


def test_lock_holds_across_three_gunicorn_workers_without_redis(tmp_path):
    """Per-process counters gave each worker its own five tries (15 with 3 workers)."""
    env = production_env(shared_static_root(), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert "REDIS_URL" not in env
    manage(env, "shell", "-c", "from django.core.management import call_command;"
           " from django.contrib.auth.models import User; call_command('migrate', verbosity=0);"
           f" User.objects.create_user('victim', password='{PASSWORD}')")
    with gunicorn(env, workers=3) as server:
        for _ in range(5):
            status, _headers, _body = Browser(server.base_url).post(
                "/login/", {"username": "victim", "password": "wrong-password"}, timeout=60)
            assert status in (200, 429)
        for _ in range(3):  # the right password, on a new connection each time
            status, _headers, body = Browser(server.base_url).post(
                "/login/", {"username": "victim", "password": PASSWORD}, timeout=60)
            assert status == 429 and LOCKED_FR in body.decode()
        posts = server.access_log(at_least=8, containing='"POST /login/')
    workers = {re.match(r"<(\d+)>", line).group(1) for line in posts}
    assert len(posts) == 8 and len(workers) >= 2, "the tries reached several workers"
