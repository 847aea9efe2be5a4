"""The board's cards: which opportunities a column shows (first_cards) and the HTML each card is (CardWriter).

A board draws up to 80 cards; their cost is most of the page's. So:
- a card is read as a row (Card), not as an Opportunity with its User: one raw SQL query on
  PostgreSQL (each stage's first rows through a LATERAL join, the filters' WHERE compiled once by
  the ORM), whose compilation costs a fifth of the same query built as a UNION of ORM parts;
- its HTML is one format string filled with values escaped by html.escape (what django.utils.html's
  escape does, without its lazy-text wrapper), rather than a template loop that resolves, localizes
  and escapes some 30 variables a card, or format_html (which escapes each argument the slow way):
  a tenth of the CPU time. Every value a user typed (subject, contact, names, stage labels) is
  escaped; the rest is numbers, URLs (escaped once a page) and the figures and dates that
  crm.formatting writes from numbers.
"""

import html
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import F, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from contacts.models import Contact
from crm.formatting import format_date, format_money, format_percent
from crm.links import url_with_pk
from crm.text import user_name
from prospection.models import Opportunity, Stage

CARDS_PER_COLUMN = 20
CARD_ORDER = (F("total").desc(), F("expected_close_date").asc(nulls_last=True), F("pk").asc())


class Card(NamedTuple):
    """What a card shows of an opportunity."""

    pk: int
    version: int
    subject: str
    stage_id: int
    contact_id: int
    contact_name: str
    representative: str  # the name people see (crm.text.user_name)
    value: Decimal
    success_percent: int
    total: Decimal
    expected_close_date: object  # a date, or None

    @classmethod
    def of(cls, opportunity: Opportunity) -> "Card":
        """The card of an opportunity read with its representative and `contact_name` (views.card_queryset)."""
        return cls(opportunity.pk, opportunity.version, opportunity.subject, opportunity.stage_id,
                   opportunity.contact_id, opportunity.contact_name, user_name(opportunity.representative),
                   opportunity.value, opportunity.success_percent, opportunity.total, opportunity.expected_close_date)


def card_queryset(opportunities=None):
    """Opportunities with what Card.of reads: the representative, the contact's name (`contact_name`)."""
    opportunities = Opportunity.objects.all() if opportunities is None else opportunities
    return opportunities.select_related("representative", "stage").annotate(contact_name=F("contact__name"))


# A card row as first_cards reads it: Card's fields, the representative as three columns.
ROW_FIELDS = ("pk", "version", "subject", "stage_id", "contact_id", "contact__name", "representative_id",
              "representative__first_name", "representative__last_name", "representative__username",
              "value", "success_percent", "total", "expected_close_date")

# PostgreSQL: for each stage id of the array, its first rows by the board's order (the ORM's {part}, whose
# "stage_id = (board_stage.id)" ties it to the stage), read from the index opp_board_idx (opp_board_rep_idx
# for one representative) whatever the number of opportunities; then what the cards show.
LATERAL_CARDS = """
SELECT card.id, card.version, card.subject, card.stage_id, card.contact_id, contact.name, card.representative_id,
       representative.first_name, representative.last_name, representative.username,
       card.value, card.success_percent, card.total, card.expected_close_date
FROM unnest(%s::bigint[]) AS board_stage (id)
CROSS JOIN LATERAL ({part}) AS chosen (id)
JOIN {opportunity} AS card ON card.id = chosen.id
JOIN {contact} AS contact ON contact.id = card.contact_id
JOIN {user} AS representative ON representative.id = card.representative_id
ORDER BY card.stage_id, card.total DESC, card.expected_close_date ASC NULLS LAST, card.id
"""


def first_cards(opportunities, stage_ids, per_column: int = CARDS_PER_COLUMN) -> list[Card]:
    """The given stages' first `per_column` opportunities by total (highest first), then close date, as
    Cards ordered by stage: 1 query.

    PostgreSQL reads only each stage's first rows (LATERAL_CARDS). Elsewhere (SQLite) every filtered
    row is numbered (ROW_NUMBER() OVER (PARTITION BY stage ...)), which sorts them all: fine for the
    small databases it serves.
    """
    stage_ids = list(stage_ids)
    if not stage_ids:
        return []
    connection = connections[opportunities.db]
    if connection.vendor == "postgresql":
        part = (opportunities.filter(stage_id=RawSQL("board_stage.id", ())).order_by(*CARD_ORDER)
                .values("pk")[:per_column])
        part_sql, part_params = part.query.get_compiler(using=opportunities.db).as_sql()
        quote = connection.ops.quote_name
        sql = LATERAL_CARDS.format(part=part_sql, opportunity=quote(Opportunity._meta.db_table),
                                   contact=quote(Contact._meta.db_table), user=quote(get_user_model()._meta.db_table))
        with connection.cursor() as cursor:
            cursor.execute(sql, [stage_ids, *part_params])
            rows = cursor.fetchall()
    else:
        ranked = opportunities.filter(stage_id__in=stage_ids).annotate(
            rank=Window(RowNumber(), partition_by=[F("stage_id")], order_by=list(CARD_ORDER)))
        rows = ranked.filter(rank__lte=per_column).order_by("stage_id", "rank").values_list(*ROW_FIELDS)
    names = {}  # a representative's name, once per page
    cards = []
    for pk, version, subject, stage, contact, contact_name, representative, first, last, username, *figures in rows:
        if representative not in names:
            names[representative] = user_name(get_user_model()(first_name=first, last_name=last, username=username))
        cards.append(Card(pk, version, subject, stage, contact, contact_name, names[representative], *figures))
    return cards


def escape(text) -> str:
    """Text for HTML, quotes included: django.utils.html.escape's output."""
    return html.escape(str(text))


# The card. Filled by str.format with escaped values (CardWriter.html); no other braces in it.
CARD_HTML = """<article class="card board-card shadow-sm" id="card-{pk}" data-opportunity="{pk}" \
aria-labelledby="card-{pk}-title"{focus}>
  <div class="card-body p-2">
    <h3 class="h6 mb-1" id="card-{pk}-title"><a href="{url}">{subject}</a></h3>
    <div class="small"><a class="link-secondary" href="{contact_url}">{contact}</a></div>
    <div class="small text-body-secondary mb-1"><i class="bi bi-person" aria-hidden="true"></i> \
<span class="visually-hidden">{w_representative} :</span>{representative}</div>
    <dl class="board-figures small mb-2">
      <div><dt>{w_value}</dt><dd data-testid="card-value">{value}</dd></div>
      <div><dt>{w_percent}</dt><dd data-testid="card-percent">{percent}</dd></div>
      <div><dt>{w_total}</dt><dd class="fw-semibold" data-testid="card-total">{total}</dd></div>
      <div><dt>{w_close}</dt>
      <dd>{close}{overdue}</dd></div>
    </dl>{move}
  </div>
</article>
"""
OVERDUE_HTML = """
        <span class="d-block text-danger-emphasis fw-semibold" data-testid="card-overdue">\
<i class="bi bi-exclamation-triangle-fill" aria-hidden="true"></i> {w_past_due}</span>"""
# Without JavaScript, the card's menu and button move it; a drag sends the same form (static/js/board.js).
MOVE_HTML = """
    <form method="post" action="{move_url}" hx-post="{move_url}" hx-target="closest .board-card" \
hx-swap="outerHTML" class="board-move d-flex gap-1">
      <input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">
      <input type="hidden" name="version" value="{version}">
      <input type="hidden" name="board_query" value="{board_query}">
      <label class="visually-hidden" for="move-{pk}">{stage_of}</label>
      <select name="stage" id="move-{pk}" class="form-select form-select-sm">{options}</select>
      <button type="submit" class="btn btn-sm btn-outline-primary text-nowrap" aria-label="{move_to}">{w_move}</button>
    </form>"""
OPTION_HTML = '<option value="{}">{}</option>'
SELECTED_OPTION_HTML = '<option value="{}" selected>{}</option>'


def fill_in(template: str, values: dict) -> str:
    """`template` with the given {name}s replaced by their values, the others left for a later str.format
    (a value's own braces doubled, so that format writes them as they are)."""
    for name, value in values.items():
        template = template.replace("{%s}" % name, value.replace("{", "{{").replace("}", "}}"))
    return template


class CardWriter:
    """Writes cards for one page. What every card shares is prepared here, once: its words (translated
    and escaped), the CSRF token and the board's filters are written into the card's markup; the URLs
    are reversed once; each stage's menu is written once for the cards of a column.

    `stages` {pk: Stage}: the board's (a card's stage is looked up there, not read per card);
    `move_stages`: the stages a card's menu offers; `today`: what "past due" is measured against.
    """

    def __init__(self, stages: dict, move_stages, today, *, csrf: str, board_query: str, can_change: bool):
        self.stages, self.today, self.can_change = stages, today, can_change
        self.language = get_language()
        words = {f"w_{name}": escape(word) for name, word in {
            "representative": gettext("Representative"), "value": gettext("Value"), "percent": gettext("Success %"),
            "total": gettext("Total"), "close": gettext("Expected close"), "past_due": gettext("Past due"),
            "move": gettext("Move"),
        }.items()}
        self.card_html = fill_in(CARD_HTML, words)
        self.move_html = fill_in(MOVE_HTML, {**words, "csrf": escape(csrf), "board_query": escape(board_query)})
        self.overdue = OVERDUE_HTML.format(**words)
        # Escaped once: the card's subject, escaped, goes in their %(subject)s.
        self.stage_of = escape(gettext("Stage of “%(subject)s”"))
        self.move_to = escape(gettext("Move “%(subject)s” to the stage chosen in the menu"))
        self.opportunity_url = url_with_pk("prospection:update", for_html=True)
        self.contact_url = url_with_pk("contacts:detail", "?tab=prospection#contact-tabs", for_html=True)
        self.move_url = url_with_pk("prospection:board_move", for_html=True)
        self.stage_labels = [(stage.pk, escape(stage.label)) for stage in move_stages]
        self.options_of = {}

    def options(self, stage: Stage) -> str:
        """A card's stage menu: the stages offered, its own selected (an inactive one added)."""
        if stage.pk not in self.options_of:
            options = "".join((SELECTED_OPTION_HTML if pk == stage.pk else OPTION_HTML).format(pk, label)
                              for pk, label in self.stage_labels)
            if not stage.is_active:
                options += SELECTED_OPTION_HTML.format(stage.pk, escape(stage.label))
            self.options_of[stage.pk] = options
        return self.options_of[stage.pk]

    def html(self, card: Card, *, focus: bool = False) -> SafeString:
        """The card's HTML. Escaped here: what users typed (subject, contact, representative; the stage
        labels in options()). Written as they are: numbers, the URLs (escaped once), and the figures and
        date in the user's format, which crm.formatting writes from numbers alone."""
        stage, close, language, subject = self.stages[card.stage_id], card.expected_close_date, self.language, escape(card.subject)
        move = self.move_html.format(
            pk=card.pk, version=card.version, move_url=self.move_url(card.pk), options=self.options(stage),
            stage_of=self.stage_of % {"subject": subject}, move_to=self.move_to % {"subject": subject},
        ) if self.can_change else ""
        return SafeString(self.card_html.format(
            pk=card.pk, subject=subject, url=self.opportunity_url(card.pk),
            contact=escape(card.contact_name), contact_url=self.contact_url(card.contact_id),
            representative=escape(card.representative),
            value=format_money(card.value, language=language),
            percent=format_percent(card.success_percent, language=language),
            total=format_money(card.total, language=language),
            close=format_date(close, "SHORT_DATE_FORMAT") if close else "—",
            overdue=self.overdue if close and stage.outcome == Stage.Outcome.OPEN and close < self.today else "",
            focus=" data-focus-after-move" if focus else "", move=move,
        ))

    def column(self, cards) -> SafeString:
        """A column's cards, one after the other."""
        return SafeString("".join(self.html(card) for card in cards))
