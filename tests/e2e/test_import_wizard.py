"""A manager imports a French Excel CSV from the browser: columns, preview, check, run; then the same
file with an error. A worker thread runs the queued jobs as `manage.py db_worker` would."""

import threading

import pytest
from playwright.sync_api import expect

from contacts.models import Contact, ContactPerson
from dataimport import jobs
from dataimport.models import Job
from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.imports.pages import FRENCH_EXCEL


@pytest.fixture
def worker(transactional_db):
    """Runs queued jobs in a thread, every 0.2 s, until the test ends."""
    stop = threading.Event()

    def loop():
        from django.db import OperationalError, connection

        while not stop.wait(0.2):
            try:
                for pk in Job.objects.filter(status=Job.Status.QUEUED).values_list("pk", flat=True):
                    jobs.perform(pk)
            except OperationalError:
                pass  # the test database (in memory, shared) locks a table a page is writing: next turn
        connection.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(10)


def upload(page, tmp_path, content: bytes):
    page.set_default_timeout(30_000)  # the check and the run are background jobs
    path = tmp_path / "clients.csv"
    path.write_bytes(content)
    page.get_by_role("button", name="Marie Tremblay").click()
    page.get_by_role("link", name="Importer des données").click()
    page.get_by_label("Importer comme").select_option("contacts")
    page.get_by_label("Fichier").set_input_files(str(path))
    page.get_by_role("button", name="Téléverser et lire les colonnes").click()
    expect(page.get_by_role("heading", name="1. Colonnes")).to_be_visible()


def test_manager_imports_a_french_excel_csv_from_the_browser(page, manager, worker, tmp_path):
    page.set_default_timeout(30_000)
    sign_in(page, "manager")
    upload(page, tmp_path, FRENCH_EXCEL)
    expect(page.get_by_test_id("encoding-found")).to_have_text("Lu comme : cp1252")
    columns = page.get_by_test_id("columns")
    expect(columns.get_by_label("Secteur")).to_have_value("")  # unknown: ignored until told
    expect(columns.get_by_label("Ville")).to_have_value("city")
    # "Secteur" is in fact the description; the town is not wanted.
    columns.get_by_label("Secteur").select_option("description")
    columns.get_by_label("Ville").select_option(label="Ignorer cette colonne")
    page.get_by_role("button", name="Actualiser l’aperçu").click()
    preview = page.get_by_test_id("preview")
    expect(preview).to_contain_text("Description / commentaire")
    expect(preview.locator("tbody tr").first).to_contain_text("Alimentation")
    expect(preview.locator("tbody tr").first).to_contain_text("Émilie")
    expect(preview).not_to_contain_text("Québec")
    assert_accessible(page)
    screenshot(page, "import-mapping")

    page.get_by_role("button", name="2. Vérifier toutes les lignes").click()
    expect(page.get_by_test_id("check-ok")).to_contain_text("Toutes les lignes sont valides (3 lignes)")
    expect(page.get_by_test_id("contacts-created")).to_have_text("2")
    assert not Contact.objects.exists()
    assert_accessible(page)
    page.get_by_test_id("run").click()
    expect(page.get_by_test_id("import-ok")).to_contain_text("Importé : 3 lignes.")
    screenshot(page, "import-done")

    bakery = Contact.objects.get(external_ref="R-1")
    assert (bakery.name, bakery.description, bakery.city, bakery.phone) == (
        "Boulangerie Saint-Roch", "Alimentation", "", "418 555-0101")
    assert ContactPerson.objects.filter(contact=bakery).count() == 2
    page.get_by_role("link", name="La voir dans le journal des importations").click()
    expect(page.get_by_test_id("import-run").first).to_contain_text("clients.csv")
    assert_accessible(page)


def test_the_same_file_with_an_error_changes_nothing_and_shows_the_row(page, manager, worker, tmp_path):
    sign_in(page, "manager")
    upload(page, tmp_path, FRENCH_EXCEL.replace(b"R-2;Garage Tremblay", b"R-2;" + b"x" * 300))
    page.get_by_role("button", name="2. Vérifier toutes les lignes").click()
    errors = page.get_by_test_id("errors")
    expect(errors).to_contain_text("La vérification a trouvé 1 erreur")
    expect(errors).to_contain_text("Ligne 4, colonne « Nom »")
    expect(page.get_by_test_id("run")).to_have_count(0)
    assert not Contact.objects.exists()


def test_a_rep_gets_403_on_the_import_page(page, rep):
    sign_in(page, "rep")
    response = page.goto(page.base_url + "/imports/")
    assert response.status == 403
