"""What an import writes is in the history, as if each row had been saved by hand (by no user)."""

import pytest
from django.conf import settings
from django.core.management.base import CommandError

from contacts.models import Contact, ContactPerson
from notes.models import Note
from tests.factories import ContactFactory, ContactPersonFactory
from tests.imports.conftest import DATA, run_import
from tests.security.test_history import history_tab

pytestmark = pytest.mark.django_db


def test_created_contacts_and_people_each_get_a_creation_record(write_file):
    path = write_file("x.csv", "ref;nom;ville;prénom;nom de famille\r\nR-1;Boulangerie;Québec;Émilie;Bouchard\r\n"
                               "R-1;Boulangerie;Québec;Jean;Côté\r\nR-2;Garage;Laval;;\r\n")
    run_import("import_contacts", path)
    bakery = Contact.objects.get(external_ref="R-1")
    record = Contact.history.get(id=bakery.pk)
    assert (record.history_type, record.history_user, record.name, record.city) == ("+", None, "Boulangerie", "Québec")
    assert Contact.history.count() == 2
    assert sorted(ContactPerson.history.filter(history_type="+").values_list("id", flat=True)) == sorted(
        bakery.people.values_list("pk", flat=True))


def test_an_update_is_recorded_as_the_imports_not_as_the_next_editors(write_file, rep_client):
    contact = ContactFactory(external_ref="R-1", name="Boulangerie", city="Québec")
    path = write_file("x.csv", "ref;nom;ville\r\nR-1;Boulangerie;Lévis\r\n")
    run_import("import_contacts", path, update=True)
    changed = Contact.history.get(id=contact.pk, history_type="~")
    assert (changed.city, changed.history_user) == ("Lévis", None)
    entries = history_tab(rep_client, contact).context["tab_context"]["entries"]
    assert [(entry.who, entry.changes) for entry in entries if entry.changes and entry.kind == "modifié"] == [
        (None, [("Ville", "Québec", "Lévis")])]
    assert "importation ou système" in history_tab(rep_client, contact).content.decode()


def test_a_change_only_to_the_search_text_writes_no_history(write_file):
    contact = ContactFactory(external_ref="R-1", name="Boulangerie")
    # A new person changes the contact's search text, which the history does not keep.
    run_import("import_contacts", write_file("x.csv", "ref;nom;prénom;nom de famille\r\nR-1;Boulangerie;Jean;Côté\r\n"),
               update=True)
    assert not Contact.history.filter(id=contact.pk, history_type="~").exists()
    assert ContactPerson.history.filter(history_type="+").count() == 1


@pytest.fixture
def import_contacts(db):
    for ref, name in [("FR-1", "Boulangerie Saint-Roch"), ("FR-2", "Atelier Lavoie & Fils"),
                      ("X-1", "Fromagerie Côté"), ("X-2", "Garage Tremblay")]:
        ContactFactory(external_ref=ref, name=name)
    ContactPersonFactory(contact=Contact.objects.get(external_ref="FR-1"), first_name="Émilie", last_name="Bouchard",
                         email="emilie@boulangerie-saintroch.example")


def test_imported_notes_are_in_their_history(import_contacts, rep, manager):
    run_import("import_notes", DATA / "notes_fr.csv")
    assert Note.objects.exists()
    assert set(Note.history.values_list("id", flat=True)) == set(Note.objects.values_list("pk", flat=True))


@pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
def test_imported_opportunities_are_in_their_history(import_contacts, rep, manager):
    from prospection.models import Opportunity

    run_import("import_opportunities", DATA / "opportunities_fr.csv")
    assert Opportunity.history.filter(history_type="+").count() == Opportunity.objects.count() > 0


def test_a_refused_import_leaves_no_history(write_file):
    path = write_file("x.csv", "ref;nom;courriel\r\nR-1;Boulangerie;ok@x.example\r\nR-2;Garage;pas-un-courriel\r\n")
    with pytest.raises(CommandError):
        run_import("import_contacts", path)
    assert not Contact.history.exists() and not Contact.objects.exists()
