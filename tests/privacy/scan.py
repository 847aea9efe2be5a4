"""A search of every text column of every table for a string (history tables included, all apps)."""

from django.db import connection

TEXT_TYPES = ("char", "text", "json", "clob", "varchar")


def tables_holding(marker: str) -> list[str]:
    """'table.column' for every text column where some row contains `marker` (any case)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                data_type = str(column.type_code).lower() if connection.vendor == "sqlite" else ""
                if connection.vendor == "postgresql":
                    cursor.execute("SELECT data_type FROM information_schema.columns "
                                   "WHERE table_name = %s AND column_name = %s", [table, column.name])
                    data_type = (cursor.fetchone() or [""])[0].lower()
                if not any(kind in data_type for kind in TEXT_TYPES):
                    continue
                quoted_table, quoted_column = connection.ops.quote_name(table), connection.ops.quote_name(column.name)
                cursor.execute(f"SELECT 1 FROM {quoted_table} WHERE LOWER(CAST({quoted_column} AS TEXT)) LIKE %s LIMIT 1",
                               [f"%{marker.lower()}%"])
                if cursor.fetchone():
                    found.append(f"{table}.{column.name}")
    return found
