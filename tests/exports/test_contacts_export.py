"""Contact exports: one row per person in the import's layout, in French (;, French names and values) and in
English (,); an export imports back unchanged, as CSV and as XLSX, in both languages."""

import csv
import io

import openpyxl
import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from contacts import exports
from contacts.importing import ContactImport
from contacts.models import Contact, ContactPerson
from crm.importing.engine import header_key
from tests.conftest import client_for
from tests.factories import ContactFactory, ContactPersonFactory
from tests.imports.conftest import run_import

pytestmark = pytest.mark.django_db

CONTACT_FIELDS = ["external_ref", "name", "kind", "status", "email", "phone", "website", "street", "city", "region",
                  "postal_code", "country", "language", "description", "account_manager_id"]
PERSON_FIELDS = ["first_name", "last_name", "role", "email", "phone", "mobile", "is_primary"]

# Session, user, permissions, the rows counted up to the background threshold (a LIMIT), the contacts
# with their people, the audit entry; with the prospection module, the account managers' usernames too.
EXPORT_QUERIES = 7 if apps.is_installed("prospection") else 6


def snapshot() -> list:
    return sorted(
        (tuple(getattr(contact, field) for field in CONTACT_FIELDS),
         tuple(sorted(tuple(getattr(person, field) for field in PERSON_FIELDS) for person in contact.people.all())))
        for contact in Contact.objects.all())


@pytest.fixture
def contacts(rep, settings):
    settings.PROSPECTION_ENABLED = True
    bakery = ContactFactory(name="Boulangerie Saint-Roch", external_ref="FR-1", status="client",
                            email="info@boulangerie.example", phone="+1 418-555-0100", website="https://pain.example",
                            street="12, rue Saint-Joseph Est\napp. 3", city="Québec", region="QC",
                            postal_code="G1K 3A9", country="Canada", language="en", account_manager=rep,
                            description="Deux lignes\r\net une virgule, ici; et un point-virgule")
    ContactPersonFactory(contact=bakery, first_name="Émilie", last_name="Bouchard", role="Propriétaire",
                         email="emilie@boulangerie.example", phone="+1 418-555-0101", mobile="+1 418-555-0199",
                         is_primary=True)
    ContactPersonFactory(contact=bakery, first_name="Jean", last_name="Côté", email="", phone="-5")
    ContactFactory(name="=HYPERLINK(\"http://x\")", external_ref="", email="", phone="+1 514 555 0101",
                   description="@x", status="inactive", kind="individual")
    ContactFactory(name="Œuvres d’art « Ouellet »", external_ref="", email="oeuvres@x.example", city="")
    return bakery


def download(client, name) -> bytes:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_header_is_a_name_the_import_accepts_for_that_column(language, settings):
    settings.PROSPECTION_ENABLED = True
    accepted = {header_key(name): column.key for column in ContactImport().get_columns() for name in column.accepted}
    keys = [key for key, _label in exports.columns()]
    assert [accepted.get(header_key(name)) for name in exports.header(language)] == keys


def test_french_csv_has_a_bom_semicolons_french_names_and_values_and_a_row_per_person(contacts, rep):
    content = download(client_for(rep, "fr"), "contacts:export").decode("utf-8")
    assert content.startswith("\ufeffRéférence externe;Nom;Type de contact;Statut;")
    rows = list(csv.DictReader(io.StringIO(content[1:]), delimiter=";"))
    bakery = [row for row in rows if row["Nom"] == "Boulangerie Saint-Roch"]
    assert [(row["Prénom"], row["Personne principale"]) for row in bakery] == [("Émilie", "oui"), ("Jean", "non")]
    assert (bakery[0]["Statut"], bakery[0]["Type de contact"], bakery[0]["Langue préférée"]) == (
        "Client", "Organisation", "Anglais")
    assert bakery[0]["Cellulaire de la personne"] == "+1 418-555-0199"
    assert bakery[1]["Téléphone de la personne"] == "-5"
    individual = next(row for row in rows if row["Type de contact"] == "Particulier")
    assert individual["Nom"] == "'=HYPERLINK(\"http://x\")"  # a formula never runs
    assert individual["Téléphone"] == "+1 514 555 0101"  # a phone number shows as it is
    assert individual["Statut"] == "Inactif"
    assert len(rows) == 4


def test_english_csv_has_commas_and_english_names_and_values(contacts, rep):
    content = download(client_for(rep, "en"), "contacts:export").decode("utf-8")
    assert content.startswith("\ufeffExternal reference,Name,Contact type,Status,")
    rows = list(csv.DictReader(io.StringIO(content[1:])))
    first = rows[[row["Name"] for row in rows].index("Boulangerie Saint-Roch")]
    assert (first["Status"], first["Contact type"], first["Primary contact"], first["Preferred language"]) == (
        "Client", "Organization", "yes", "English")


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name, extension", [("contacts:export", "csv"), ("contacts:export_xlsx", "xlsx")])
def test_an_export_imports_back_unchanged(contacts, rep, write_file, settings, language, name, extension):
    before = snapshot()
    exported = write_file(f"export.{extension}", download(client_for(rep, language), name))
    settings.LANGUAGE_CODE = language  # the command speaks the site's language; the file is read either way
    with translation.override(language):
        run = run_import("import_contacts", exported, update=True)
    assert snapshot() == before
    assert ("créés : 0, modifiés : 0, inchangés : 3" if language == "fr"
            else "created: 0, updated: 0, unchanged: 3") in run.stdout
    Contact.objects.all().delete()
    run_import("import_contacts", exported)
    assert snapshot() == before


def test_xlsx_cells_are_typed_text_and_never_formulas(contacts, rep, tmp_path):
    path = tmp_path / "contacts.xlsx"
    path.write_bytes(download(client_for(rep, "fr"), "contacts:export_xlsx"))
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet.title == "Contacts"
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["Référence externe", "Nom"]
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value is not None}
    for text in ("=HYPERLINK(\"http://x\")", "+1 514 555 0101", "-5", "@x"):
        assert cells[text].data_type == "s", text  # a string cell: shown as typed, nothing runs, no apostrophe
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.freeze_panes == "A2"


def test_the_export_honours_the_lists_filters(contacts, rep_client):
    content = download(rep_client, "contacts:export").decode("utf-8")
    assert "Œuvres" in content
    response = rep_client.get(reverse("contacts:export"), {"status": "client", "q": "boulangerie"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert {row[1] for row in rows[1:]} == {"Boulangerie Saint-Roch"}


def test_a_contact_with_many_people_costs_the_same_queries(rep_client, django_assert_num_queries):
    for _number in range(3):
        ContactPersonFactory(contact=ContactFactory())
    with django_assert_num_queries(EXPORT_QUERIES):
        rep_client.get(reverse("contacts:export_xlsx")).getvalue()
    for _number in range(30):
        ContactPersonFactory(contact=ContactFactory())
    with django_assert_num_queries(EXPORT_QUERIES):
        rep_client.get(reverse("contacts:export_xlsx")).getvalue()


def test_the_writers_take_any_binary_stream(contacts):
    stream = io.BytesIO()
    assert exports.write_contacts_csv(Contact.objects.all(), "en", stream) == 4
    assert stream.getvalue().startswith(b"\xef\xbb\xbfExternal reference,")
    assert ContactPerson.objects.count() == 2
