"""The header search: every kind at once, accents, case and plurals ignored, visibility kept.

These run on SQLite (the fallback) and on PostgreSQL (full text in French, unaccent,
trigrams): DATABASE_URL=postgres://… pytest tests/search.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import ContactFactory, ContactPersonFactory, NoteFactory, days_from_today

URL = reverse("search:results")
prospection_only = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")


def group(response, kind) -> str:
    """The HTML of one kind's section of the results ('' when that kind has no hit)."""
    html = response.text
    start = html.find(f'data-testid="group-{kind}"')
    if start == -1:
        return ""
    return html[start:html.find("</section>", start)]


def opportunity(**kwargs):
    from tests.prospection.factories import OpportunityFactory

    return OpportunityFactory(**kwargs)


@pytest.fixture
def dataset(rep):
    contact = ContactFactory(name="Quincaillerie Bélanger")
    ContactPersonFactory(contact=contact, first_name="Jérôme", last_name="Côté", role="Acheteur")
    NoteFactory(contact=contact, assigned_to=rep, description="Le client demande une démonstration du logiciel.")
    NoteFactory(contact=contact, assigned_to=rep, is_done=True, date=days_from_today(-3),
                description="Relances envoyées aux clients de la région.")
    return contact


@pytest.mark.parametrize("words", ["démonstration", "demonstration", "DÉMONSTRATION", "Démonstrations", "démonstr"])
def test_a_word_only_in_a_note_is_found_with_or_without_accents_and_in_plural(rep_client, dataset, words):
    response = rep_client.get(URL, {"q": words})
    notes = group(response, "notes")
    assert "demande une <mark>démonstration</mark> du logiciel" in notes or "<mark>démonstr</mark>ation" in notes
    assert "Quincaillerie Bélanger" in notes  # the hit says whose note it is
    assert not group(response, "contacts") and not group(response, "people")


@pytest.mark.parametrize("words", ["relance", "RELANCES", "envoyee", "envoyées", "region"])
def test_plural_and_feminine_forms_find_the_note(rep_client, dataset, words):
    notes = group(rep_client.get(URL, {"q": words}), "notes")
    assert "aux clients de la" in notes
    assert "Historique" in notes or "Note d’historique" in notes or "note" in notes.lower()


def test_a_note_hit_shows_its_date_and_state(rep_client, dataset):
    notes = group(rep_client.get(URL, {"q": "relances"}), "notes")
    assert "bi-check-circle" in notes  # the history note's state badge…
    assert "Note d’historique" in notes  # …in words


@prospection_only
@pytest.mark.parametrize("words", ["licence", "LICENCES", "renouvellements", "vehicule", "véhicules", "renouvel"])
def test_a_word_only_in_an_opportunity_is_found(rep_client, dataset, words):
    opportunity(contact=dataset, subject="Renouvellement des licences du véhicule")
    opportunities = group(rep_client.get(URL, {"q": words}), "opportunities")
    assert "Renouvellement des licences du véhicule" in opportunities.replace("<mark>", "").replace("</mark>", "")
    assert "Quincaillerie Bélanger" in opportunities


def test_people_and_contacts_are_found_without_accents(rep_client, dataset):
    response = rep_client.get(URL, {"q": "jerome cote"})
    assert "<mark>Jérôme</mark> <mark>Côté</mark>" in group(response, "people")
    assert "Quincaillerie Bélanger" in group(response, "contacts")  # the contact holds its people's names
    assert "Quincaillerie <mark>Bélanger</mark>" in group(rep_client.get(URL, {"q": "belanger"}), "contacts")


def test_every_word_must_match(rep_client, dataset):
    assert "logiciel" in group(rep_client.get(URL, {"q": "démonstration logiciel"}), "notes")
    assert not group(rep_client.get(URL, {"q": "démonstration région"}), "notes")


def test_a_rep_never_finds_an_admin_only_note_nor_counts_it(rep, manager, dataset):
    NoteFactory(contact=dataset, assigned_to=manager, admin_only=True, description="Négociation salariale confidentielle")
    NoteFactory(contact=dataset, assigned_to=rep, description="Négociation du prix")
    rep_response = client_for(rep).get(URL, {"q": "negociation"})
    notes = group(rep_response, "notes")
    assert "salariale" not in rep_response.text
    assert 'data-testid="count-notes">1<' in notes
    kind = client_for(rep).get(reverse("search:kind", args=["notes"]), {"q": "negociation"})
    assert "salariale" not in kind.text and "1 résultat" in kind.text
    only_admin = client_for(rep).get(URL, {"q": "salariale"})
    assert not group(only_admin, "notes") and 'data-testid="no-result"' in only_admin.text

    manager_notes = group(client_for(manager).get(URL, {"q": "negociation"}), "notes")
    assert "salariale" in manager_notes and 'data-testid="count-notes">2<' in manager_notes


def test_see_all_leads_to_the_kinds_paginated_list(rep_client, rep, dataset):
    for number in range(30):
        NoteFactory(contact=dataset, assigned_to=rep, date=days_from_today(-number), description=f"Appel {number} au sujet du devis")
    response = rep_client.get(URL, {"q": "devis"})
    notes = group(response, "notes")
    assert notes.count("<li") == 5 and 'data-testid="count-notes">30<' in notes
    assert 'href="/search/notes/?q=devis"' in notes
    first = rep_client.get(reverse("search:kind", args=["notes"]), {"q": "devis"})
    assert "30 résultats" in first.text and first.text.count("<mark>devis</mark>") == 25
    assert "Appel 0 au sujet" in first.text  # latest first
    last = rep_client.get(reverse("search:kind", args=["notes"]), {"q": "devis", "page": "2"})
    assert last.text.count("<mark>devis</mark>") == 5 and "Appel 29 au sujet" in last.text


def test_a_search_too_vague_to_read_says_so(rep_client, rep, dataset, monkeypatch):
    from search import finding

    monkeypatch.setattr(finding, "PREVIEW_LIMIT", 10)
    monkeypatch.setattr(finding, "LIST_LIMIT", 10)
    NoteFactory.create_batch(11, contact=dataset, assigned_to=rep, description="Suivi hebdomadaire")
    notes = group(rep_client.get(URL, {"q": "hebdomadaire"}), "notes")
    assert 'data-testid="count-notes">plus de 10<' in notes
    listed = rep_client.get(reverse("search:kind", args=["notes"]), {"q": "hebdomadaire"}).text
    assert "Les 10 premiers résultats : ajoutez un mot" in listed and listed.count("<mark>") == 10


@pytest.mark.parametrize("query, message", [
    ({"q": "a"}, "Tapez au moins 2 caractères."),
    ({"q": "  a  "}, "Tapez au moins 2 caractères."),
    ({"q": "x" * 201}, "Tapez au plus 200 caractères."),
    ({"q": ""}, "Tapez ce que vous cherchez."),
    ({"q": "?!"}, "Tapez des lettres ou des chiffres."),
    ({"q": "ab\x00cd"}, "Le caractère nul n’est pas autorisé."),
    ({"q": "a b c"}, "Tapez des lettres ou des chiffres."),
])
def test_an_unusable_query_gets_a_message_not_an_error(rep_client, dataset, query, message):
    response = rep_client.get(URL, query)
    assert response.status_code == 200
    assert message in response.text
    assert 'data-testid="group-' not in response.text


def test_the_message_is_in_the_users_language(rep_client_en, dataset):
    assert "Type at least 2 characters." in rep_client_en.get(URL, {"q": "a"}).text
    assert "Results for “démonstration”" in rep_client_en.get(URL, {"q": "démonstration"}).text


@pytest.mark.parametrize("path, query", [
    ("/search/", {"q": "relance", "page": "abc", "kind": "zzz"}),
    ("/search/notes/", {"q": "relance", "page": "abc"}),
    ("/search/notes/", {"q": "relance", "page": "99999"}),
    ("/search/notes/", {"q": "relance", "page": "-1"}),
    ("/search/notes/", {"q": "a"}),
    ("/search/notes/", {}),
    ("/search/", {"q": "%_\\'\"<>"}),
    ("/search/", {"q": "relance", "q2": ["x", "y"]}),
])
def test_hostile_query_strings_never_fail(rep_client, dataset, path, query):
    assert rep_client.get(path, query).status_code == 200


def test_an_unknown_kind_is_not_found(rep_client, dataset):
    assert rep_client.get("/search/zzz/", {"q": "relance"}).status_code == 404


def test_like_wildcards_are_plain_text(rep_client, rep, dataset):
    NoteFactory(contact=dataset, assigned_to=rep, description="Rabais de 100% accordé")
    assert "Rabais" in group(rep_client.get(URL, {"q": "100%"}), "notes")
    assert not group(rep_client.get(URL, {"q": "1_0"}), "notes")


def test_what_users_typed_is_escaped_and_the_words_marked(rep_client, rep, dataset):
    NoteFactory(contact=dataset, assigned_to=rep, description='<script>alert("x")</script> rappel urgent')
    response = rep_client.get(URL, {"q": "<b>rappel</b>"})
    assert "<script>alert" not in response.text and "&lt;script&gt;alert" in response.text
    assert "<mark>rappel</mark>" in group(response, "notes")
    assert "<b>rappel</b>" not in response.text


def test_a_long_note_is_cut_around_its_match(rep_client, rep, dataset):
    NoteFactory(contact=dataset, assigned_to=rep, description="début " + "bla " * 200 + "échéancier final " + "fin " * 100)
    notes = group(rep_client.get(URL, {"q": "echeancier"}), "notes")
    assert "<mark>échéancier</mark>" in notes and "…" in notes and "début" not in notes


def test_someone_without_permissions_finds_nothing(outsider_client, dataset):
    response = outsider_client.get(URL, {"q": "démonstration"})
    assert response.status_code == 200 and 'data-testid="group-' not in response.text
    assert outsider_client.get("/search/notes/", {"q": "démonstration"}).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, dataset):
    response = client.get(URL, {"q": "démonstration"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_header_box_searches_everything(rep_client, dataset):
    home = rep_client.get(reverse("home")).text
    assert f'action="{URL}"' in home and 'id="header-search"' in home and 'name="q"' in home
    assert "js/search.js" in home
    assert 'value="cote"' in rep_client.get(URL, {"q": "cote"}).text


@pytest.mark.skipif(settings.PROSPECTION_ENABLED, reason="checks the module switched off (CRM_PROSPECTION=off)")
def test_without_prospection_no_opportunity_is_searched(rep_client, dataset):
    response = rep_client.get(URL, {"q": "démonstration"})
    assert "pportunit" not in response.text
    assert rep_client.get("/search/opportunities/", {"q": "licence"}).status_code == 404


@prospection_only
def test_the_results_cost_a_query_a_kind_and_one_a_kind_found(rep, rep_client, dataset, django_assert_num_queries):
    opportunity(contact=dataset, subject="Contrat de démonstration")
    from django.db import connection

    # session, user, permissions; the keys of the 4 kinds (one UNION ALL on PostgreSQL, one query each
    # on SQLite); the hits of notes and opportunities.
    base = 3
    keys = 1 if connection.vendor == "postgresql" else 4
    with django_assert_num_queries(base + keys + 2):
        rep_client.get(URL, {"q": "démonstration"})
    for number in range(600):  # more than search/finding.py's limits: still the same queries
        NoteFactory(contact=dataset, assigned_to=rep, description=f"Démonstration {number}")
    ContactFactory(name="Démonstration et fils")
    with django_assert_num_queries(base + keys + 3):
        response = rep_client.get(URL, {"q": "démonstration"})
    assert 'data-testid="count-notes">plus de 100<' in response.text
    with django_assert_num_queries(base + 3):
        response = rep_client.get(reverse("search:kind", args=["notes"]), {"q": "démonstration", "page": "20"})
    assert response.text.count("<mark>") == 25
