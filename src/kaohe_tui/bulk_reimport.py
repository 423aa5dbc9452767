"""A later export of cases already imported, on the bulk path: updates by case id (the bulk
helper's side, inside its one write transaction; see ``bulk_cases``).

The file's rows are first read into a temporary table (a case id written twice refuses the file),
then compared with the stored cases in one join; only the new and the changed cases are written.
As on the careful path: each change is an ``update-case`` link of the audit chain (the fields
that changed, old → new), the monthly counts take out a changed case's earlier state and add its
new one (``case_counts.apply_changes``: the SQL of ``case_classes``), and a changed case whose
earlier month is closed refuses the file (the careful path then names its row).
"""

from __future__ import annotations

import json

from kaohe_tui import chain
from kaohe_tui.case_classes import ROW
from kaohe_tui.case_counts import CASE_FIELDS, apply_changes, update_audit

INCOMING = "temp.incoming"
PROBE = 1000  # rows of the file looked up before the insert
_TYPES = {"extensions": "INTEGER", "failed_checks": "INTEGER", "satisfied": "INTEGER", "untimed": "INTEGER"}


def known(conn, source: str, id_cell: str, scheme: str) -> bool:
    """Whether the file's first rows (``source``: its virtual table) name cases already stored: a
    later export, read into ``create_incoming``'s table. (A file of new cases with a known one
    further down is refused at that row by the key, and read on the careful path.)"""
    return bool(conn.execute(
        f"SELECT EXISTS (SELECT 1 FROM (SELECT trim({id_cell}) AS case_id FROM {source} LIMIT {PROBE}) f "
        "JOIN main.cases c ON c.scheme = ? AND c.case_id = f.case_id)", [scheme]).fetchone()[0])


def create_incoming(conn) -> str:
    """The temporary table the file's rows are read into (the columns of ``cases``; the rowid
    keeps the file's order); returns its name for ``INSERT INTO``."""
    conn.execute("DROP TABLE IF EXISTS temp.incoming")
    columns = ", ".join(f"{c} {_TYPES.get(c, 'TEXT')}" + (" PRIMARY KEY" if c == "case_id" else "")
                        for c in CASE_FIELDS)
    conn.execute(f"CREATE TEMP TABLE incoming (scheme TEXT, {columns}, import_id INTEGER)")
    return INCOMING


def rename_unit(conn, raw: str, unit: str) -> None:
    conn.execute(f"UPDATE {INCOMING} SET unit = ? WHERE unit = ?", [unit, raw])


def merge(conn, scheme: str, import_id: int, frozen: dict[str, str], audit: dict,
          total: int | None = None) -> tuple[int, int, int]:
    """Write the incoming rows' new and changed cases: (new, updated, unchanged). ``frozen``: the
    closed months (read under the write lock); ``audit``: the import's audit row, whose login,
    time and reason the ``update-case`` rows share; ``total``: the file's rows, when the incoming
    table holds only those that differ from the stored cases (else every row is in it)."""
    old = ", ".join(f"c.{f} AS o_{f}" for f in CASE_FIELDS[1:])
    mine, stored = (", ".join(f"{side}.{f}" for f in CASE_FIELDS[1:]) for side in ("i", "c"))
    differs = f"({mine}) IS NOT ({stored})"
    conn.execute("DROP TABLE IF EXISTS temp.diff")
    conn.execute(f"""CREATE TEMP TABLE diff AS
SELECT i.rowid AS rid, i.case_id, c.case_id IS NULL AS new, {old}
FROM {INCOMING} i LEFT JOIN main.cases c ON c.scheme = ? AND c.case_id = i.case_id
WHERE c.case_id IS NULL OR {differs}""", [scheme])
    for (month,) in conn.execute("SELECT DISTINCT substr(o_reported_at, 1, 7) FROM temp.diff WHERE NOT new"):
        if month in frozen:  # a case taken out of a signed-off month
            raise PermissionError(f"a case counted in {month}, closed with {frozen[month]}, is changed")
    if total is None:
        total = conn.execute(f"SELECT count(*) FROM {INCOMING}").fetchone()[0]
    new, updated = conn.execute("SELECT sum(new), sum(NOT new) FROM temp.diff").fetchone()
    new, updated = new or 0, updated or 0
    apply_changes(conn, scheme, f"""
SELECT -1 AS sign, {', '.join(f'o_{f} AS {f}' for f in ROW)} FROM temp.diff WHERE NOT new
UNION ALL SELECT 1, {', '.join(f'i.{f}' for f in ROW)} FROM temp.diff d JOIN {INCOMING} i ON i.case_id = d.case_id""")
    rows = []
    olds, news = ", ".join(f"o_{f}" for f in CASE_FIELDS[1:]), ", ".join(f"i.{f}" for f in CASE_FIELDS)
    for values in conn.execute(f"""SELECT {olds}, {news}
FROM temp.diff d JOIN {INCOMING} i ON i.case_id = d.case_id WHERE NOT d.new ORDER BY d.rid"""):
        after = tuple(values[len(CASE_FIELDS) - 1:])
        before = (after[0], *values[:len(CASE_FIELDS) - 1])
        old_fields, new_fields = update_audit(before, after, import_id)
        rows.append({**audit, "action": "update-case", "unit": after[1], "record_id": None,
                     "old": json.dumps(old_fields, ensure_ascii=False),
                     "new": json.dumps(new_fields, ensure_ascii=False)})
    chain.append_many(conn, rows)  # each change a link, in the file's order, as the careful path writes them
    columns = ", ".join(CASE_FIELDS)
    updates = ", ".join(f"{f} = excluded.{f}" for f in CASE_FIELDS[1:])
    conn.execute(f"""INSERT INTO cases (scheme, {columns}, import_id)
SELECT ?, {', '.join(f'i.{f}' for f in CASE_FIELDS)}, ? FROM temp.diff d JOIN {INCOMING} i ON i.case_id = d.case_id
WHERE true ORDER BY d.case_id
ON CONFLICT (scheme, case_id) DO UPDATE SET {updates},
    first_import_id = coalesce(first_import_id, import_id), import_id = excluded.import_id""", [scheme, import_id])
    conn.execute("DROP TABLE temp.diff")
    conn.execute(f"DROP TABLE {INCOMING}")
    return new, updated, total - new - updated
