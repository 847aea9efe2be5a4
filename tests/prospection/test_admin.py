"""The Django admin: the three configurable lists (editable order and activity) and the opportunities."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
if not settings.PROSPECTION_ENABLED:
    pytest.skip("prospection module is off (CRM_PROSPECTION=off)", allow_module_level=True)

from prospection.models import Product  # noqa: E402
from tests.conftest import client_for  # noqa: E402
from tests.factories import UserFactory  # noqa: E402
from tests.prospection.factories import OpportunityFactory  # noqa: E402


@pytest.fixture
def admin_client_fr(db):
    return client_for(UserFactory(username="boss", is_staff=True, is_superuser=True))


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["product", "stage", "category", "opportunity"])
def test_admin_changelist_and_add_pages_open(admin_client_fr, model):
    OpportunityFactory(subject="Site web")
    assert admin_client_fr.get(f"/admin/prospection/{model}/").status_code == 200
    assert admin_client_fr.get(f"/admin/prospection/{model}/add/").status_code == 200


@pytest.mark.django_db
def test_admin_lists_edit_order_and_activity_in_place(admin_client_fr):
    page = admin_client_fr.get("/admin/prospection/product/").content.decode()
    assert 'name="form-0-order"' in page and 'name="form-0-is_active"' in page


@pytest.mark.django_db
def test_admin_opportunities_are_searchable_and_show_the_total(admin_client_fr):
    opportunity = OpportunityFactory(subject="Refonte du site", value="10000", success_percent=35)
    OpportunityFactory(subject="Autre chose")
    page = admin_client_fr.get("/admin/prospection/opportunity/?q=refonte").content.decode()
    assert "Refonte du site" in page and "Autre chose" not in page
    change = admin_client_fr.get(f"/admin/prospection/opportunity/{opportunity.pk}/change/").content.decode()
    assert "3500,00" in change or "3\u202f500,00" in change or "3500.00" in change


@pytest.mark.django_db
def test_admin_index_lists_the_module(admin_client_fr):
    page = admin_client_fr.get("/admin/").content.decode()
    assert "/admin/prospection/product/" in page
    assert Product.objects.count() == 5
