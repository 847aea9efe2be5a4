import csv
import io
import json
import zipfile

from django.urls import reverse

from crm.models import AuditEntry
from notes.models import Note
from tests.factories import NoteFactory, UserFactory
from tests.privacy.conftest import MARKER


def archive(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_export_holds_the_file_people_notes_and_history(marked_contact, manager_client, manager):
    assert manager_client.get(reverse("privacy:contact_export", args=[marked_contact.pk])).status_code == 200
    zipped = archive(manager_client.post(reverse("privacy:contact_export", args=[marked_contact.pk])))
    assert set(zipped.namelist()) == {"data.json", "contact.vcf", "notes.csv"}
    data = json.loads(zipped.read("data.json"))
    assert data["contact"]["name"] == marked_contact.name
    assert {person["last_name"] for person in data["people"]} == {MARKER}
    descriptions = {note["description"] for note in data["notes"]}
    assert descriptions == {f"Appel {MARKER}", f"Secret {MARKER}"}  # a manager may see admin-only notes
    assert len(data["history"]["contact"]) == 2
    assert any(row["description"] == f"Ancienne {MARKER}" for row in data["history"]["notes"])
    assert data["labels"]["contact"]["name"] == {"en": "name", "fr": "nom"}
    vcard = zipped.read("contact.vcf").decode()
    assert "BEGIN:VCARD" in vcard and f"N:{MARKER};Émile;;;" in vcard
    rows = list(csv.reader(io.StringIO(zipped.read("notes.csv").decode("utf-8-sig"))))
    assert rows[0][3] == "description / description" and rows[0][0] == "date / date"
    assert len(rows) == 3
    entry = AuditEntry.objects.get(action="export")
    assert (entry.user, entry.kind, entry.count) == (manager, "contact", 1)
    assert MARKER not in json.dumps(entry.details)


def test_admin_only_notes_are_exported_only_to_those_allowed(marked_contact, rep):
    from privacy.export import contact_data

    exporter = UserFactory(username="exporter", groups=["Sales reps"])
    data, notes = contact_data(marked_contact, exporter)
    texts = json.dumps(data, ensure_ascii=False)
    assert f"Secret {MARKER}" not in texts
    assert f"Appel {MARKER}" in texts
    assert [note["description"] for note in notes] == [f"Appel {MARKER}"]
    visible = set(Note.objects.visible_to(exporter).filter(contact=marked_contact).values_list("description", flat=True))
    assert {note["description"] for note in data["notes"]} == visible


def test_the_person_export_holds_the_person_and_notes_naming_them(marked_contact, manager_client, rep):
    person = marked_contact.people.get(last_name=MARKER)
    NoteFactory(contact=marked_contact, assigned_to=rep, description=f"Parlé à Émile {MARKER} hier")
    zipped = archive(manager_client.post(reverse("privacy:person_export", args=[marked_contact.pk, person.pk])))
    data = json.loads(zipped.read("data.json"))
    assert data["person"]["email"] == "emile@marqueur.example"
    assert [note["description"] for note in data["notes"]] == [f"Parlé à Émile {MARKER} hier"]
    assert len(data["history"]["person"]) == 2
    assert AuditEntry.objects.filter(action="export", kind="person").count() == 1


def test_export_is_a_post_and_a_get_records_nothing(marked_contact, manager_client):
    manager_client.get(reverse("privacy:contact_export", args=[marked_contact.pk]))
    assert not AuditEntry.objects.exists()


def test_the_export_costs_the_same_queries_with_few_or_many_notes(marked_contact, manager_client, rep):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("privacy:contact_export", args=[marked_contact.pk])
    with CaptureQueriesContext(connection) as few:
        assert manager_client.post(url).status_code == 200
    for number in range(30):
        NoteFactory(contact=marked_contact, assigned_to=UserFactory(), description=f"n{number}")
    with CaptureQueriesContext(connection) as many:
        assert manager_client.post(url).status_code == 200
    assert len(many) == len(few)
