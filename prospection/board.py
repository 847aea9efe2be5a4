"""The pipeline board: one column per open stage (the admin's order), then the won and the lost ones.

Its cost does not depend on the number of opportunities: the columns' sums are
ONE grouped query, cached as the dashboard's figures are (prospection/figures.py: under
the stamp renewed by every write), the stages ONE query that also reads that stamp, the
cards ONE query that keeps each stage's first CARDS_PER_COLUMN rows by total, then close
date (prospection/cards.py: first_cards, and the cards' HTML), served by the index opp_board_idx
(opp_board_rep_idx for one representative's board). The won and
lost columns come folded, their cards fetched when opened. A move adjusts the cached sums by the
moved card instead of recounting (sums_after_move).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import connections
from django.db.models import Count, Subquery, Sum
from django.http import QueryDict
from django.utils.html import format_html, format_html_join

from prospection.cards import CARDS_PER_COLUMN, first_cards
from prospection.figures import STAMP_PK, cached_sums, carry_sums, filter_values, sums_key
from prospection.filters import OpportunityFilter
from prospection.models import FiguresStamp, Opportunity, Stage, cents_sum, from_cents, from_units

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
    cards_loaded: bool = False  # False: a folded won or lost column, whose cards come when it is opened
    cards_html: str = ""  # its cards' HTML (prospection.cards.CardWriter.column)

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


# The board's filter menus (the text search is a box).
MENUS = ("representative", "product", "category")


def board_filter(data: QueryDict, *, menus: bool = False) -> OpportunityFilter:
    """The dashboard's FilterSet with the board's filters, over every outcome (the columns split them).

    `menus`: for a page that shows the filter menus (filter_menus), their choices are read first (1 query
    each) and the values chosen looked up among them (ChoicesReadOnce) rather than by one query each.
    """
    kept = board_query(data)
    kept["outcome"] = ALL_OUTCOMES
    opportunity_filter = OpportunityFilter(kept, queryset=Opportunity.objects.all())
    if menus:
        for name in MENUS:
            opportunity_filter.form.fields[name].read_choices()
    return opportunity_filter


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


def board_order(stage: Stage) -> tuple:
    """Open stages first (the admin's order), then won, then lost."""
    rank = {Stage.Outcome.OPEN: 0, Stage.Outcome.WON: 1, Stage.Outcome.LOST: 2}
    return (rank.get(stage.outcome, 0), stage.order, stage.pk)


def stages_and_token(using: str = "default") -> tuple[list[Stage], str | None]:
    """Every stage, in the board's order (see board_order), and the figures' stamp token read with them: 1 query."""
    stamp = FiguresStamp.objects.filter(pk=STAMP_PK).values("token")[:1]
    stages = sorted(Stage.objects.using(using).annotate(figures_token=Subquery(stamp)), key=board_order)
    return stages, (stages[0].figures_token if stages else None)


def build_board(opportunity_filter, per_column: int = CARDS_PER_COLUMN, *, closed_cards: bool = False,
                only_stage=None) -> list[Column]:
    """The columns with their sums and first cards: 2 queries whatever the number of opportunities
    (the stages with the figures' stamp, the cards; + the sums after a change, or for a text search).

    The won and lost columns come folded, with their headers' figures but no cards (a closed deal is
    rarely moved; its cards are fetched when the column is opened, see views.board_column), unless
    `closed_cards`. `only_stage` (a primary key): that column alone, with its cards.
    The sums are cached as the dashboard's figures (prospection/figures.py), under their own key.
    """
    opportunities = opportunity_filter.qs
    stages, token = stages_and_token(opportunities.db)
    described = sums_described(opportunity_filter)
    if described is None:  # a text search: never cached (see filter_values)
        sums = column_sums(opportunities)
    else:
        sums = cached_sums(opportunities.db, described, lambda: column_sums(opportunities), token=token)
    # The active stages, and the inactive ones still holding (filtered) opportunities.
    columns = {stage.pk: Column(stage, per_column=per_column) for stage in stages
               if (stage.is_active or stage.pk in sums) and only_stage in (None, stage.pk)}
    for stage_id, (count, value, total) in sums.items():
        if stage_id in columns:  # (a stage deleted since the sums were cached has no column)
            columns[stage_id].count, columns[stage_id].value, columns[stage_id].total = count, value, total
    with_cards = [column for column in columns.values()
                  if column.is_open or closed_cards or only_stage is not None]
    for column in with_cards:
        column.cards_loaded = True
    for card in first_cards(opportunities, [column.stage.pk for column in with_cards], per_column):
        columns[card.stage_id].cards.append(card)
    return list(columns.values())


# A filter menu's options: format_html fills in the value and label, escaped.
OPTION = '<option value="{}">{}</option>'
SELECTED_OPTION = '<option value="{}" selected>{}</option>'


def filter_menus(form) -> list[dict]:
    """The board's filter menus, their options written once with format_html (as a card's stage menu)
    rather than by Django's select widget, which renders a template per option (~10 ms for the three).
    No query: their choices were read by board_filter(menus=True), as plain SELECTs (a field's choices
    would open a server-side cursor on PostgreSQL, three more round trips)."""
    menus = []
    for name in MENUS:
        field = form[name]
        chosen = str(field.value() or "")
        empty = [] if field.field.empty_label is None else [("", field.field.empty_label)]
        choices = empty + [(str(obj.pk), field.field.label_from_instance(obj)) for obj in field.field.read_choices()]
        options = format_html_join("", "{}", (
            (format_html(SELECTED_OPTION if value == chosen else OPTION, value, label),) for value, label in choices
        ))
        menus.append({"name": field.html_name, "id": field.id_for_label, "label": field.label, "options": options})
    return menus


def columns_for(opportunities, stages, sums=None) -> list[Column]:
    """Only the given stages' headers (after a move), from `sums` ({stage id: (count, value, total)}) when
    given, else counted: 1 query."""
    if sums is None:
        sums = column_sums(opportunities, [stage.pk for stage in stages])
    columns = []
    for stage in stages:
        column = Column(stage)
        column.count, column.value, column.total = sums.get(stage.pk, (0, Decimal("0.00"), Decimal("0.00")))
        columns.append(column)
    return columns


# The board's filters that are columns of an opportunity's row (filter_values gives their primary keys).
ROW_FILTERS = ("representative", "product", "category")


def sums_described(opportunity_filter) -> dict | None:
    """What the board's column sums are cached under (see cached_sums); None for a text search (never cached)."""
    filters = filter_values(opportunity_filter)
    return None if filters is None else {**filters, "figures": "board-columns"}


def moved_sums(sums: dict, opportunity, *, was: tuple) -> dict:
    """The columns' sums after `opportunity` moved from `was` = (stage id, value, total) to where it is now:
    its old figures out of one column, its new ones into the other. No query.

    An opportunity the board's filters leave out (another representative's) changes no sum.
    """
    described = sums["described"]
    if any(name in described and getattr(opportunity, f"{name}_id") != described[name] for name in ROW_FILTERS):
        return dict(sums["columns"])
    zero = (0, Decimal("0.00"), Decimal("0.00"))
    columns = dict(sums["columns"])
    stage_id, value, total = was
    count, column_value, column_total = columns.get(stage_id, zero)
    columns[stage_id] = (count - 1, column_value - value, column_total - total)
    count, column_value, column_total = columns.get(opportunity.stage_id, zero)
    columns[opportunity.stage_id] = (count + 1, column_value + opportunity.value, column_total + opportunity.total)
    return {stage: figures for stage, figures in columns.items() if figures[0]}


def cached_column_sums(opportunity_filter, token) -> dict | None:
    """{"described", "columns"}: the board's sums as cached under `token` for these filters, or None
    (not cached, or a text search). No query."""
    described = sums_described(opportunity_filter)
    if described is None or token is None:
        return None
    columns = cache.get(sums_key(token, described))
    return None if columns is None else {"described": described, "columns": columns}


def sums_after_move(opportunity_filter, opportunity, *, was: tuple, token, stages) -> dict:
    """The moved card's two columns' sums, adjusted from the cached ones when the board's sums were
    cached under `token` (read before the move, in its transaction), and cached again under the token
    the move installs (prospection.figures.carry_sums), so that neither this move nor the next board
    recounts 100,000 rows; counted otherwise (1 query). 1 query either way."""
    cached = cached_column_sums(opportunity_filter, token)
    if cached is not None:
        sums = moved_sums(cached, opportunity, was=was)
        if carry_sums(opportunity_filter.qs.db, before=token, entries=[(cached["described"], sums)]):
            return sums
    return column_sums(opportunity_filter.qs, [stage.pk for stage in stages])
