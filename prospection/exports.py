"""Opportunities going out: an XLSX workbook with typed cells (amounts, %, dates) in the page's
language, and a CSV with code names as headers (for other programs; the same in both languages).

write_opportunities_xlsx / write_opportunities_csv(opportunities, language, stream): the queryset is
what the dashboard lists (its filters); rows are read as tuples and the short lists (products, stages,
categories, users, lost reasons) once into dictionaries: 5–6 queries whatever the number of rows.
"""

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import pgettext_lazy

from crm.csv_export import write_csv
from crm.exporting.spec import Export
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


def write_opportunities_xlsx(opportunities, language: str, stream, progress=None) -> int:
    with translation.override(language):
        header = [str(label) for label in COLUMNS]
        sheet = str(pgettext_lazy("export sheet", "Opportunities"))
    return write_xlsx(stream, sheet=sheet, header=header, rows=opportunity_rows(opportunities, language),
                      widths=WIDTHS, progress=progress)


CSV_HEADER = [
    "subject", "contact", "contact_external_ref", "product", "stage", "outcome", "contact_person",
    "category", "value", "purchase_costs", "success_percent", "total", "representative",
    "expected_close_date", "created_at", "updated_at",
    # Issue 17: the stage's default %, whether this % was set by hand, and how it closed.
    "stage_probability", "percent_set_by_hand", "closed_on", "lost_reason", "lost_comment",
]
CSV_FIELDS = [
    "subject", "contact__name", "contact__external_ref", "product_id", "stage_id",
    "contact_person__first_name", "contact_person__last_name", "category_id", "value", "purchase_costs",
    "success_percent", "total", "representative_id", "expected_close_date", "created_at", "updated_at",
    "probability_set_by_hand", "closed_on", "lost_comment",
]


def csv_rows(opportunities, language: str):
    """Rows as tuples, the short lists read once into dictionaries: no model instance per row, which was
    most of the time at 100,000 rows. Labels (products, stages…) in `language`."""
    with translation.override(language):
        products, categories = labels(Product), labels(Category)
        stages = {stage.pk: (stage.label, stage.outcome, stage.probability) for stage in Stage.objects.all()}
    reason_label = "lost_reason__label_en" if language == "en" else "lost_reason__label_fr"
    usernames = dict(get_user_model().objects.values_list("pk", get_user_model().USERNAME_FIELD))
    for (subject, contact, external_ref, product, stage, first_name, last_name, category, value, costs,
         percent, total, representative, close_date, created_at, updated_at, by_hand, closed_on, lost_comment,
         lost_reason) in opportunities.values_list(*CSV_FIELDS, reason_label).iterator(chunk_size=2000):
        stage_label, outcome, stage_probability = stages[stage]
        yield [
            subject, contact, external_ref, products.get(product, ""), stage_label, outcome,
            " ".join(part for part in (first_name, last_name) if part),  # ContactPerson.full_name
            categories.get(category, ""),
            value, costs, percent, total, usernames[representative],
            close_date.isoformat() if close_date else "",
            created_at.isoformat(timespec="seconds"), updated_at.isoformat(timespec="seconds"),
            stage_probability, "yes" if by_hand else "no", closed_on.isoformat() if closed_on else "",
            lost_reason or "", lost_comment,
        ]


def write_opportunities_csv(opportunities, language: str, stream, progress=None) -> int:
    return write_csv(stream, CSV_HEADER, csv_rows(opportunities, language), progress=progress)


def listed_opportunities(asker):
    """What the dashboard lists for this query string (its filters; all pages)."""
    from prospection.views import filtered_opportunities  # the dashboard's own filters

    return filtered_opportunities(asker).qs


OPPORTUNITIES_CSV = Export(name="opportunities.csv", target="opportunities", kind="opportunity",
                           stem="opportunities", extension="csv", permission="prospection.view_opportunity",
                           select=listed_opportunities, write=write_opportunities_csv)
OPPORTUNITIES_XLSX = Export(name="opportunities.xlsx", target="opportunities", kind="opportunity",
                            stem="opportunities", extension="xlsx", permission="prospection.view_opportunity",
                            select=listed_opportunities, write=write_opportunities_xlsx)
