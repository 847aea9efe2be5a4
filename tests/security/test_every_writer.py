"""No writer skips the version: app forms, the admin, toggles, imports, bulk changes.

Each writer, as the second of two editors, is refused and leaves the first change in
the database; each writer bumps the version, so that a form opened before it is refused.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, connections
from django.db.models import F
from django.urls import reverse

from contacts.models import Contact, ContactPerson
from crm.concurrency import StaleEdit
from crm.importing import bulk_sql
from notes.models import Note
from tests.conftest import client_for
from tests.factories import ContactFactory, ContactPersonFactory, NoteFactory, UserFactory
from tests.imports.conftest import run_import
from tests.security.test_lost_update import CONFLICT, form_data

pytestmark = pytest.mark.django_db


def admin_form_data(response) -> dict:
    """The admin change form's values (inline rows included), as the browser posts them back."""
    data = {"_save": "Enregistrer"}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.forms:
            add(form)
    return data


@dataclass
class Writer:
    """One kind of record, its app edit form and its admin change form."""

    make: Callable
    app_url: Callable
    admin: str
    first: tuple  # (field, value) the first editor saves
    second: tuple  # (field, value) the stale second editor tries to save

    def admin_url(self, obj) -> str:
        return reverse(f"admin:{self.admin}_change", args=[obj.pk])

    def app_form(self, client, obj) -> dict:
        return form_data(client.get(self.app_url(obj), headers={"HX-Request": "true"}))

    def app_key(self, obj, field) -> str:
        return f"person-{obj.pk}-{field}" if isinstance(obj, ContactPerson) else field


def make_opportunity(rep):
    from tests.prospection.factories import OpportunityFactory

    return OpportunityFactory(subject="Site web", success_percent=35, representative=rep)


WRITERS = {
    "contact": Writer(
        make=lambda rep: ContactFactory(name="Boulangerie Saint-Roch", phone="418-555-0101"),
        app_url=lambda obj: reverse("contacts:update", args=[obj.pk]),
        admin="contacts_contact", first=("phone", "418-555-9999"), second=("name", "Boulangerie St-Roch"),
    ),
    "note": Writer(
        make=lambda rep: NoteFactory(assigned_to=rep, description="Version d’origine"),
        app_url=lambda obj: reverse("notes:update", args=[obj.pk]),
        admin="notes_note", first=("description", "Version du premier"), second=("description", "Version périmée"),
    ),
    "opportunity": Writer(
        make=make_opportunity,
        app_url=lambda obj: obj.get_absolute_url(),
        admin="prospection_opportunity", first=("success_percent", 80), second=("subject", "Site et boutique"),
    ),
    "person": Writer(
        make=lambda rep: ContactPersonFactory(first_name="Sophie", last_name="Côté", phone="418-555-0102"),
        app_url=lambda obj: reverse("contacts:person_update", args=[obj.contact_id, obj.pk]),
        admin="contacts_contactperson", first=("phone", "418-555-7777"), second=("last_name", "Pelletier"),
    ),
}


@pytest.fixture(params=list(WRITERS))
def writer(request, settings):
    if request.param == "opportunity" and not settings.PROSPECTION_ENABLED:
        pytest.skip("prospection module is off (CRM_PROSPECTION=off)")
    return WRITERS[request.param]


def value_of(obj, field):
    obj.refresh_from_db()
    return getattr(obj, field)


# The admin ------------------------------------------------------------------------------

def test_a_stale_admin_form_is_refused_and_keeps_the_app_edit(writer, rep, rep_client, admin_client):
    obj = writer.make(rep)
    stale = admin_form_data(admin_client.get(writer.admin_url(obj)))
    (field, value), (other, theirs) = writer.first, writer.second
    app = writer.app_form(rep_client, obj)
    assert rep_client.post(writer.app_url(obj), {**app, writer.app_key(obj, field): value}).status_code == 302

    response = admin_client.post(writer.admin_url(obj), {**stale, other: theirs})

    assert response.status_code == 200
    page = response.content.decode()
    assert CONFLICT in page
    assert str(value) in page  # what the other person saved
    assert str(value_of(obj, field)) == str(value) and value_of(obj, other) != theirs
    # Saving again is a deliberate choice: the form now carries the current version.
    again = admin_client.post(writer.admin_url(obj), admin_form_data(response))
    assert again.status_code == 302
    assert value_of(obj, other) == theirs


def test_an_admin_save_bumps_the_version_so_an_app_form_opened_before_is_refused(writer, rep, rep_client,
                                                                                  admin_client):
    obj = writer.make(rep)
    stale = writer.app_form(rep_client, obj)
    (field, value), (other, theirs) = writer.first, writer.second
    admin = admin_form_data(admin_client.get(writer.admin_url(obj)))
    assert admin_client.post(writer.admin_url(obj), {**admin, field: value}).status_code == 302
    assert value_of(obj, "version") == 1

    response = rep_client.post(writer.app_url(obj), {**stale, writer.app_key(obj, other): theirs})

    assert CONFLICT in response.content.decode()
    assert str(value_of(obj, field)) == str(value) and value_of(obj, other) != theirs


def test_an_admin_save_writes_one_history_row_and_leaves_a_plain_version(writer, rep, admin_client):
    obj = writer.make(rep)
    rows = type(obj).history.filter(id=obj.pk).count()
    field, value = writer.first
    admin_client.post(writer.admin_url(obj), {**admin_form_data(admin_client.get(writer.admin_url(obj))),
                                              field: value})
    assert type(obj).history.filter(id=obj.pk).count() == rows + 1
    assert value_of(obj, "version") == 1


def test_a_stale_inline_person_row_is_refused(rep, rep_client, admin_client):
    person = ContactPersonFactory(first_name="Sophie", last_name="Côté", phone="418-555-0102")
    url = reverse("admin:contacts_contact_change", args=[person.contact_id])
    stale = admin_form_data(admin_client.get(url))
    app = WRITERS["person"].app_form(rep_client, person)
    rep_client.post(WRITERS["person"].app_url(person), {**app, f"person-{person.pk}-phone": "418-555-7777"})

    response = admin_client.post(url, {**stale, "people-0-last_name": "Pelletier"})

    assert response.status_code == 200
    assert CONFLICT in response.content.decode() and "418-555-7777" in response.content.decode()
    person.refresh_from_db()
    assert (person.last_name, person.phone) == ("Côté", "418-555-7777")


def test_an_admin_post_without_the_version_is_refused(admin_client):
    contact = ContactFactory(name="Sans version")
    data = admin_form_data(admin_client.get(reverse("admin:contacts_contact_change", args=[contact.pk])))
    del data["version"]
    response = admin_client.post(reverse("admin:contacts_contact_change", args=[contact.pk]),
                                 {**data, "name": "Par script"})
    assert "Rouvrez la fiche avant d’enregistrer" in response.content.decode()
    assert value_of(contact, "name") == "Sans version"


def test_staff_without_the_change_permission_cannot_save_in_the_admin(writer, rep, admin_client):
    obj = writer.make(rep)
    data = admin_form_data(admin_client.get(writer.admin_url(obj)))
    field, value = writer.first
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    response = client_for(viewer).post(writer.admin_url(obj), {**data, field: value})
    assert response.status_code == 403
    assert str(value_of(obj, field)) != str(value) and value_of(obj, "version") == 0


# People in the app ----------------------------------------------------------------------

def test_second_person_save_is_refused_with_the_other_version_shown(rep_client, manager_client):
    person = ContactPersonFactory(first_name="Sophie", last_name="Côté", phone="418-555-0102")
    writer = WRITERS["person"]
    mine, theirs = writer.app_form(rep_client, person), writer.app_form(manager_client, person)
    assert manager_client.post(writer.app_url(person), {**theirs, f"person-{person.pk}-phone": "418-555-7777"}
                               ).status_code == 302

    response = rep_client.post(writer.app_url(person), {**mine, f"person-{person.pk}-last_name": "Pelletier"})

    assert response.status_code == 200
    assert CONFLICT in response.text and "418-555-7777" in response.text
    person.refresh_from_db()
    assert (person.last_name, person.phone) == ("Côté", "418-555-7777")
    assert ContactPerson.history.filter(id=person.pk).count() == 2  # created, then the one saved change


def test_making_a_person_primary_refuses_a_form_opened_on_the_previous_primary(rep_client):
    # Saved, the stale form would take the flag back and demote the new primary person.
    pierre = ContactPersonFactory(first_name="Pierre", last_name="Lavoie", is_primary=True)
    sophie = ContactPersonFactory(contact=pierre.contact, first_name="Sophie", last_name="Côté")
    writer = WRITERS["person"]
    stale = writer.app_form(rep_client, pierre)
    rep_client.post(writer.app_url(sophie), {**writer.app_form(rep_client, sophie),
                                             f"person-{sophie.pk}-is_primary": "on"})

    response = rep_client.post(writer.app_url(pierre), {**stale, f"person-{pierre.pk}-role": "Président"})

    assert CONFLICT in response.text
    assert list(pierre.contact.people.filter(is_primary=True)) == [sophie]


# The model's save path: any writer that loads then saves ------------------------------

@pytest.mark.parametrize("make", [
    lambda: ContactFactory(), lambda: NoteFactory(), lambda: ContactPersonFactory(),
], ids=["contact", "note", "person"])
def test_a_save_of_a_copy_read_before_another_save_is_refused(make):
    obj = make()
    model = type(obj)
    mine, theirs = model.objects.get(pk=obj.pk), model.objects.get(pk=obj.pk)
    theirs.save()
    with pytest.raises(StaleEdit):
        mine.save()
    assert model.objects.get(pk=obj.pk).version == 1
    assert model.history.filter(id=obj.pk).count() == 2  # created, then their save: not mine
    mine.refresh_from_db()
    mine.save()  # read again, it saves
    assert (mine.version, model.objects.get(pk=obj.pk).version) == (2, 2)


def test_a_save_of_a_copy_read_without_its_version_still_bumps_it():
    contact = ContactFactory(name="Avant")
    partial = Contact.objects.only("pk", "name").get(pk=contact.pk)
    partial.name = "Après"
    partial.save()
    assert Contact.objects.values_list("name", "version").get(pk=contact.pk) == ("Après", 1)
    assert partial.version == 1  # read again, not an F() expression left behind


# Toggles ------------------------------------------------------------------------------------

@pytest.mark.parametrize("toggle", ["notes:toggle_done", "notes:toggle_pin"])
def test_a_toggle_bumps_the_version_once_and_writes_one_history_row(rep, rep_client, toggle):
    note = NoteFactory(assigned_to=rep)
    stale = form_data(rep_client.get(reverse("notes:update", args=[note.pk])))
    assert rep_client.post(reverse(toggle, args=[note.pk])).status_code == 302
    assert value_of(note, "version") == 1
    assert Note.history.filter(id=note.pk).count() == 2
    response = rep_client.post(reverse("notes:update", args=[note.pk]), {**stale, "description": "écrase tout"})
    assert CONFLICT in response.content.decode()


@pytest.mark.parametrize("toggle", ["notes:toggle_done", "notes:toggle_pin"])
def test_a_user_who_may_not_change_notes_cannot_toggle(rep, outsider, toggle):
    note = NoteFactory(assigned_to=rep)
    outsider.user_permissions.add(Permission.objects.get(codename="view_note"))
    assert client_for(outsider).post(reverse(toggle, args=[note.pk])).status_code == 403
    assert value_of(note, "version") == 0


# Imports and bulk writes ---------------------------------------------------------------------

def test_an_import_that_changes_a_contact_refuses_a_form_opened_before(rep_client, tmp_path):
    contact = ContactFactory(external_ref="R-1", name="Boulangerie", phone="1")
    person = ContactPersonFactory(contact=contact, first_name="Émilie", last_name="Bouchard", email="e@x.example")
    stale_contact = form_data(rep_client.get(reverse("contacts:update", args=[contact.pk])))
    stale_person = WRITERS["person"].app_form(rep_client, person)
    path = tmp_path / "x.csv"
    path.write_text("ref;nom;téléphone;prénom;nom de famille;fonction;courriel personne\r\n"
                    "R-1;Boulangerie;2;Émilie;Bouchard;Présidente;e@x.example\r\n", encoding="utf-8")
    run_import("import_contacts", path, update=True)

    response = rep_client.post(reverse("contacts:update", args=[contact.pk]), {**stale_contact, "city": "Lévis"})
    assert CONFLICT in response.content.decode()
    response = rep_client.post(WRITERS["person"].app_url(person), {**stale_person, f"person-{person.pk}-phone": "9"})
    assert CONFLICT in response.text
    contact.refresh_from_db()
    person.refresh_from_db()
    assert (contact.phone, contact.city, person.role, person.phone) == ("2", "Montréal", "Présidente", "")


def test_a_bulk_update_bumps_the_version_in_the_database_not_from_memory():
    # An import reads the contact, then someone saves it, then the import writes: the
    # version must still move on, or a form opened after that save would overwrite the import.
    contact = ContactFactory(name="Lu par l’import")
    read_by_import = Contact.objects.get(pk=contact.pk)
    Contact.objects.get(pk=contact.pk).save()  # version 1
    read_by_import.name = "Écrit par l’import"
    read_by_import.version += 1  # what the import believed
    bulk_sql.update(Contact, [read_by_import], ["name", "version"])
    assert Contact.objects.values_list("name", "version").get(pk=contact.pk) == ("Écrit par l’import", 2)
    # Only search text and the time stamp: not a change a form could lose.
    bulk_sql.update(Contact, [read_by_import], ["search_text", "updated_at"])
    assert Contact.objects.get(pk=contact.pk).version == 2


# The Prospection tab's account manager ------------------------------------------------------

def test_a_stale_account_manager_save_is_refused_and_keeps_the_first(rep, manager, rep_client, manager_client,
                                                                      settings):
    if not settings.PROSPECTION_ENABLED:
        pytest.skip("prospection module is off (CRM_PROSPECTION=off)")
    from prospection.forms import ProspectInfoForm

    contact = ContactFactory(name="Boulangerie")
    url = reverse("prospection:prospect_info", args=[contact.pk])
    tab = rep_client.get(contact.get_absolute_url() + "?tab=prospection").content.decode()
    assert 'name="version" value="0"' in tab
    opened = {"version": ProspectInfoForm(instance=contact)["version"].value()}
    assert manager_client.post(url, {**opened, "account_manager": manager.pk}).status_code == 302

    response = rep_client.post(url, {**opened, "account_manager": rep.pk}, follow=True)

    assert CONFLICT in response.content.decode() and "Marie Tremblay" in response.content.decode()
    assert value_of(contact, "account_manager") == manager
    # The tab shown again carries the current version: saving again is a deliberate choice.
    assert rep_client.post(url, {"version": value_of(contact, "version"), "account_manager": rep.pk}
                           ).status_code == 302
    assert value_of(contact, "account_manager") == rep


def test_an_account_manager_save_refuses_a_contact_form_opened_before(rep, rep_client, settings):
    if not settings.PROSPECTION_ENABLED:
        pytest.skip("prospection module is off (CRM_PROSPECTION=off)")
    contact = ContactFactory(name="Boulangerie")
    stale = form_data(rep_client.get(reverse("contacts:update", args=[contact.pk])))
    rep_client.post(reverse("prospection:prospect_info", args=[contact.pk]),
                    {"version": 0, "account_manager": rep.pk})
    response = rep_client.post(reverse("contacts:update", args=[contact.pk]), {**stale, "city": "Lévis"})
    assert CONFLICT in response.content.decode()
    contact.refresh_from_db()
    assert (contact.account_manager, contact.city) == (rep, "Montréal")


# A save that loses the race after its form's check ---------------------------------------

def opened(form_class, instance, **kwargs) -> dict:
    """What an unbound form shows, as its browser would post it back."""
    form = form_class(instance=instance, **kwargs)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None and value is not False:
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def test_a_contact_form_that_loses_the_race_after_its_check_is_refused_and_explained():
    from contacts.forms import ContactForm

    contact = ContactFactory(name="Avant", phone="1")
    form = ContactForm({**opened(ContactForm, contact), "name": "Mien"}, instance=Contact.objects.get(pk=contact.pk))
    assert form.is_valid()
    Contact.objects.filter(pk=contact.pk).update(phone="2", version=F("version") + 1)  # someone saves now
    with pytest.raises(StaleEdit):
        form.save()
    assert CONFLICT in " ".join(form.non_field_errors()) and [value for _label, value in form.conflict] == ["Avant", "2"]
    assert Contact.objects.values_list("name", "phone").get(pk=contact.pk) == ("Avant", "2")


def test_a_note_form_that_loses_the_race_is_refused_and_explained(rep):
    from notes.forms import NoteForm

    note = NoteFactory(assigned_to=rep, description="Avant")
    form = NoteForm({**opened(NoteForm, note, user=rep), "description": "Mien"}, instance=Note.objects.get(pk=note.pk),
                    user=rep)
    assert form.is_valid()
    Note.objects.filter(pk=note.pk).update(description="Le leur", version=F("version") + 1)
    with pytest.raises(StaleEdit):
        form.save()
    assert "Le leur" in [value for _label, value in form.conflict]
    assert Note.objects.get(pk=note.pk).description == "Le leur"
    assert Note.history.filter(id=note.pk).count() == 1  # no history row for the refused save


def test_a_person_form_that_loses_the_race_is_refused_and_explained():
    from contacts import services
    from contacts.forms import ContactPersonForm

    person = ContactPersonFactory(last_name="Côté", phone="1")
    form = ContactPersonForm({**opened(ContactPersonForm, person), "last_name": "Pelletier"},
                             instance=ContactPerson.objects.get(pk=person.pk))
    assert form.is_valid()
    ContactPerson.objects.filter(pk=person.pk).update(phone="2", version=F("version") + 1)
    with pytest.raises(StaleEdit):
        services.save_person(person=form.save(commit=False))
    form.explain_stale()
    assert [value for _label, value in form.conflict] == ["Côté", "2"]  # where theirs differs from mine
    assert ContactPerson.objects.values_list("last_name", "phone").get(pk=person.pk) == ("Côté", "2")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a second connection that commits (PostgreSQL)")
def test_an_admin_save_that_loses_the_race_after_its_check_is_refused_and_explained(migrated_data_restored):
    from django.db.models.signals import pre_save

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = client_for(admin)
    contact = ContactFactory(name="Avant", phone="1")
    url = reverse("admin:contacts_contact_change", args=[contact.pk])
    data = admin_form_data(client.get(url))

    def someone_saves_now(sender, instance, **kwargs):
        # Between the form's check and its UPDATE, another connection saves and commits.
        pre_save.disconnect(someone_saves_now, sender=Contact)

        def other():
            try:
                Contact.objects.filter(pk=contact.pk).update(phone="2", version=F("version") + 1)
            finally:
                connections.close_all()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()

    pre_save.connect(someone_saves_now, sender=Contact)
    try:
        response = client.post(url, {**data, "name": "Mien"})
    finally:
        pre_save.disconnect(someone_saves_now, sender=Contact)
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    assert Contact.objects.values_list("name", "phone", "version").get(pk=contact.pk) == ("Avant", "2", 1)
