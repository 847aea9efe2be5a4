"""The opportunity's rules: the total and band computed by the database, constraints, defaults."""

import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
if not settings.PROSPECTION_ENABLED:
    pytest.skip("prospection module is off (CRM_PROSPECTION=off)", allow_module_level=True)

from django.core.exceptions import ValidationError  # noqa: E402
from django.db import IntegrityError, transaction  # noqa: E402

from prospection.models import Opportunity, Stage  # noqa: E402
from tests.factories import ContactFactory, ContactPersonFactory, UserFactory  # noqa: E402
from tests.prospection.factories import OpportunityFactory, first_stage  # noqa: E402

CENT = Decimal("0.01")


def python_total(value, costs, percent) -> Decimal:
    return ((Decimal(value) - Decimal(costs)) * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)


AWKWARD = [
    # (value, costs, percent)
    ("10000.00", "2000.00", 35),            # the guide's example: 2 800,00
    ("0.01", "0", 33),                       # 0.0033 → 0.00
    ("0.01", "0", 50),                       # 0.005 → 0.01 (half up)
    ("0.03", "0", 50),                       # 0.015 → 0.02 (binary float would say 0.01)
    ("0.05", "0", 50),                       # 0.025 → 0.03
    ("2.675", "0", 100),                     # stored 2.68 (2 places) → 2.68
    ("1.25", "0", 50),                       # 0.625 → 0.63
    ("0.29", "0", 100),                      # 0.29 is not exact in binary
    ("1000.00", "1500.00", 35),              # negative: -175.00
    ("0", "0.01", 50),                       # -0.005 → -0.01 (half away from zero)
    ("0", "0.03", 50),                       # -0.015 → -0.02
    ("0", "0.07", 50),                       # -0.035 → -0.04
    ("999999999999.99", "0", 100),           # the largest value
    ("999999999999.99", "0", 99),            # 989999999999.9901 → 989999999999.99
    ("999999999999.99", "0.01", 33),         # 329999999999.9934 → 329999999999.99
    ("999999999999.99", "0", 50),            # 499999999999.995 → 500000000000.00
    ("0", "999999999999.99", 100),           # the most negative
    ("123456789.87", "23456789.12", 67),
    ("5.55", "0", 10),                       # 0.555 → 0.56
    ("0", "0", 0),
]


@pytest.mark.django_db
@pytest.mark.parametrize("value,costs,percent", AWKWARD)
def test_total_is_computed_by_the_database_exactly_like_decimal_half_up(value, costs, percent):
    opportunity = OpportunityFactory(value=Decimal(value).quantize(CENT, ROUND_HALF_UP),
                                     purchase_costs=Decimal(costs), success_percent=percent)
    stored = Opportunity.objects.values_list("total", flat=True).get(pk=opportunity.pk)
    expected = python_total(Decimal(value).quantize(CENT, ROUND_HALF_UP), costs, percent)
    assert stored == expected
    assert opportunity.total == expected  # returned by the INSERT, no reload needed


@pytest.mark.django_db
def test_total_matches_decimal_on_many_random_amounts_including_half_cents():
    rng = random.Random(20261128)
    cases = []
    for _ in range(400):
        value = Decimal(rng.randrange(0, 10**rng.randint(1, 14))) / 100
        costs = Decimal(rng.randrange(0, 10**rng.randint(1, 14))) / 100
        percent = rng.choice([0, 1, 5, 10, 33, 35, 50, 67, 99, 100, rng.randint(0, 100)])
        cases.append((value, costs, percent))
    contact = ContactFactory()
    user = UserFactory()
    stage = first_stage()
    Opportunity.objects.bulk_create(
        Opportunity(contact=contact, subject=f"n{i}", stage=stage, representative=user,
                    value=value, purchase_costs=costs, success_percent=percent)
        for i, (value, costs, percent) in enumerate(cases)
    )
    stored = dict(Opportunity.objects.values_list("subject", "total"))
    wrong = [
        (value, costs, percent, stored[f"n{i}"])
        for i, (value, costs, percent) in enumerate(cases)
        if stored[f"n{i}"] != python_total(value, costs, percent)
    ]
    assert wrong == []


@pytest.mark.django_db
def test_total_follows_an_update():
    opportunity = OpportunityFactory(value=Decimal("100.00"), success_percent=10)
    opportunity.success_percent = 90
    opportunity.purchase_costs = Decimal("20.00")
    opportunity.save()
    assert opportunity.total == Decimal("72.00")
    assert opportunity.band == 4


@pytest.mark.django_db
@pytest.mark.parametrize("percent,band", [(0, 0), (19, 0), (20, 1), (39, 1), (40, 2), (59, 2),
                                          (60, 3), (79, 3), (80, 4), (99, 4), (100, 4)])
def test_band_holds_its_lower_bound_and_100_is_in_the_last_band(percent, band):
    opportunity = OpportunityFactory(success_percent=percent)
    assert Opportunity.objects.values_list("band", flat=True).get(pk=opportunity.pk) == band
    assert Opportunity.objects.in_band(band).filter(pk=opportunity.pk).exists()
    annotated = Opportunity.objects.with_band().get(pk=opportunity.pk)
    assert (annotated.band, annotated.band_low, annotated.band_high) == (band, band * 20, band * 20 + 20)


@pytest.mark.django_db
@pytest.mark.parametrize("field,bad", [("value", Decimal("-0.01")), ("purchase_costs", Decimal("-5")),
                                       ("success_percent", -1), ("success_percent", 101)])
def test_database_rejects_negative_money_and_percent_outside_0_100(field, bad):
    opportunity = OpportunityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=opportunity.pk).update(**{field: bad})


@pytest.mark.django_db
def test_model_validation_names_the_field_for_negative_value():
    opportunity = OpportunityFactory.build(value=Decimal("-1"), contact=ContactFactory(),
                                           representative=UserFactory(), created_by=None)
    with pytest.raises(ValidationError) as error:
        opportunity.full_clean()
    assert "value" in error.value.message_dict


@pytest.mark.django_db
def test_contact_person_of_another_contact_is_refused_by_the_model(contact):
    stranger = ContactPersonFactory(contact=ContactFactory(name="Autre"))
    opportunity = OpportunityFactory(contact=contact)
    opportunity.contact_person = stranger
    with pytest.raises(ValidationError) as error:
        opportunity.full_clean()
    assert "contact_person" in error.value.message_dict
    opportunity.contact_person = ContactPersonFactory(contact=contact)
    opportunity.full_clean()


@pytest.mark.django_db
def test_representative_defaults_to_the_account_manager_else_the_creator(contact, rep, manager):
    stage = first_stage()
    contact.account_manager = manager
    contact.save()
    managed = Opportunity.objects.create(contact=contact, subject="A", stage=stage, created_by=rep)
    assert managed.representative == manager

    contact.account_manager = None
    contact.save()
    unmanaged = Opportunity.objects.create(contact=contact, subject="B", stage=stage, created_by=rep)
    assert unmanaged.representative == rep

    manager.is_active = False
    manager.save()
    contact.account_manager = manager
    contact.save()
    left = Opportunity.objects.create(contact=contact, subject="C", stage=stage, created_by=rep)
    assert left.representative == rep


@pytest.mark.django_db
def test_open_won_lost_and_for_representative(rep, manager):
    open_one = OpportunityFactory(representative=rep)
    won = OpportunityFactory(representative=rep, stage=first_stage("won"))
    lost = OpportunityFactory(representative=manager, stage=first_stage("lost"))
    assert list(Opportunity.objects.open()) == [open_one]
    assert list(Opportunity.objects.won()) == [won]
    assert list(Opportunity.objects.lost()) == [lost]
    assert set(Opportunity.objects.for_representative(rep)) == {open_one, won}


@pytest.mark.django_db
def test_figures_are_one_query_and_exact(django_assert_num_queries):
    for value, percent in [("0.10", 100)] * 10 + [("10000", 35), ("500", 100), ("100", 0)]:
        OpportunityFactory(value=Decimal(value), success_percent=percent)
    with django_assert_num_queries(1):
        figures = Opportunity.objects.figures()
    assert figures["count"] == 13
    assert figures["value"] == Decimal("10601.00")
    assert figures["total"] == Decimal("4001.00")
    assert [(band["count"], band["total"]) for band in figures["bands"]] == [
        (1, Decimal("0.00")), (1, Decimal("3500.00")), (0, Decimal("0.00")), (0, Decimal("0.00")),
        (11, Decimal("501.00")),
    ]


@pytest.mark.django_db
def test_a_user_with_opportunities_cannot_be_deleted_and_a_contact_takes_its_opportunities(rep, contact):
    from django.db.models import ProtectedError

    OpportunityFactory(contact=contact, representative=rep, created_by=rep)
    with pytest.raises(ProtectedError):
        rep.delete()
    contact.delete()
    assert Opportunity.objects.count() == 0


@pytest.mark.django_db
def test_default_lists_are_shipped_in_both_languages():
    from django.utils import translation

    from prospection.models import Category, Product

    assert Stage.objects.filter(outcome="won").exists() and Stage.objects.filter(outcome="lost").exists()
    website = Product.objects.get(label_en="Website")
    with translation.override("fr"):
        assert str(website) == "Site Web"
    with translation.override("en"):
        assert str(website) == "Website"
    assert Category.objects.filter(label_fr="Appel entrant").exists()
