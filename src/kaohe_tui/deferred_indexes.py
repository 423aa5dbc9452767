"""A big insert into a table with few rows: its secondary indexes are built after, not row by row.

Why: the bulk case import puts 10^6 rows into ``cases`` in one statement; keeping its indexes
(keyed by the time a case was reported, so every row lands somewhere random) up to date row by
row costs a third of the import, building them once from the finished table a fraction of that.
Dropped and built again inside the caller's transaction, under the same names from the same SQL:
a rollback (or a killed process) leaves them as they were.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def deferred_indexes(conn, table: str, rows_coming: int) -> Iterator[None]:
    """Inside a write transaction: ``table``'s indexes are dropped for the block and built again
    after it, when the table holds fewer rows than ``rows_coming`` (else building them anew would
    read more than the insert writes: they are kept)."""
    if not conn.in_transaction:
        raise RuntimeError("deferred_indexes needs the caller's transaction")
    indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                           "AND sql IS NOT NULL", [table]).fetchall()  # sql NULL: the key's own index
    if not indexes or conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] >= rows_coming:
        yield
        return
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        conn.execute(sql)
