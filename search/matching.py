"""Words of a search and the SQL that finds them, the same on PostgreSQL and SQLite.

`relance_fold(text)` is lower case without accents on both: a SQL function over
`unaccent` on PostgreSQL (migration 0001), Python's crm.text.fold on SQLite
(SearchConfig). A word matches a text when:
- PostgreSQL: its French full-text form matches (« relances » finds « relancer »), or,
  for words of 3 letters or more, the folded text holds the word, a final s or x
  taken off (« boulan » finds « Boulangerie »; a trigram index answers it);
- SQLite: the folded text holds the word, a final s or x taken off
  (« relances » finds « relance »). For words of 3 letters or more, whatever SQLite
  finds PostgreSQL finds too.
Every index this needs is written in the migrations with exactly these expressions.
"""

import re
from dataclasses import dataclass

from django.db.models import BooleanField, Func, TextField
from django.db.models.lookups import Contains

from crm.text import fold

MIN_LENGTH, MAX_LENGTH = 2, 200
MAX_WORDS = 8
# Shorter words are looked up only as whole words on PostgreSQL: a trigram index needs three letters.
MIN_PARTIAL = 3
# A word: letters and digits, with the punctuation inside it (l'atelier, a@b.ca, 514-555), not around
# it ("client," "(Montréal)" "<b>"). One letter alone is no word worth looking for.
_WORD = re.compile(r"\w[\w@.'+\-]*\w")
# The text search configurations a source may name (they are written into the SQL).
CONFIGS = {"french", "simple"}


def search_words(text: str) -> list[str]:
    """The folded words of a search, without the punctuation around them; at most 8."""
    return _WORD.findall(fold(text))[:MAX_WORDS]


def singular(word: str) -> str:
    """The word without a final plural s or x (« relances » → « relance »), for the substring match."""
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


class Folded(Func):
    """relance_fold(a || ' ' || b …): the columns' text, lower case, without accents."""

    function = "relance_fold"
    arg_joiner = " || ' ' || "
    output_field = TextField()


@dataclass(frozen=True)
class Searchable:
    """The columns of a model the search reads, and the text search configuration of its words."""

    fields: tuple[str, ...]
    config: str = "french"

    def __post_init__(self):
        if self.config not in CONFIGS:
            raise ValueError(f"Unknown text search configuration {self.config!r}: one of {sorted(CONFIGS)}.")


class WordMatch(Func):
    """True when the folded columns hold `word` (see the module's docstring)."""

    output_field = BooleanField()

    def __init__(self, searchable: Searchable, word: str):
        super().__init__(Folded(*searchable.fields))
        self.config, self.word = searchable.config, word

    def as_sql(self, compiler, connection, **extra):
        folded = self.source_expressions[0]
        sql, params = compiler.compile(Contains(folded, singular(self.word)))
        return f"({sql})", params

    def as_postgresql(self, compiler, connection, **extra):
        folded_sql, folded_params = compiler.compile(self.source_expressions[0])
        config = self.config
        full_text = (f"to_tsvector('{config}'::regconfig, {folded_sql}) "
                     f"@@ plainto_tsquery('{config}'::regconfig, %s)")
        params = [*folded_params, self.word]
        if len(self.word) < MIN_PARTIAL:
            return f"({full_text})", params
        # The substring first: cheaper than the full-text form, it spares it on every row it matches.
        contains_sql, contains_params = self.as_sql(compiler, connection)
        return f"({contains_sql} OR {full_text})", [*contains_params, *params]


def matching(queryset, searchable: Searchable, words: list[str]):
    """The rows whose columns hold every word."""
    for word in words:
        queryset = queryset.filter(WordMatch(searchable, word))
    return queryset


@dataclass(frozen=True)
class Query:
    text: str
    words: list[str]

    @classmethod
    def of(cls, text: str) -> "Query":
        return cls(text=text, words=search_words(text))
