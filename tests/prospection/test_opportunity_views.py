"""The opportunity form ("Nouvelle opp. de vente"), edit and delete."""

from decimal import Decimal

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
if not settings.PROSPECTION_ENABLED:
    pytest.skip("prospection module is off (CRM_PROSPECTION=off)", allow_module_level=True)

from django.contrib.auth.models import Permission  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from crm.amounts import parse_amount  # noqa: E402
from prospection.models import Category, Opportunity, Product, Stage  # noqa: E402
from tests.conftest import client_for  # noqa: E402
from tests.factories import ContactFactory, ContactPersonFactory, UserFactory  # noqa: E402
from tests.prospection.factories import OpportunityFactory, first_stage  # noqa: E402


def create_url(contact):
    return reverse("prospection:create", args=[contact.pk])


def form_data(person=None, **overrides):
    data = {
        "subject": "Site web",
        "product": Product.objects.get(label_en="Website").pk,
        "stage": first_stage().pk,
        "contact_person": person.pk if person else "",
        "category": Category.objects.get(label_en="Inbound call").pk,
        "value": "10 000",
        "purchase_costs": "2 000",
        "success_percent": "35",
        "representative": "",
        "expected_close_date": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_new_opportunity_form_has_the_guide_labels_in_french(rep_client, contact):
    page = rep_client.get(create_url(contact)).content.decode()
    for label in ["Nouvelle opp. de vente", "Sujet", "Produit", "Étape", "Personne contact", "Catégorie",
                  "Valeur de l’opportunité", "Coûts des achats", "% réussite", "Représentant"]:
        assert label in page, label


@pytest.mark.django_db
def test_new_opportunity_form_speaks_english(rep_client_en, contact):
    page = rep_client_en.get(create_url(contact)).content.decode()
    for label in ["New sales opportunity", "Subject", "Product", "Stage", "Contact person", "Category",
                  "Opportunity value", "Purchase costs", "Success %"]:
        assert label in page, label


@pytest.mark.django_db
def test_rep_creates_the_guides_opportunity_and_sees_its_total(rep_client, rep, contact, person):
    response = rep_client.post(create_url(contact), form_data(person), follow=True)
    opportunity = Opportunity.objects.get()
    assert (opportunity.contact, opportunity.contact_person, opportunity.created_by) == (contact, person, rep)
    assert opportunity.value == Decimal("10000.00")
    assert opportunity.total == Decimal("2800.00")
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == opportunity.get_absolute_url()
    assert "Opportunité de vente « Site web » créée." in page
    assert "2\u202f800,00\u00a0$" in page


@pytest.mark.parametrize("typed,language,expected", [
    ("10 000,50", "fr", "10000.50"), ("10\u202f000,50\u00a0$", "fr", "10000.50"), ("10000.5", "fr", "10000.5"),
    ("$10,000.50", "en", "10000.50"), ("10,000", "en", "10000"), ("12,5", "en", "12.5"),
    ("1.234,56", "fr", "1234.56"),
])
def test_amounts_are_read_as_people_type_them(typed, language, expected):
    assert parse_amount(typed, language=language) == Decimal(expected)


@pytest.mark.django_db
def test_an_english_form_reads_a_lone_comma_before_three_digits_as_thousands(rep_client_en, contact):
    # The form knows its typist's language; an import file does not and refuses "12,345" (tests/imports).
    response = rep_client_en.post(create_url(contact), form_data(value="12,345"))
    assert response.status_code == 302
    assert Opportunity.objects.get().value == Decimal("12345")


@pytest.mark.django_db
def test_a_french_form_reads_a_lone_comma_as_the_decimal_comma(rep_client, contact):
    response = rep_client.post(create_url(contact), form_data(value="12,345"))
    assert response.status_code == 400
    assert "pas plus de 2 chiffres après la virgule" in response.content.decode()
    assert not Opportunity.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field,bad,message", [
    ("value", "-1", "supérieure ou égale à 0"),
    ("purchase_costs", "-0,01", "supérieure ou égale à 0"),
    ("success_percent", "101", "inférieure ou égale à 100"),
    ("success_percent", "-1", "supérieure ou égale à 0"),
    ("success_percent", "abc", "Saisissez un nombre entier"),
    ("value", "dix", "Saisissez un nombre"),
    ("subject", "", "Ce champ est obligatoire"),
    ("value", "1000000000000", "pas plus de 12 chiffres avant la virgule"),
])
def test_bad_input_is_refused_with_a_french_message_and_saves_nothing(rep_client, contact, field, bad, message):
    response = rep_client.post(create_url(contact), form_data(**{field: bad}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Opportunity.objects.exists()


@pytest.mark.django_db
def test_bad_input_message_in_english(rep_client_en, contact):
    response = rep_client_en.post(create_url(contact), form_data(success_percent="150"))
    assert "less than or equal to 100" in response.content.decode()


@pytest.mark.django_db
def test_contact_person_choices_are_this_contacts_people_only(rep_client, contact, person):
    other = ContactPersonFactory(contact=ContactFactory(name="Ailleurs"), first_name="Xavier", last_name="Autre")
    form = rep_client.get(create_url(contact)).context["form"]
    assert list(form.fields["contact_person"].queryset) == [person]
    response = rep_client.post(create_url(contact), form_data(other))
    assert response.status_code == 400
    assert "contact_person" in response.context["form"].errors
    assert not Opportunity.objects.exists()


@pytest.mark.django_db
def test_representative_defaults_to_account_manager_shown_and_saved(rep_client, contact, manager):
    contact.account_manager = manager
    contact.save()
    form = rep_client.get(create_url(contact)).context["form"]
    assert form.fields["representative"].initial == manager
    rep_client.post(create_url(contact), form_data())
    assert Opportunity.objects.get().representative == manager


@pytest.mark.django_db
def test_representative_defaults_to_me_without_account_manager(rep_client, rep, contact):
    assert rep_client.get(create_url(contact)).context["form"].fields["representative"].initial == rep
    rep_client.post(create_url(contact), form_data())
    assert Opportunity.objects.get().representative == rep


@pytest.mark.django_db
def test_representative_can_be_someone_else(rep_client, contact, manager):
    rep_client.post(create_url(contact), form_data(representative=manager.pk))
    assert Opportunity.objects.get().representative == manager


@pytest.mark.django_db
def test_only_active_list_values_are_offered_but_an_opportunity_keeps_its_inactive_ones(rep_client, contact):
    hosting = Product.objects.get(label_en="Hosting")
    hosting.is_active = False
    hosting.save()
    negotiation = Stage.objects.get(label_en="Negotiation")
    Stage.objects.filter(pk=negotiation.pk).update(is_active=False)
    new_form = rep_client.get(create_url(contact)).context["form"]
    assert hosting not in new_form.fields["product"].queryset
    assert negotiation not in new_form.fields["stage"].queryset
    response = rep_client.post(create_url(contact), form_data(product=hosting.pk))
    assert response.status_code == 400

    opportunity = OpportunityFactory(contact=contact, product=hosting, stage=negotiation)
    edit_url = opportunity.get_absolute_url()
    edit_form = rep_client.get(edit_url).context["form"]
    assert hosting in edit_form.fields["product"].queryset
    assert negotiation in edit_form.fields["stage"].queryset
    assert Product.objects.get(label_en="Website") in edit_form.fields["product"].queryset
    response = rep_client.post(edit_url, form_data(product=hosting.pk, stage=negotiation.pk, subject="Gardée",
                                                   version=opportunity.version))
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert (opportunity.subject, opportunity.product, opportunity.stage) == ("Gardée", hosting, negotiation)


@pytest.mark.django_db
def test_edit_shows_amounts_in_french_and_saves_a_new_total(rep_client, opportunity):
    page = rep_client.get(opportunity.get_absolute_url()).content.decode()
    assert 'value="10\u202f000,00"' in page
    assert "Total" in page and "2\u202f800,00\u00a0$" in page
    response = rep_client.post(opportunity.get_absolute_url(), form_data(success_percent="90", version=opportunity.version),
                               follow=True)
    opportunity.refresh_from_db()
    assert opportunity.total == Decimal("7200.00")
    assert "Opportunité de vente « Site web » enregistrée." in response.content.decode()


@pytest.mark.django_db
def test_view_only_user_sees_the_opportunity_read_only_and_cannot_post(opportunity):
    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(*Permission.objects.filter(
        codename__in=["view_opportunity", "view_contact"]))
    client = client_for(viewer)
    response = client.get(opportunity.get_absolute_url())
    assert response.status_code == 200
    assert all(field.disabled for field in response.context["form"].fields.values())
    assert client.post(opportunity.get_absolute_url(), form_data(subject="Piraté")).status_code == 403
    opportunity.refresh_from_db()
    assert opportunity.subject == "Site web"


@pytest.mark.django_db
def test_rep_cannot_delete_but_manager_deletes_after_confirmation(rep_client, manager_client, opportunity, contact):
    url = reverse("prospection:delete", args=[opportunity.pk])
    assert rep_client.post(url).status_code == 403
    page = manager_client.get(url).content.decode()
    assert "Supprimer « Site web »" in page
    assert Opportunity.objects.exists()
    response = manager_client.post(url)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/contacts/{contact.pk}/?tab=prospection#contact-tabs")
    assert not Opportunity.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["create", "update", "delete"])
def test_outsider_gets_403_and_anonymous_goes_to_login(outsider_client, opportunity, contact, name):
    url = reverse(f"prospection:{name}", args=[contact.pk if name == "create" else opportunity.pk])
    assert outsider_client.get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_unknown_opportunity_or_contact_is_404(rep_client):
    assert rep_client.get(reverse("prospection:update", args=[999])).status_code == 404
    assert rep_client.get(reverse("prospection:create", args=[999])).status_code == 404


@pytest.mark.django_db
def test_create_is_csrf_protected(rep, contact):
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    assert client.post(create_url(contact), form_data()).status_code == 403
    assert not Opportunity.objects.exists()


@pytest.mark.django_db
def test_edit_page_query_count(rep_client, opportunity, django_assert_max_num_queries):
    ContactPersonFactory.create_batch(5, contact=opportunity.contact)
    # 12 for the form, then the history: its rows and one lookup per related model.
    with django_assert_max_num_queries(18):
        assert rep_client.get(opportunity.get_absolute_url()).status_code == 200
    for number in range(20):
        opportunity.success_percent = number
        opportunity.save()
    with django_assert_max_num_queries(18):
        assert rep_client.get(opportunity.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_adding_an_opportunity_also_needs_to_see_contacts(contact):
    blind = UserFactory(username="blind")
    blind.user_permissions.add(Permission.objects.get(codename="add_opportunity"))
    assert client_for(blind).post(create_url(contact), form_data()).status_code == 403
    assert not Opportunity.objects.exists()
