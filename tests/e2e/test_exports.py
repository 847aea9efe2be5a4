"""A rep filters the contacts list, downloads it as Excel and as CSV from the buttons, and gets what the list
shows: French names and values, typed cells; the page stays accessible."""

import openpyxl
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import ContactFactory, ContactPersonFactory


def test_rep_downloads_the_filtered_list_as_excel_and_csv(page, rep, tmp_path):
    client = ContactFactory(name="Boulangerie Vachon", status="client", phone="+1 418-555-0100")
    ContactPersonFactory(contact=client, first_name="Émilie", last_name="Bouchard", mobile="+1 418-555-0199")
    ContactFactory(name="Garage Roy", status="prospect")
    sign_in(page, "rep")
    page.goto(page.base_url + "/contacts/?status=client")
    expect(page.get_by_test_id("result-count")).to_contain_text("1 contact")
    buttons = page.get_by_role("group", name="Exporter la liste")
    expect(buttons.get_by_role("link", name="Excel")).to_be_visible()
    page.screenshot(path="/tmp/formats-contacts-list-exports.png")
    assert_accessible(page)

    with page.expect_download() as download:
        buttons.get_by_role("link", name="Excel").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx"
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[:4] == ["Référence externe", "Nom", "Type de contact", "Statut"]
    row = dict(zip(header, rows[1]))
    assert (row["Nom"], row["Statut"], row["Type de contact"]) == ("Boulangerie Vachon", "Client", "Organisation")
    assert (row["Téléphone"], row["Cellulaire de la personne"]) == ("+1 418-555-0100", "+1 418-555-0199")
    assert len(rows) == 2

    with page.expect_download() as download:
        buttons.get_by_role("link", name="Exporter en CSV").click()
    text = download.value.path().read_bytes().decode("utf-8")
    assert text.startswith("\ufeffRéférence externe;Nom;")
    assert "Garage Roy" not in text


def test_the_contact_file_offers_its_people_as_vcards(page, rep):
    person = ContactPersonFactory(first_name="Jean", last_name="Côté")
    sign_in(page, "rep")
    page.goto(page.base_url + person.contact.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_test_id("people-vcf").click()
    text = download.value.path().read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n") and "FN:Jean Côté" in text
    assert_accessible(page)
