"""A rep exports a list bigger than the background threshold: the page offers to prepare the file, the job
page shows its progress (htmx) then the link, and the file holds the list, in French."""

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.e2e.test_import_wizard import worker  # noqa: F401  (runs the queued jobs, as db_worker would)
from tests.factories import ContactFactory, ContactPersonFactory


@pytest.fixture
def small_threshold(settings):
    settings.EXPORT_BACKGROUND_ROWS = 2


def test_rep_prepares_a_big_export_in_the_background_and_downloads_it(page, rep, worker, small_threshold,  # noqa: F811
                                                                      tmp_path):
    page.set_default_timeout(30_000)
    for number in range(3):
        ContactPersonFactory(contact=ContactFactory(name=f"Boulangerie {number}", status="client"),
                             first_name="Émilie", last_name=f"Bouchard {number}")
    sign_in(page, "rep")
    page.goto(page.base_url + "/contacts/?status=client")
    page.get_by_role("group", name="Exporter la liste").get_by_role("link", name="Excel").click()
    expect(page.get_by_test_id("export-big")).to_contain_text("plus de 2 lignes")
    page.get_by_role("button", name="Préparer le fichier").click()
    expect(page.get_by_test_id("export-ready")).to_have_text("Le fichier est prêt : 3 lignes.")
    screenshot(page, "background-export-ready")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_test_id("export-download").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith("contacts-") and path.suffix == ".xlsx"
    rows = list(openpyxl.load_workbook(path).worksheets[0].values)
    assert rows[0][:2] == ("Référence externe", "Nom") and len(rows) == 4
    page.get_by_role("button", name="Luc Gagnon").click()
    page.get_by_test_id("exports-link").click()
    expect(page.get_by_test_id("export-list")).to_contain_text(path.name)
