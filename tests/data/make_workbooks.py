"""Write the .xlsx samples of tests/imports (committed; run again after changing this file).

    .venv/bin/python tests/data/make_workbooks.py

Cells are typed as a spreadsheet program types them: real dates and times,
numbers, a percentage cell holding 0.35, a phone number typed as a number.
"""

import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent


def save(name, header, rows, formats=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Feuil1"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cell_name, number_format in (formats or {}).items():
        sheet[cell_name].number_format = number_format
    workbook.properties.creator = "Relance tests"
    workbook.properties.created = workbook.properties.modified = datetime.datetime(2026, 1, 1)
    workbook.save(HERE / name)


def main():
    save("contacts_fr.xlsx",
         ["Référence externe", "Nom", "Statut", "Courriel", "Téléphone", "Ville", "Code postal", "Prénom",
          "Nom de famille", "Fonction"],
         [["X-1", "Fromagerie Côté", "Client", "info@fromagerie-cote.example", 4185550111, "Québec", "G1K 3A9",
           "Amélie", "Fortin", "Directrice"],
          ["X-2", "Garage Tremblay", "prospect", "garage@tremblay.example", "819-555-0122", "Sherbrooke", 12345,
           "Luc", "Bergeron", "Mécanicien"]])
    save("notes_fr.xlsx",
         ["Contact", "Date", "Heure", "Assigné à", "Type", "Description", "Fait", "Épinglé"],
         [["X-1", datetime.date(2026, 11, 28), datetime.time(14, 30), "rep", "Rendez-vous", "Dégustation", True, None],
          ["Garage Tremblay", datetime.datetime(2026, 12, 3), None, "rep", "Note", "Rappeler en décembre", False,
           "oui"]],
         formats={"B2": "DD/MM/YYYY", "B3": "DD/MM/YYYY"})
    save("opportunities_fr.xlsx",
         ["Contact", "Objet", "Étape", "Valeur", "% de succès", "Représentant", "Date de clôture prévue"],
         [["X-1", "Boutique en ligne", "Soumission envoyée", 12345.67, 0.35, "rep", datetime.date(2027, 1, 15)]],
         formats={"E2": "0%"})


if __name__ == "__main__":
    main()
