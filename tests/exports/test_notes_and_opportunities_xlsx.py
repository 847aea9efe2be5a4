"""XLSX exports of a contact's notes (only what the user may see) and of the opportunities list: typed cells."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

from crm.models import AuditEntry
from tests.factories import ContactFactory, NoteFactory

pytestmark = pytest.mark.django_db


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    return [[cell for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def notes(rep):
    contact = ContactFactory(name="Café Québec")
    NoteFactory(contact=contact, assigned_to=rep, description="=1+1 appeler", date=datetime.date(2026, 11, 28),
                time=datetime.time(14, 30), is_done=True)
    NoteFactory(contact=contact, assigned_to=rep, description="Secret des administrateurs", admin_only=True)
    NoteFactory(description="Note d’un autre contact")
    return contact


def test_a_reps_export_holds_only_the_notes_they_see_never_admin_only_ones(rep_client, notes):
    rows = workbook(rep_client.get(reverse("notes:export_xlsx", args=[notes.pk])))
    assert [cell.value for cell in rows[0]] == ["Contact", "Date", "Heure", "Assigné à", "Type de note",
                                                "Description", "Fait", "Épinglé", "Admin seulement"]
    texts = [row[5].value for row in rows[1:]]
    assert texts == ["=1+1 appeler"]
    contact, date, time, _user, _type, description, done, pinned, admin_only = rows[1]
    assert contact.value == "Café Québec"
    assert date.is_date and date.value == datetime.datetime(2026, 11, 28)
    assert time.value == "14:30"
    assert description.data_type == "s"  # text, never a formula
    assert (done.value, pinned.value, admin_only.value) == (True, False, False)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.kind, entry.count, entry.user.username) == ("export", "note", 1, "rep")


def test_a_manager_sees_the_admin_only_note_in_the_export(manager_client, notes):
    rows = workbook(manager_client.get(reverse("notes:export_xlsx", args=[notes.pk])))
    assert sorted(row[5].value for row in rows[1:]) == ["=1+1 appeler", "Secret des administrateurs"]


def test_the_notes_export_honours_the_tabs_filters_and_the_tab_links_to_it(rep_client, notes):
    rows = workbook(rep_client.get(reverse("notes:export_xlsx", args=[notes.pk]), {"state": "todo"}))
    assert len(rows) == 1  # the only note the rep sees is done
    page = rep_client.get(notes.get_absolute_url(), {"tab": "notes", "state": "history"}).content.decode()
    assert f'href="{reverse("notes:export_xlsx", args=[notes.pk])}?state=history"' in page


def test_an_outsider_may_not_export_notes(outsider_client, notes):
    assert outsider_client.get(reverse("notes:export_xlsx", args=[notes.pk])).status_code == 403


@pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="the prospection module is off")
def test_opportunities_xlsx_has_numbers_dates_and_text(rep_client, rep):
    from tests.prospection.factories import OpportunityFactory

    OpportunityFactory(subject="=HYPERLINK(\"http://evil\")", representative=rep, value=Decimal("12345.67"),
                       purchase_costs=Decimal("345.67"), success_percent=40,
                       expected_close_date=datetime.date(2027, 1, 15))
    rows = workbook(rep_client.get(reverse("prospection:export_xlsx"), {"representative": rep.pk}))
    header = [cell.value for cell in rows[0]]
    row = dict(zip(header, rows[1]))
    assert row["Objet"].value == "=HYPERLINK(\"http://evil\")" and row["Objet"].data_type == "s"
    assert row["Valeur"].value == pytest.approx(12345.67) and row["Valeur"].data_type == "n"
    assert row["Valeur"].number_format == "#,##0.00"
    assert row["% de succès"].value == 40
    assert row["Date de clôture prévue"].is_date
    assert row["Date de clôture prévue"].value.date() == datetime.date(2027, 1, 15)
    assert row["Créée le"].is_date
    assert row["Représentant"].value == "rep"
    dashboard = rep_client.get(reverse("prospection:dashboard"), {"representative": rep.pk}).content.decode()
    assert f'href="{reverse("prospection:export_xlsx")}?representative={rep.pk}' in dashboard
