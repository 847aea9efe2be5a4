"""The optional module switched off (CRM_PROSPECTION=off): no tab, no icon, no URLs, no admin entries.

This file runs whether the module is on or off: the "off" project runs in a
child process with its own settings and a throw-away SQLite database.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = r'''
import json
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.models import Group, User
from django.test import Client
from contacts.models import Contact

rep = User.objects.create_user("rep", password="x", first_name="Luc", last_name="Gagnon")
rep.groups.add(Group.objects.get(name="Sales reps"))
boss = User.objects.create_superuser("boss", "boss@example.com", "x")
contact = Contact.objects.create(name="Boulangerie Saint-Roch")
# An account manager set earlier (by an import, or while the module was on), then changed.
contact.account_manager = User.objects.create_user("gisele", first_name="Gisèle", last_name="Gestion")
contact.save()
contact.account_manager = User.objects.create_user("gaston", first_name="Gaston", last_name="Gérant")
contact.save()
client = Client(HTTP_ACCEPT_LANGUAGE="fr")
client.force_login(rep)
admin = Client(HTTP_ACCEPT_LANGUAGE="fr")
admin.force_login(boss)


def page(client, url):
    response = client.get(url)
    return {"status": response.status_code, "html": response.content.decode()}


print(json.dumps({
    "enabled": settings.PROSPECTION_ENABLED,
    "installed": "prospection" in settings.INSTALLED_APPS,
    "home": page(client, "/"),
    "contacts": page(client, "/contacts/"),
    "contact": page(client, f"/contacts/{contact.pk}/"),
    "contact_tab": page(client, f"/contacts/{contact.pk}/?tab=prospection"),
    "dashboard": page(client, "/prospection/"),
    "chart": page(client, "/prospection/chart.svg"),
    "board": page(client, "/prospection/board/"),
    "board_column": page(client, "/prospection/board/column/1/"),
    "forecast": page(client, "/prospection/forecast/"),
    "forecast_chart": page(client, "/prospection/forecast/pipeline.svg"),
    "board_move": {"status": client.post("/prospection/1/move/", {"stage": "1", "version": "0"}).status_code},
    "admin": page(admin, "/admin/"),
    "admin_lists": page(admin, "/admin/prospection/product/"),
    "history": page(client, f"/contacts/{contact.pk}/?tab=history"),
    "export_header": b"".join(client.get("/contacts/export.csv").streaming_content).decode().splitlines()[0],
}))
'''


def off_environment(tmp_path) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update({
        "CRM_PROSPECTION": "off",
        "DJANGO_SETTINGS_MODULE": "crm.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'off.sqlite3'}",
        "PYTHONPATH": str(ROOT),
    })
    return env


def test_manage_py_check_passes_with_the_module_off(tmp_path):
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=off_environment(tmp_path),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.fixture(scope="module")
def off_pages(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("prospection-off")
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=off_environment(tmp_path),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_app_is_not_installed(off_pages):
    assert off_pages["enabled"] is False
    assert off_pages["installed"] is False


@pytest.mark.parametrize("name", ["home", "contacts", "contact", "contact_tab"])
def test_pages_work_without_tab_icon_or_link(off_pages, name):
    page = off_pages[name]
    assert page["status"] == 200
    assert 'data-testid="prospection-icon"' not in page["html"]
    assert "bi-gem" not in page["html"]
    assert "Prospection" not in page["html"]
    assert "Liste des prospections" not in page["html"]
    assert "Tableau des étapes" not in page["html"]
    assert "/prospection/" not in page["html"]


def test_contact_file_still_shows_the_contact(off_pages):
    assert "Boulangerie Saint-Roch" in off_pages["contact"]["html"]
    assert "Gestionnaire de compte" not in off_pages["contact"]["html"]


@pytest.mark.parametrize("name", ["dashboard", "chart", "board", "board_column", "board_move", "forecast", "forecast_chart",
                                  "admin_lists"])
def test_prospection_urls_are_404(off_pages, name):
    assert off_pages[name]["status"] == 404


def test_admin_index_has_no_prospection_entries(off_pages):
    admin = off_pages["admin"]
    assert admin["status"] == 200
    assert "/admin/prospection/" not in admin["html"]
    assert "Prospection" not in admin["html"]
    assert "Opportunités de vente" not in admin["html"]


def test_no_account_manager_in_the_history_or_the_export(off_pages):
    history = off_pages["history"]
    assert history["status"] == 200
    assert "Gestionnaire de compte" not in history["html"]
    assert "Gisèle Gestion" not in history["html"] and "Gaston Gérant" not in history["html"]
    assert "Gestionnaire de compte" not in off_pages["export_header"]
    assert off_pages["export_header"].lstrip("\ufeff").startswith("Référence externe;Nom;")
