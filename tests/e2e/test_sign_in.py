from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in


def test_rep_signs_in_in_french_and_switches_to_english(page, rep):
    page.goto(page.base_url + "/")
    expect(page.get_by_role("heading", name="Connexion à Relance")).to_be_visible()

    sign_in(page, "rep")
    expect(page.get_by_role("heading", name="Bonjour, Luc")).to_be_visible()
    screenshot(page, "home-fr")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Good day, Luc")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
