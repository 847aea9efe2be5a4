import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from contacts import services
from contacts.models import Contact, ContactPerson
from crm.text import digits, fold
from tests.factories import ContactFactory, ContactPersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_fold_drops_accents_case_and_typographic_look_alikes():
    assert fold("Éric CÔTÉ") == "eric cote"
    assert fold("Œuvre d’Art") == "oeuvre d'art"
    assert fold("Straße") == "strasse"
    assert fold(None) == ""
    assert digits("(514) 555-0101") == "5145550101"


def test_constraints_and_indexes_are_named():
    assert {c.name for c in Contact._meta.constraints} == {
        "contact_unique_external_ref", "contact_status_valid", "contact_kind_valid",
    }
    assert {i.name for i in Contact._meta.indexes} >= {"contact_name_idx", "contact_status_name_idx"}
    assert {c.name for c in ContactPerson._meta.constraints} == {"contactperson_one_primary"}


def test_a_non_empty_external_ref_is_unique():
    ContactFactory(external_ref="CRM-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory(external_ref="CRM-1")


def test_many_contacts_may_have_no_external_ref():
    ContactFactory(external_ref="")
    ContactFactory(external_ref="")
    assert Contact.objects.filter(external_ref="").count() == 2


def test_duplicate_external_ref_gets_a_readable_validation_message():
    ContactFactory(external_ref="CRM-1")
    other = ContactFactory.build(name="Autre", external_ref="CRM-1")
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "Un autre contact a déjà cette référence externe." in str(error.value)


def test_a_contact_has_at_most_one_primary_person():
    contact = ContactFactory()
    ContactPersonFactory(contact=contact, is_primary=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactPersonFactory(contact=contact, is_primary=True)


def test_two_contacts_each_have_their_primary_person():
    ContactPersonFactory(is_primary=True)
    ContactPersonFactory(is_primary=True)
    assert ContactPerson.objects.filter(is_primary=True).count() == 2


@pytest.mark.parametrize("field, value", [("status", "lost"), ("kind", "robot")])
def test_status_and_kind_are_checked_by_the_database(field, value):
    contact = ContactFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.filter(pk=contact.pk).update(**{field: value})


def test_search_text_holds_folded_name_email_phone_and_people():
    contact = ContactFactory(name="Boulangerie Saint-Roch", email="Info@Boulangerie.example", phone="418-555-0101")
    ContactPersonFactory(contact=contact, first_name="Émilie", last_name="Bouchard", email="emilie@b.example",
                         phone="(418) 555-0102")
    contact.refresh_from_db()
    assert "boulangerie saint-roch" in contact.search_text
    assert "info@boulangerie.example" in contact.search_text
    assert "4185550101" in contact.search_text
    assert "emilie bouchard" in contact.search_text
    assert "emilie@b.example" in contact.search_text
    assert "4185550102" in contact.search_text


def test_search_text_follows_people_added_changed_and_removed():
    contact = ContactFactory(name="Ferme Bio")
    person = ContactPersonFactory(contact=contact, first_name="Luc", last_name="Bergeron")
    contact.refresh_from_db()
    assert "bergeron" in contact.search_text

    person.last_name = "Pelletier"
    person.save()
    contact.refresh_from_db()
    assert "pelletier" in contact.search_text
    assert "bergeron" not in contact.search_text

    person.delete()
    contact.refresh_from_db()
    assert "pelletier" not in contact.search_text
    assert contact.search_text.startswith("ferme bio")


def test_search_text_follows_a_renamed_contact():
    contact = ContactFactory(name="Ancien Nom")
    contact.name = "Nouveau Nom"
    contact.save(update_fields=["name"])
    contact.refresh_from_db()
    assert "nouveau nom" in contact.search_text
    assert "ancien" not in contact.search_text


def test_a_new_primary_person_takes_the_flag_from_the_previous_one():
    contact = ContactFactory()
    first = ContactPersonFactory(contact=contact, is_primary=True)
    second = services.save_person(person=ContactPerson(contact=contact, last_name="Roy", is_primary=True))
    first.refresh_from_db()
    assert not first.is_primary
    assert list(contact.people.filter(is_primary=True)) == [second]


def test_deleting_a_user_keeps_the_contacts_they_created_or_manage():
    user = UserFactory()
    contact = ContactFactory(account_manager=user, created_by=user)
    user.delete()
    contact.refresh_from_db()
    assert contact.account_manager is None
    assert contact.created_by is None


def test_deleting_a_contact_deletes_its_people():
    person = ContactPersonFactory()
    person.contact.delete()
    assert not ContactPerson.objects.exists()


def test_website_url_only_links_to_http_and_https():
    assert ContactFactory.build(website="https://a.example").website_url == "https://a.example"
    assert ContactFactory.build(website="javascript:alert(1)").website_url == ""


def test_postal_address_joins_the_parts_that_are_filled():
    contact = ContactFactory(street="12 rue Principale", city="Québec", region="QC", postal_code="G1K 1A1",
                                   country="Canada")
    assert contact.postal_address == "12 rue Principale\nQuébec QC G1K 1A1\nCanada"
    assert str(contact) == contact.name
    assert contact.get_absolute_url() == f"/contacts/{contact.pk}/"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram index is PostgreSQL only")
def test_text_search_can_use_the_trigram_index_on_postgresql():
    from contacts.filters import ContactFilter

    ContactFactory.create_batch(50)
    ContactFactory(name="Quincaillerie Pelletier")
    contacts = ContactFilter({"q": "pelletier"}, queryset=Contact.objects.all()).qs.order_by()
    with transaction.atomic(), connection.cursor() as cursor:
        # Leave the planner only bitmap scans: it needs an index whose
        # operator class serves `search_text LIKE '%word%'`.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        plan = contacts.explain()
    assert "contact_search_trgm_idx" in plan, plan
    assert [c.name for c in contacts] == ["Quincaillerie Pelletier"]
