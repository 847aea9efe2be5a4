"""import_contacts: files as people have them, all-or-nothing, --dry-run, --update, vCards, round trip."""

import pytest
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from contacts.models import Contact, ContactPerson
from crm.importing.engine import Importer
from crm.text import fold
from tests.factories import ContactFactory, ContactPersonFactory
from tests.imports.conftest import DATA, run_import

pytestmark = pytest.mark.django_db

CONTACT_FIELDS = ["external_ref", "name", "kind", "status", "email", "phone", "website", "street", "city", "region",
                  "postal_code", "country", "language", "description", "account_manager_id", "search_text"]
PERSON_FIELDS = ["first_name", "last_name", "role", "email", "phone", "is_primary"]


def snapshot(*, with_ids=True) -> list:
    """Every contact's values and its people's, to compare the database before and after."""
    rows = []
    for contact in Contact.objects.order_by("external_ref", "name", "email"):
        values = [getattr(contact, field) for field in CONTACT_FIELDS]
        if with_ids:
            values += [contact.pk, contact.updated_at]
        people = sorted(tuple(getattr(person, field) for field in PERSON_FIELDS) for person in contact.people.all())
        rows.append((tuple(values), tuple(people)))
    return rows


def people_of(contact) -> list[tuple]:
    return [(person.first_name, person.last_name, person.is_primary) for person in contact.people.order_by("pk")]


# Files as people really have them -------------------------------------------------


def test_utf8_with_bom_comma_english_headers_and_a_quoted_line_break():
    run = run_import("import_contacts", DATA / "contacts_utf8_bom_comma.csv")
    cafe = Contact.objects.get(external_ref="CRM-1")
    assert cafe.name == "Café Québec"
    assert cafe.status == "client"
    assert cafe.description == "Deux lignes\r\net une virgule, ici"
    assert Contact.objects.get(external_ref="CRM-3").kind == "individual"
    assert Contact.objects.count() == 3
    assert "3" in run.stdout


def test_utf8_semicolon_french_headers_people_on_several_rows():
    run_import("import_contacts", DATA / "contacts_utf8_semicolon_fr.csv")
    bakery = Contact.objects.get(external_ref="FR-1")
    assert bakery.status == "prospect"
    assert bakery.language == "fr"
    assert bakery.website == "https://www.boulangerie-saintroch.example"  # as the contact form does
    assert people_of(bakery) == [("Émilie", "Bouchard", True), ("Jean", "Côté", False)]
    assert ContactPerson.objects.get(last_name="Bouchard").phone == "418-555-0101 poste 101"
    assert Contact.objects.get(external_ref="FR-3").status == "inactive"
    assert Contact.objects.get(external_ref="FR-3").language == "en"
    assert ContactPerson.objects.count() == 3


def test_windows_1252_semicolon_french_with_accents():
    run_import("import_contacts", DATA / "contacts_cp1252_semicolon_fr.csv")
    assert Contact.objects.get(external_ref="W-1").name == "Pâtisserie Bélanger"
    assert Contact.objects.get(external_ref="W-3").name == "Œuvres d’art Ouellet"
    assert ContactPerson.objects.get(last_name="Émond").role == "Gérante — achats"


def test_tab_separated():
    run_import("import_contacts", DATA / "contacts_tab.tsv")
    consulting = Contact.objects.get(name="Maple Leaf Consulting")
    assert consulting.status == "prospect"
    assert consulting.people.get().role == "Partner, founder"


def test_xlsx_with_french_headers_and_numbers_typed_as_numbers():
    run_import("import_contacts", DATA / "contacts_fr.xlsx")
    cheese = Contact.objects.get(external_ref="X-1")
    assert cheese.phone == "4185550111"
    assert cheese.people.get().first_name == "Amélie"
    assert Contact.objects.get(external_ref="X-2").postal_code == "12345"


def test_encoding_and_delimiter_can_be_given(write_file):
    path = write_file("x.txt", "Nom|Ville\r\nCafé|Lévis\r\n", encoding="cp1252")
    run_import("import_contacts", path, encoding="cp1252", delimiter="|")
    assert Contact.objects.get().city == "Lévis"


def test_header_names_ignore_case_accents_and_spaces(write_file):
    path = write_file("x.csv", "NOM,  Téléphone ,COURRIEL,code_postal,Ville\r\nA,1,a@x.example,H2X,Montréal\r\n")
    run_import("import_contacts", path)
    contact = Contact.objects.get()
    assert (contact.phone, contact.email, contact.postal_code) == ("1", "a@x.example", "H2X")


def test_empty_lines_are_skipped_and_counted_as_rows(write_file):
    path = write_file("x.csv", "nom,courriel\r\nA,a@x.example\r\n\r\n,,\r\nB,pas-une-adresse\r\n")
    with pytest.raises(CommandError) as error:
        run_import("import_contacts", path)
    assert "Ligne 5" in str(error.value)


# All or nothing -------------------------------------------------------------------------


def test_a_bad_row_57_of_100_leaves_the_database_unchanged_and_names_row_57(write_file):
    ContactFactory(name="Déjà là", external_ref="OLD-1")
    before = snapshot()
    lines = ["Référence externe;Nom;Courriel"]
    for number in range(2, 101):
        email = "pas une adresse" if number == 57 else f"c{number}@x.example"
        lines.append(f"R-{number};Contact {number};{email}")
    path = write_file("x.csv", "\r\n".join(lines) + "\r\n")
    with pytest.raises(CommandError) as error:
        run_import("import_contacts", path)
    message = str(error.value)
    assert "Ligne 57, colonne « Courriel »" in message
    assert "1 erreur" in message
    assert "Ligne 56" not in message and "Ligne 58" not in message
    assert snapshot() == before


def test_a_bad_row_in_a_later_batch_still_writes_nothing(write_file, monkeypatch):
    monkeypatch.setattr(Importer, "batch_size", 10)
    lines = ["nom,courriel"] + [f"C{n},c{n}@x.example" for n in range(2, 60)] + ["Sans courriel valide,@"]
    with pytest.raises(CommandError, match="Ligne 60"):
        run_import("import_contacts", write_file("x.csv", "\r\n".join(lines)))
    assert not Contact.objects.exists()


def test_errors_list_the_first_50_then_how_many_more(write_file):
    lines = ["nom,statut"] + [f"C{n},peut-être" for n in range(2, 82)]
    with pytest.raises(CommandError) as error:
        run_import("import_contacts", write_file("x.csv", "\n".join(lines)))
    message = str(error.value)
    assert "80 erreurs" in message
    assert "Ligne 51," in message and "Ligne 52," not in message
    assert "et 30 autres erreurs" in message


def test_unknown_header_is_named_with_the_accepted_names(write_file):
    with pytest.raises(CommandError) as error:
        run_import("import_contacts", write_file("x.csv", "Nom;Fax;Courriel\r\nA;1;a@x.example\r\n"))
    message = str(error.value)
    assert "« Fax »" in message
    assert "courriel" in message and "e-mail" in message and "nom de famille" in message
    assert not Contact.objects.exists()


def test_the_same_column_twice(write_file):
    with pytest.raises(CommandError, match="« Nom » et « name »"):
        run_import("import_contacts", write_file("x.csv", "Nom,name\r\nA,B\r\n"))


def test_a_name_or_an_external_reference_column_is_needed(write_file):
    with pytest.raises(CommandError, match="nom"):
        run_import("import_contacts", write_file("x.csv", "Courriel\r\na@x.example\r\n"))


def test_a_value_under_no_header(write_file):
    with pytest.raises(CommandError, match="colonne 3"):
        run_import("import_contacts", write_file("x.csv", "Nom,Ville\r\nA,B,oups\r\n"))


@pytest.mark.parametrize("row, column, reason", [
    ("A;peut-être;;", "Statut", "statut"),
    ("A;;ftp://x.example;", "Site web", "http"),
    ("A;;;inconnu", "Gestionnaire de compte", "inconnu"),
    (f"{'x' * 201};;;", "Nom", "200"),
])
def test_each_bad_cell_says_its_row_column_and_why(write_file, row, column, reason, settings):
    settings.PROSPECTION_ENABLED = True  # the account manager column is the prospection module's
    path = write_file("x.csv", f"Nom;Statut;Site web;Gestionnaire de compte\r\n{row}\r\n")
    with pytest.raises(CommandError) as error:
        run_import("import_contacts", path)
    assert f"Ligne 2, colonne « {column} »" in str(error.value)
    assert reason in str(error.value)


def test_a_person_needs_a_last_name(write_file):
    path = write_file("x.csv", "Nom;Prénom;Nom de famille\r\nA;Jean;\r\n")
    with pytest.raises(CommandError, match="nom de famille"):
        run_import("import_contacts", path)


def test_a_contact_repeated_with_another_value(write_file):
    path = write_file("x.csv", "Référence externe;Nom;Ville;Prénom;Nom de famille\r\n"
                               "R-1;A;Québec;Jean;Côté\r\nR-1;A;Lévis;Anne;Roy\r\n")
    with pytest.raises(CommandError) as error:
        run_import("import_contacts", path)
    assert "Ligne 3, colonne « Ville »" in str(error.value)
    assert "ligne 2" in str(error.value)


def test_the_same_person_twice_for_a_contact(write_file):
    path = write_file("x.csv", "Nom;Courriel;Prénom;Nom de famille\r\nA;a@x.example;Jean;Côté\r\n"
                               "A;a@x.example;jean;cote\r\n")
    with pytest.raises(CommandError, match="Ligne 3"):
        run_import("import_contacts", path)


# --dry-run and --update --------------------------------------------------------------------


def test_dry_run_checks_and_counts_but_writes_nothing():
    run = run_import("import_contacts", DATA / "contacts_utf8_semicolon_fr.csv", dry_run=True)
    assert not Contact.objects.exists()
    assert "rien n’a été écrit" in run.stdout
    assert "Contacts — créés : 3, modifiés : 0, inchangés : 0" in run.stdout
    assert "Personnes — créées : 3" in run.stdout


def test_dry_run_still_reports_errors():
    ContactFactory(external_ref="FR-2", name="Atelier")
    with pytest.raises(CommandError, match="--update"):
        run_import("import_contacts", DATA / "contacts_utf8_semicolon_fr.csv", dry_run=True)


def test_without_update_an_existing_contact_is_an_error_that_says_to_use_update():
    run_import("import_contacts", DATA / "contacts_utf8_semicolon_fr.csv")
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run_import("import_contacts", DATA / "contacts_utf8_semicolon_fr.csv")
    assert "Ligne 2 : Le contact « Boulangerie Saint-Roch » existe déjà" in str(error.value)
    assert "--update" in str(error.value)
    assert snapshot() == before


@pytest.mark.parametrize("name", ["contacts_utf8_semicolon_fr.csv", "contacts_fr.xlsx", "contacts.vcf",
                                  "contacts_tab.tsv"])
def test_update_twice_gives_the_same_database(name):
    run_import("import_contacts", DATA / name, update=True)
    first = snapshot()
    run = run_import("import_contacts", DATA / name, update=True)
    assert snapshot() == first
    assert "créés : 0, modifiés : 0" in run.stdout
    assert "créées : 0, modifiées : 0" in run.stdout


def test_update_finds_by_external_reference_then_email_and_keeps_what_a_cell_leaves_empty(write_file):
    by_ref = ContactFactory(external_ref="R-1", name="Ancien nom", city="Québec", phone="1")
    by_email = ContactFactory(external_ref="", name="Par courriel", email="c@x.example", city="Lévis")
    path = write_file("x.csv", "Référence externe;Nom;Courriel;Ville;Téléphone\r\n"
                               "R-1;Nouveau nom;;;2\r\nR-2;Par courriel;c@x.example;;\r\n")
    run = run_import("import_contacts", path, update=True)
    by_ref.refresh_from_db()
    by_email.refresh_from_db()
    assert (by_ref.name, by_ref.city, by_ref.phone) == ("Nouveau nom", "Québec", "2")
    assert by_ref.search_text == by_ref.build_search_text()
    assert (by_email.external_ref, by_email.city) == ("R-2", "Lévis")
    assert Contact.objects.count() == 2
    assert "créés : 0, modifiés : 2" in run.stdout


def test_update_finds_an_email_whatever_its_case_in_the_database(write_file):
    stored = ContactFactory(external_ref="", name="Boulangerie", email="Info@Boulangerie.Example")
    path = write_file("x.csv", "nom,courriel,ville\r\nBoulangerie,info@boulangerie.example,Lévis\r\n")
    run = run_import("import_contacts", path, update=True)
    stored.refresh_from_db()
    assert (stored.city, stored.email) == ("Lévis", "info@boulangerie.example")
    assert Contact.objects.count() == 1
    assert "créés : 0, modifiés : 1" in run.stdout


def test_another_external_reference_is_another_contact_even_with_the_same_email(write_file):
    ContactFactory(external_ref="R-1", email="info@x.example")
    run_import("import_contacts", write_file("x.csv", "ref,nom,courriel\r\nR-2,Autre,info@x.example\r\n"),
               update=True)
    assert Contact.objects.count() == 2


def test_by_email_a_row_with_a_reference_finds_only_a_contact_without_one(write_file):
    ContactFactory(external_ref="R-9", email="info@x.example", name="Référencé")
    plain = ContactFactory(external_ref="", email="info@x.example", name="Sans référence")
    other = ContactFactory(external_ref="R-7", email="autre@x.example", name="Autre")
    path = write_file("x.csv", "ref,nom,courriel\r\nR-2,Sans référence,Info@x.example\r\n,Autre,autre@x.example\r\n")
    run = run_import("import_contacts", path, update=True)
    plain.refresh_from_db()
    assert plain.external_ref == "R-2"
    assert Contact.objects.count() == 3  # the row without a reference found "Autre" by its e-mail
    assert "créés : 0, modifiés : 1, inchangés : 1" in run.stdout
    assert plain.email == "Info@x.example"  # as the file spells it
    with pytest.raises(CommandError, match="2 contacts"):  # without a reference, both are candidates
        run_import("import_contacts", write_file("y.csv", "nom,courriel\r\nX,Info@x.example\r\n"), update=True)
    other.refresh_from_db()
    assert other.external_ref == "R-7"


def test_two_rows_that_find_the_same_existing_contact(write_file):
    ContactFactory(external_ref="", email="info@x.example", name="A")
    path = write_file("x.csv", "ref,nom,courriel\r\nR-1,A,info@x.example\r\nR-2,A,info@x.example\r\n")
    with pytest.raises(CommandError, match="Ligne 3.*ligne 2"):
        run_import("import_contacts", path, update=True)


def test_several_existing_contacts_with_the_email(write_file):
    ContactFactory(external_ref="", email="info@x.example")
    ContactFactory(external_ref="", email="info@x.example")
    with pytest.raises(CommandError, match="2 contacts"):
        run_import("import_contacts", write_file("x.csv", "nom,courriel\r\nA,info@x.example\r\n"), update=True)


def test_update_matches_people_by_email_or_name_and_adds_the_others(write_file):
    contact = ContactFactory(external_ref="R-1", name="A")
    emilie = ContactPersonFactory(contact=contact, first_name="Émilie", last_name="Bouchard", email="e@x.example",
                                  is_primary=True, role="")
    jean = ContactPersonFactory(contact=contact, first_name="Jean", last_name="Côté", email="", role="")
    path = write_file("x.csv", "ref;prénom;nom de famille;fonction;courriel personne\r\n"
                               "R-1;Emilie;Bouchard-Roy;Présidente;E@X.example\r\n"
                               "R-1;jean;cote;Gérant;\r\n"
                               "R-1;Anne;Roy;;anne@x.example\r\n")
    run = run_import("import_contacts", path, update=True)
    emilie.refresh_from_db()
    jean.refresh_from_db()
    assert (emilie.last_name, emilie.role, emilie.is_primary) == ("Bouchard-Roy", "Présidente", True)
    assert jean.role == "Gérant"
    assert contact.people.count() == 3
    assert not contact.people.get(last_name="Roy").is_primary
    contact.refresh_from_db()
    assert "anne@x.example" in contact.search_text and "bouchard-roy" in contact.search_text
    assert "Personnes — créées : 1, modifiées : 2, inchangées : 0" in run.stdout


def test_a_primary_column_moves_the_flag(write_file):
    contact = ContactFactory(external_ref="R-1", name="A")
    old = ContactPersonFactory(contact=contact, last_name="Ancien", is_primary=True)
    path = write_file("x.csv", "ref;prénom;nom de famille;personne principale\r\nR-1;Anne;Nouvelle;oui\r\n")
    run_import("import_contacts", path, update=True)
    old.refresh_from_db()
    assert not old.is_primary
    assert contact.people.get(last_name="Nouvelle").is_primary


def test_two_primary_people_for_one_contact(write_file):
    path = write_file("x.csv", "ref;nom;nom de famille;principal\r\nR-1;A;B;oui\r\nR-1;A;C;oui\r\n")
    with pytest.raises(CommandError, match="Ligne 3"):
        run_import("import_contacts", path)


def test_a_contact_whose_rows_are_far_apart_gets_all_its_people_and_search_text(write_file, monkeypatch):
    monkeypatch.setattr(Importer, "batch_size", 3)
    lines = ["ref;nom;prénom;nom de famille"]
    lines += [f"R-{n};Contact {n};P{n};Personne" for n in range(1, 9)]
    lines += ["R-1;Contact 1;Zoé;Lointaine", "R-2;;Yves;Éloigné"]
    run_import("import_contacts", write_file("x.csv", "\r\n".join(lines)))
    first = Contact.objects.get(external_ref="R-1")
    assert people_of(first) == [("P1", "Personne", True), ("Zoé", "Lointaine", False)]
    assert first.search_text == first.build_search_text()
    assert "zoe lointaine" in first.search_text
    second = Contact.objects.get(external_ref="R-2")
    assert second.search_text == second.build_search_text()
    assert "eloigne" in second.search_text


def test_search_text_is_the_one_the_model_builds():
    run_import("import_contacts", DATA / "contacts_utf8_semicolon_fr.csv")
    for contact in Contact.objects.all():
        assert contact.search_text == contact.build_search_text()
    assert Contact.objects.filter(search_text__contains=fold("Côté")).count() == 1


# vCard ----------------------------------------------------------------------------------------


def test_vcard_with_several_cards_people_and_non_ascii_names():
    run_import("import_contacts", DATA / "contacts.vcf")
    bakery = Contact.objects.get(name="Boulangerie Saint-Roch")
    assert bakery.kind == "organization"
    assert (bakery.street, bakery.city, bakery.postal_code) == ("12, rue Saint-Joseph Est", "Québec", "G1K 3A9")
    assert people_of(bakery) == [("Émilie", "Bouchard", True), ("Jean", "Côté", False)]
    assert bakery.people.get(last_name="Bouchard").role == "Propriétaire"
    person = Contact.objects.get(name="Geneviève Roy-Lefèbvre")
    assert person.kind == "individual"
    assert person.phone == "+1-450-555-0107"
    assert person.description == "Rencontrée au salon, intéressée par\nle site web."
    assert person.external_ref == "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    danish = Contact.objects.get(name="Nordisk Design ApS")
    assert people_of(danish) == [("Søren", "Østergaard", True)]
    assert "soren ostergaard" in danish.search_text


def test_vcard_only_for_contacts():
    with pytest.raises(CommandError, match="vCard"):
        run_import("import_notes", DATA / "contacts.vcf")


# Formulas, export round trip ---------------------------------------------------------------------


def test_formula_looking_text_is_stored_as_text_and_neutralised_on_export(write_file, rep_client, settings):
    settings.PROSPECTION_ENABLED = True  # the export's last column is then the account manager
    path = write_file("x.csv", "nom,description,téléphone\r\n=1+1,'=SOMME(A1:A9),'+1 514 555-0101\r\n"
                               "'Allo,@mention,-5\r\n")
    run_import("import_contacts", path)
    formula = Contact.objects.get(name="=1+1")
    assert formula.description == "=SOMME(A1:A9)"
    assert formula.phone == "+1 514 555-0101"
    allo = Contact.objects.get(name="'Allo")
    assert (allo.description, allo.phone) == ("@mention", "-5")
    content = b"".join(rep_client.get(reverse("contacts:export")).streaming_content).decode("utf-8")
    # French: « ; », French values; a phone number is written as it is (nothing can run in it).
    assert ";'=1+1;Organisation;Prospect;;+1 514 555-0101;" in content
    assert ";'=SOMME(A1:A9);" in content and ";'@mention;" in content


def test_export_then_import_gives_the_same_contacts(rep_client, rep, write_file, settings):
    # With the account manager (prospection); the round trip with the module off is in
    # tests/prospection/test_module_off_account_manager.py.
    settings.PROSPECTION_ENABLED = True
    ContactFactory(name="Café Québec", external_ref="CRM-9", status="client", kind="organization",
                   email="cafe@quebec.example", phone="+1 418-555-0199", website="https://cafe.example",
                   street="12, rue Saint-Jean\napp. 3", city="Québec", region="QC", postal_code="G1R 1N8",
                   country="Canada", language="en", description="Deux lignes\net une virgule, ici",
                   account_manager=rep)
    ContactFactory(name="=HYPERLINK(\"http://x\")", external_ref="", email="", phone="-5", description="@x",
                   status="inactive", kind="individual")
    ContactFactory(name="Œuvres d’art « Ouellet »", external_ref="", email="oeuvres@x.example", city="")
    before = snapshot(with_ids=False)
    response = rep_client.get(reverse("contacts:export"))
    assert response.status_code == 200
    exported = write_file("export.csv", b"".join(response.streaming_content))

    run = run_import("import_contacts", exported, update=True)
    assert "créés : 0, modifiés : 0, inchangés : 3" in run.stdout
    assert snapshot(with_ids=False) == before

    Contact.objects.all().delete()
    run_import("import_contacts", exported)
    assert snapshot(with_ids=False) == before


# Language, progress, summary -----------------------------------------------------------------------


def test_messages_are_in_french_by_default(write_file):
    with pytest.raises(CommandError) as error:
        run_import("import_contacts", write_file("x.csv", "Nom;Courriel\r\nA;pas-une-adresse\r\n"))
    assert "L’importation est annulée, rien n’a été écrit : 1 erreur." in str(error.value)
    assert "Ligne 2, colonne « Courriel » : Saisissez une adresse de courriel valide." in str(error.value)


@override_settings(LANGUAGE_CODE="en")
def test_messages_are_in_english_when_the_site_is(write_file):
    with translation.override("en"):
        with pytest.raises(CommandError) as error:
            run_import("import_contacts", write_file("x.csv", "Nom;Courriel\r\nA;pas-une-adresse\r\n"))
        assert "The import was cancelled, nothing was written: 1 error." in str(error.value)
        assert "Row 2, column “Courriel”: Enter a valid email address." in str(error.value)
        run = run_import("import_contacts", DATA / "contacts_tab.tsv")
    assert "Contacts — created: 2, updated: 0, unchanged: 0." in run.stdout


def test_summary_counts_and_time_taken_and_no_progress_bar_when_not_a_terminal():
    run = run_import("import_contacts", DATA / "contacts_utf8_semicolon_fr.csv")
    assert "Contacts — créés : 3, modifiés : 0, inchangés : 0." in run.stdout
    assert "Personnes — créées : 3, modifiées : 0, inchangées : 0." in run.stdout
    assert "4 lignes importées en " in run.stdout
    assert run.stderr == ""


def test_progress_bar_on_a_terminal():
    from django.core.management.base import OutputWrapper

    from crm.importing.engine import Progress

    class Terminal:
        def __init__(self):
            self.text = ""

        def write(self, text):
            self.text += text

        def flush(self):
            pass

        def isatty(self):
            return True

    terminal = Terminal()
    progress = Progress(OutputWrapper(terminal))
    progress.start("Vérification")
    progress.update(0.5, force=True)
    progress.done()
    assert "\rVérification [" in terminal.text and " 50 %" in terminal.text and "100 %" in terminal.text
    assert terminal.text.endswith("\n")


def test_a_missing_file():
    with pytest.raises(CommandError, match="Aucun fichier"):
        run_import("import_contacts", DATA / "nope.csv")


def test_an_update_bumps_the_version_so_an_open_form_cannot_overwrite_it(write_file):
    from crm.importing.bulk_sql import is_versioned

    assert is_versioned(Contact)  # the import's bulk writer bumps versions only of versioned models
    contact = ContactFactory(external_ref="R-1", city="Québec")
    version = contact.version
    run_import("import_contacts", write_file("x.csv", "ref,ville\r\nR-1,Lévis\r\n"), update=True)
    contact.refresh_from_db()
    assert contact.version == version + 1
    run_import("import_contacts", write_file("y.csv", "ref,ville\r\nR-1,Lévis\r\n"), update=True)
    contact.refresh_from_db()
    assert contact.version == version + 1  # nothing changed, nothing bumped


def test_a_database_refusal_while_writing_rolls_everything_back(monkeypatch):
    from django.db import IntegrityError

    from crm.importing import bulk_sql

    real_insert = bulk_sql.insert

    def insert_then_fail(model, objects, **options):
        real_insert(model, objects, **options)
        if model is ContactPerson:
            raise IntegrityError("contactperson_one_primary")

    monkeypatch.setattr(bulk_sql, "insert", insert_then_fail)
    with pytest.raises(CommandError, match="La base de données a refusé l’importation, rien n’a été écrit"):
        run_import("import_contacts", DATA / "contacts_utf8_semicolon_fr.csv")
    assert not Contact.objects.exists()


def test_the_help_is_in_the_sites_language():
    from contacts.management.commands.import_contacts import Command

    text = Command().create_parser("manage.py", "import_contacts").format_help()
    assert "Chaque ligne est vérifiée d’abord" in text
    assert "--dry-run" in text and "sans rien écrire" in text


def test_without_a_reference_name_and_email_make_one_contact_with_several_people(write_file):
    path = write_file("x.csv", "Nom;Courriel;Prénom;Nom de famille\r\n"
                               "Studio Pixel;bonjour@pixel.example;Amélie;Fortin\r\n"
                               "Studio Pixel;BONJOUR@pixel.example;Kevin;Nguyen\r\n"
                               "Studio Pixel;autre@pixel.example;Luc;Roy\r\n")
    with pytest.raises(CommandError, match="Ligne 3, colonne « Courriel »"):
        run_import("import_contacts", path)  # the same contact, but its e-mail spelt otherwise
    path = write_file("y.csv", "Nom;Courriel;Prénom;Nom de famille\r\n"
                               "Studio Pixel;bonjour@pixel.example;Amélie;Fortin\r\n"
                               "Studio Pixel;bonjour@pixel.example;Kevin;Nguyen\r\n"
                               "Studio Pixel;autre@pixel.example;Luc;Roy\r\n")
    run_import("import_contacts", path)
    studio = Contact.objects.get(email="bonjour@pixel.example")
    assert people_of(studio) == [("Amélie", "Fortin", True), ("Kevin", "Nguyen", False)]
    assert Contact.objects.get(email="autre@pixel.example").people.get().last_name == "Roy"
