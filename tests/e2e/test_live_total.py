"""Issue 17: the opportunity form's « Total » follows value, costs and % as they are typed, in the user's format."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")

from playwright.sync_api import expect  # noqa: E402

from tests.e2e.conftest import sign_in  # noqa: E402
from tests.factories import ContactFactory  # noqa: E402

CASES = {
    "fr": [
        (("10 000", "2 000", "35"), "2\u202f800,00\u00a0$"),
        (("12\u00a0345,67", "0,01", "33"), "4\u202f074,07\u00a0$"),  # 4 074,0699 → half away from zero
        (("0,10", "0", "15"), "0,02\u00a0$"),                       # 1,5 ¢ → 2 ¢ (a float gives 1)
        (("1 000", "1 500", "50"), "-250,00\u00a0$"),
        (("abc", "0", "10"), ""),
    ],
    "en": [
        (("$10,000.00", "2,000", "35"), "$2,800.00"),
        (("12,345.67", "0.01", "33"), "$4,074.07"),
        (("1,000", "1,500", "50"), "-$250.00"),
        (("999,999,999,999.99", "0", "100"), "$999,999,999,999.99"),
        (("100", "0", "101"), ""),
    ],
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_total_is_computed_while_typing(page, rep, language):
    contact = ContactFactory(name="Boulangerie Saint-Roch")
    sign_in(page, "rep")
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": page.base_url}])
    page.goto(page.base_url + f"/prospection/contacts/{contact.pk}/new/")
    total = page.locator("#id_total")
    expect(page.locator("[data-total-pending]")).to_be_hidden()  # the script took over from the words
    value, costs, percent = (page.locator(f"#id_{name}") for name in ("value", "purchase_costs", "success_percent"))
    for (typed_value, typed_costs, typed_percent), expected in CASES[language]:
        value.fill(typed_value)
        costs.fill(typed_costs)
        percent.fill(typed_percent)
        expect(total).to_have_value(expected)
    # Typed key by key, the total follows each change.
    value.fill("")
    value.press_sequentially("1000")
    percent.fill("")
    percent.press_sequentially("5")
    expect(total).to_have_value("$50.00" if language == "en" else "50,00\u00a0$")
    expect(page.get_by_label("Total", exact=True)).to_have_value("$50.00" if language == "en" else "50,00\u00a0$")


def test_without_javascript_the_formula_stays(browser, migrated_data_restored, live_server, rep):
    contact = ContactFactory(name="Boulangerie Saint-Roch")
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-CA", java_script_enabled=False)
    page = context.new_page()
    page.base_url = live_server.url
    sign_in(page, "rep")
    page.goto(page.base_url + f"/prospection/contacts/{contact.pk}/new/")
    expect(page.get_by_text("(valeur − coûts des achats) × % réussite")).to_be_visible()
    expect(page.get_by_text("Calculé à l’enregistrement.")).to_be_visible()
    context.close()
