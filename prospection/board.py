"""The pipeline board: one column per open stage (the admin's order), then the won and the lost ones.

Its cost does not depend on the number of opportunities: the columns' sums are
ONE grouped query, the cards ONE query that keeps each stage's first CARDS_PER_COLUMN
rows by total, then close date (ROW_NUMBER() OVER (PARTITION BY stage ...), on
SQLite and PostgreSQL alike), the stages one more. The index opp_board_idx serves it.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections
from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.http import QueryDict

from prospection.filters import OpportunityFilter
from prospection.models import Opportunity, Stage, cents_sum, from_cents, from_units

CARDS_PER_COLUMN = 20
# The dashboard's filters that apply to the board; the stage, band and open/closed scope are its columns.
BOARD_FILTERS = ("q", "representative", "product", "category")
ALL_OUTCOMES = "all"  # the filter's scope that keeps won and lost opportunities


@dataclass
class Column:
    stage: Stage
    count: int = 0
    value: Decimal = Decimal("0.00")
    total: Decimal = Decimal("0.00")
    cards: list = field(default_factory=list)
    per_column: int = CARDS_PER_COLUMN

    @property
    def more(self) -> int:
        """How many of the column's opportunities are not shown as cards (when the board was drawn)."""
        return max(self.count - self.per_column, 0)

    @property
    def is_open(self) -> bool:
        return self.stage.outcome == Stage.Outcome.OPEN


def board_query(data: QueryDict) -> QueryDict:
    """The part of a query string the board keeps (for its links, its moves and its bookmarks)."""
    kept = QueryDict(mutable=True)
    for name in BOARD_FILTERS:
        value = data.get(name, "")
        if value:
            kept[name] = value
    return kept


def board_filter(data: QueryDict) -> OpportunityFilter:
    """The dashboard's FilterSet with the board's filters, over every outcome (the columns split them)."""
    kept = board_query(data)
    kept["outcome"] = ALL_OUTCOMES
    return OpportunityFilter(kept, queryset=Opportunity.objects.all())


def column_sums(opportunities, stage_ids=None) -> dict[int, tuple[int, Decimal, Decimal]]:
    """{stage id: (count, summed value, summed total)}: ONE grouped query, computed by the database.

    As OpportunityQuerySet.band_sums: exact NUMERIC sums on PostgreSQL, whole cents on SQLite.
    """
    in_cents = connections[opportunities.db].vendor == "sqlite"
    money_sum, to_money = (cents_sum, from_cents) if in_cents else (Sum, from_units)
    if stage_ids is not None:
        opportunities = opportunities.filter(stage_id__in=stage_ids)
    rows = opportunities.order_by().values_list("stage").annotate(
        n=Count("*"), value_sum=money_sum("value"), total_sum=money_sum("total"),
    )
    return {stage: (n, to_money(value), to_money(total)) for stage, n, value, total in rows}


def board_stages(stage_ids_in_use) -> list[Stage]:
    """Active stages, and inactive ones still holding opportunities: open ones first (admin's
    order), then won, then lost. 1 query."""
    stages = Stage.objects.filter(Q(is_active=True) | Q(pk__in=stage_ids_in_use))
    rank = {Stage.Outcome.OPEN: 0, Stage.Outcome.WON: 1, Stage.Outcome.LOST: 2}
    return sorted(stages, key=lambda stage: (rank.get(stage.outcome, 0), stage.order, stage.pk))


def first_cards(opportunities, per_column: int = CARDS_PER_COLUMN):
    """Each stage's first `per_column` opportunities by total (highest first), then close date: 1 query."""
    ranked = opportunities.annotate(rank=Window(
        RowNumber(), partition_by=[F("stage_id")],
        order_by=[F("total").desc(), F("expected_close_date").asc(nulls_last=True), F("pk").asc()],
    ))
    return (
        ranked.filter(rank__lte=per_column)
        .select_related("contact", "representative", "stage")
        .order_by("stage_id", "rank")
    )


def build_board(opportunities, per_column: int = CARDS_PER_COLUMN) -> list[Column]:
    """The columns with their sums and first cards: 3 queries whatever the number of opportunities."""
    sums = column_sums(opportunities)
    columns = {stage.pk: Column(stage, per_column=per_column) for stage in board_stages(list(sums))}
    for stage_id, (count, value, total) in sums.items():
        column = columns[stage_id]
        column.count, column.value, column.total = count, value, total
    for opportunity in first_cards(opportunities, per_column):
        columns[opportunity.stage_id].cards.append(opportunity)
    return list(columns.values())


def columns_for(opportunities, stages) -> list[Column]:
    """Only the given stages' headers (after a move): 1 query."""
    sums = column_sums(opportunities, [stage.pk for stage in stages])
    columns = []
    for stage in stages:
        column = Column(stage)
        column.count, column.value, column.total = sums.get(stage.pk, (0, Decimal("0.00"), Decimal("0.00")))
        columns.append(column)
    return columns
