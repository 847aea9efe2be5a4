"""The API documentation runs under the strict Content-Security-Policy; the tokens page is accessible."""

import re

from tests.e2e.conftest import accessibility_violations, sign_in


def test_the_api_documentation_works_under_the_csp(page, rep):
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(page, "rep")
    page.goto(page.base_url + "/api/v1/docs/")
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.get_by_text("/api/v1/contacts/", exact=True).first.is_visible()
    page.screenshot(path="/tmp/api_docs.png", full_page=False)
    assert [problem for problem in problems if "Content Security Policy" in problem or "Refused" in problem] == []


def test_a_token_is_created_shown_once_and_revoked(page, rep):
    sign_in(page, "rep")
    page.goto(page.base_url + "/profile/")
    page.get_by_role("link", name="Gérer mes jetons d’API").click()
    page.get_by_label("Nom").fill("Site web")
    page.get_by_role("button", name="Créer le jeton").click()
    key = page.get_by_test_id("new-token").input_value()
    assert re.fullmatch(r"rlk_[\w-]{40,}", key)
    assert accessibility_violations(page) == []
    page.screenshot(path="/tmp/api_tokens.png", full_page=True)
    page.goto(page.base_url + "/profile/api-tokens/")
    assert key not in page.content()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=re.compile("Révoquer")).click()
    assert page.get_by_test_id("token-row").get_by_text("Révoqué").is_visible()
