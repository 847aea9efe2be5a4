"""Browser tests: Playwright driving Debian's Chromium against a live server.

They run whenever Chromium is installed (CI installs it) and are skipped with
a visible reason otherwise.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
OUTPUT = Path(__file__).parent / "output"
PASSWORD = "secret-password-1"

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            if CHROMIUM is None:
                item.add_marker(pytest.mark.skip(reason="Chromium is not installed: apt-get install chromium"))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # On Linux Chromium takes its own language (date and time inputs) from
        # LANGUAGE, not from --lang, and needs Debian's chromium-l10n for it:
        # a French-Canadian desktop browser, dates as 27/11/2026, times 09:30.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--lang=fr-CA"],
                                             env={**os.environ, "LANGUAGE": "fr_CA:fr", "LANG": "fr_CA.UTF-8"})
        yield browser
        browser.close()


@pytest.fixture
def page(browser, migrated_data_restored, live_server):
    """A French desktop browser tab on the live server (with the migrations' data back)."""
    # Reduced motion: Bootstrap then drops its 0.15 s colour transitions, so an axe-core audit never
    # reads a button half-way into its hover colours (a redrawn button under the pointer did).
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-CA", reduced_motion="reduce")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto(page.base_url + "/login/")
    page.get_by_label("Nom d’utilisateur").or_(page.get_by_label("Username")).fill(username)
    page.get_by_label("Mot de passe").or_(page.get_by_label("Password")).fill(password)
    page.locator("form button[type=submit]").click()


def screenshot(page, name: str) -> Path:
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def accessibility_violations(page, impacts=("serious", "critical")) -> list[str]:
    """Run axe-core (from npm) in the page; return the serious and critical violations.

    The script is evaluated through the DevTools protocol, so the page's strict
    Content-Security-Policy (no inline script) needs no exception.
    """
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in impacts
    ]


def assert_accessible(page) -> None:
    violations = accessibility_violations(page)
    assert not violations, "\n".join(violations)
