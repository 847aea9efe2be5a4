"""Write a big contacts file for timing import_contacts (not used by the tests).

    .venv/bin/python bench/make_import_sample.py /tmp/contacts-100k.csv --contacts 100000

Half the contacts have one person, half two (100,000 contacts → 150,000 people
on 150,000 rows); a contact's second row repeats its values, as a spreadsheet
export does. French headers, semicolons, UTF-8 with accents, some quoted
descriptions with line breaks and commas.
"""

import argparse
import csv
import random

HEADER = [
    "Référence externe", "Nom", "Type", "Statut", "Courriel", "Téléphone", "Site web", "Adresse", "Ville",
    "Province", "Code postal", "Pays", "Langue", "Description",
    "Prénom", "Nom de famille", "Fonction", "Courriel personne", "Téléphone personne",
]
CITIES = [("Montréal", "QC", "H2X 1Y4"), ("Québec", "QC", "G1K 3A9"), ("Trois-Rivières", "QC", "G9A 5H3"),
          ("Toronto", "ON", "M5V 2T6"), ("Gatineau", "QC", "J8X 3X7"), ("Sherbrooke", "QC", "J1H 1Z1")]
WORDS = ["Boulangerie", "Atelier", "Clinique", "Studio", "Ferme", "Imprimerie", "Garage", "Café", "Librairie",
         "Pâtisserie", "Quincaillerie", "Fromagerie"]
NAMES = ["Saint-Roch", "Lavoie", "Côté", "Gagné", "Bouchard", "Tremblay", "Fortin", "Bélanger", "Lévesque",
         "Émond", "Ouellet", "Nguyen"]
FIRST = ["Émilie", "Jean", "Sophie", "Marc", "Nadia", "Luc", "Amélie", "Kevin", "Réjean", "Geneviève",
         "François", "Chloé"]
STATUS = ["Prospect", "Client", "Inactif"]


def rows(count: int, rng: random.Random):
    for number in range(1, count + 1):
        city, region, postal = rng.choice(CITIES)
        name = f"{rng.choice(WORDS)} {rng.choice(NAMES)} {number}"
        slug = f"entreprise{number}"
        description = "" if number % 3 else f"Client depuis {2000 + number % 25}, très fidèle;\nà rappeler, merci"
        contact = [
            f"EXT-{number:06d}", name, "Organisation", rng.choice(STATUS), f"info@{slug}.example",
            f"514 555-{number % 10000:04d}", f"https://{slug}.example", f"{number % 999 + 1}, rue Principale",
            city, region, postal, "Canada", "fr", description,
        ]
        for person in range(1 if number % 2 else 2):
            first, last = rng.choice(FIRST), rng.choice(NAMES)
            yield contact + [first, last, "Directrice" if person else "Propriétaire",
                             f"p{person}.{slug}@example.com", f"514 555-{number % 10000:04d} poste {person + 10}"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    with open(options.path, "w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows(options.contacts, rng))


if __name__ == "__main__":
    main()
