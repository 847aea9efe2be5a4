"""Demo sales opportunities on the demo contacts: every success band, stage and product."""

import datetime
from decimal import Decimal

from django.utils import timezone

from contacts.models import Contact
from prospection.models import Category, LostReason, Opportunity, Product, Stage

OPPORTUNITIES = [
    # (contact ref, subject, product, stage, category, value, costs, %, who, close in days)
    ("demo-1", "Site web transactionnel", "Website", "First contact", "Inbound call", "12000", "1500", 10, "rep", 60),
    ("demo-1", "Hébergement et courriels", "Hosting", "Won", "Referral", "1800", "300", 100, "rep", -10),
    ("demo-2", "Campagne Google Ads", "Digital marketing", "Needs analysis", "Proactive outreach", "6000", "2500", 25, "rep", 30),
    ("demo-2", "Portail client", "Software development", "Quote sent", "Referral", "45000", "8000", 50, "manager", 45),
    ("demo-3", "Fleet tracking dashboard", "Software development", "Negotiation", "Trade show", "80000", "12000", 75, "rep", 20),
    ("demo-4", "Prise de rendez-vous en ligne", "Website", "Quote sent", "Website form", "9500", "0", 60, "rep", 15),
    ("demo-4", "Soutien technique annuel", "Support", "Won", "Inbound call", "4800", "0", 100, "manager", -30),
    ("demo-5", "SEO audit", "Digital marketing", "Lost", "Proactive outreach", "3500", "0", 0, "rep", -20),
    ("demo-6", "Boutique en ligne", "Website", "First contact", "Trade show", "15000", "3000", 15, "rep", 90),
    ("demo-7", "Site vitrine", "Website", "Needs analysis", "Website form", "3200", "0", 35, "rep", 40),
    ("demo-8", "Member app", "Software development", "Lost", "Referral", "22000", "4000", 20, "manager", -60),
    ("demo-9", "Migration de serveur", "Hosting", "Negotiation", "Inbound call", "7000", "2000", 85, "manager", 10),
    ("demo-10", "Refonte de l’image de marque", "Digital marketing", "Quote sent", "Referral", "11000", "1000", 45, "rep", 35),
    ("demo-10", "Maintenance WordPress", "Support", "Negotiation", "Proactive outreach", "2400", "0", 90, "rep", 7),
]

LOST_REASONS = {"SEO audit": "Competitor", "Member app": "No budget"}


def list_value(model, label_en):
    """The default list value, or the first active one if an administrator renamed it."""
    return model.objects.filter(label_en=label_en).first() or model.objects.active().first()


def seed(*, users) -> int:
    """Create the demo opportunities that do not exist yet (keyed by contact and subject)."""
    refs = {row[0] for row in OPPORTUNITIES}
    contacts = {contact.external_ref: contact for contact in Contact.objects.filter(external_ref__in=refs)}
    today = timezone.localdate()
    created_count = 0
    for ref, subject, product, stage, category, value, costs, percent, who, days in OPPORTUNITIES:
        contact = contacts.get(ref)
        if contact is None:
            continue
        _opportunity, created = Opportunity.objects.get_or_create(
            contact=contact,
            subject=subject,
            defaults={
                "product": list_value(Product, product),
                "stage": list_value(Stage, stage),
                "category": list_value(Category, category),
                "contact_person": contact.people.first(),
                "value": Decimal(value),
                "purchase_costs": Decimal(costs),
                "success_percent": percent,
                "representative": getattr(users, who),
                "expected_close_date": today + datetime.timedelta(days=days),
                "created_by": users.rep,
                "lost_reason": LOST_REASONS.get(subject) and list_value(LostReason, LOST_REASONS[subject]),
            },
        )
        created_count += created
    return created_count
