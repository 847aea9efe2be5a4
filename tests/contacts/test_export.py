import csv
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from crm.csv_export import csv_response, spreadsheet_safe
from tests.factories import ContactFactory, UserFactory

URL = reverse("contacts:export")

# Session, user, permissions, the contacts with their people, the audit entry; with the prospection
# module, the account managers' usernames too.
EXPORT_QUERIES = 7 if apps.is_installed("prospection") else 6


def read_csv(response, delimiter=";") -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff"), "Excel needs the BOM to read accents"
    return list(csv.reader(io.StringIO(content[1:]), delimiter=delimiter))


@pytest.mark.parametrize("text", ["=1+1", "-2+A1", "@x", "+x", "\tx", "\rx", "=HYPERLINK(\"http://evil\")",
                                  "-cmd|' /C calc'!A0", "+1 514 555 0101 =A1"])
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["+1 514 555-0101", "-2", "+1 (819) 555-0123 poste 12", "-2.50", "+33 1 23 45 67 89"])
def test_phone_numbers_and_plain_numbers_keep_their_sign_without_a_quote(text):
    # Only digits, spaces and + - ( ) . / marks: no function call, no cell reference, nothing runs.
    assert spreadsheet_safe(text) == text


@pytest.mark.parametrize("value", [Decimal("-2.50"), Decimal("1234.56"), -2, 42, 3.5])
def test_numbers_stay_numbers(value):
    assert spreadsheet_safe(value) == value


def test_ordinary_text_none_and_booleans():
    assert spreadsheet_safe("Café Lavoie") == "Café Lavoie"
    assert spreadsheet_safe("a=b") == "a=b"
    assert spreadsheet_safe(None) == ""
    assert spreadsheet_safe(True) == "1"


def test_csv_response_writes_numbers_unquoted_and_neutralises_formulas():
    response = csv_response("x.csv", ["text", "amount", "count"], [["=1+1", Decimal("-2.50"), 7], ["-2", 0, -3]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content == "\ufefftext,amount,count\r\n'=1+1,-2.50,7\r\n-2,0,-3\r\n"


@pytest.mark.django_db
def test_export_has_a_header_and_one_row_per_contact(rep_client, rep, settings):
    settings.PROSPECTION_ENABLED = True  # the account manager column (off: test_module_off_account_manager.py)
    ContactFactory(name="Café Québec", email="cafe@quebec.example", city="Québec", account_manager=rep,
                   external_ref="CRM-9", status="client", description="Deux lignes\net une virgule, ici")
    response = rep_client.get(URL)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="contacts-')
    rows = read_csv(response)
    header, row = rows[0], dict(zip(rows[0], rows[1]))
    assert header[:4] == ["Référence externe", "Nom", "Type de contact", "Statut"]
    assert len(rows) == 2
    assert row["Nom"] == "Café Québec"
    assert row["Statut"] == "Client"
    assert row["Type de contact"] == "Organisation"
    assert row["Référence externe"] == "CRM-9"
    assert row["Gestionnaire de compte"] == "rep"
    assert row["Description"] == "Deux lignes\net une virgule, ici"


@pytest.mark.django_db
def test_export_neutralises_formulas_typed_into_contacts(rep_client):
    ContactFactory(name="=1+1", phone="+1 514 555 0101", email="", city="@SUM(A1)")
    row = dict(zip(*read_csv(rep_client.get(URL))))
    assert row["Nom"] == "'=1+1"
    assert row["Téléphone"] == "+1 514 555 0101"  # no apostrophe that would show in the cell
    assert row["Ville"] == "'@SUM(A1)"


@pytest.mark.django_db
def test_export_honours_the_lists_filters_search_and_sort_across_all_pages(rep_client):
    for number in range(30):
        ContactFactory(name=f"Client {number:02}", status="client")
    ContactFactory(name="Prospect", status="prospect")
    ContactFactory(name="Client Côté", status="client", city="Laval")
    rows = read_csv(rep_client.get(URL, {"status": "client", "ordering": "-name", "page": 2}))
    names = [row[1] for row in rows[1:]]
    assert len(names) == 31
    assert names[0] == "Client Côté"
    assert "Prospect" not in names
    rows = read_csv(rep_client.get(URL, {"q": "cote"}))
    assert [row[1] for row in rows[1:]] == ["Client Côté"]


@pytest.mark.django_db
def test_export_ignores_a_bad_ordering(rep_client):
    ContactFactory(name="B")
    ContactFactory(name="A")
    rows = read_csv(rep_client.get(URL, {"ordering": "search_text"}))
    assert [row[1] for row in rows[1:]] == ["A", "B"]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 40])
def test_export_runs_a_constant_number_of_queries(rep_client, django_assert_num_queries, count):
    managers = UserFactory.create_batch(2)
    for number in range(count):
        ContactFactory(account_manager=managers[number % 2])
    # session, user, permissions (one query), the rows counted up to the background threshold
    # (EXPORT_BACKGROUND_ROWS), the usernames of the managers, the contacts with their people
    # (one query), the audit entry
    with django_assert_num_queries(EXPORT_QUERIES):
        rows = read_csv(rep_client.get(URL))
    assert len(rows) == count + 1
