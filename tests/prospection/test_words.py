"""Issue 15: an opportunity's history agrees with « une opportunité »."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
if not settings.PROSPECTION_ENABLED:
    pytest.skip("prospection module is off (CRM_PROSPECTION=off)", allow_module_level=True)


@pytest.mark.django_db
def test_an_opportunitys_history_reads_creee(rep_client, opportunity, rep_client_en):
    page = rep_client.get(opportunity.get_absolute_url()).content.decode()
    assert '<span class="fw-semibold">Site web</span> — créée' in page
    page = rep_client_en.get(opportunity.get_absolute_url()).content.decode()
    assert '<span class="fw-semibold">Site web</span> — created' in page
