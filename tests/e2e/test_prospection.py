"""The guide's prospection sections, in French, word for word.

"Indiquer le gestionnaire de compte associé au prospect", the sales
opportunity form, and "Tableau de bord des opportunités de vente".
"""

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")

from playwright.sync_api import expect  # noqa: E402

from tests.e2e.conftest import screenshot, sign_in  # noqa: E402
from tests.factories import ContactFactory, ContactPersonFactory  # noqa: E402

TOTAL = "2\u202f800,00\u00a0$"  # French money: narrow no-break space for thousands


def test_rep_follows_the_prospection_guide(page, rep):
    contact = ContactFactory(name="Boulangerie Saint-Roch")
    ContactPersonFactory(contact=contact, first_name="Émilie", last_name="Bouchard")
    sign_in(page, "rep")
    expect(page.get_by_role("heading", name="Bonjour, Luc")).to_be_visible()

    # "Via la fiche du contact, accéder l'onglet « Prospection »."
    page.goto(page.base_url + contact.get_absolute_url())
    page.locator("#contact-tabs").get_by_role("link", name="Prospection").click()
    # "Choisir votre nom dans le menu déroulant « Gestionnaire de compte », puis
    # cliquer « Sauvegarder info. prospect »."
    page.get_by_label("Gestionnaire de compte").select_option(label="Luc Gagnon")
    page.get_by_role("button", name="Sauvegarder info. prospect").click()
    expect(page.get_by_text("Info. prospect enregistrée.")).to_be_visible()
    expect(page.get_by_label("Gestionnaire de compte")).to_have_value(str(rep.pk))

    # "Cliquer le bouton « Nouvelle opp. de vente »" and fill in the opportunity.
    page.get_by_role("link", name="Nouvelle opp. de vente").click()
    expect(page.get_by_label("Représentant")).to_have_value(str(rep.pk))  # the account manager
    page.get_by_label("Sujet").fill("Site web")
    page.get_by_label("Produit").select_option(label="Site Web")
    page.get_by_label("Étape").select_option(label="Premier contact")
    page.get_by_label("Personne contact").select_option(label="Émilie Bouchard")
    page.get_by_label("Catégorie").select_option(label="Appel entrant")
    page.get_by_label("Valeur de l’opportunité").fill("10 000")
    page.get_by_label("Coûts des achats").fill("2 000")
    page.get_by_label("% réussite").fill("35")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Opportunité de vente « Site web » créée.")).to_be_visible()
    # "Total – ... la Valeur de l'opportunité MOINS les Coûts des achats puis ajusté selon % réussite."
    expect(page.get_by_label("Total", exact=True)).to_have_value(TOTAL)
    screenshot(page, "opportunity-form-fr")

    # Back on the contact file, the Prospection tab lists it with its total.
    page.get_by_role("link", name="Retour au contact").click()
    opportunities = page.locator("table", has_text="Site web")
    expect(opportunities).to_contain_text(TOTAL)
    expect(opportunities).to_contain_text("Premier contact")
    screenshot(page, "contact-prospection-fr")

    # "Retournez à la liste des contacts et cliquer l'onglet « Liste des prospections »"
    page.locator("header").get_by_role("link", name="Contacts").click()
    page.get_by_role("link", name="Liste des prospections").click()
    expect(page.get_by_role("heading", name="Opportunités de vente")).to_be_visible()
    expect(page.get_by_test_id("opportunity-list")).to_contain_text("Site web")
    # "... ou cliquer l'icône « Prospection » (icône de diamant) dans l'entête."
    page.locator("header").get_by_role("link", name="Contacts").click()
    page.get_by_test_id("prospection-icon").click()
    expect(page.get_by_test_id("opportunity-list")).to_contain_text("Boulangerie Saint-Roch")

    # "Vous pourrez ultérieurement filtrer cette liste (ex. voir la liste par
    # représentant) ou le bouton « Mes opportunités »."
    page.get_by_label("Représentant").select_option(label="Luc Gagnon")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(f"{page.base_url}/prospection/?q=&representative={rep.pk}&outcome=open&stage=&product=&category=&band=&ordering=")
    expect(page.get_by_test_id("result-count")).to_have_text("1 opportunité de vente")
    page.get_by_role("link", name="Mes opportunités").click()
    expect(page).to_have_url(f"{page.base_url}/prospection/?representative={rep.pk}")
    expect(page.get_by_test_id("sum-total")).to_have_text(TOTAL)

    # "Ce graphique vous permet de visualiser, par niveau de pourcentage de réussite
    # (0-20%, 20-40%, 40-60%...), quels sont les montants totaux de ces opportunités."
    chart = page.get_by_test_id("band-chart")
    expect(chart).to_be_visible()
    page.wait_for_function(
        "() => { const img = document.querySelector('[data-testid=band-chart]');"
        " return img.complete && img.naturalWidth > 0; }"
    )
    expect(chart).to_have_attribute("alt", re.compile(re.escape(f"20–40\u00a0%\u00a0: {TOTAL} (1 opportunité)")))
    band = page.get_by_test_id("band-table").locator("tr", has_text="20–40")
    expect(band).to_contain_text(TOTAL)
    expect(band).to_contain_text("1")
    screenshot(page, "dashboard-fr")
