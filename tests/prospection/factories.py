"""Factories for the prospection module (kept here: the app may be switched off)."""

from decimal import Decimal

import factory

from prospection.models import Category, LostReason, Opportunity, Product, Stage
from tests.factories import ContactFactory, UserFactory


def first_stage(outcome="open"):
    return Stage.objects.filter(outcome=outcome, is_active=True).order_by("order").first()


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    contact = factory.SubFactory(ContactFactory)
    subject = factory.Sequence(lambda n: f"Opportunité {n}")
    product = factory.LazyFunction(lambda: Product.objects.order_by("order").first())
    stage = factory.LazyFunction(first_stage)
    category = factory.LazyFunction(lambda: Category.objects.order_by("order").first())
    value = Decimal("1000.00")
    purchase_costs = Decimal("0.00")
    success_percent = 50
    representative = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("representative")
    # A lost opportunity needs a reason (Opportunity.apply_stage_rules).
    lost_reason = factory.LazyAttribute(
        lambda o: LostReason.objects.order_by("order").first() if o.stage.outcome == "lost" else None
    )
