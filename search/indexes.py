"""The PostgreSQL side of search/matching.py, for the migrations: the fold function and the indexes.

Each index is built on exactly the expression matching.WordMatch writes, or
PostgreSQL would not use it. On other databases these do nothing (SQLite scans).
"""

FOLD_FUNCTION = """
CREATE OR REPLACE FUNCTION relance_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$
"""


def folded(columns: tuple[str, ...]) -> str:
    return "relance_fold(" + " || ' ' || ".join(f'"{column}"' for column in columns) + ")"


def create_index_sql(table: str, name: str, columns: tuple[str, ...], config: str) -> list[str]:
    """A full-text index and a trigram index over the folded columns."""
    return [
        f"CREATE INDEX IF NOT EXISTS {name}_fts ON {table} "
        f"USING gin (to_tsvector('{config}'::regconfig, {folded(columns)}))",
        f"CREATE INDEX IF NOT EXISTS {name}_trgm ON {table} USING gin ({folded(columns)} gin_trgm_ops)",
    ]


def drop_index_sql(name: str) -> list[str]:
    return [f"DROP INDEX IF EXISTS {name}_fts", f"DROP INDEX IF EXISTS {name}_trgm"]


def postgresql_only(statements):
    """A RunPython function running `statements()` on PostgreSQL only."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements():
                schema_editor.execute(statement)

    return run
