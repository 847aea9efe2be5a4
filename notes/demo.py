"""Demo notes of every kind and state on the demo contacts."""

import datetime

from django.utils import timezone

from contacts.models import Contact
from notes.models import Note, NoteType

# (contact ref, days from today, hour or None, done, pinned, admin only, type (English label), assignee, text)
NOTES = [
    ("demo-1", -20, 10, True, False, False, "Meeting", "rep",
     "Premier rendez-vous : présentation de nos services.\nIntéressés par un nouveau site Web."),
    ("demo-1", -3, None, False, False, False, "Phone call", "rep", "Rappeler Émilie pour la soumission (en retard)."),
    ("demo-1", 5, 14, False, True, False, "Meeting", "rep", "Rencontre pour présenter la maquette du site."),
    ("demo-2", -60, None, True, True, False, "Note", "rep",
     "Accès FTP : voir la fiche technique https://atelierlavoie.example/technique"),
    ("demo-2", -1, 9, False, False, False, "E-mail sent", "rep", "Envoyer la facture du mois (en retard)."),
    ("demo-2", 0, 15, False, False, False, "Phone call", "rep", "Appeler Pierre : renouvellement du contrat."),
    ("demo-2", 0, None, True, False, True, "Note", "manager",
     "Marge négociée de 12 % sur le contrat — confidentiel."),
    ("demo-3", -10, 11, True, False, False, "Phone call", "rep", "Call with Sarah: they need a logistics portal."),
    ("demo-3", 3, 10, False, False, False, "E-mail sent", "rep", "Send the proposal for the logistics portal."),
    ("demo-4", -30, None, True, False, False, "Meeting", "manager", "Visite de la clinique, très satisfaits."),
    ("demo-4", 14, None, False, False, False, "Task", "manager", "Préparer le renouvellement annuel."),
    ("demo-5", -5, 16, True, False, False, "Quote sent", "rep", "Quote sent for the consulting portal, $18,000."),
    ("demo-5", 7, None, False, False, False, "Phone call", "rep", "Follow up on the quote."),
    ("demo-6", -2, None, False, True, False, "Task", "rep", "Envoyer la documentation sur la boutique en ligne."),
    ("demo-7", 2, 13, False, False, False, "Phone call", "rep", "Rappeler Geneviève pour son projet personnel."),
    ("demo-10", -15, None, True, False, False, "Meeting", "rep",
     "Rencontre au salon : Studio Pixel cherche un partenaire d’hébergement."),
    ("demo-10", 1, 10, False, False, True, "Note", "manager", "Vérifier la solvabilité avant de proposer un crédit."),
]


def seed(*, users) -> int:
    if Note.objects.filter(contact__external_ref__startswith="demo-").exists():
        return 0
    contacts = {contact.external_ref: contact for contact in Contact.objects.filter(external_ref__startswith="demo-")}
    types = {note_type.label_en: note_type for note_type in NoteType.objects.all()}
    today = timezone.localdate()
    notes = []
    for ref, days, hour, done, pinned, admin_only, type_label, who, text in NOTES:
        assignee = getattr(users, who)
        notes.append(Note(
            contact=contacts[ref], assigned_to=assignee, created_by=assignee,
            date=today + datetime.timedelta(days=days),
            time=datetime.time(hour, 0) if hour is not None else None,
            is_done=done, done_at=timezone.now() if done else None,
            is_pinned=pinned, admin_only=admin_only, type=types[type_label], description=text,
        ))
    Note.objects.bulk_create(notes)
    return len(notes)
