"""import_opportunities: skipped when the prospection module is off."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management.base import CommandError

from tests.factories import ContactFactory, ContactPersonFactory, UserFactory
from tests.imports.conftest import DATA, run_import

pytestmark = [
    pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)"),
    pytest.mark.django_db,
]


@pytest.fixture
def contacts(db):
    bakery = ContactFactory(external_ref="FR-1", name="Boulangerie Saint-Roch")
    ContactPersonFactory(contact=bakery, first_name="Émilie", last_name="Bouchard",
                         email="emilie@boulangerie-saintroch.example")
    return {
        "bakery": bakery,
        "workshop": ContactFactory(external_ref="FR-2", name="Atelier Lavoie & Fils"),
        "cheese": ContactFactory(external_ref="X-1", name="Fromagerie Côté"),
    }


def opportunities():
    from prospection.models import Opportunity

    return Opportunity.objects


def snapshot():
    fields = ["pk", "contact_id", "subject", "product_id", "stage_id", "category_id", "contact_person_id", "value",
              "purchase_costs", "success_percent", "representative_id", "expected_close_date", "updated_at"]
    return [tuple(getattr(row, field) for field in fields) for row in opportunities().order_by("pk")]


@pytest.mark.parametrize("name, subject", [("opportunities_fr.csv", "Refonte du site"),
                                           ("opportunities_en.csv", "Website redesign")])
def test_french_and_english_files(contacts, rep, manager, name, subject):
    run_import("import_opportunities", DATA / name)
    redesign = opportunities().get(subject=subject)
    assert redesign.contact == contacts["bakery"]
    assert redesign.value == Decimal("12345.67")
    assert redesign.purchase_costs == Decimal("1000.00")
    assert redesign.success_percent == 35
    assert redesign.product.label_en == "Website"
    assert redesign.stage.label_en == "Negotiation"
    assert redesign.category.label_en == "Referral"
    assert redesign.contact_person.last_name == "Bouchard"
    assert redesign.representative == rep
    assert redesign.expected_close_date == datetime.date(2026, 11, 28)
    redesign.refresh_from_db()
    assert redesign.total == Decimal("3970.98")  # computed by the database
    hosting = opportunities().get(contact=contacts["workshop"])
    assert hosting.value == Decimal("2400.00")
    assert hosting.success_percent == 35  # "0,35" is a fraction, "35" is a percentage
    assert hosting.representative == manager
    assert hosting.expected_close_date == datetime.date(2026, 12, 1)


def test_xlsx_with_a_percentage_cell_and_a_date(contacts, rep):
    run_import("import_opportunities", DATA / "opportunities_fr.xlsx")
    shop = opportunities().get()
    assert (shop.value, shop.success_percent) == (Decimal("12345.67"), 35)
    assert shop.expected_close_date == datetime.date(2027, 1, 15)
    assert shop.stage.label_fr == "Soumission envoyée"


def test_the_representative_defaults_to_the_account_manager(contacts, manager, write_file):
    contacts["cheese"].account_manager = manager
    contacts["cheese"].save()
    run_import("import_opportunities", write_file("x.csv", "contact;objet;étape\r\nX-1;Boutique;Négociation\r\n"))
    assert opportunities().get().representative == manager


def test_no_representative_and_no_active_account_manager(contacts, write_file):
    contacts["cheese"].account_manager = UserFactory(is_active=False)
    contacts["cheese"].save()
    with pytest.raises(CommandError, match="Ligne 2 : Indiquez un représentant"):
        run_import("import_opportunities", write_file("x.csv", "contact;objet;étape\r\nX-1;Boutique;Négociation\r\n"))


@pytest.mark.parametrize("cells, column, reason", [
    ("Inconnu;Objet;Négociation;;;", "Contact", "Aucun contact"),
    ("FR-1;Objet;Signature;;;", "Étape", "n’est pas une étape"),
    ("FR-1;Objet;Négociation;Logiciel sur mesure;;", "Produit", "n’est pas un produit"),
    ("FR-1;Objet;Négociation;;Bouche-à-oreille;", "Catégorie", "n’est pas une catégorie"),
    ("FR-1;Objet;Négociation;;;Jean Côté", "Personne contact", "n’est pas une des personnes"),
])
def test_missing_references_are_errors(contacts, rep, write_file, cells, column, reason):
    path = write_file("x.csv", f"Contact;Objet;Étape;Produit;Catégorie;Personne contact\r\n{cells}\r\n")
    with pytest.raises(CommandError) as error:
        run_import("import_opportunities", path, dry_run=True)
    assert f"Ligne 2, colonne « {column} »" in str(error.value)
    assert reason in str(error.value)


@pytest.mark.parametrize("cells, column", [
    ("-5;0;35", "Valeur"), ("12,345;0;35", "Valeur"), ("100;abc;35", "Coûts d'achat"), ("100;0;150 %", "% de succès"),
    ("100;0;35,5", "% de succès"),
])
def test_bad_numbers(contacts, rep, write_file, cells, column):
    path = write_file("x.csv", f"Contact;Objet;Étape;Représentant;Valeur;Coûts d'achat;% de succès\r\n"
                               f"FR-1;Objet;Négociation;rep;{cells}\r\n")
    with pytest.raises(CommandError, match=f"Ligne 2, colonne « {column} »"):
        run_import("import_opportunities", path)
    assert not opportunities().exists()


def test_update_twice_gives_the_same_database_and_without_update_it_is_an_error(contacts, rep, manager):
    run_import("import_opportunities", DATA / "opportunities_fr.csv", update=True)
    first = snapshot()
    run = run_import("import_opportunities", DATA / "opportunities_fr.csv", update=True)
    assert snapshot() == first
    assert "Opportunités — créées : 0, modifiées : 0, inchangées : 2." in run.stdout
    with pytest.raises(CommandError, match="--update"):
        run_import("import_opportunities", DATA / "opportunities_fr.csv")


def test_update_changes_the_stage_and_numbers(contacts, rep, manager, write_file):
    run_import("import_opportunities", DATA / "opportunities_fr.csv")
    path = write_file("x.csv", "Contact;Objet;Étape;Valeur;% de succès\r\nFR-1;Refonte du site;Gagnée;13 000;100\r\n")
    run = run_import("import_opportunities", path, update=True)
    redesign = opportunities().get(subject="Refonte du site")
    assert (redesign.stage.label_en, redesign.value, redesign.success_percent) == ("Won", Decimal("13000.00"), 100)
    assert redesign.representative == rep  # left as it was
    assert "modifiées : 1" in run.stdout


@pytest.mark.parametrize("language, message", [
    ("fr", "« 12,345 » est ambigu : écrivez 12345, ou 12 345,00 (français), ou 12,345.00 (anglais)."),
    ("en", "“12,345” is ambiguous: write 12345 or 12 345,00 (French) or 12,345.00 (English)."),
])
def test_a_lone_comma_before_three_digits_is_refused_as_ambiguous(contacts, rep, write_file, settings, language,
                                                                  message):
    # The same parser as the opportunity form (crm.amounts), without a language: a file's is not known.
    settings.LANGUAGE_CODE = language  # the commands speak the site's language
    path = write_file("x.csv", "contact;objet;étape;valeur;représentant\r\nX-1;Boutique;Négociation;12,345;rep\r\n")
    with pytest.raises(CommandError) as refused:
        run_import("import_opportunities", path)
    assert message in str(refused.value)
    assert not opportunities().exists()
