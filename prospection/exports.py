"""Opportunities going out as an XLSX workbook with typed cells (amounts, %, dates), in the page's language.

write_opportunities_xlsx(opportunities, language, stream): the queryset is what the dashboard lists
(its filters); rows are read as tuples and the short lists (products, stages, categories, users,
lost reasons) once into dictionaries: 6 queries whatever the number of rows.
"""

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import pgettext_lazy

from crm.exporting.xlsx import write_xlsx
from prospection.models import Category, LostReason, Product, Stage

FIELDS = [
    "subject", "contact__name", "contact__external_ref", "product_id", "stage_id", "contact_person__first_name",
    "contact_person__last_name", "category_id", "value", "purchase_costs", "success_percent", "total",
    "representative_id", "expected_close_date", "closed_on", "lost_reason_id", "lost_comment", "created_at",
    "updated_at",
]
COLUMNS = [
    pgettext_lazy("export column", "Subject"), pgettext_lazy("export column", "Contact"),
    pgettext_lazy("export column", "Contact reference"), pgettext_lazy("export column", "Product"),
    pgettext_lazy("export column", "Stage"), pgettext_lazy("export column", "Contact person"),
    pgettext_lazy("export column", "Category"), pgettext_lazy("export column", "Value"),
    pgettext_lazy("export column", "Purchase costs"), pgettext_lazy("export column", "Success %"),
    pgettext_lazy("export column", "Total"), pgettext_lazy("export column", "Representative"),
    pgettext_lazy("export column", "Expected close date"), pgettext_lazy("export column", "Closed on"),
    pgettext_lazy("export column", "Lost reason"), pgettext_lazy("export column", "Lost comment"),
    pgettext_lazy("export column", "Created"), pgettext_lazy("export column", "Updated"),
]
WIDTHS = [32, 28, 14, 16, 16, 22, 16, 12, 12, 10, 12, 14, 12, 12, 18, 30, 16, 16]


def labels(model) -> dict:
    return {row.pk: row.label for row in model.objects.all()}


def opportunity_rows(opportunities, language: str):
    with translation.override(language):
        products, stages, categories, reasons = (labels(model) for model in (Product, Stage, Category, LostReason))
    User = get_user_model()
    usernames = dict(User.objects.values_list("pk", User.USERNAME_FIELD))
    for (subject, contact, reference, product, stage, first_name, last_name, category, value, costs, percent, total,
         representative, close_date, closed_on, reason, comment, created_at, updated_at) in (
            opportunities.values_list(*FIELDS).iterator(chunk_size=2000)):
        yield [subject, contact, reference, products.get(product, ""), stages.get(stage, ""),
               " ".join(part for part in (first_name, last_name) if part), categories.get(category, ""),
               value, costs, percent, total, usernames.get(representative, ""), close_date, closed_on,
               reasons.get(reason, ""), comment, created_at, updated_at]


def write_opportunities_xlsx(opportunities, language: str, stream) -> int:
    with translation.override(language):
        header = [str(label) for label in COLUMNS]
        sheet = str(pgettext_lazy("export sheet", "Opportunities"))
    return write_xlsx(stream, sheet=sheet, header=header, rows=opportunity_rows(opportunities, language),
                      widths=WIDTHS)
