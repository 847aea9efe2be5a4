"""Demo contacts of every status, with people (bilingual, Québec flavoured)."""

import re

from contacts.models import Contact, ContactPerson
from crm.text import fold

CONTACTS = [
    # (ref, name, kind, status, city, language, email, phone, website, people)
    ("demo-1", "Boulangerie Saint-Roch", "organization", "prospect", "Québec", "fr",
     "info@boulangerie-saintroch.example", "418-555-0101", "https://boulangerie-saintroch.example",
     [("Émilie", "Bouchard", "Propriétaire", True), ("Jean", "Côté", "Gérant")]),
    ("demo-2", "Atelier Lavoie & Fils", "organization", "client", "Montréal", "fr",
     "contact@atelierlavoie.example", "514-555-0102", "https://atelierlavoie.example",
     [("Pierre", "Lavoie", "Président", True), ("Sophie", "Lavoie", "Comptable")]),
    ("demo-3", "Northwind Logistics", "organization", "prospect", "Toronto", "en",
     "hello@northwind.example", "416-555-0103", "https://northwind.example",
     [("Sarah", "Miller", "Operations manager", True)]),
    ("demo-4", "Clinique dentaire du Plateau", "organization", "client", "Montréal", "fr",
     "accueil@clinique-plateau.example", "514-555-0104", "",
     [("Nadia", "Haddad", "Dentiste", True), ("Marc", "Ouellet", "Adjoint")]),
    ("demo-5", "Maple Leaf Consulting", "organization", "client", "Ottawa", "en",
     "team@mapleleafconsulting.example", "613-555-0105", "https://mapleleafconsulting.example",
     [("David", "Chen", "Partner", True)]),
    ("demo-6", "Ferme Bio des Cantons", "organization", "prospect", "Sherbrooke", "fr",
     "ferme@biocantons.example", "819-555-0106", "",
     [("Luc", "Bergeron", "Agriculteur", True)]),
    ("demo-7", "Geneviève Roy", "individual", "prospect", "Laval", "fr",
     "genevieve.roy@courriel.example", "450-555-0107", "", []),
    ("demo-8", "Harbour Fitness", "organization", "inactive", "Halifax", "en",
     "info@harbourfitness.example", "902-555-0108", "https://harbourfitness.example",
     [("Emma", "Walsh", "Owner", True)]),
    ("demo-9", "Imprimerie Gagné", "organization", "inactive", "Trois-Rivières", "fr",
     "imprimerie@gagne.example", "819-555-0109", "", [("Réjean", "Gagné", "Directeur", True)]),
    ("demo-10", "Studio Pixel Nord", "organization", "prospect", "Gatineau", "fr",
     "bonjour@pixelnord.example", "819-555-0110", "https://pixelnord.example",
     [("Amélie", "Fortin", "Directrice artistique", True), ("Kevin", "Nguyen", "Développeur")]),
]


def demo_email(first: str, last: str) -> str:
    """émilie, Côté → emilie.cote@example.com (ASCII, so it is a valid address)."""
    local = ".".join(re.sub(r"[^a-z0-9]+", "", fold(part)) for part in (first, last))
    return f"{local}@example.com"


def seed(*, users) -> int:
    """Create the demo contacts once (matched by external_ref); returns how many were new."""
    created_count = 0
    for ref, name, kind, status, city, language, email, phone, website, people in CONTACTS:
        contact, created = Contact.objects.get_or_create(
            external_ref=ref,
            defaults={
                "name": name, "kind": kind, "status": status, "city": city,
                "region": "ON" if city in {"Toronto", "Ottawa"} else ("NS" if city == "Halifax" else "QC"),
                "country": "Canada", "language": language, "email": email, "phone": phone,
                "website": website, "created_by": users.rep,
                "account_manager": users.rep if status != "inactive" else users.manager,
            },
        )
        if not created:
            continue
        created_count += 1
        for number, (first, last, role, *primary) in enumerate(people, start=1):
            ContactPerson.objects.create(
                contact=contact, first_name=first, last_name=last, role=role,
                email=demo_email(first, last),
                phone=f"{phone}, poste {100 + number}" if language == "fr" else f"{phone} ext. {100 + number}",
                is_primary=bool(primary),
            )
    return created_count
