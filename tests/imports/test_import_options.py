"""The commands' --ignore-unknown and Excel's sep= first line; every command import is in the log."""

import pytest
from django.core.management.base import CommandError

from contacts.models import Contact
from dataimport.models import ImportRun
from tests.imports.conftest import run_import

pytestmark = pytest.mark.django_db


def test_an_unknown_column_still_refuses_the_file_by_default(write_file):
    with pytest.raises(CommandError, match="« secteur »"):
        run_import("import_contacts", write_file("x.csv", "nom;secteur\r\nGarage;Auto\r\n"))
    assert not Contact.objects.exists()
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_ignore_unknown_leaves_the_column_out_and_says_so(write_file):
    run = run_import("import_contacts", write_file("x.csv", "nom;secteur;ville\r\nGarage;Auto;Laval\r\n"),
                     ignore_unknown=True)
    assert Contact.objects.get().city == "Laval"
    assert "Colonne ignorée : « secteur »." in run.stdout
    entry = ImportRun.objects.get()
    assert (entry.origin, entry.file_name, entry.status, entry.user) == ("command", "x.csv", "done", None)


@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_a_sep_first_line_gives_the_separator_and_is_not_the_header(write_file, separator):
    text = f"sep={separator}\r\n" + separator.join(["nom", "ville"]) + "\r\n" + separator.join(
        ["Garage", "Laval"]) + "\r\n"
    run_import("import_contacts", write_file("x.csv", text.encode("cp1252")))
    assert Contact.objects.get().city == "Laval"


def test_rows_after_a_sep_line_keep_the_numbers_excel_shows(write_file):
    with pytest.raises(CommandError, match="Ligne 3, colonne « courriel »"):
        run_import("import_contacts", write_file("x.csv", "sep=;\r\nnom;courriel\r\nA;a@x.example\r\nB;pas-un\r\n"))


def test_a_dry_run_is_not_in_the_log(write_file):
    run_import("import_contacts", write_file("x.csv", "nom\r\nGarage\r\n"), dry_run=True)
    assert not ImportRun.objects.exists()
