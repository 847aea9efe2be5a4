"""Demo opportunities: on the demo contacts, in every band, stage and product, never duplicated."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
if not settings.PROSPECTION_ENABLED:
    pytest.skip("prospection module is off (CRM_PROSPECTION=off)", allow_module_level=True)

from io import StringIO  # noqa: E402

from django.core.management import call_command  # noqa: E402

from prospection import demo  # noqa: E402
from prospection.models import BANDS, Opportunity, Product, Stage  # noqa: E402


@pytest.mark.django_db
def test_seed_demo_covers_every_band_stage_and_product_and_runs_twice():
    call_command("seed_demo", stdout=StringIO())
    opportunities = Opportunity.objects.all()
    assert opportunities.count() == len(demo.OPPORTUNITIES)
    assert set(opportunities.values_list("band", flat=True)) == set(range(len(BANDS)))
    assert set(opportunities.values_list("stage", flat=True)) == set(Stage.objects.values_list("pk", flat=True))
    assert set(opportunities.values_list("product", flat=True)) == set(Product.objects.values_list("pk", flat=True))
    assert set(opportunities.values_list("contact__external_ref", flat=True)) == {f"demo-{n}" for n in range(1, 11)}
    for opportunity in opportunities.select_related("contact_person"):
        if opportunity.contact_person:
            assert opportunity.contact_person.contact_id == opportunity.contact_id
        opportunity.full_clean()

    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert Opportunity.objects.count() == len(demo.OPPORTUNITIES)
    assert "Prospection : 0 élément créé" in output.getvalue()
