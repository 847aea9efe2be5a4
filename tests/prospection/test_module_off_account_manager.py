"""With the prospection module off, nothing of the account manager remains: not in the contact's
History, not in the contacts export, not among the columns import_contacts accepts.

These tests run in both modes (CI runs the suite with CRM_PROSPECTION=off as well): they switch the
module off themselves, and the ones named "..._when_on" switch it on to show what "off" takes away.
test_module_off.py checks the same pages in a project really started with the module off.
"""

import csv
import io

import pytest
from django.apps import apps
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from contacts.models import Contact
from tests.factories import ContactFactory, UserFactory
from tests.imports.conftest import run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def write_file(tmp_path):
    def write(name: str, content) -> str:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    return write


@pytest.fixture
def module_off(settings):
    settings.PROSPECTION_ENABLED = False


@pytest.fixture
def module_on(settings):
    if not apps.is_installed("prospection"):  # a project started with CRM_PROSPECTION=off cannot switch it on
        pytest.skip("the prospection app is not installed (CRM_PROSPECTION=off)")
    settings.PROSPECTION_ENABLED = True


def history_page(client, contact) -> str:
    response = client.get(contact.get_absolute_url(), {"tab": "history"})
    assert response.status_code == 200
    return response.content.decode()


def export(client) -> list[dict]:
    response = client.get(reverse("contacts:export"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(content), delimiter=";"))  # French: what a French Excel splits on


def set_account_manager(contact, user) -> None:
    contact.refresh_from_db()
    contact.account_manager = user
    contact.save()


# History ------------------------------------------------------------------------------

def test_history_shows_account_manager_changes_when_on(module_on, rep_client, contact):
    set_account_manager(contact, UserFactory(first_name="Gisèle", last_name="Gestion"))
    page = history_page(rep_client, contact)
    assert "Gestionnaire de compte" in page and "Gisèle Gestion" in page


def test_history_has_no_account_manager_entry_when_off(module_off, rep_client, contact):
    set_account_manager(contact, UserFactory(first_name="Gisèle", last_name="Gestion"))
    contact.refresh_from_db()
    contact.city = "Lévis"
    contact.save()
    page = history_page(rep_client, contact)
    assert "Gestionnaire de compte" not in page
    assert "Gisèle Gestion" not in page
    assert "Lévis" in page  # the other changes are still told
    # The change of the account manager alone is not an entry at all: created, then the city.
    assert page.count("— modifié") == 1


def test_history_in_english_has_no_account_manager_when_off(module_off, rep_client_en, contact):
    set_account_manager(contact, UserFactory(first_name="Gisèle", last_name="Gestion"))
    with translation.override("en"):
        page = history_page(rep_client_en, contact)
    assert "Account manager" not in page and "Gisèle Gestion" not in page


# Export -------------------------------------------------------------------------------

def test_export_has_the_account_manager_column_when_on(module_on, rep_client, rep):
    ContactFactory(name="Café Québec", account_manager=rep)
    header, row = export(rep_client)
    assert dict(zip(header, row))["Gestionnaire de compte"] == "rep"


def test_export_has_no_account_manager_column_when_off(module_off, rep_client, rep):
    ContactFactory(name="Café Québec", account_manager=rep)
    header, row = export(rep_client)
    assert "Gestionnaire de compte" not in header
    assert len(row) == len(header)
    assert "rep" not in row
    assert dict(zip(header, row))["Nom"] == "Café Québec"


# Import -------------------------------------------------------------------------------

FILE = "nom,gestionnaire de compte,ville\nCafé Québec,rep,Québec\n"


def test_import_reads_the_account_manager_when_on(module_on, rep, write_file):
    run_import("import_contacts", write_file("contacts.csv", FILE))
    assert Contact.objects.get(name="Café Québec").account_manager == rep


def test_import_refuses_the_account_manager_column_when_off_and_says_why(module_off, rep, write_file):
    with pytest.raises(CommandError) as failure:
        run_import("import_contacts", write_file("contacts.csv", FILE))
    message = str(failure.value)
    assert "rien n’a été écrit" in message
    assert "Colonne inconnue : « gestionnaire de compte »" in message
    assert ("« gestionnaire de compte » : le gestionnaire de compte fait partie du module de prospection, "
            "désactivé sur ce site ; retirez la colonne pour importer le reste.") in message
    accepted = message.split("sont :", 1)[1].split("« gestionnaire de compte » :")[0]
    assert "gestionnaire" not in accepted and "account manager" not in accepted  # not offered
    assert not Contact.objects.exists()


def test_import_refuses_the_export_column_name_too_when_off(module_off, rep, write_file):
    path = write_file("contacts.csv", "name,account_manager\nCafé Québec,rep\n")
    with pytest.raises(CommandError, match="prospection"):
        run_import("import_contacts", path)
    assert not Contact.objects.exists()


def test_import_without_the_column_works_when_off(module_off, rep, write_file):
    run_import("import_contacts", write_file("contacts.csv", "nom,ville\nCafé Québec,Québec\n"))
    assert Contact.objects.get(name="Café Québec").account_manager is None


def test_export_then_import_round_trips_when_off(module_off, rep_client, rep, write_file):
    ContactFactory(name="Café Québec", external_ref="CRM-9", account_manager=rep, city="Québec")
    content = b"".join(rep_client.get(reverse("contacts:export")).streaming_content)
    Contact.objects.all().delete()
    run_import("import_contacts", write_file("export.csv", content))
    assert Contact.objects.get(external_ref="CRM-9").city == "Québec"


def test_import_help_does_not_mention_the_account_manager(module_off):
    from contacts.management.commands.import_contacts import Command

    parser = Command().create_parser("manage.py", "import_contacts")
    help_text = parser.format_help().lower()
    assert "gestionnaire" not in help_text and "account manager" not in help_text


# Admin --------------------------------------------------------------------------------

@pytest.fixture
def admin_client(db):
    from django.test import Client

    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(boss)
    return client


def test_contact_admin_has_the_account_manager_when_on(module_on, admin_client, contact, rep):
    set_account_manager(contact, rep)
    assert "Gestionnaire de compte" in admin_client.get(reverse("admin:contacts_contact_changelist")).content.decode()
    page = admin_client.get(reverse("admin:contacts_contact_change", args=[contact.pk])).content.decode()
    assert 'name="account_manager"' in page


def test_contact_admin_has_no_account_manager_column_filter_or_field_when_off(module_off, admin_client, contact,
                                                                              rep):
    set_account_manager(contact, rep)
    listing = admin_client.get(reverse("admin:contacts_contact_changelist"))
    assert listing.status_code == 200
    assert "Gestionnaire de compte" not in listing.content.decode()
    assert "account_manager" not in listing.content.decode()
    change = reverse("admin:contacts_contact_change", args=[contact.pk])
    page = admin_client.get(change).content.decode()
    assert 'name="account_manager"' not in page and "Gestionnaire de compte" not in page
    # Saving the form keeps the account manager the module had set.
    contact.refresh_from_db()
    data = {"name": "Boulangerie Saint-Roch", "kind": contact.kind, "status": contact.status,
            "language": contact.language, "email": "", "phone": "", "website": "", "street": "", "city": "",
            "region": "", "postal_code": "", "country": "", "description": "", "external_ref": "",
            "version": contact.version, "people-TOTAL_FORMS": "0", "people-INITIAL_FORMS": "0"}
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    contact.refresh_from_db()
    assert contact.account_manager == rep


# Home page --------------------------------------------------------------------------------

def pinned_on_home(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("module_is_on", [True, False])
def test_home_pins_notes_of_contacts_i_manage_only_with_the_module(settings, rep, rep_client, contact,
                                                                   module_is_on):
    from tests.factories import NoteFactory

    settings.PROSPECTION_ENABLED = module_is_on
    colleague = UserFactory(username="colleague")
    set_account_manager(contact, rep)
    NoteFactory(contact=contact, assigned_to=colleague, is_pinned=True, description="Épinglée par une collègue")
    assert ("Épinglée par une collègue" in pinned_on_home(rep_client)) is module_is_on
