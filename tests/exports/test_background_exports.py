"""Exports above settings.EXPORT_BACKGROUND_ROWS rows are written by a background job: the page offers to
prepare the file (a POST), the job page shows its progress (polled by htmx) then a download link; the file
is its user's only, follows that user's visibility when the worker runs and their language, and expires."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from crm.exporting.spec import reported
from crm.models import AuditEntry
from dataimport import jobs
from dataimport.exports import export_specs
from dataimport.models import Job, Upload
from tests.conftest import client_for
from tests.factories import ContactFactory, ContactPersonFactory, NoteFactory
from tests.imports.pages import run_queued

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.EXPORT_BACKGROUND_ROWS = LIMIT


@pytest.fixture
def five_contacts():
    for number in range(5):
        ContactPersonFactory(contact=ContactFactory(name=f"Boulangerie {number}", phone="+1 514 555-0101"),
                             first_name="Émilie", last_name=f"Bouchard {number}")


def prepare(client, url, query=None):
    """The export's page (it offers to prepare the file), then the POST that queues it; the job page."""
    url = url + (f"?{query}" if query else "")
    before = Job.objects.count()
    offer = client.get(url)
    assert offer.status_code == 200 and 'data-testid="prepare-export"' in offer.content.decode()
    assert Job.objects.count() == before  # a GET starts nothing
    response = client.post(url, follow=True)
    assert response.status_code == 200
    return response


def file_of(client, job) -> bytes:
    response = client.get(reverse("exports:file", args=[job.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return b"".join(response.streaming_content)


def test_a_big_export_is_prepared_in_the_background_then_downloaded_in_french(rep, five_contacts):
    client = client_for(rep, "fr")
    offer = client.get(reverse("contacts:export")).content.decode()
    assert "Cette exportation compte plus de 3 lignes" in offer
    page = prepare(client, reverse("contacts:export")).content.decode()
    assert "En attente d’un processus" in page or "En attente" in page
    job = Job.objects.get(kind=Job.Kind.EXPORT)
    assert job.user == rep and job.status == Job.Status.QUEUED and job.options["language"] == "fr"
    [job] = run_queued()
    assert job.status == Job.Status.DONE and job.rows_done == 5
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Le fichier est prêt : 5 lignes." in page and f'href="{reverse("exports:file", args=[job.pk])}"' in page
    body = file_of(client, job).decode("utf-8")
    assert body.startswith("\ufeffRéférence externe;Nom;Type de contact;Statut;")
    assert "+1 514 555-0101" in body and "'+1" not in body
    assert body.count("\r\n") == 6
    assert AuditEntry.objects.filter(user=rep, action="export", kind="contact", count=5).exists()


def test_the_background_file_is_the_one_the_page_would_have_sent(rep, five_contacts, settings):
    client = client_for(rep, "en")
    prepare(client, reverse("contacts:export"), "ordering=-name")
    [job] = run_queued()
    settings.EXPORT_BACKGROUND_ROWS = 1000
    at_once = b"".join(client.get(reverse("contacts:export") + "?ordering=-name").streaming_content)
    assert file_of(client, job) == at_once
    assert at_once.decode("utf-8").startswith("\ufeffExternal reference,Name,Contact type,")


def test_an_english_xlsx_has_english_headers_and_typed_cells(rep, five_contacts):
    client = client_for(rep, "en")
    prepare(client, reverse("contacts:export_xlsx"))
    [job] = run_queued()
    assert job.upload.name.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(file_of(client, job)), read_only=True).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("External reference", "Name") and len(rows) == 6


def test_under_the_threshold_the_file_comes_at_once(rep, settings):
    ContactFactory(name="Seule")
    response = client_for(rep).get(reverse("contacts:export"))
    assert response["Content-Type"].startswith("text/csv")
    assert "Seule" in b"".join(response.streaming_content).decode("utf-8")
    assert not Job.objects.exists()


def test_the_job_page_polls_with_htmx_and_shows_the_progress(rep, five_contacts):
    client = client_for(rep, "fr")
    prepare(client, reverse("contacts:export"))
    job = Job.objects.get()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "<html" in page and 'hx-trigger="every 1s"' in page
    running = jobs.claim(job.pk)
    progress = jobs.JobProgress(running, "export")
    progress.start("", total=5)
    progress.update(0.4, force=True, rows=2)
    fragment = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'data-status="running"' in fragment
    assert "Écriture du fichier — 2 lignes sur 5" in fragment and 'max="5" value="2"' in fragment


def test_progress_is_reported_every_thousand_rows():
    seen = []
    assert sum(1 for _row in reported(range(2500), seen.append)) == 2500
    assert seen == [1000, 2000]


def test_only_the_user_who_asked_sees_the_job_and_the_file(rep, manager, outsider, five_contacts):
    prepare(client_for(rep), reverse("contacts:export"))
    [job] = run_queued()
    for other in (manager, outsider):
        client = client_for(other)
        assert client.get(job.get_absolute_url()).status_code == 404
        assert client.get(reverse("exports:file", args=[job.pk])).status_code == 404
        assert "Boulangerie" not in client.get(reverse("exports:list")).content.decode()
    assert job.upload.name in client_for(rep).get(reverse("exports:list")).content.decode()
    # Nor is an exported file an upload the import page would open.
    assert client_for(manager).get(reverse("dataimport:mapping", args=[job.upload.pk])).status_code == 404


def test_a_user_without_permission_can_neither_ask_nor_post(outsider, five_contacts):
    client = client_for(outsider)
    assert client.get(reverse("contacts:export")).status_code == 403
    assert client.post(reverse("contacts:export")).status_code == 403
    assert not Job.objects.exists()


def test_the_post_needs_the_csrf_token(rep, five_contacts):
    client = client_for(rep)
    client.handler.enforce_csrf_checks = True
    assert client.post(reverse("contacts:export")).status_code == 403
    assert not Job.objects.exists()


def test_a_rep_never_gets_an_admin_only_note_even_one_made_so_after_asking(rep, manager, contact):
    notes = [NoteFactory(contact=contact, assigned_to=rep, description=f"Visible {n}") for n in range(4)]
    NoteFactory(contact=contact, assigned_to=rep, admin_only=True, description="Réservée dès le début")
    for client in (client_for(rep, "fr"), client_for(manager, "fr")):
        prepare(client, reverse("notes:activities_export"), "assignee=everyone")
        prepare(client, reverse("notes:export_xlsx", args=[contact.pk]))
    # Between asking and the worker: a note becomes admin-only. The worker reads what may be seen then.
    notes[0].admin_only = True
    notes[0].save()
    finished = run_queued()
    assert [job.status for job in finished] == [Job.Status.DONE] * 4
    rep_csv, rep_xlsx, manager_csv, manager_xlsx = finished
    rep_text = file_of(client_for(rep), rep_csv).decode("utf-8")
    assert rep_text.startswith("\ufeffDate;Heure;")
    assert "Visible 1" in rep_text and "Visible 0" not in rep_text and "Réservée" not in rep_text
    sheet = openpyxl.load_workbook(io.BytesIO(file_of(client_for(rep), rep_xlsx)), read_only=True).active
    descriptions = {row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert descriptions == {"Visible 1", "Visible 2", "Visible 3"}
    manager_text = file_of(client_for(manager), manager_csv).decode("utf-8")
    assert "Visible 0" in manager_text and "Réservée dès le début" in manager_text
    assert manager_xlsx.rows_done == 5


def test_the_activities_csv_is_comma_separated_in_english(rep, contact):
    for number in range(4):
        NoteFactory(contact=contact, assigned_to=rep, description=f"Call {number}")
    client = client_for(rep, "en")
    prepare(client, reverse("notes:activities_export"))
    [job] = run_queued()
    rows = list(csv.reader(io.StringIO(file_of(client, job).decode("utf-8-sig"))))
    assert rows[0] == ["Date", "Time", "State", "Type", "Contact", "Assigned to", "Admin only", "Description"]
    assert len(rows) == 5 and rows[1][6] == "no"


def test_a_permission_taken_away_before_the_worker_runs_stops_the_job(rep, five_contacts):
    prepare(client_for(rep), reverse("contacts:export"))
    for group in rep.groups.all():
        group.permissions.remove(Permission.objects.get(codename="view_contact"))
    [job] = run_queued()
    assert job.status == Job.Status.FAILED and job.upload is None
    assert "Vous ne pouvez plus exporter ces fiches." in client_for(rep).get(job.get_absolute_url()).content.decode()


def test_the_file_expires_after_export_keep_hours(rep, five_contacts, settings):
    client = client_for(rep)
    prepare(client, reverse("contacts:export"))
    [job] = run_queued()
    Upload.objects.filter(pk=job.upload.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS, minutes=1))
    assert client.get(reverse("exports:file", args=[job.pk])).status_code == 404
    assert "Ce fichier a été supprimé" in client.get(job.get_absolute_url()).content.decode()
    jobs.forget_old_uploads()  # what the next job of any worker does first
    assert not Upload.objects.filter(is_export=True).exists()


def test_asking_twice_while_it_waits_gives_the_same_job(rep, five_contacts):
    client = client_for(rep)
    prepare(client, reverse("contacts:export"))
    client.post(reverse("contacts:export"))
    assert Job.objects.count() == 1


def test_a_job_marked_failed_meanwhile_offers_no_file(rep, five_contacts, monkeypatch):
    prepare(client_for(rep), reverse("contacts:export"))
    job = Job.objects.get()
    real_update = jobs.JobProgress.update

    def lease_lost(progress, fraction, *, force=False, rows=None):
        # Once every row is written, the lease runs out: another page marks the job failed.
        if force:
            Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error="lost")
        real_update(progress, fraction, force=force, rows=rows)

    monkeypatch.setattr(jobs.JobProgress, "update", lease_lost)
    jobs.perform(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.upload is None
    assert not Upload.objects.filter(is_export=True).exists()


@pytest.mark.skipif(not apps.is_installed("prospection"), reason="opportunities belong to the prospection module")
def test_opportunities_csv_and_xlsx_in_the_background(rep):
    from tests.prospection.factories import OpportunityFactory

    OpportunityFactory.create_batch(4, representative=rep)
    client = client_for(rep, "fr")
    prepare(client, reverse("prospection:export"), "outcome=all")
    prepare(client, reverse("prospection:export_xlsx"), "outcome=all")
    csv_job, xlsx_job = run_queued()
    assert file_of(client, csv_job).decode("utf-8").count("\r\n") == 5
    sheet = openpyxl.load_workbook(io.BytesIO(file_of(client, xlsx_job)), read_only=True).active
    assert next(sheet.values)[0] == "Objet" and xlsx_job.rows_done == 4


@pytest.mark.skipif(apps.is_installed("prospection"), reason="the module-off site")
def test_module_off_has_no_opportunity_export():
    assert not any(export.target == "opportunities" for export in export_specs().values())


def test_the_offer_and_the_job_page_speak_english_too(rep, five_contacts):
    client = client_for(rep, "en")
    offer = client.get(reverse("contacts:export")).content.decode()
    assert "This export has more than 3 rows" in offer and "Prepare the file" in offer
    client.post(reverse("contacts:export"))
    [job] = run_queued()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Background export" in page and "The file is ready: 5 rows." in page
