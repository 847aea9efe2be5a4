"""The whole French guide, first line to last, as a sales rep — in French and in English.

Every page it visits passes the accessibility audit. With SCREENSHOT_DIR set
(`make screenshots`), the French run saves the README's screenshots there.
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import ContactFactory, ContactPersonFactory, NoteFactory

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")

HISTORY = "Ma note d’historique – discussion de projet"
FOLLOW_UP = "Rappeler le client en lien au projet discuté"

LABELS = {
    "fr": {
        "switch": None, "hello": "Bonjour, Luc", "contacts": "Contacts", "add_note": "Ajouter une note",
        "done": "Est terminée ?", "save": "Enregistrer", "date": re.compile(r"^\s*Date\W*$"),
        "list": "Liste", "today": "Aujourd’hui", "history": "Note d’historique", "follow_up": "Note de relance",
        "tab": "Prospection", "manager": "Gestionnaire de compte", "save_prospect": "Sauvegarder info. prospect",
        "new_opp": "Nouvelle opp. de vente", "subject": "Sujet", "product": ("Produit", "Site Web"),
        "stage": ("Étape", "Premier contact"), "person": "Personne contact",
        "category": ("Catégorie", "Appel entrant"), "value": ("Valeur de l’opportunité", "10 000"),
        "costs": ("Coûts des achats", "2 000"), "percent": "% réussite", "total": "2\u202f800,00\u00a0$",
        "back": "Retour au contact", "opp_list": "Liste des prospections", "representative": "Représentant",
        "filter": "Filtrer", "mine": "Mes opportunités", "band": "20–40",
    },
    "en": {
        "switch": "English", "hello": "Good day, Luc", "contacts": "Contacts", "add_note": "Add a note",
        "done": "Is done?", "save": "Save", "date": re.compile(r"^\s*Date\W*$"),
        "list": "List", "today": "Today", "history": "History note", "follow_up": "Follow-up",
        "tab": "Prospection", "manager": "Account manager", "save_prospect": "Save prospect info",
        "new_opp": "New sales opportunity", "subject": "Subject", "product": ("Product", "Website"),
        "stage": ("Stage", "First contact"), "person": "Contact person",
        "category": ("Category", "Inbound call"), "value": ("Opportunity value", "10,000"),
        "costs": ("Purchase costs", "2,000"), "percent": "Success %", "total": "$2,800.00",
        "back": "Back to the contact", "opp_list": "Opportunities list", "representative": "Representative",
        "filter": "Filter", "mine": "My opportunities", "band": "20–40",
    },
}


def shoot(page, name: str, language: str) -> None:
    """Screenshots for the README and the user guide: French, 1280×800, small files."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if not folder or language != "fr":
        return
    path = Path(folder) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=False)
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=128).save(path, optimize=True)


def visit(page, language, name=None):
    assert_accessible(page)
    if name:
        shoot(page, name, language)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_whole_guide_as_a_sales_rep(page, rep, language):
    words = LABELS[language]
    contact = ContactFactory(name="Boulangerie Saint-Roch", status="prospect")
    ContactPersonFactory(contact=contact, first_name="Émilie", last_name="Bouchard", is_primary=True)

    sign_in(page, "rep")
    if words["switch"]:
        page.get_by_role("button", name=words["switch"]).click()
    expect(page.get_by_role("heading", name=words["hello"])).to_be_visible()
    visit(page, language)

    # "Se rendre d'abord sur une fiche prospect (ou client)."
    page.locator("header").get_by_role("link", name=words["contacts"]).click()
    visit(page, language)
    page.get_by_role("link", name="Boulangerie Saint-Roch").click()

    # "Puis cliquer le bouton « Ajouter une note »" ... "cocher « Est terminée ? »" ... « Enregistrer ».
    page.get_by_role("link", name=words["add_note"]).click()
    page.get_by_label("Description").fill(HISTORY)
    page.get_by_label(words["done"]).check()
    visit(page, language, "note-form")
    page.get_by_role("button", name=words["save"]).click()

    # "Ajouter une note de relance": a future date, two weeks ahead, then « Enregistrer ».
    page.get_by_role("link", name=words["add_note"]).click()
    page.get_by_label("Description").fill(FOLLOW_UP)
    page.get_by_label(words["date"]).fill((timezone.localdate() + datetime.timedelta(days=14)).isoformat())
    page.get_by_role("button", name=words["save"]).click()
    expect(page.locator("article.note-item", has_text=HISTORY)).to_have_attribute("data-state", "history")
    expect(page.locator("article.note-item", has_text=FOLLOW_UP)).to_have_attribute("data-state", "follow_up")
    visit(page, language, "contact-file")

    # "Ouvrir le calendrier (icône de calendrier en haut dans l'entête) et voir à la fois
    # la note d'historique que vous avez créée et la nouvelle note de relance."
    page.get_by_test_id("calendar-icon").click()
    expect(page.locator(".cal-entry", has_text=HISTORY)).to_have_class(re.compile("cal-history"))
    visit(page, language, "calendar-month")
    page.get_by_role("link", name=words["list"]).click()
    expect(page.locator(".cal-row", has_text=HISTORY)).to_contain_text(words["history"])
    expect(page.locator(".cal-row", has_text=FOLLOW_UP)).to_contain_text(words["follow_up"])
    visit(page, language, "calendar-list")
    page.locator(".cal-row", has_text=FOLLOW_UP).get_by_role("link", name="Boulangerie Saint-Roch").click()

    # "Via la fiche du contact, accéder l'onglet « Prospection ». Choisir votre nom dans le menu
    # déroulant « Gestionnaire de compte », puis cliquer « Sauvegarder info. prospect »."
    page.locator("#contact-tabs").get_by_role("link", name=words["tab"]).click()
    page.get_by_label(words["manager"]).select_option(label="Luc Gagnon")
    page.get_by_role("button", name=words["save_prospect"]).click()
    expect(page.get_by_label(words["manager"])).to_have_value(str(rep.pk))
    visit(page, language)

    # "Cliquer le bouton « Nouvelle opp. de vente »" and every field of the guide.
    page.get_by_role("link", name=words["new_opp"]).click()
    page.get_by_label(words["subject"]).fill("Site web")
    for field in ("product", "stage", "category"):
        label, option = words[field]
        page.get_by_label(label).select_option(label=option)
    page.get_by_label(words["person"]).select_option(label="Émilie Bouchard")
    page.get_by_label(words["value"][0]).fill(words["value"][1])
    page.get_by_label(words["costs"][0]).fill(words["costs"][1])
    page.get_by_label(words["percent"]).fill("35")
    visit(page, language, "opportunity-form")
    page.get_by_role("button", name=words["save"]).click()
    # "Total – la Valeur de l'opportunité MOINS les Coûts des achats puis ajusté selon % réussite."
    expect(page.get_by_label("Total", exact=True)).to_have_value(words["total"])
    visit(page, language)

    # "Retournez à la liste des contacts et cliquer l'onglet « Liste des prospections »
    # ou cliquer l'icône « Prospection » (icône de diamant) dans l'entête."
    page.locator("header").get_by_role("link", name=words["contacts"]).click()
    page.get_by_role("link", name=words["opp_list"]).click()
    expect(page.get_by_test_id("opportunity-list")).to_contain_text("Site web")
    page.locator("header").get_by_role("link", name=words["contacts"]).click()
    page.get_by_test_id("prospection-icon").click()
    expect(page.get_by_test_id("opportunity-list")).to_contain_text("Site web")

    # "Filtrer cette liste (ex. voir la liste par représentant) ou le bouton « Mes opportunités »."
    page.get_by_label(words["representative"]).select_option(label="Luc Gagnon")
    page.get_by_role("button", name=words["filter"]).click()
    expect(page.get_by_test_id("opportunity-list")).to_contain_text("Site web")
    page.get_by_role("link", name=words["mine"]).click()
    expect(page.get_by_test_id("sum-total")).to_have_text(words["total"])

    # "Ce graphique vous permet de visualiser, par niveau de pourcentage de réussite ..."
    page.wait_for_function(
        "() => { const img = document.querySelector('[data-testid=band-chart]');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    band = page.get_by_test_id("band-table").locator("tr", has_text=words["band"])
    expect(band).to_contain_text(words["total"])
    expect(page.get_by_test_id("band-chart")).to_have_attribute("alt", re.compile(re.escape(words["total"])))
    visit(page, language, "dashboard")


def test_a_managers_admin_only_note_stays_invisible_to_the_rep(page, rep, manager):
    contact = ContactFactory(name="Atelier Lavoie")
    NoteFactory(contact=contact, assigned_to=rep, description="Note visible de tous")
    NoteFactory(contact=contact, assigned_to=rep, admin_only=True, created_by=manager,
                description="Marge confidentielle de la direction")

    sign_in(page, "rep")
    page.goto(page.base_url + contact.get_absolute_url())
    expect(page.get_by_text("Note visible de tous")).to_be_visible()
    expect(page.get_by_text("Marge confidentielle")).to_have_count(0)
    page.get_by_test_id("calendar-icon").click()
    page.get_by_role("link", name="Liste").click()
    expect(page.get_by_text("Note visible de tous")).to_be_visible()
    expect(page.get_by_text("Marge confidentielle")).to_have_count(0)
    page.goto(page.base_url + "/calendar/?assignee=everyone")
    expect(page.get_by_text("Marge confidentielle")).to_have_count(0)
