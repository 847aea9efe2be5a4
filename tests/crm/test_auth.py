"""Sign in, sign out, password change; `next` only ever stays on the site."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "secret-password-1"


@pytest.fixture
def luc():
    return UserFactory(username="luc", first_name="Luc", groups=["Sales reps"])


def sign_in(client, next_url=None, password=PASSWORD):
    data = {"username": "luc", "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("login") + (f"?next={next_url}" if next_url else ""), data)


def test_login_page_is_french_by_default():
    page = Client().get(reverse("login")).content.decode()
    assert "Connexion à Relance" in page and "Mot de passe" in page


def test_sign_in_lands_on_my_day(luc):
    response = sign_in(Client())
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_wrong_password_says_so_in_french(luc):
    response = sign_in(Client(), password="nope")
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "http:/\\evil.example", "javascript:alert(1)", "\\\\evil.example",
])
def test_next_never_leaves_the_site(luc, target):
    response = sign_in(Client(), next_url=target)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_next_inside_the_site_is_followed(luc):
    assert sign_in(Client(), next_url="/contacts/?q=x")["Location"] == "/contacts/?q=x"


def test_sign_out_is_a_post_and_ends_the_session(luc):
    client = Client()
    client.force_login(luc)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"].startswith("/login/")


def test_password_change_keeps_me_signed_in_and_works(luc):
    client = Client()
    client.force_login(luc)
    page = client.get(reverse("password_change")).content.decode()
    assert "Changer le mot de passe" in page
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Tres-Long-Mot-2026!", "new_password2": "Tres-Long-Mot-2026!"})
    assert response.status_code == 302
    luc.refresh_from_db()
    assert luc.check_password("Tres-Long-Mot-2026!")
    assert client.get(reverse("home")).status_code == 200


def test_repeated_failures_lock_the_account_even_with_the_right_password(luc):
    client = Client()
    for _ in range(4):
        assert sign_in(client, password="wrong").status_code == 200
    fifth = sign_in(client, password="wrong")
    assert fifth.status_code == 429, "the fifth failure already says the account is locked"
    locked = sign_in(client)
    assert locked.status_code == 429
    assert "Trop de tentatives de connexion échouées" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_is_per_account_and_address(luc):
    # Name + address together; the rest is in test_signin_guard.py.
    UserFactory(username="other")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        attacker.post(reverse("login"), {"username": "luc", "password": "wrong"})
    assert sign_in(attacker).status_code == 429
    # Another account from that address, and the account from another address, still sign in.
    assert attacker.post(reverse("login"), {"username": "other", "password": PASSWORD}).status_code == 302
    assert sign_in(Client(REMOTE_ADDR="198.51.100.7")).status_code == 302


def test_a_good_sign_in_resets_the_account_count(luc):
    client = Client()
    for _ in range(4):
        sign_in(client, password="wrong")
    assert sign_in(client).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(Client(REMOTE_ADDR="198.51.100.8"), password="wrong")
    assert sign_in(Client(REMOTE_ADDR="198.51.100.9")).status_code == 302


def test_changing_the_password_ends_the_other_sessions(luc):
    office, phone = Client(), Client()
    office.force_login(luc)
    phone.force_login(luc)
    office.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Tres-Long-Mot-2026!", "new_password2": "Tres-Long-Mot-2026!"})
    assert office.get(reverse("home")).status_code == 200
    assert phone.get(reverse("home"))["Location"].startswith("/login/")
