"""Two people editing the same record: the second save is refused and shows what changed."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from contacts.models import Contact
from notes.models import Note
from tests.factories import ContactFactory, NoteFactory, UserFactory

CONFLICT = "Quelqu’un d’autre a enregistré cette fiche pendant que vous la modifiiez"


def form_data(response) -> dict:
    """The values the edit form was opened with, as the browser would post them back."""
    form = response.context["form"]
    data = {}
    for name, _bound in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        data[form.add_prefix(name)] = "on" if value is True else value
    return data


@pytest.mark.django_db
def test_second_contact_save_is_refused_with_the_other_version_shown(rep_client, manager_client):
    contact = ContactFactory(name="Boulangerie Saint-Roch", phone="418-555-0101")
    url = reverse("contacts:update", args=[contact.pk])
    mine = form_data(rep_client.get(url))
    theirs = form_data(manager_client.get(url))

    assert manager_client.post(url, {**theirs, "phone": "418-555-9999"}).status_code == 302
    response = rep_client.post(url, {**mine, "name": "Boulangerie St-Roch"})

    assert response.status_code == 200
    page = response.content.decode()
    assert CONFLICT in page and "418-555-9999" in page
    contact.refresh_from_db()
    assert contact.name == "Boulangerie Saint-Roch" and contact.phone == "418-555-9999"

    # Saving again is a deliberate choice: the form now carries the current version.
    again = rep_client.post(url, form_data(response))
    assert again.status_code == 302
    contact.refresh_from_db()
    assert contact.name == "Boulangerie St-Roch"


@pytest.mark.django_db
def test_second_note_save_is_refused(rep, rep_client, manager_client):
    note = NoteFactory(assigned_to=rep, description="Version d’origine")
    url = reverse("notes:update", args=[note.pk])
    mine = form_data(rep_client.get(url))
    theirs = form_data(manager_client.get(url))
    manager_client.post(url, {**theirs, "description": "Version du gestionnaire"})
    response = rep_client.post(url, {**mine, "description": "Version du représentant"})
    assert CONFLICT in response.content.decode()
    assert "Version du gestionnaire" in response.content.decode()
    note.refresh_from_db()
    assert note.description == "Version du gestionnaire"


@pytest.mark.django_db
def test_a_toggle_in_between_also_refuses_a_stale_form(rep, rep_client):
    note = NoteFactory(assigned_to=rep)
    url = reverse("notes:update", args=[note.pk])
    stale = form_data(rep_client.get(url))
    rep_client.post(reverse("notes:toggle_done", args=[note.pk]))
    response = rep_client.post(url, {**stale, "description": "écrase tout"})
    assert CONFLICT in response.content.decode()
    note.refresh_from_db()
    assert note.is_done and note.description != "écrase tout"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises writers)")
def test_concurrent_toggles_from_many_threads_leave_a_consistent_state(migrated_data_restored):
    user = UserFactory(username="toggler", groups=["Sales reps"])
    note = NoteFactory(assigned_to=user)
    clicks, threads_count = 5, 8
    errors = []

    def click_many():
        client = Client()
        client.force_login(user)
        try:
            for _ in range(clicks):
                if client.post(reverse("notes:toggle_pin", args=[note.pk])).status_code != 302:
                    errors.append("bad status")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click_many) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    note.refresh_from_db()
    total = clicks * threads_count
    assert not errors
    assert note.version == total  # every click counted once
    assert note.is_pinned == (total % 2 == 1)
    assert Note.history.filter(id=note.pk).count() == total + 1


@pytest.mark.django_db
@pytest.mark.parametrize("version", [None, ""])
def test_an_edit_without_the_version_it_was_opened_with_is_refused(rep_client, version):
    # A script (or a stale copy of the page) that leaves out the hidden version
    # could otherwise save over a change it never saw.
    contact = ContactFactory(name="Sans version")
    data = {"name": "Avec script", "kind": "organization", "status": "client", "language": "fr"}
    if version is not None:
        data["version"] = version
    response = rep_client.post(reverse("contacts:update", args=[contact.pk]), data)
    assert response.status_code == 200
    assert "Rouvrez la fiche avant d’enregistrer" in response.content.decode()
    assert Contact.objects.get(pk=contact.pk).name == "Sans version"


@pytest.mark.django_db
def test_second_opportunity_save_is_refused(rep_client, manager_client, settings):
    if not settings.PROSPECTION_ENABLED:
        pytest.skip("prospection module is off (CRM_PROSPECTION=off)")
    from tests.prospection.factories import OpportunityFactory

    opportunity = OpportunityFactory(subject="Site web", success_percent=35)
    url = opportunity.get_absolute_url()
    mine = form_data(rep_client.get(url))
    theirs = form_data(manager_client.get(url))
    assert manager_client.post(url, {**theirs, "success_percent": 80}).status_code == 302
    response = rep_client.post(url, {**mine, "subject": "Site web et boutique"})
    assert CONFLICT in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.subject == "Site web" and opportunity.success_percent == 80
    history = response.content.decode()
    assert "Historique" in history
