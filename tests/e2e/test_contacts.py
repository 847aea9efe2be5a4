import re

from playwright.sync_api import expect

from contacts.models import Contact
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import ContactFactory, ContactPersonFactory


def add_person(page, first_name: str, last_name: str, *, role: str = "", email: str = "", primary: bool = False,
               shot: str = ""):
    page.get_by_role("button", name="Ajouter une personne").click()
    form = page.locator("#person-new")
    expect(form).to_be_visible()
    expect(form.get_by_label("Prénom")).to_be_focused()  # fetched into the card, the cursor in it
    if shot:
        screenshot(page, shot)
    form.get_by_label("Prénom").fill(first_name)
    form.get_by_label("Nom de famille").fill(last_name)
    if role:
        form.get_by_label("Fonction").fill(role)
    if email:
        form.get_by_label("Courriel").fill(email)
    if primary:
        form.get_by_label("Contact principal").check()
    form.get_by_role("button", name="Ajouter", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text=f"Personne ajoutée : {first_name} {last_name}.")).to_be_visible()


def test_rep_creates_a_contact_with_two_people_finds_it_and_opens_its_file(page, rep, manager):
    # Neighbours, so that the list and its search have something to tell apart.
    for name, status, city in [("Boulangerie Vachon", "client", "Lévis"), ("Boulangerie du Vieux-Port", "inactive", "Québec"),
                               ("Garage Roy", "prospect", "Laval")]:
        ContactPersonFactory(contact=ContactFactory(name=name, status=status, city=city, account_manager=manager))

    sign_in(page, "rep")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Contacts").click()
    expect(page.get_by_role("heading", name="Contacts", exact=True)).to_be_visible()
    page.get_by_role("link", name="Nouveau contact").click()

    page.get_by_label("Nom*", exact=True).fill("Boulangerie Saint-Roch")
    page.get_by_label("Statut").select_option(label="Client")
    page.get_by_label("Courriel", exact=True).fill("info@saintroch.example")
    page.get_by_label("Téléphone").fill("418-555-0101")
    page.get_by_label("Site Web").fill("saintroch.example")
    page.get_by_label("Ville").fill("Québec")
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    expect(page.get_by_role("heading", name="Boulangerie Saint-Roch", level=1)).to_be_visible()
    expect(page.get_by_text("Contact « Boulangerie Saint-Roch » créé.")).to_be_visible()
    expect(page.get_by_role("link", name="https://saintroch.example")).to_be_visible()

    add_person(page, "Émilie", "Bouchard", role="Propriétaire", email="emilie@saintroch.example", primary=True,
               shot="contact-add-person-fr")
    add_person(page, "Jean", "Côté", role="Gérant")
    people = page.locator("#people").get_by_role("listitem")
    expect(people).to_have_count(2)
    expect(people.first).to_contain_text("Émilie Bouchard Principal")
    expect(people.first).to_contain_text("Propriétaire")
    expect(people.nth(1)).to_contain_text("Jean Côté")
    contact = Contact.objects.get(name="Boulangerie Saint-Roch")
    assert contact.people.count() == 2

    # The list's own search finds it without accents, by a person's name.
    page.goto(page.base_url + "/contacts/")
    search = page.get_by_role("searchbox", name="Recherche", exact=True)
    search.fill("jean cote")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/contacts/\?q=jean\+cote&"))
    expect(page.get_by_test_id("result-count")).to_have_text("1 contact")

    search = page.get_by_role("searchbox", name="Recherche", exact=True)
    search.fill("boulangerie")
    search.press("Enter")
    expect(page.get_by_test_id("result-count")).to_have_text("3 contacts")
    expect(page.get_by_role("link", name="Boulangerie Saint-Roch")).to_be_visible()
    screenshot(page, "contact-list-fr")

    page.get_by_role("link", name="Boulangerie Saint-Roch").click()
    expect(page.get_by_role("heading", name="Boulangerie Saint-Roch", level=1)).to_be_visible()
    expect(page.locator("#people").get_by_text("Principal", exact=True)).to_be_visible()
    screenshot(page, "contact-file-fr")


def test_a_duplicate_is_flagged_and_can_be_saved_anyway(page, rep):
    existing = ContactFactory(name="Garage Roy", city="Laval")
    sign_in(page, "rep")
    page.goto(page.base_url + "/contacts/new/")
    page.get_by_label("Nom*", exact=True).fill("garage roy")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    warning = page.get_by_test_id("duplicates")
    expect(warning).to_contain_text("Ce contact existe peut-être déjà")
    expect(warning.get_by_role("link", name="Garage Roy")).to_have_attribute("href", existing.get_absolute_url())
    screenshot(page, "contact-duplicate-fr")
    page.get_by_role("button", name="Enregistrer quand même").click()
    expect(page.get_by_role("heading", name="garage roy", level=1)).to_be_visible()
    assert Contact.objects.filter(name__iexact="garage roy").count() == 2


def test_manager_fixes_a_person_then_deletes_the_contact_after_confirming(page, manager):
    contact = ContactFactory(name="Imprimerie Gagné", status="inactive")
    ContactPersonFactory(contact=contact, first_name="Réjean", last_name="Gagné", is_primary=True)
    ContactPersonFactory(contact=contact, first_name="Line", last_name="Gagné")
    sign_in(page, "manager")
    page.goto(page.base_url + contact.get_absolute_url())

    line = page.locator("#people").get_by_role("listitem").filter(has_text="Line Gagné")
    edit = line.get_by_role("button", name="Modifier Line Gagné")
    expect(edit).to_have_attribute("aria-expanded", "false")
    edit.click()
    form = page.get_by_role("form", name="Modifier Line Gagné")
    expect(edit).to_have_attribute("aria-expanded", "true")
    form.get_by_label("Courriel").fill("pas-un-courriel")
    edit.click()  # asked again while open: the form, and what was typed, stay
    expect(form.get_by_label("Courriel")).to_have_value("pas-un-courriel")
    expect(form.get_by_label("Prénom")).to_be_focused()
    form.get_by_role("button", name="Enregistrer").click()
    # Refused on the same page, the form still open with its message.
    form = page.get_by_role("form", name="Modifier Line Gagné")
    expect(form.get_by_text("Saisissez une adresse de courriel valide.")).to_be_visible()
    screenshot(page, "contact-person-error-fr")
    form.get_by_label("Courriel").fill("line@gagne.example")
    form.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Personne enregistrée : Line Gagné.")).to_be_visible()

    page.get_by_role("link", name="Supprimer").click()
    expect(page.get_by_role("heading", name="Supprimer « Imprimerie Gagné » ?")).to_be_visible()
    expect(page.get_by_test_id("delete-counts")).to_contain_text("Personnes : 2")
    screenshot(page, "contact-delete-fr")
    page.get_by_role("button", name="Oui, supprimer").click()
    expect(page.get_by_text("Contact « Imprimerie Gagné » supprimé.")).to_be_visible()
    assert not Contact.objects.filter(pk=contact.pk).exists()
