import pytest
from django.urls import reverse

from contacts.models import Contact
from tests.factories import ContactFactory, ContactPersonFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("contacts:list")


def names(response) -> list[str]:
    return [contact.name for contact in response.context["page"]]


def test_rep_sees_the_contact_list_with_a_result_count(rep_client):
    ContactFactory(name="Boulangerie Saint-Roch")
    ContactFactory(name="Atelier Lavoie")
    response = rep_client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Atelier Lavoie", "Boulangerie Saint-Roch"]
    assert "2 contacts" in response.text
    assert "Nouveau contact" in response.text


def test_one_contact_is_counted_in_the_singular(rep_client_en):
    ContactFactory()
    assert "1 contact</p>" in rep_client_en.get(URL).text


def test_an_empty_list_says_so(rep_client):
    assert "Aucun contact pour l’instant." in rep_client.get(URL).text
    assert "Aucun contact ne correspond à ces filtres." in rep_client.get(URL, {"q": "zzz"}).text


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_filter_by_status_and_kind(rep_client):
    ContactFactory(name="Client SA", status=Contact.Status.CLIENT)
    ContactFactory(name="Prospect Inc", status=Contact.Status.PROSPECT)
    ContactFactory(name="Jeanne Client", status=Contact.Status.CLIENT, kind=Contact.Kind.INDIVIDUAL)
    assert names(rep_client.get(URL, {"status": "client"})) == ["Client SA", "Jeanne Client"]
    assert names(rep_client.get(URL, {"status": "client", "kind": "individual"})) == ["Jeanne Client"]


def test_filter_by_account_manager_when_prospection_is_on(rep_client, rep, settings):
    settings.PROSPECTION_ENABLED = True
    ContactFactory(name="Mine", account_manager=rep)
    ContactFactory(name="Someone else's", account_manager=UserFactory())
    response = rep_client.get(URL, {"account_manager": rep.pk})
    assert names(response) == ["Mine"]
    assert 'name="account_manager"' in response.text


def test_no_account_manager_filter_when_prospection_is_off(rep_client, rep, settings):
    settings.PROSPECTION_ENABLED = False
    ContactFactory(name="Mine", account_manager=rep)
    ContactFactory(name="Someone else's", account_manager=UserFactory())
    response = rep_client.get(URL, {"account_manager": rep.pk})
    assert names(response) == ["Mine", "Someone else's"]
    assert 'name="account_manager"' not in response.text
    assert "Gestionnaire de compte" not in response.text


def test_a_bad_filter_value_is_ignored_with_a_warning(rep_client):
    ContactFactory(name="Client SA", status=Contact.Status.CLIENT)
    ContactFactory(name="Prospect Inc", status=Contact.Status.PROSPECT)
    response = rep_client.get(URL, {"status": "vip", "kind": "organization", "account_manager": "abc"})
    assert response.status_code == 200
    assert names(response) == ["Client SA", "Prospect Inc"]
    assert "Certains filtres n’ont pas été compris et ont été ignorés." in response.text


@pytest.mark.parametrize("query", ["eric", "ÉRIC", "Eric dube", "dubé"])
def test_search_ignores_accents_and_case(rep_client, query):
    ContactFactory(name="Éric Dubé Inc.")
    ContactFactory(name="Erica Smith")  # "eric" is in "erica": only the full search narrows it
    found = names(rep_client.get(URL, {"q": query}))
    assert "Éric Dubé Inc." in found
    if "dub" in query.lower():
        assert found == ["Éric Dubé Inc."]


def test_search_by_a_persons_email_and_name(rep_client, contact_with_people):
    ContactFactory(name="Sans rapport")
    assert names(rep_client.get(URL, {"q": "sophie@atelierlavoie.example"})) == ["Atelier Lavoie & Fils"]
    assert names(rep_client.get(URL, {"q": "sophie cote"})) == ["Atelier Lavoie & Fils"]


def test_search_by_phone_in_any_format(rep_client, contact_with_people):
    ContactFactory(name="Sans rapport", phone="418-555-0000")
    for query in ["514-555-0199", "(514) 555-0199", "5145550199", "555 0199"]:
        assert names(rep_client.get(URL, {"q": query})) == ["Atelier Lavoie & Fils"], query


def test_search_words_must_all_match(rep_client):
    ContactFactory(name="Boulangerie Saint-Roch", city="Québec")
    ContactFactory(name="Boulangerie du Coin")
    assert names(rep_client.get(URL, {"q": "boulangerie roch"})) == ["Boulangerie Saint-Roch"]


def test_search_treats_like_wildcards_as_text(rep_client):
    ContactFactory(name="100% Bio")
    ContactFactory(name="Autre")
    assert names(rep_client.get(URL, {"q": "%"})) == ["100% Bio"]
    assert names(rep_client.get(URL, {"q": "_"})) == []


def test_the_lists_own_search_box_filters_the_list(rep_client):
    # (The header's box searches everything: tests/search.)
    ContactFactory(name="Clinique du Plateau")
    ContactFactory(name="Garage Roy")
    assert 'name="q" id="id_q"' in rep_client.get(URL).text
    response = rep_client.get(URL, {"q": "plateau"})
    assert names(response) == ["Clinique du Plateau"]
    assert 'value="plateau"' in response.text


@pytest.mark.parametrize("ordering, expected", [
    ("name", ["Alpha", "Bravo", "Charlie"]),
    ("-name", ["Charlie", "Bravo", "Alpha"]),
    ("city", ["Charlie", "Alpha", "Bravo"]),
    ("-city", ["Bravo", "Alpha", "Charlie"]),
    ("status", ["Bravo", "Charlie", "Alpha"]),
])
def test_sort_by_an_allowed_column(rep_client, ordering, expected):
    ContactFactory(name="Bravo", city="Québec", status="client")
    ContactFactory(name="Alpha", city="Montréal", status="prospect")
    ContactFactory(name="Charlie", city="Laval", status="client")
    assert names(rep_client.get(URL, {"ordering": ordering})) == expected


def test_sort_by_update_date(rep_client):
    first = ContactFactory(name="Old")
    ContactFactory(name="New")
    first.refresh_from_db()
    Contact.objects.filter(pk=first.pk).update(updated_at=first.updated_at.replace(year=2001))
    assert names(rep_client.get(URL, {"ordering": "-updated"})) == ["New", "Old"]
    assert names(rep_client.get(URL, {"ordering": "updated"})) == ["Old", "New"]


@pytest.mark.parametrize("ordering", ["search_text", "password", "-account_manager__password", "name;drop", "updated_at"])
def test_an_ordering_outside_the_allow_list_is_ignored(rep_client, ordering):
    ContactFactory(name="Bravo", search_text="a")
    ContactFactory(name="Alpha")
    response = rep_client.get(URL, {"ordering": ordering})
    assert response.status_code == 200
    assert names(response) == ["Alpha", "Bravo"]


def test_ties_in_the_sorted_column_keep_a_stable_order_across_pages(rep_client):
    for number in range(30):
        ContactFactory(name=f"Contact {number:02}", status="client")
    first = names(rep_client.get(URL, {"ordering": "status"}))
    second = names(rep_client.get(URL, {"ordering": "status", "page": 2}))
    assert first + second == [f"Contact {number:02}" for number in range(30)]


def test_a_later_page_of_a_filtered_list_sorted_backwards(rep_client):
    # Pages are cut over the keys first, then read by key: order and filter must survive both steps.
    for number in range(60):
        ContactFactory(name=f"Contact {number:02}", city=f"Ville {number % 7}",
                       status="client" if number % 2 else "prospect")
    clients = sorted(Contact.objects.filter(status="client"), key=lambda contact: contact.name)
    clients.sort(key=lambda contact: contact.city, reverse=True)  # a stable sort: names stay ascending in a city
    expected = [contact.name for contact in clients][25:30]
    assert names(rep_client.get(URL, {"status": "client", "ordering": "-city", "page": 2})) == expected


def test_sort_links_keep_the_filters_and_toggle_the_direction(rep_client):
    ContactFactory(status="client")
    response = rep_client.get(URL, {"status": "client", "ordering": "city", "page": 1})
    assert 'href="?status=client&amp;ordering=-city"' in response.text
    assert 'href="?status=client&amp;ordering=name"' in response.text
    assert "(croissant)" in response.text


def test_pagination_and_a_page_past_the_end_gives_the_last_page(rep_client):
    for number in range(30):
        ContactFactory(name=f"Contact {number:02}")
    assert len(names(rep_client.get(URL))) == 25
    response = rep_client.get(URL, {"page": 99})
    assert response.status_code == 200
    assert names(response) == [f"Contact {number:02}" for number in range(25, 30)]
    assert "Page 2 sur 2" in response.text
    assert names(rep_client.get(URL, {"page": "abc"}))[0] == "Contact 00"


def test_page_links_keep_the_filters(rep_client):
    for number in range(30):
        ContactFactory(name=f"Contact {number:02}", status="client")
    response = rep_client.get(URL, {"status": "client", "page": 1})
    assert 'href="?status=client&amp;page=2"' in response.text
    assert "30 contacts" in response.text


def test_export_link_carries_the_filters(rep_client):
    response = rep_client.get(URL, {"q": "roy", "status": "client", "page": 2})
    assert f'href="{reverse("contacts:export")}?q=roy&amp;status=client"' in response.text


def test_list_shows_the_account_manager(rep_client, rep, settings):
    settings.PROSPECTION_ENABLED = True
    ContactFactory(name="Mine", account_manager=rep)
    assert "Luc Gagnon" in rep_client.get(URL).text


def make_contacts(count: int) -> None:
    managers = UserFactory.create_batch(3)
    for number in range(count):
        contact = ContactFactory(account_manager=managers[number % 3])
        ContactPersonFactory(contact=contact)


@pytest.mark.parametrize("count", [5, 60])
def test_the_list_runs_a_constant_number_of_queries(rep_client, django_assert_num_queries, settings, count):
    make_contacts(count)
    # session, user, permissions (one query), count, page, and (with the
    # prospection module) the account managers' <select>
    with django_assert_num_queries(6 if settings.PROSPECTION_ENABLED else 5):
        response = rep_client.get(URL, {"q": "entreprise", "ordering": "-updated"})
    assert response.status_code == 200
