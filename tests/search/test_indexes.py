"""PostgreSQL answers the search from its indexes: their expressions are exactly the queries' ones."""

import pytest
from django.conf import settings
from django.db import connection

from search.matching import Query
from search.registry import source_for

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes (SQLite scans)")

INDEXES = [("people", "person_search"), ("notes", "note_search")]
if settings.PROSPECTION_ENABLED:
    INDEXES.append(("opportunities", "opp_search"))


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table would be scanned anyway
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("kind, index", INDEXES)
def test_each_kind_is_searched_through_its_full_text_and_trigram_indexes(manager, kind, index):
    source = source_for(manager, kind)
    explained = plan(source.match(source.rows(manager), Query.of("demonstration")).order_by().values("pk"))
    assert f"{index}_fts" in explained and f"{index}_trgm" in explained


def test_contacts_use_their_trigram_index(manager):
    source = source_for(manager, "contacts")
    assert "contact_search_trgm_idx" in plan(source.match(source.rows(manager), Query.of("tremblay")).order_by().values("pk"))
