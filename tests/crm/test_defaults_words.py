"""Issue 15: defaults that never change by themselves, the sign-in page's language, and the words."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from crm.models import Profile
from notes.models import NoteType
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_fr(db):
    return client_for(UserFactory(username="boss", is_staff=True, is_superuser=True))


def default_type_labels():
    return list(NoteType.objects.filter(is_default=True).values_list("label_fr", flat=True))


def add_type_in_admin(client, **fields):
    data = {"label_fr": "Visite terrain", "label_en": "Site visit", "order": "0", "is_active": "on", **fields}
    response = client.post("/admin/notes/notetype/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return NoteType.objects.get(label_fr=data["label_fr"])


def new_note_type(client, contact):
    form = client.get(reverse("notes:create", args=[contact.pk])).context["form"]
    return NoteType.objects.get(pk=form["type"].value())


def test_the_shipped_default_note_type_is_note():
    assert default_type_labels() == ["Note"]


def test_a_type_added_in_the_admin_first_in_order_does_not_become_the_default(admin_client_fr, rep_client, contact):
    add_type_in_admin(admin_client_fr)
    assert default_type_labels() == ["Note"]
    assert new_note_type(rep_client, contact).label_fr == "Note"


def test_marking_another_type_default_in_the_admin_moves_the_flag(admin_client_fr, rep_client, contact):
    visit = add_type_in_admin(admin_client_fr, is_default="on")
    assert default_type_labels() == ["Visite terrain"]
    assert new_note_type(rep_client, contact) == visit
    call = NoteType.objects.get(label_en="Phone call")
    response = admin_client_fr.post(f"/admin/notes/notetype/{call.pk}/change/", {
        "label_fr": call.label_fr, "label_en": call.label_en, "order": call.order,
        "is_active": "on", "is_default": "on",
    })
    assert response.status_code == 302
    assert default_type_labels() == ["Appel téléphonique"]


def test_the_default_type_cannot_be_unticked_or_deactivated_in_the_admin(admin_client_fr):
    note = NoteType.objects.get(is_default=True)
    base = {"label_fr": note.label_fr, "label_en": note.label_en, "order": note.order}
    unticked = admin_client_fr.post(f"/admin/notes/notetype/{note.pk}/change/", {**base, "is_active": "on"})
    assert unticked.status_code == 200
    assert "cochez plutôt « Par défaut » sur un autre type" in unticked.content.decode()
    inactive = admin_client_fr.post(f"/admin/notes/notetype/{note.pk}/change/", {**base, "is_default": "on"})
    assert inactive.status_code == 200
    assert "Le type par défaut doit être actif." in inactive.content.decode()
    assert default_type_labels() == ["Note"]


def test_the_admin_shows_which_type_is_the_default(admin_client_fr):
    page = admin_client_fr.get("/admin/notes/notetype/").content.decode()
    assert "Par défaut" in page


# The sign-in page's language

def sign_in(browser, username):
    return browser.post(reverse("login"), {"username": username, "password": "secret-password-1"})


def test_language_chosen_on_the_sign_in_page_becomes_the_preference():
    user = UserFactory(username="anglo", first_name="Ann", groups=["Sales reps"])
    Profile.objects.create(user=user, language="fr")
    browser = Client()
    browser.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    response = sign_in(browser, "anglo")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert Profile.objects.get(user=user).language == "en"
    assert "Good day, Ann" in browser.get(reverse("home")).content.decode()


def test_without_a_choice_on_the_sign_in_page_the_stored_preference_comes_back():
    user = UserFactory(username="anglo", first_name="Ann", groups=["Sales reps"])
    Profile.objects.create(user=user, language="en")
    browser = Client()
    # A cookie left from an earlier visit is not a choice made on the sign-in page.
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = sign_in(browser, "anglo")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert Profile.objects.get(user=user).language == "en"


def test_the_sign_in_page_choice_is_used_once():
    user = UserFactory(username="anglo", first_name="Ann", groups=["Sales reps"])
    Profile.objects.create(user=user, language="fr")
    browser = Client()
    browser.post(reverse("set_language"), {"language": "en"})
    sign_in(browser, "anglo")
    browser.post(reverse("logout"))
    Profile.objects.filter(user=user).update(language="fr")  # changed since, on another device
    assert sign_in(browser, "anglo").cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


# Commands speak the site's language (LANGUAGE_CODE), whatever the shell's

def run_reminders(**settings_overrides):
    import datetime
    from io import StringIO

    from django.core.management import call_command
    from django.test import override_settings
    from django.utils import translation

    out = StringIO()
    with override_settings(**settings_overrides), translation.override("en" if settings_overrides.get(
            "LANGUAGE_CODE") == "fr" else "fr"):  # the shell's language is the other one
        call_command("send_followup_reminders", "--date", datetime.date(2026, 11, 28).isoformat(), stdout=out)
    return out.getvalue()


def reminders_due(*users):
    import datetime

    from tests.factories import NoteFactory

    for user in users:
        NoteFactory(assigned_to=user, date=datetime.date(2026, 11, 28))


def test_the_reminder_command_speaks_french_in_a_french_installation(rep, manager):
    reminders_due(rep, manager)
    assert run_reminders(LANGUAGE_CODE="fr") == "2 rappels envoyés.\n"
    assert run_reminders(LANGUAGE_CODE="fr") == "0 rappel envoyé.\n"


def test_the_reminder_command_speaks_english_in_an_english_installation(rep):
    reminders_due(rep)
    assert run_reminders(LANGUAGE_CODE="en") == "1 reminder sent.\n"
    assert run_reminders(LANGUAGE_CODE="en") == "0 reminders sent.\n"


def test_the_reminder_commands_help_is_in_the_sites_language():
    from django.core.management import load_command_class
    from django.test import override_settings

    with override_settings(LANGUAGE_CODE="fr"):
        parser = load_command_class("notes", "send_followup_reminders").create_parser("manage.py", "send_followup_reminders")
    assert "Envoie à chaque utilisateur" in parser.format_help()
    assert "AAAA-MM-JJ" in parser.format_help()


def test_the_demo_command_speaks_the_sites_language(settings):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    out = StringIO()
    with translation.override("fr"):
        call_command("seed_demo", stdout=out)
    assert re.search(r"^Notes: \d+ items created$", out.getvalue(), re.M)
    assert "Demo data ready. Sign in at" in out.getvalue() and "(sales rep)" in out.getvalue()
    settings.LANGUAGE_CODE = "fr"
    out = StringIO()
    with translation.override("en"):
        call_command("seed_demo", stdout=out)
    assert "Notes : 0 élément créé" in out.getvalue()
    assert "Données de démonstration prêtes." in out.getvalue() and "(représentant)" in out.getvalue()


@pytest.mark.parametrize("site, shell, expected", [
    ("fr", "en", r"^2 lignes importées en \d+,\d s\.$"),
    ("en", "fr", r"^Imported 2 rows in \d+\.\d s\.$"),
])
def test_the_import_commands_speak_the_sites_language(settings, site, shell, expected):
    from io import StringIO
    from pathlib import Path

    from django.core.management import call_command
    from django.utils import translation

    settings.LANGUAGE_CODE = site
    out = StringIO()
    with translation.override(shell):
        call_command("import_contacts", str(Path(__file__).parents[1] / "data" / "contacts_tab.tsv"), stdout=out)
    assert re.search(expected, out.getvalue(), re.M), out.getvalue()


def test_the_default_type_cannot_be_deleted_in_the_admin_even_in_bulk(admin_client_fr):
    note = NoteType.objects.get(is_default=True)
    visit = add_type_in_admin(admin_client_fr)
    assert admin_client_fr.get(f"/admin/notes/notetype/{note.pk}/delete/").status_code == 403
    admin_client_fr.post("/admin/notes/notetype/", {
        "action": "delete_selected", "_selected_action": [note.pk, visit.pk], "post": "yes",
    })
    assert NoteType.objects.filter(pk=note.pk).exists()
    assert default_type_labels() == ["Note"]
