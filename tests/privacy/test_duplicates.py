import pytest
from django.urls import reverse

from contacts.matching import contact_keys, name_key
from privacy import duplicates
from privacy.models import DuplicatePair
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def contact(name, *, email="", phone="", kind="organization"):
    return ContactFactory(name=name, email=email, phone=phone, kind=kind)


def pair_rules(first, second):
    low, high = sorted([first.pk, second.pk])
    row = DuplicatePair.objects.filter(first_id=low, second_id=high).first()
    return set(row.rules.split(",")) if row else set()


def test_folded_names_match_whatever_accents_case_punctuation_and_suffixes():
    assert name_key("Quincaillerie Bélanger & Frères inc.") == name_key("quincaillerie belanger et freres")
    assert name_key("Boulangerie St-Roch Ltée") == name_key("BOULANGERIE ST ROCH")
    assert name_key("Les Entreprises A.B.C. S.E.N.C.") == name_key("les entreprises abc")
    assert name_key("Tremblay, Jean") == name_key("Jean Tremblay")
    assert name_key("Quincaillerie Bélanger") != name_key("Quincaillerie Gagnon")


def test_each_rule_finds_its_pair_and_unrelated_names_are_not_found():
    by_name = contact("Quincaillerie Bélanger & Frères", phone="")
    by_name_too = contact("quincaillerie belanger et freres inc.")
    by_email = contact("Atelier Nord", email="Info@AtelierNord.example")
    by_email_too = contact("Les ateliers du nord", email="info@ateliernord.example")
    by_phone = contact("Garage Lévesque", phone="(514) 555-0142")
    by_phone_too = contact("Lévesque Auto", phone="+1 514 555 0142")
    by_domain = contact("Cabinet Roy", email="paul@cabinetroy.example")
    by_domain_too = contact("Roy avocats", email="anne@cabinetroy.example")
    free_mail = contact("Fleuriste Rose", email="rose@gmail.com")
    free_mail_too = contact("Plomberie Dubé", email="dube@gmail.com")
    unrelated = contact("Quincaillerie Gagnon")
    duplicates.refresh()
    assert pair_rules(by_name, by_name_too) == {"name"}
    assert pair_rules(by_email, by_email_too) == {"email", "domain"}
    assert pair_rules(by_phone, by_phone_too) == {"phone"}
    assert pair_rules(by_domain, by_domain_too) == {"domain"}
    assert pair_rules(free_mail, free_mail_too) == set()
    assert pair_rules(unrelated, by_name) == set()
    assert DuplicatePair.objects.count() == 4


def test_individuals_are_not_paired_by_domain():
    first = contact("Paul Roy", email="paul@cabinetroy.example", kind="individual")
    second = contact("Anne Roy", email="anne@cabinetroy.example", kind="individual")
    duplicates.refresh()
    assert ("domain", "cabinetroy.example") not in contact_keys(first)
    assert pair_rules(first, second) == set()


def test_the_pairs_follow_changes_and_deletions():
    first = contact("Atelier Lavoie")
    second = contact("Menuiserie Gauthier")
    duplicates.refresh()
    assert pair_rules(first, second) == set()
    second.name = "atelier LAVOIE inc"
    second.save()
    assert duplicates.refresh() >= 1
    assert pair_rules(first, second) == {"name"}
    assert duplicates.refresh() == 0  # nothing changed since
    second.delete()
    assert not DuplicatePair.objects.exists()


def test_the_page_lists_pairs_best_first_in_both_languages(manager_client, django_assert_max_num_queries):
    contact("Atelier Lavoie", email="a@lavoie.example", phone="418 555 0100")
    contact("atelier lavoie", email="a@lavoie.example", phone="418-555-0100")
    contact("Boutique Nadeau", phone="418 555 0111")
    contact("Nadeau Électrique", phone="418 555 0111")
    response = manager_client.get(reverse("privacy:duplicates"))
    assert response.status_code == 200
    rows = response.text.split("<tr>")[2:]
    assert "Atelier Lavoie" in rows[0] and "même nom" in rows[0] and "même courriel" in rows[0]
    assert "Boutique Nadeau" in rows[1] and "même numéro de téléphone" in rows[1]
    with django_assert_max_num_queries(12):
        manager_client.get(reverse("privacy:duplicates"))
    manager_client.cookies["django_language"] = "en"
    english = manager_client.get(reverse("privacy:duplicates"), HTTP_ACCEPT_LANGUAGE="en").text
    assert "Possible duplicates" in english and "same phone number" in english


def test_the_page_costs_the_same_with_many_pairs(manager_client, django_assert_max_num_queries):
    for number in range(40):
        contact(f"Société {number}", phone=f"450 555 {number:04d}")
        contact(f"Autre société {number}", phone=f"450-555-{number:04d}")
    manager_client.get(reverse("privacy:duplicates"))
    with django_assert_max_num_queries(12):
        response = manager_client.get(reverse("privacy:duplicates") + "?page=2")
    assert response.status_code == 200 and response.text.count("<tr>") == 16  # 15 rows + the header


def test_the_creation_warning_uses_the_same_rules(manager_client):
    existing = contact("Quincaillerie Bélanger & Frères", phone="819 555 0177")
    response = manager_client.post(reverse("contacts:create"), {
        "name": "quincaillerie belanger et freres", "kind": "organization", "status": "prospect", "language": "fr",
    })
    assert response.status_code == 200
    assert existing.get_absolute_url() in response.text and "même nom" in response.text
    response = manager_client.post(reverse("contacts:create"), {
        "name": "Tout autre nom", "kind": "organization", "status": "prospect", "language": "fr",
        "phone": "+1 (819) 555-0177",
    })
    assert existing.get_absolute_url() in response.text and "même numéro de téléphone" in response.text
    response = manager_client.post(reverse("contacts:create"), {
        "name": "Pâtisserie Cloutier", "kind": "organization", "status": "prospect", "language": "fr",
    })
    assert response.status_code == 302


def test_many_changes_are_left_to_a_background_job(manager_client, monkeypatch, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from privacy.tasks import refresh_duplicates

    monkeypatch.setattr(duplicates, "IN_PAGE", 3)
    for number in range(3):
        contact(f"Atelier {number}", phone="450 555 0199")
    contact("Autre", phone="")
    with django_capture_on_commit_callbacks(execute=True):
        with_pending = manager_client.get(reverse("privacy:duplicates")).text
    assert 'data-testid="duplicates-pending"' in with_pending
    assert not DuplicatePair.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.get(reverse("privacy:duplicates"))
    assert DBTaskResult.objects.count() == 1  # queued once, not on every look
    refresh_duplicates.call()
    page = manager_client.get(reverse("privacy:duplicates")).text
    assert 'data-testid="duplicates-pending"' not in page
    assert DuplicatePair.objects.count() == 3
