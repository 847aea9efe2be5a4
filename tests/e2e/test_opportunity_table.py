"""Issue 17: at 1,280 px every column of the opportunity table is visible, in French and English, with long values."""

from decimal import Decimal

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")

from prospection.models import Product, Stage  # noqa: E402
from tests.e2e.conftest import screenshot, sign_in  # noqa: E402
from tests.factories import ContactFactory, ContactPersonFactory, UserFactory  # noqa: E402

WIDTHS = """() => {
  const table = document.querySelector('[data-testid=opportunity-list]');
  return {table: table.scrollWidth, container: table.closest('.container, .container-fluid, main').clientWidth,
          wrapper: table.parentElement.clientWidth};
}"""


def long_rows(rep):
    contact = ContactFactory(name="Boulangerie artisanale Saint-Roch-de-l’Achigan inc.")
    person = ContactPersonFactory(contact=contact, first_name="Marie-Ève", last_name="Bouchard-Tremblay")
    other = UserFactory(username="mclg", first_name="Marie-Christine", last_name="Lévesque-Gagnon")
    product = max(Product.objects.all(), key=lambda product: len(product.label_fr + product.label_en))
    stage = max(Stage.objects.filter(outcome="open"), key=lambda stage: len(stage.label_fr + stage.label_en))
    from tests.prospection.factories import OpportunityFactory

    for representative in (rep, other):
        OpportunityFactory(
            subject="Refonte complète du site transactionnel et de l’intranet", contact=contact,
            contact_person=person, product=product, stage=stage, representative=representative,
            value=Decimal("1234567.89"), purchase_costs=Decimal("234567.89"), success_percent=100,
            expected_close_date="2027-12-31",
        )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_column_of_the_opportunity_table_fits_at_1280(page, rep, language):
    long_rows(rep)
    sign_in(page, "rep")
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": page.base_url}])
    page.goto(page.base_url + "/prospection/")
    assert page.locator("html").get_attribute("lang") == language
    widths = page.evaluate(WIDTHS)
    screenshot(page, f"opportunity-table-{language}")
    assert widths["table"] <= widths["wrapper"], widths
    assert widths["table"] <= widths["container"], widths
    header = page.locator("[data-testid=opportunity-list] thead th").last
    box = header.bounding_box()
    assert box["x"] + box["width"] <= 1280
    # No header is cut: each fits its cell.
    cut = page.evaluate("""() => [...document.querySelectorAll('[data-testid=opportunity-list] thead th')]
        .filter(th => th.scrollWidth > th.clientWidth).map(th => th.textContent.trim())""")
    assert not cut, cut
