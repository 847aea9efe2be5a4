"""Create the PostgreSQL database DATABASE_URL names if it is missing (nothing to do for SQLite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relance_bench_l .venv/bin/python -m bench.ensure_db
"""

import os
import sys
from pathlib import Path

from crm.env import parse_database_url


def main() -> int:
    config = parse_database_url(os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3"), base_dir=Path.cwd())
    if config["ENGINE"] != "django.db.backends.postgresql":
        return 0
    import psycopg
    from psycopg import sql

    params = {"dbname": "postgres", "user": config["USER"] or None, "password": config["PASSWORD"] or None,
              "host": config["HOST"] or None, "port": config["PORT"] or None}
    with psycopg.connect(**{key: value for key, value in params.items() if value}, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"Created the PostgreSQL database {config['NAME']}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
