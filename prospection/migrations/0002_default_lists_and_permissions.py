from django.db import migrations

from crm.permissions import MANAGERS, SALES_REPS, grant

PRODUCTS = [
    ("Site Web", "Website"),
    ("Hébergement", "Hosting"),
    ("Marketing numérique", "Digital marketing"),
    ("Développement logiciel", "Software development"),
    ("Soutien technique", "Support"),
]
STAGES = [
    ("Premier contact", "First contact", "open"),
    ("Analyse des besoins", "Needs analysis", "open"),
    ("Soumission envoyée", "Quote sent", "open"),
    ("Négociation", "Negotiation", "open"),
    ("Gagnée", "Won", "won"),
    ("Perdue", "Lost", "lost"),
]
CATEGORIES = [
    ("Appel entrant", "Inbound call"),
    ("Démarche proactive", "Proactive outreach"),
    ("Référence", "Referral"),
    ("Salon", "Trade show"),
    ("Site Web", "Website form"),
]


def create_defaults(apps, schema_editor):
    for model_name, rows in [("Product", PRODUCTS), ("Stage", STAGES), ("Category", CATEGORIES)]:
        model = apps.get_model("prospection", model_name)
        for order, (label_fr, label_en, *outcome) in enumerate(rows, start=1):
            defaults = {"label_fr": label_fr, "order": order * 10}
            if outcome:
                defaults["outcome"] = outcome[0]
            model.objects.get_or_create(label_en=label_en, defaults=defaults)
    lists = ["view_product", "view_stage", "view_category"]
    everyday = ["view_opportunity", "add_opportunity", "change_opportunity"]
    grant(apps, SALES_REPS, "prospection", everyday + lists)
    grant(apps, MANAGERS, "prospection", everyday + lists + ["delete_opportunity"])


class Migration(migrations.Migration):
    dependencies = [("prospection", "0001_initial"), ("crm", "0002_groups")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
