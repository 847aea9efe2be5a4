import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from crm.csv_export import csv_response, spreadsheet_safe
from tests.factories import ContactFactory, UserFactory

URL = reverse("contacts:export")


def read_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff"), "Excel needs the BOM to read accents"
    return list(csv.reader(io.StringIO(content[1:])))


@pytest.mark.parametrize("text", ["=1+1", "-2", "@x", "+x", "\tx", "\rx", "=HYPERLINK(\"http://evil\")"])
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert spreadsheet_safe(text) == "'" + text


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
    assert content == "\ufefftext,amount,count\r\n'=1+1,-2.50,7\r\n'-2,0,-3\r\n"


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
    assert header[:4] == ["external_ref", "name", "kind", "status"]
    assert len(rows) == 2
    assert row["name"] == "Café Québec"
    assert row["status"] == "client"
    assert row["external_ref"] == "CRM-9"
    assert row["account_manager"] == "rep"
    assert row["description"] == "Deux lignes\net une virgule, ici"


@pytest.mark.django_db
def test_export_neutralises_formulas_typed_into_contacts(rep_client):
    ContactFactory(name="=1+1", phone="+1 514 555 0101", email="", city="@SUM(A1)")
    row = dict(zip(*read_csv(rep_client.get(URL))))
    assert row["name"] == "'=1+1"
    assert row["phone"] == "'+1 514 555 0101"
    assert row["city"] == "'@SUM(A1)"


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
    # session, user, permissions (one query), the contacts with their managers
    with django_assert_num_queries(4):
        rows = read_csv(rep_client.get(URL))
    assert len(rows) == count + 1
