"""The header search in a browser: the / key, the grouped results, in French and English, accessible."""

import re

from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.factories import ContactFactory, ContactPersonFactory, NoteFactory, days_from_today


def make_data(rep, manager):
    contact = ContactFactory(name="Quincaillerie Bélanger")
    ContactPersonFactory(contact=contact, first_name="Jérôme", last_name="Démonet", role="Acheteur")
    for number in range(7):
        NoteFactory(contact=contact, assigned_to=rep, date=days_from_today(-number), is_done=number > 0,
                    description=f"Démonstration numéro {number} du logiciel de caisse.")
    NoteFactory(contact=contact, assigned_to=manager, admin_only=True, description="Démonstration confidentielle")
    if settings.PROSPECTION_ENABLED:
        from tests.prospection.factories import OpportunityFactory

        OpportunityFactory(contact=contact, subject="Démonstrations en magasin", representative=rep)
    return contact


def test_the_slash_key_finds_everything_from_any_page(page, rep, manager):
    make_data(rep, manager)
    sign_in(page, "rep")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.keyboard.press("/")
    box = page.get_by_role("searchbox", name="Tout rechercher")
    expect(box).to_be_focused()
    page.keyboard.type("demonstrations")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=demonstrations$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Résultats pour « demonstrations »")
    notes = page.get_by_test_id("group-notes")
    expect(notes.get_by_test_id("count-notes")).to_have_text("7")  # not the admin-only one
    expect(notes.locator("mark").first).to_have_text("Démonstration")
    expect(notes.get_by_role("listitem")).to_have_count(5)
    expect(notes).to_contain_text("Quincaillerie Bélanger")
    expect(page.get_by_text("confidentielle")).to_have_count(0)
    if settings.PROSPECTION_ENABLED:
        expect(page.get_by_test_id("group-opportunities")).to_contain_text("Démonstrations en magasin")
    else:
        expect(page.get_by_test_id("group-opportunities")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "search-results-fr")

    page.get_by_test_id("see-all-notes").click()
    expect(page.get_by_test_id("result-count")).to_have_text("7 résultats")
    expect(page.locator("main li.list-group-item")).to_have_count(7)
    assert_accessible(page)
    screenshot(page, "search-notes-fr")


def test_the_slash_key_types_a_slash_in_a_field(page, rep, manager):
    sign_in(page, "rep")
    page.goto(page.base_url + "/contacts/")
    field = page.get_by_role("searchbox", name="Recherche", exact=True)
    field.click()
    page.keyboard.type("a/b")
    expect(field).to_have_value("a/b")
    expect(page.get_by_role("searchbox", name="Tout rechercher")).not_to_be_focused()


def test_the_results_in_english_and_a_too_short_query(page, rep, manager):
    make_data(rep, manager)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    sign_in(page, "rep")
    page.goto(page.base_url + "/search/?q=jerome")
    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “jerome”")
    expect(page.get_by_test_id("group-people")).to_contain_text("Jérôme Démonet")
    assert_accessible(page)
    screenshot(page, "search-results-en")
    box = page.get_by_role("searchbox", name="Search everything")
    box.fill("x")
    box.press("Enter")
    expect(page.get_by_test_id("search-error")).to_have_text("Type at least 2 characters.")
    assert_accessible(page)
    screenshot(page, "search-too-short-en")


def test_the_results_fit_a_phone(browser, migrated_data_restored, live_server, rep, manager):
    make_data(rep, manager)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-CA")
    phone = context.new_page()
    phone.base_url = live_server.url
    try:
        sign_in(phone, "rep")
        for path in ["/search/?q=demonstration", "/search/notes/?q=demonstration"]:
            phone.goto(phone.base_url + path)
            expect(phone.get_by_test_id("group-notes").or_(phone.get_by_test_id("result-count"))).to_be_visible()
            assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        screenshot(phone, "search-notes-phone-fr")
    finally:
        context.close()
