"""The forecast: the open pipeline by expected close month, and the won value by close month.

Months are the site's (TIME_ZONE, America/Toronto): "today" is
timezone.localdate(), and both dates grouped here are already local days
(`expected_close_date` is typed by people, `closed_on` is recorded as the
local day of the close), so a month runs from its 1st to its last day there.
Each chart is ONE grouped query (GROUP BY month), whatever the number of rows;
both are cached together under the figures' stamp (prospection/figures.py)
with the filters and today's date.

The pipeline's bars — « En retard », then this month and the next 11 — plus
« Plus tard » and « Sans date » add up to the dashboard's open total for the
same filters.
"""

import datetime
from decimal import Decimal

from django.db import connections, models
from django.db.models import Case, Count, Q, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.dates import add_months
from crm.formatting import format_date
from prospection.figures import cached_sums, filter_values
from prospection.models import cents_sum, from_cents, from_units

MONTHS = 12
LATE, IN_WINDOW, LATER, UNDATED = 0, 1, 2, 3
ZERO = (0, Decimal("0.00"), Decimal("0.00"))


def month_label(month: datetime.date) -> str:
    return format_date(month, "YEAR_MONTH_FORMAT")  # « septembre 2027 », "September 2027"


def _money_sums(queryset):
    """Sum() of value and total, exact on SQLite too (see OpportunityQuerySet.band_sums)."""
    in_cents = connections[queryset.db].vendor == "sqlite"
    money_sum, to_money = (cents_sum, from_cents) if in_cents else (Sum, from_units)
    return {"n": Count("*"), "value_sum": money_sum("value"), "total_sum": money_sum("total")}, to_money


def pipeline_sums(queryset, today: datetime.date) -> dict:
    """{(kind, month or None): (count, value, total)} of the open opportunities: ONE grouped query."""
    start = today.replace(day=1)
    end = add_months(start, MONTHS)
    in_window = Q(expected_close_date__gte=today, expected_close_date__lt=end)
    kind = Case(
        When(expected_close_date__isnull=True, then=Value(UNDATED)),
        When(expected_close_date__lt=today, then=Value(LATE)),
        When(expected_close_date__gte=end, then=Value(LATER)),
        default=Value(IN_WINDOW), output_field=models.SmallIntegerField(),
    )
    month = Case(When(in_window, then=TruncMonth("expected_close_date")), default=Value(None),
                 output_field=models.DateField())
    sums, to_money = _money_sums(queryset)
    rows = queryset.open().order_by().annotate(kind=kind, month=month).values_list("kind", "month").annotate(**sums)
    return {(kind, month): (n, to_money(value), to_money(total)) for kind, month, n, value, total in rows}


def won_sums(queryset, today: datetime.date) -> dict:
    """{month: (count, value, total)} of the opportunities won this month and the 11 before: ONE grouped query."""
    first = add_months(today.replace(day=1), 1 - MONTHS)
    sums, to_money = _money_sums(queryset)
    rows = (queryset.won().filter(closed_on__gte=first, closed_on__lte=today).order_by()
            .annotate(month=TruncMonth("closed_on")).values_list("month").annotate(**sums))
    return {month: (n, to_money(value), to_money(total)) for month, n, value, total in rows}


def _bar(key: str, label: str, sums: tuple) -> dict:
    count, value, total = sums
    return {"key": key, "label": label, "count": count, "value": value, "total": total}


def _as_date(month) -> datetime.date:
    return month.date() if isinstance(month, datetime.datetime) else month


def pipeline_figures(sums: dict, today: datetime.date) -> dict:
    """The late bar and the 12 month bars, the rows beyond them (later, undated), and their totals."""
    by_month = {_as_date(month): row for (kind, month), row in sums.items() if kind == IN_WINDOW}
    start = today.replace(day=1)
    months = [add_months(start, offset) for offset in range(MONTHS)]
    bars = [_bar("late", _("Overdue"), sums.get((LATE, None), ZERO))] + [
        _bar(month.isoformat()[:7], month_label(month), by_month.get(month, ZERO)) for month in months
    ]
    beyond = [
        _bar("later", _("Later"), sums.get((LATER, None), ZERO)),
        _bar("undated", _("No date"), sums.get((UNDATED, None), ZERO)),
    ]
    return _with_totals({"bars": bars, "beyond": beyond})


def won_figures(sums: dict, today: datetime.date) -> dict:
    by_month = {_as_date(month): row for month, row in sums.items()}
    first = add_months(today.replace(day=1), 1 - MONTHS)
    months = [add_months(first, offset) for offset in range(MONTHS)]
    return _with_totals({
        "bars": [_bar(month.isoformat()[:7], month_label(month), by_month.get(month, ZERO)) for month in months],
        "beyond": [],
    })


def _with_totals(figures: dict) -> dict:
    rows = figures["bars"] + figures["beyond"]
    figures["count"] = sum(row["count"] for row in rows)
    figures["value"] = sum((row["value"] for row in rows), Decimal("0.00"))
    figures["total"] = sum((row["total"] for row in rows), Decimal("0.00"))
    return figures


def forecast_figures(opportunity_filter, today: datetime.date | None = None) -> dict:
    """{"pipeline", "won", "today"} for the dashboard's filters but the open/closed one.

    1 query (the stamp) when cached, 3 after a change; 2 for a text search (never cached, as the dashboard's).
    """
    today = today or timezone.localdate()
    queryset = opportunity_filter.qs_any_outcome()

    def compute():
        return pipeline_sums(queryset, today), won_sums(queryset, today)

    filters = filter_values(opportunity_filter)
    if filters is None:
        pipeline, won = compute()
    else:
        filters = {name: value for name, value in filters.items() if name != "outcome"}
        pipeline, won = cached_sums(queryset.db, {**filters, "forecast": today.isoformat()}, compute)
    return {"pipeline": pipeline_figures(pipeline, today), "won": won_figures(won, today), "today": today}
