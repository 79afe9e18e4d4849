"""What the notebooks share: a connection to a mailhound database and queries as DataFrames.

The database comes from MAILHOUND_DATABASE_URL, else DATABASE_URL (`notebooks-export/run` sets
the first to its scratch database). Notebooks read the `analyst` views only, so a login granted
`mailhound grant reader` runs them too.
"""

import os

import pandas as pd
import psycopg


def connect() -> psycopg.Connection:
    url = os.environ.get("MAILHOUND_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not url:
        raise RuntimeError(
            "set MAILHOUND_DATABASE_URL to a mailhound database, e.g. "
            '"$(mailhound db url --database mailhound_demo)" after `mailhound demo`'
        )
    connection = psycopg.connect(url, autocommit=True)
    connection.execute("set statement_timeout = '5min'")
    return connection


def query(connection: psycopg.Connection, sql: str, params: dict | None = None) -> pd.DataFrame:
    """Runs one query with bound parameters; the result as a DataFrame with the query's column names."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        columns = [column.name for column in cursor.description]
        return pd.DataFrame(cursor.fetchall(), columns=columns)
