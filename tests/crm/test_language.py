"""French by default, English on demand; the choice follows the user."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from crm.models import Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_switching_to_english_sets_cookie_and_profile(rep, rep_client):
    response = rep_client.post(reverse("set_language"), {"language": "en", "next": "/contacts/"})
    assert response.status_code == 302 and response["Location"] == "/contacts/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert Profile.objects.get(user=rep).language == "en"
    assert "Good day" in rep_client.get(reverse("home")).content.decode()


def test_language_choice_comes_back_at_the_next_sign_in_on_another_browser():
    user = UserFactory(username="anglo", first_name="Ann", groups=["Sales reps"])
    Profile.objects.create(user=user, language="en")
    browser = Client()
    response = browser.post(reverse("login"), {"username": "anglo", "password": "secret-password-1"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Good day, Ann" in browser.get(reverse("home")).content.decode()


def test_unknown_language_is_ignored(rep, rep_client):
    response = rep_client.post(reverse("set_language"), {"language": "de"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_language_switch_next_stays_on_the_site(rep_client):
    response = rep_client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_anonymous_visitor_can_switch_the_login_page():
    client = Client()
    client.post(reverse("set_language"), {"language": "en"})
    assert "Sign in to Relance" in client.get(reverse("login")).content.decode()


def test_switch_is_post_only(rep_client):
    assert rep_client.get(reverse("set_language"), {"language": "en"}).status_code == 405


def test_preferences_page_saves_language(rep, rep_client):
    response = rep_client.post(reverse("profile"), {"language": "en", "email_reminders": ""})
    assert response.status_code == 302
    profile = Profile.objects.get(user=rep)
    assert profile.language == "en" and profile.email_reminders is False
