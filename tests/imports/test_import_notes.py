"""import_notes: notes on existing contacts, by external reference or exact name."""

import datetime

import pytest
from django.core.management.base import CommandError

from notes.models import Note, NoteType
from tests.factories import ContactFactory, NoteFactory
from tests.imports.conftest import DATA, run_import

pytestmark = pytest.mark.django_db

NOTE_FIELDS = ["contact_id", "date", "time", "assigned_to_id", "type_id", "description", "is_done", "is_pinned",
               "admin_only", "done_at", "updated_at", "pk"]


@pytest.fixture
def contacts(db):
    return {
        "bakery": ContactFactory(external_ref="FR-1", name="Boulangerie Saint-Roch"),
        "workshop": ContactFactory(external_ref="FR-2", name="Atelier Lavoie & Fils"),
        "cheese": ContactFactory(external_ref="X-1", name="Fromagerie Côté"),
        "garage": ContactFactory(external_ref="X-2", name="Garage Tremblay"),
    }


def snapshot():
    return [tuple(getattr(note, field) for field in NOTE_FIELDS) for note in Note.objects.order_by("pk")]


def test_french_csv_with_types_users_and_flags_in_both_languages(contacts, rep, manager):
    run = run_import("import_notes", DATA / "notes_fr.csv")
    meeting = Note.objects.get(contact=contacts["bakery"], date=datetime.date(2026, 11, 28))
    assert meeting.description == "Rencontre avec Émilie\npour la soumission"
    assert meeting.time == datetime.time(14, 30)
    assert meeting.assigned_to == rep
    assert meeting.type.label_en == "Meeting"
    assert (meeting.is_done, meeting.is_pinned, meeting.admin_only) == (False, True, False)
    assert meeting.done_at is None
    call = Note.objects.get(contact=contacts["workshop"])
    assert call.assigned_to == manager  # named by e-mail
    assert call.type.label_fr == "Appel téléphonique"  # named by its English label
    assert call.is_done and call.done_at is not None
    task = Note.objects.get(description="Envoyer la soumission")
    assert task.type.label_fr == "Tâche"  # "tâche": any case
    assert task.admin_only
    assert "Notes — créées : 3, modifiées : 0, inchangées : 0." in run.stdout


def test_xlsx_with_french_headers_and_a_date_column(contacts, rep):
    run_import("import_notes", DATA / "notes_fr.xlsx")
    tasting = Note.objects.get(contact=contacts["cheese"])
    assert (tasting.date, tasting.time) == (datetime.date(2026, 11, 28), datetime.time(14, 30))
    assert tasting.is_done
    reminder = Note.objects.get(contact=contacts["garage"])
    assert reminder.date == datetime.date(2026, 12, 3)
    assert reminder.is_pinned and not reminder.is_done


def test_without_a_type_column_the_default_type_is_used(contacts, rep, write_file):
    run_import("import_notes", write_file("x.csv", "contact,date,assigned to,text\r\nFR-1,2026-11-28,rep,Bonjour\r\n"))
    assert Note.objects.get().type == NoteType.objects.filter(is_active=True).order_by("order").first()


@pytest.mark.parametrize("row, column, reason", [
    ("Inconnu;2026-11-28;rep;Note;x", "Contact", "Aucun contact"),
    ("FR-1;2026-11-28;personne;Note;x", "Assigné à", "Aucun utilisateur"),
    ("FR-1;2026-11-28;rep;Visioconférence;x", "Type", "n’est pas un type de note"),
    ("FR-1;31/02/2026;rep;Note;x", "Date", "n’est pas une date"),
    ("FR-1;;rep;Note;x", "Date", "obligatoire"),
])
def test_missing_references_are_errors_not_skipped(contacts, rep, write_file, row, column, reason):
    path = write_file("x.csv", f"Contact;Date;Assigné à;Type;Description\r\nFR-2;2026-11-01;rep;Note;ok\r\n{row}\r\n")
    with pytest.raises(CommandError) as error:
        run_import("import_notes", path)
    assert f"Ligne 3, colonne « {column} »" in str(error.value)
    assert reason in str(error.value)
    assert not Note.objects.exists()


def test_an_unknown_type_lists_the_types(contacts, rep, write_file):
    path = write_file("x.csv", "Contact;Date;Assigné à;Type;Description\r\nFR-1;2026-11-01;rep;Visite;x\r\n")
    with pytest.raises(CommandError, match="Valeurs acceptées : Note, Rendez-vous, Appel téléphonique,"):
        run_import("import_notes", path)


def test_a_name_shared_by_two_contacts_is_ambiguous(contacts, rep, write_file):
    ContactFactory(name="Boulangerie Saint-Roch", external_ref="FR-9")
    path = write_file("x.csv", "Contact;Date;Assigné à;Description\r\nBoulangerie Saint-Roch;2026-11-01;rep;x\r\n")
    with pytest.raises(CommandError, match="2 contacts s’appellent"):
        run_import("import_notes", path)


def test_required_columns(contacts, write_file):
    with pytest.raises(CommandError, match="La colonne « assigné à » manque"):
        run_import("import_notes", write_file("x.csv", "Contact;Date;Description\r\nFR-1;2026-11-01;x\r\n"))


def test_dry_run_writes_nothing(contacts, rep, manager):
    run = run_import("import_notes", DATA / "notes_fr.csv", dry_run=True)
    assert not Note.objects.exists()
    assert "Notes — créées : 3" in run.stdout


def test_running_twice_without_update_is_an_error_and_with_update_changes_nothing(contacts, rep, manager):
    run_import("import_notes", DATA / "notes_fr.csv")
    first = snapshot()
    with pytest.raises(CommandError, match="--update"):
        run_import("import_notes", DATA / "notes_fr.csv")
    run = run_import("import_notes", DATA / "notes_fr.csv", update=True)
    assert snapshot() == first
    assert "Notes — créées : 0, modifiées : 0, inchangées : 3." in run.stdout


def test_update_changes_the_other_columns_of_the_same_note(contacts, rep, manager, write_file):
    note = NoteFactory(contact=contacts["bakery"], date=datetime.date(2026, 11, 28), description="Appel",
                       assigned_to=rep, is_done=False)
    path = write_file("x.csv", "contact;date;assigné à;description;fait\r\nFR-1;28/11/2026;manager;Appel;oui\r\n")
    run_import("import_notes", path, update=True)
    note.refresh_from_db()
    assert note.assigned_to == manager
    assert note.is_done and note.done_at is not None
    assert Note.objects.count() == 1


def test_the_same_note_twice_in_a_file(contacts, rep, write_file):
    path = write_file("x.csv", "contact;date;assigné à;description\r\nFR-1;2026-11-28;rep;x\r\nFR-1;28/11/2026;rep;x\r\n")
    with pytest.raises(CommandError, match="Ligne 3 : La même note"):
        run_import("import_notes", path)
