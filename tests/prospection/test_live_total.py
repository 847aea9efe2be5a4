"""Issue 17: the opportunity form shows « Total » and its formula before saving (the guide lists it among the
fields of « Nouvelle opp. de vente »); static/js/total.js computes it live from the user's number format."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
if not settings.PROSPECTION_ENABLED:
    pytest.skip("prospection module is off (CRM_PROSPECTION=off)", allow_module_level=True)

from django.urls import reverse  # noqa: E402

pytestmark = [pytestmark, pytest.mark.django_db]


def test_new_opportunity_form_shows_the_total_and_its_formula(rep_client, contact):
    page = rep_client.get(reverse("prospection:create", args=[contact.pk])).content.decode()
    assert 'id="id_total"' in page
    assert "(valeur − coûts des achats) × % réussite" in page
    assert "Calculé à l’enregistrement" in page  # without JavaScript
    assert 'data-live-total' in page and 'data-decimal="," data-group="\u202f"' in page
    assert 'data-suffix="\u00a0$"' in page and 'data-prefix=""' in page
    assert '<script src="/static/js/total.js" defer></script>' in page


def test_the_formats_for_english(rep_client_en, contact):
    page = rep_client_en.get(reverse("prospection:create", args=[contact.pk])).content.decode()
    assert "(value − purchase costs) × success %" in page
    assert 'data-decimal="." data-group=","' in page and 'data-prefix="$" data-suffix=""' in page


def test_saved_opportunity_shows_its_total(rep_client, opportunity):
    page = rep_client.get(opportunity.get_absolute_url()).content.decode()
    assert 'value="2\u202f800,00\u00a0$"' in page and "data-live-total" in page
