"""Indexes that let a period's figures be read without scanning every case (migration m015).

Red lights (``OPEN_LATE_SQL``: cases still open past their deadline when the period ends) are
read from an index holding only the open cases, with every column the query reads (closed_at too, always NULL:
SQLite counts an index as covering only when it lists every column named): at 10^6
cases (3 % open) a year's red lights are an index range, no lookup into the table per case.
It replaces ``cases_open`` (the same partial index on fewer columns)."""

from __future__ import annotations

from sqlite_utils import Database

OPEN_LATE_INDEX = "cases_open_late"


def m015_sf_open_late_index(db: Database) -> None:
    db.execute(f"CREATE INDEX IF NOT EXISTS {OPEN_LATE_INDEX} "
               "ON cases (scheme, reported_at, deadline, unit, status, closed_at) "
               "WHERE closed_at IS NULL")
    db.execute("DROP INDEX IF EXISTS cases_open")
