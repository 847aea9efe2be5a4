"""The import pages: upload, columns and preview, check, run, the log — as a manager; refused to a rep."""

import pytest
from django.urls import reverse

from contacts.models import Contact, ContactPerson
from crm.models import AuditEntry
from dataimport.models import ImportRun, Job, Upload
from tests.imports.pages import FRENCH_EXCEL, mapping_data, run_queued, upload

pytestmark = pytest.mark.django_db


def test_the_mapping_page_shows_each_column_its_field_the_encoding_and_a_preview(manager_client):
    response = upload(manager_client)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Lu comme : cp1252" in page and "Trouvé : ;" in page
    form = response.context["form"]
    assert [form[f"column_{index}"].value() for index in range(7)] == [
        "external_ref", "name", "city", "", "phone", "person_first_name", "person_last_name"]
    assert "Ignorer cette colonne" in page
    assert response.context["rows"][0] == (2, ["R-1", "Boulangerie Saint-Roch", "Québec", "418 555-0101", "Émilie",
                                               "Bouchard"])


def test_remapping_a_column_changes_the_preview(manager_client):
    response = upload(manager_client)
    upload_row = Upload.objects.get()
    response = manager_client.post(upload_row.get_absolute_url(),
                                   mapping_data(response, column_3="description", column_2=""), follow=True)
    assert response.context["headings"][:3] == ["Référence externe / external reference", "Nom / name",
                                                "Description / commentaire"]
    assert response.context["rows"][0][1][2] == "Alimentation"


def test_check_then_run_imports_the_file_and_logs_it(manager_client, manager):
    response = upload(manager_client)
    response = manager_client.post(Upload.objects.get().get_absolute_url(),
                                   mapping_data(response, check="1"), follow=True)
    assert Job.objects.get().kind == Job.Kind.CHECK
    (check,) = run_queued()
    assert not Contact.objects.exists()
    page = manager_client.get(check.get_absolute_url()).content.decode()
    assert "Toutes les lignes sont valides (3 lignes)" in page
    assert check.outcome["tallies"]["contacts"] == {"created": 2, "updated": 0, "unchanged": 0}
    manager_client.post(reverse("dataimport:run", args=[check.pk]))
    (run,) = run_queued()
    assert run.status == Job.Status.DONE and run.outcome["ok"]
    assert Contact.objects.get(external_ref="R-1").phone == "418 555-0101"
    assert ContactPerson.objects.count() == 2
    entry = ImportRun.objects.get()
    assert (entry.user, entry.origin, entry.file_name, entry.status, entry.rows) == (
        manager, "web", "clients.csv", "done", 3)
    assert entry.tallies["people"]["created"] == 2
    assert AuditEntry.objects.filter(action="import", kind="contacts", count=4, user=manager).exists()
    # The history says who imported, and which import.
    assert set(Contact.history.values_list("history_user", "history_change_reason")) == {
        (manager.pk, f"import {entry.pk}")}
    log = manager_client.get(reverse("dataimport:log")).content.decode()
    assert "clients.csv" in log and "Marie Tremblay" in log


def test_a_file_with_an_error_changes_nothing_and_the_check_shows_the_row(manager_client):
    bad = FRENCH_EXCEL.replace(b"R-2;Garage Tremblay", b"R-2;" + b"x" * 300)
    response = upload(manager_client, bad)
    manager_client.post(Upload.objects.get().get_absolute_url(), mapping_data(response, check="1"))
    (check,) = run_queued()
    page = manager_client.get(check.get_absolute_url()).content.decode()
    assert "Ligne 4, colonne « Nom »" in page
    assert not Contact.objects.exists()
    response = manager_client.post(reverse("dataimport:run", args=[check.pk]), follow=True)
    assert Job.objects.count() == 1 and not Contact.objects.exists()


def test_a_file_above_the_size_limit_is_refused_with_a_clear_message(manager_client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    response = upload(manager_client, b"nom\r\n" + b"x" * 200_000)
    assert response.status_code == 413
    assert "plus que les 100" in response.content.decode()
    assert not Upload.objects.exists()


@pytest.fixture
def someone_elses_jobs(manager):
    upload_row = Upload.objects.create(user=manager, target="contacts", name="x.csv")
    check = Job.objects.create(user=manager, kind=Job.Kind.CHECK, target="contacts", upload=upload_row,
                               status=Job.Status.DONE, outcome={"ok": True})
    run = ImportRun.objects.create(user=manager, origin="web", target="contacts", status="done",
                                   tallies={"contacts": {"created": 1}})
    return upload_row, check, run


def test_a_rep_can_open_no_import_page_and_start_no_job(rep_client, someone_elses_jobs):
    upload_row, check, run = someone_elses_jobs
    for url in [reverse("dataimport:start"), upload_row.get_absolute_url(), check.get_absolute_url(),
                reverse("dataimport:log")]:
        assert rep_client.get(url).status_code == 403, url
    assert upload(rep_client).status_code == 403
    assert rep_client.post(upload_row.get_absolute_url(), {"check": "1"}).status_code == 403
    assert rep_client.post(reverse("dataimport:run", args=[check.pk])).status_code == 403
    assert rep_client.post(reverse("dataimport:undo", args=[run.pk])).status_code == 403
    assert Job.objects.count() == 1 and Upload.objects.count() == 1
    assert "Importer des données" not in rep_client.get("/").content.decode()


def test_the_header_links_importers_to_the_import_pages(manager_client):
    assert "Importer des données" in manager_client.get("/").content.decode()


def test_choosing_another_encoding_and_separator_reads_the_file_again(manager_client):
    response = upload(manager_client, "nom,ville\r\nGarage,Lévis\r\n".encode("cp1252"))
    upload_row = Upload.objects.get()
    response = manager_client.post(upload_row.get_absolute_url(),
                                   mapping_data(response, encoding="latin-1", delimiter=";"), follow=True)
    assert response.context["inspection"].header == ["nom,ville"]
    assert upload_row.__class__.objects.get().options["encoding"] == "latin-1"


def test_a_job_is_found_again_from_the_import_page(manager_client):
    response = upload(manager_client)
    manager_client.post(Upload.objects.get().get_absolute_url(), mapping_data(response, check="1"))
    page = manager_client.get(reverse("dataimport:start")).content.decode()
    assert Job.objects.get().get_absolute_url() in page and "en attente d’un processus" in page


def test_the_log_page_costs_the_same_queries_however_many_imports(manager_client, manager,
                                                                   django_assert_num_queries):
    for index in range(30):
        ImportRun.objects.create(user=manager, undone_by=manager, origin="web", target="contacts", status="done",
                                 file_name=f"f{index}.csv", tallies={"contacts": {"created": 1}})
    manager_client.get(reverse("dataimport:log"))
    with django_assert_num_queries(5):
        response = manager_client.get(reverse("dataimport:log"))
    assert response.content.decode().count('data-testid="import-run"') == 25


def test_notes_are_imported_from_the_page_too(manager_client, manager, rep):
    from notes.models import Note
    from tests.factories import ContactFactory

    ContactFactory(external_ref="R-1", name="Boulangerie")
    response = upload(manager_client, "contact;date;assigné à;description\r\nR-1;2026-11-28;rep;Rappeler\r\n".encode(),
                      name="notes.csv", target="notes")
    manager_client.post(Upload.objects.get().get_absolute_url(), mapping_data(response, check="1"))
    (check,) = run_queued()
    manager_client.post(reverse("dataimport:run", args=[check.pk]))
    (run,) = run_queued()
    assert run.outcome["tallies"] == {"notes": {"created": 1, "updated": 0, "unchanged": 0}}
    assert Note.objects.get().description == "Rappeler"


def test_opportunities_are_offered_only_with_the_prospection_module(manager_client, settings):
    page = manager_client.get(reverse("dataimport:start")).content.decode()
    assert ('value="opportunities"' in page) == settings.PROSPECTION_ENABLED
    if not settings.PROSPECTION_ENABLED:
        response = upload(manager_client, b"contact;objet\r\nR-1;Site\r\n", target="opportunities")
        assert "target" in response.context["form"].errors and not Upload.objects.exists()


def test_uploads_older_than_two_days_are_deleted_by_the_next_job(manager_client, manager):
    import datetime

    from django.utils import timezone

    from dataimport.models import UploadChunk

    upload(manager_client)
    old = Upload.objects.get()
    Upload.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    response = upload(manager_client)
    manager_client.post(Upload.objects.latest("pk").get_absolute_url(), mapping_data(response, check="1"))
    run_queued()
    assert list(Upload.objects.values_list("pk", flat=True)) == [Upload.objects.latest("pk").pk]
    assert UploadChunk.objects.count() == 1


def test_the_import_posts_need_the_csrf_token(manager):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    assert upload(client).status_code == 403
    assert not Upload.objects.exists()


def test_the_pages_speak_english_too(manager_client):
    manager_client.cookies["django_language"] = "en"
    response = upload(manager_client)
    page = response.content.decode()
    if "Ignore this column" not in page:  # the site's language switch may keep the session's choice
        manager_client.post(reverse("set_language"), {"language": "en", "next": "/"})
        page = manager_client.get(Upload.objects.get().get_absolute_url()).content.decode()
    assert "Ignore this column" in page and "Preview: the first rows as they will be stored" in page


def workbook_bytes(rows) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


APPLE_CARD = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Bouchard;\xc3\x89milie;;;\r\nFN:\xc3\x89milie Bouchard\r\n"
              b"ORG:Boulangerie Saint-Roch\r\nTEL;type=CELL:+1 418 555-0199\r\nEMAIL;type=WORK:emilie@example.com\r\n"
              b"UID:apple-1\r\nEND:VCARD\r\n")


@pytest.mark.parametrize("name, content", [
    ("clients.xlsx", workbook_bytes([["Nom", "Ville", "Prénom", "Nom de famille", "Cellulaire"],
                                     ["Boulangerie Saint-Roch", "Québec", "Émilie", "Bouchard", "+1 418 555-0199"]])),
    ("carnet.vcf", APPLE_CARD),
], ids=["workbook", "address book"])
def test_a_workbook_and_an_address_book_import_from_the_pages_too(manager_client, name, content):
    response = upload(manager_client, content, name=name)
    assert response.status_code == 200 and "Ignorer cette colonne" in response.content.decode()
    manager_client.post(Upload.objects.get().get_absolute_url(), mapping_data(response, check="1"))
    (check,) = run_queued()
    assert check.outcome["ok"], check.outcome
    manager_client.post(reverse("dataimport:run", args=[check.pk]))
    (run,) = run_queued()
    assert run.outcome["ok"], run.outcome
    person = ContactPerson.objects.select_related("contact").get()
    assert (person.contact.name, person.first_name, person.mobile) == (
        "Boulangerie Saint-Roch", "Émilie", "+1 418 555-0199")
