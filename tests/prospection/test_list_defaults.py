"""Issue 15: the opportunity form preselects the stage (and product, category) the admin marked default,
never "the first by order", so adding a value in the admin changes nothing by itself."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
if not settings.PROSPECTION_ENABLED:
    pytest.skip("prospection module is off (CRM_PROSPECTION=off)", allow_module_level=True)

from django.urls import reverse  # noqa: E402

from prospection.models import Product, Stage  # noqa: E402
from tests.conftest import client_for  # noqa: E402
from tests.factories import UserFactory  # noqa: E402

pytestmark = [pytestmark, pytest.mark.django_db]


@pytest.fixture
def admin_client_fr(db):
    return client_for(UserFactory(username="boss", is_staff=True, is_superuser=True))


def preselected(client, contact, name):
    return client.get(reverse("prospection:create", args=[contact.pk])).context["form"][name].value()


def test_a_stage_added_first_in_order_is_not_preselected(admin_client_fr, rep_client, contact):
    response = admin_client_fr.post("/admin/prospection/stage/add/", {
        "label_fr": "Prospect froid", "label_en": "Cold lead", "outcome": "open", "probability": "5", "order": "0",
        "is_active": "on",
    })
    assert response.status_code == 302
    assert list(Stage.objects.filter(is_default=True).values_list("label_fr", flat=True)) == ["Premier contact"]
    assert preselected(rep_client, contact, "stage") == Stage.objects.get(label_fr="Premier contact").pk


def test_marking_a_stage_default_in_the_admin_moves_the_flag(admin_client_fr, rep_client, contact):
    analysis = Stage.objects.get(label_en="Needs analysis")
    response = admin_client_fr.post(f"/admin/prospection/stage/{analysis.pk}/change/", {
        "label_fr": analysis.label_fr, "label_en": analysis.label_en, "outcome": "open",
        "probability": analysis.probability, "order": analysis.order, "is_active": "on", "is_default": "on",
    })
    assert response.status_code == 302
    assert list(Stage.objects.filter(is_default=True)) == [analysis]
    assert preselected(rep_client, contact, "stage") == analysis.pk


def test_a_won_stage_cannot_be_the_default(admin_client_fr):
    won = Stage.objects.get(label_en="Won")
    response = admin_client_fr.post(f"/admin/prospection/stage/{won.pk}/change/", {
        "label_fr": won.label_fr, "label_en": won.label_en, "outcome": "won",
        "order": won.order, "is_active": "on", "is_default": "on",
    })
    assert "L’étape par défaut doit être une étape ouverte" in response.content.decode()
    assert Stage.objects.get(is_default=True).label_fr == "Premier contact"


def test_products_have_no_default_until_the_admin_sets_one(admin_client_fr, rep_client, contact):
    assert preselected(rep_client, contact, "product") is None
    hosting = Product.objects.get(label_en="Hosting")
    response = admin_client_fr.post(f"/admin/prospection/product/{hosting.pk}/change/", {
        "label_fr": hosting.label_fr, "label_en": hosting.label_en, "order": hosting.order,
        "is_active": "on", "is_default": "on",
    })
    assert response.status_code == 302
    assert preselected(rep_client, contact, "product") == hosting.pk
