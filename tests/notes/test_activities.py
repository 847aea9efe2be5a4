"""« Activités »: every note the user may see, filtered, sorted, paginated and exported."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection

from notes.models import NoteType
from tests.conftest import client_for
from tests.factories import ContactFactory, NoteFactory, UserFactory, days_from_today

URL = "/notes/"


def shown(response) -> list[str]:
    """The descriptions of the listed notes, in order."""
    return [row.description for row in response.context["rows"]]


@pytest.fixture
def colleague(db):
    return UserFactory(username="colleague", first_name="Chloé", last_name="Roy")


@pytest.fixture
def call_type(db):
    return NoteType.objects.create(label_fr="Appel", label_en="Call", order=99)


def test_the_list_shows_my_notes_by_default_newest_first(rep_client, rep, colleague):
    NoteFactory(assigned_to=rep, date=days_from_today(-3), description="older")
    NoteFactory(assigned_to=rep, date=days_from_today(2), description="newer")
    NoteFactory(assigned_to=colleague, description="someone else's")
    response = rep_client.get(URL)
    assert response.status_code == 200
    assert shown(response) == ["newer", "older"]
    assert "2 notes" in response.content.decode()


def test_everyone_shows_colleagues_notes_but_never_admin_only_ones_to_a_rep(rep_client, rep, colleague):
    NoteFactory(assigned_to=colleague, description="visible")
    NoteFactory(assigned_to=colleague, description="secret", admin_only=True)
    NoteFactory(assigned_to=rep, description="secret mine", admin_only=True)
    response = rep_client.get(URL, {"assignee": "everyone"})
    assert shown(response) == ["visible"]
    assert response.context["page"].paginator.count == 1


def test_a_manager_sees_admin_only_notes(manager_client, colleague):
    NoteFactory(assigned_to=colleague, description="secret", admin_only=True)
    response = manager_client.get(URL, {"assignee": str(colleague.pk)})
    assert shown(response) == ["secret"]
    assert "Admin seulement" in response.content.decode()


def test_filters_by_type_state_dates_contact_and_text(rep_client, rep, call_type):
    bakery = ContactFactory(name="Boulangerie Éclair")
    NoteFactory(assigned_to=rep, contact=bakery, type=call_type, date=days_from_today(-2),
                description="Rappeler pour la commande")
    NoteFactory(assigned_to=rep, contact=bakery, date=days_from_today(-2), is_done=True, description="Visite faite")
    NoteFactory(assigned_to=rep, date=days_from_today(5), description="Relance ailleurs")
    NoteFactory(assigned_to=rep, date=days_from_today(0), description="Aujourd’hui")
    assert shown(rep_client.get(URL, {"type": call_type.pk})) == ["Rappeler pour la commande"]
    assert shown(rep_client.get(URL, {"state": "overdue"})) == ["Rappeler pour la commande"]
    assert shown(rep_client.get(URL, {"state": "history"})) == ["Visite faite"]
    assert shown(rep_client.get(URL, {"state": "follow_up"})) == ["Relance ailleurs"]
    assert shown(rep_client.get(URL, {"state": "today"})) == ["Aujourd’hui"]
    assert set(shown(rep_client.get(URL, {"state": "todo"}))) == {
        "Rappeler pour la commande", "Relance ailleurs", "Aujourd’hui"}
    period = {"date_from": days_from_today(-3).isoformat(), "date_to": days_from_today(-1).isoformat()}
    assert set(shown(rep_client.get(URL, period))) == {"Rappeler pour la commande", "Visite faite"}
    # The contact's name without its accent, the note's words whatever their case.
    assert set(shown(rep_client.get(URL, {"contact": "eclair"}))) == {"Rappeler pour la commande", "Visite faite"}
    assert shown(rep_client.get(URL, {"q": "COMMANDE"})) == ["Rappeler pour la commande"]


def test_the_text_filter_ignores_accents_case_and_plurals_as_the_search_does(rep_client, rep):
    NoteFactory(assigned_to=rep, description="Relances envoyées à Émilie")
    NoteFactory(assigned_to=rep, description="Visite du dépôt")
    assert shown(rep_client.get(URL, {"q": "emilie"})) == ["Relances envoyées à Émilie"]
    assert shown(rep_client.get(URL, {"q": "RELANCE envoyee"})) == ["Relances envoyées à Émilie"]
    assert shown(rep_client.get(URL, {"q": "depots"})) == ["Visite du dépôt"]
    assert shown(rep_client.get(URL, {"q": "emilie depot"})) == []


def test_the_text_filter_never_finds_an_admin_only_note_for_a_rep(rep_client, rep, colleague, manager_client):
    NoteFactory(assigned_to=colleague, description="Soumission confidentielle", admin_only=True)
    NoteFactory(assigned_to=colleague, description="Soumission ordinaire")
    response = rep_client.get(URL, {"q": "soumission", "assignee": "everyone"})
    assert shown(response) == ["Soumission ordinaire"] and response.context["page"].paginator.count == 1
    assert "confidentielle" not in response.content.decode()
    managers = manager_client.get(URL, {"q": "soumission", "assignee": "everyone"})
    assert set(shown(managers)) == {"Soumission confidentielle", "Soumission ordinaire"}


def test_a_text_filter_counts_up_to_a_limit_and_says_there_are_more(rep_client, rep, monkeypatch):
    monkeypatch.setattr("notes.activities.TEXT_COUNTED", 3)
    for day in range(5):
        NoteFactory(assigned_to=rep, date=days_from_today(-day), description=f"Relance {day}")
    NoteFactory(assigned_to=rep, description="Autre chose")
    response = rep_client.get(URL, {"q": "relance"})
    html = response.content.decode()
    assert shown(response) == ["Relance 0", "Relance 1", "Relance 2"]
    assert "Plus de 3 notes contiennent ces mots" in html and "Toutes celles qui correspondent…" in html
    # Sorted the other way, the first three are the other end's, not a page cut from a count.
    assert shown(rep_client.get(URL, {"q": "relance", "ordering": "date"})) == ["Relance 4", "Relance 3", "Relance 2"]
    # Without words the list counts everything, as before.
    assert "6 notes" in rep_client.get(URL).content.decode()
    # "All that match" changes every note that holds the words, not the three listed.
    page = rep_client.post("/notes/bulk/", {"action": "done", "scope": "all", "query": "q=relance"})
    assert page.context["count"] == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="French full-text forms: PostgreSQL only")
def test_the_text_filter_finds_french_word_forms_on_postgresql(rep_client, rep):
    NoteFactory(assigned_to=rep, description="Il faut relancer le client")
    assert shown(rep_client.get(URL, {"q": "relances"})) == ["Il faut relancer le client"]


def test_sorted_by_an_allowed_column(rep_client, rep):
    NoteFactory(assigned_to=rep, contact=ContactFactory(name="Zèbre"), description="z")
    NoteFactory(assigned_to=rep, contact=ContactFactory(name="Abeille"), description="a")
    assert shown(rep_client.get(URL, {"ordering": "contact"})) == ["a", "z"]
    assert shown(rep_client.get(URL, {"ordering": "-contact"})) == ["z", "a"]


@pytest.mark.parametrize("query", [
    {"date_from": "2026-13-45"},
    {"date_from": "2020-12-10", "date_to": "2020-12-01"},
    {"date_to": "0001-01-01"},
    {"ordering": "description; DROP TABLE notes_note"},
    {"state": "whatever"},
    {"type": "999999"},
    {"assignee": "-1"},
    {"q": "x" * 500},
    {"page": "abc"},
    {"page": "99999"},
])
def test_bad_filters_get_a_message_never_an_error(rep_client, rep, query):
    NoteFactory(assigned_to=rep, description="still listed")
    response = rep_client.get(URL, query)
    assert response.status_code == 200
    assert shown(response) == ["still listed"]
    if "page" not in query:
        assert 'data-testid="filters-ignored"' in response.content.decode()


def test_pages_from_either_end_cover_every_note_once(rep_client, rep):
    for number in range(60):
        NoteFactory(assigned_to=rep, date=days_from_today(-(number // 4)), description=f"n{number:02d}")
    pages = [shown(rep_client.get(URL, {"page": number})) for number in (1, 2, 3)]
    assert [len(page) for page in pages] == [25, 25, 10]
    listed = [description for page in pages for description in page]
    assert sorted(listed) == sorted(f"n{number:02d}" for number in range(60))
    # The last page, cut from the reverse order, continues exactly where the middle one stopped.
    everything = shown(rep_client.get(URL, {"ordering": "-date"})) + shown(
        rep_client.get(URL, {"ordering": "-date", "page": 2})) + shown(rep_client.get(URL, {"ordering": "-date", "page": 3}))
    assert everything == listed


def test_the_page_costs_the_same_queries_with_3_or_60_notes(rep_client, rep, django_assert_num_queries):
    for _ in range(3):
        NoteFactory(assigned_to=rep)
    # session, user, permissions, users, note types, count, page
    with django_assert_num_queries(7):
        rep_client.get(URL, {"assignee": "everyone", "ordering": "contact"})
    for _ in range(57):
        NoteFactory(assigned_to=rep)
    with django_assert_num_queries(7):
        rep_client.get(URL, {"assignee": "everyone", "ordering": "contact", "page": 3})


def test_a_user_without_the_notes_permission_is_refused(outsider_client):
    assert outsider_client.get(URL).status_code == 403
    assert outsider_client.get(URL + "export.csv").status_code == 403


def test_the_header_menu_links_to_the_list(rep_client):
    assert 'href="/notes/"' in rep_client.get("/").content.decode()


def test_the_list_says_its_words_in_english(rep_client_en, rep):
    NoteFactory(assigned_to=rep)
    page = rep_client_en.get(URL).content.decode()
    assert "Activities" in page and "Export CSV" in page and "1 note" in page


def test_the_export_is_a_french_spreadsheet_of_what_the_user_may_see(rep_client, rep, colleague):
    NoteFactory(assigned_to=rep, contact=ContactFactory(name="Café Noir"), date=datetime.date(2026, 11, 3),
                is_done=True, description="=HYPERLINK(\"x\")")
    NoteFactory(assigned_to=colleague, description="secret", admin_only=True)
    response = rep_client.get(URL + "export.csv", {"assignee": "everyone"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffDate;Heure;État;Type;Contact;Assignée à;Admin seulement;Description")
    lines = body.strip().splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("2026-11-03;;Note d’historique;Note;Café Noir;Luc Gagnon;non;")
    assert "'=HYPERLINK" in lines[1]  # no formula run by the spreadsheet
    assert "secret" not in body


def test_a_view_only_user_sees_the_list_without_bulk_controls(db):
    reader = UserFactory(username="reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_note"))
    NoteFactory(assigned_to=reader)
    page = client_for(reader).get(URL).content.decode()
    assert 'data-testid="bulk-bar"' not in page and 'name="ids"' not in page


def test_the_export_costs_the_same_queries_for_2_or_40_notes(rep_client, rep, django_assert_num_queries):
    for _ in range(2):
        NoteFactory(assigned_to=rep)
    # session, user, permissions, users and note types (the filters' choices), the rows counted up to the
    # background threshold (a LIMIT), users and note types (the file's names), the rows, the audit entry
    with django_assert_num_queries(10):
        b"".join(rep_client.get(URL + "export.csv").streaming_content)
    for _ in range(38):
        NoteFactory(assigned_to=rep)
    with django_assert_num_queries(10):
        body = b"".join(rep_client.get(URL + "export.csv").streaming_content)
    assert body.decode("utf-8").count("\n") == 41
