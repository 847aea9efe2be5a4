"""Issue 17: an opportunity's History shows money and percentages as the pages do, in the reader's language."""

from decimal import Decimal

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
if not settings.PROSPECTION_ENABLED:
    pytest.skip("prospection module is off (CRM_PROSPECTION=off)", allow_module_level=True)

pytestmark = [pytestmark, pytest.mark.django_db]


@pytest.fixture
def changed(opportunity):
    """Site web: 10 000 → 12 500,50 of value, 35 → 40 %."""
    opportunity.refresh_from_db()
    opportunity.value = Decimal("12500.50")
    opportunity.success_percent = 40
    opportunity.save()
    return opportunity


def history_rows(client, opportunity) -> dict[str, list[tuple[str, str]]]:
    entries = client.get(opportunity.get_absolute_url()).context["data"]["entries"]
    rows = {}
    for entry in entries:
        for label, before, after in entry.changes:
            rows.setdefault(label, []).append((before, after))
    return rows


def test_history_shows_money_and_percent_in_french(rep_client, changed):
    rows = history_rows(rep_client, changed)
    assert ("10\u202f000,00\u00a0$", "12\u202f500,50\u00a0$") in rows["Valeur de l’opportunité"]
    assert ("35\u00a0%", "40\u00a0%") in rows["% réussite"]
    assert ("", "2\u202f000,00\u00a0$") in rows["Coûts des achats"]  # the creation
    page = rep_client.get(changed.get_absolute_url()).content.decode()
    assert "12500.50" not in page.split('data-testid="history"')[1]


def test_history_shows_money_and_percent_in_english(rep_client_en, changed):
    rows = history_rows(rep_client_en, changed)
    assert ("$10,000.00", "$12,500.50") in rows["Opportunity value"]
    assert ("35%", "40%") in rows["Success %"]
