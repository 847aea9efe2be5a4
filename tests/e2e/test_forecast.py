"""Issue 17: the forecast page in a browser — both charts drawn, tables beside them, no serious axe violation."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")

from playwright.sync_api import expect  # noqa: E402

from prospection.models import Opportunity  # noqa: E402
from tests.e2e.conftest import assert_accessible, screenshot, sign_in  # noqa: E402
from tests.prospection.factories import OpportunityFactory, first_stage  # noqa: E402


@pytest.mark.parametrize("language", ["fr", "en"])
def test_forecast_page_draws_both_charts_beside_their_tables(page, rep, language):
    today = timezone.localdate()
    for months, value in [(-1, "400"), (0, "1000"), (1, "25000"), (5, "1234567.89")]:
        OpportunityFactory(representative=rep, value=Decimal(value), success_percent=50,
                           expected_close_date=today + datetime.timedelta(days=31 * months))
    won = OpportunityFactory(representative=rep, value=Decimal("5000"), stage=first_stage("won"))
    Opportunity.objects.filter(pk=won.pk).update(closed_on=today - datetime.timedelta(days=40))
    sign_in(page, "rep")
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": page.base_url}])
    page.goto(page.base_url + "/prospection/")
    page.get_by_test_id("forecast-tab").click()
    expect(page.get_by_test_id("forecast-pipeline").get_by_test_id("forecast-count")).to_have_text("4")
    page.wait_for_load_state("load")
    for chart in ("pipeline-chart", "won-chart"):
        image = page.get_by_test_id(chart)
        expect(image).to_be_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), chart
    screenshot(page, f"forecast-{language}")
    assert_accessible(page)
