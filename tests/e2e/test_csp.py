"""The strict Content-Security-Policy holds (no inline script) and the pages, the admin included, still work under it."""

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories import UserFactory


def collect_csp_violations(page) -> list[str]:
    violations = []
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text[:90]}")
            if "Content Security Policy" in message.text else None)
    return violations


def test_app_and_admin_work_under_the_csp_without_violations(page, db):
    UserFactory(username="boss", first_name="Alex", is_staff=True, is_superuser=True)
    violations = collect_csp_violations(page)
    response = page.goto(page.base_url + "/login/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy

    sign_in(page, "boss")
    page.goto(page.base_url + "/contacts/")
    page.locator("header").get_by_role("button", name="Alex").click()  # Bootstrap's dropdown runs
    expect(page.get_by_role("link", name="Administration")).to_be_visible()
    page.get_by_role("link", name="Administration").click()
    expect(page.locator("#site-name")).to_be_visible()
    page.goto(page.base_url + "/admin/contacts/contact/add/")
    page.get_by_label("Nom").fill("Créé dans l’admin")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Créé dans l’admin")
    assert violations == []
