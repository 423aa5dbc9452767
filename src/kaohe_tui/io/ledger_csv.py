"""The ledger as CSV with SQLite writing whole lines: the same bytes as Python's csv writer over
``ledger_export.ledger_cursor`` (the exact path), at about the sqlite3 shell's own speed.

Python's csv writer and sqlite3's row tuples cost ~3× the shell's ``.mode csv`` on a 10^6-row
ledger. Here SQLite formats each record's line (``printf``) and joins a few thousand of them
(``group_concat`` over a range of ids, read in id order), and Python writes the chunk as it comes,
after checking it needs nothing the shortcut cannot do:

* a cell to quote (``,`` ``"`` CR LF) or to guard against a formula (a text starting ``=+-@`` TAB
  CR) shows as one more special byte than the line's own separators and terminator: each chunk's
  count of special bytes must be exactly 16 commas + CR LF a line, plus what the (already exact)
  clause texts and the negative numbers bring;
* a number is written by SQLite only when ``%!.15g`` gives exactly Python's ``repr`` (it reads
  back as the same float and is in the range where both write plain decimals), otherwise Python
  writes it (``kaohe_cell``).

A chunk that fails the count is looked at line by line, and only its odd records are written by
the exact path. The bytes are read as bytes (``text_factory``): UTF-8 goes to the file untouched.
Text holding NUL would be cut there by ``printf``: kaohe refuses control characters on every way in
(``ledger.clean_text``), so no record holds one.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections.abc import Callable

from kaohe_tui.io.ledger_import import format_attrs
from kaohe_tui.io.tabular import safe_cell

MMAP_BYTES = 1 << 30
CHUNK_IDS = 4096  # records read per query; a chunk is ~1 MB of text
SEPARATORS = 16 + 2  # a line's own special bytes: 16 commas between its 17 cells, CR LF
QUOTED = b',"\r\n'  # a cell holding one of these is quoted
GUARDED = re.compile(rb",[=+\-@\t]")  # a separator, then a formula's first character (CR: counted above)
NUMBER_RANGE = "({v} >= 1e-4 AND {v} < 1e15 OR {v} <= -1e-4 AND {v} > -1e15)"


def specials(text: bytes) -> int:
    """The bytes that make a line need more than its separators: quoting or a formula guard
    (counted on UTF-8: no multi-byte character contains an ASCII byte)."""
    return len(text) - len(text.translate(None, QUOTED)) + len(GUARDED.findall(text))


def exact_cell(text: str) -> str:
    """One guarded text cell exactly as the csv writer writes it inside a row."""
    buf = io.StringIO()
    csv.writer(buf).writerow([safe_cell(text), ""])
    return buf.getvalue()[:-3]  # the cell, without ",\r\n"


def number_cell(value) -> str:
    """What the csv writer writes for a count, amount or value SQLite cannot write the same."""
    return repr(value) if isinstance(value, float) else str(value)


def _number(column: str) -> str:
    v = column
    return (f"CASE WHEN {v} IS NULL THEN '' WHEN {v} = CAST({v} AS INTEGER) AND typeof({v}) = 'integer' THEN {v} "
            f"WHEN {NUMBER_RANGE.format(v=v)} AND printf('%!.15g', {v}) + 0 = {v} THEN printf('%!.15g', {v}) "
            f"ELSE kaohe_cell({v}) END")


LINE = ("printf('%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s' || char(13, 10), r.id, r.period, r.date, r.unit, "
        "r.indicator, r.clause, t.cell, " + ", ".join(_number(f"r.{c}") for c in ("count", "amount", "value"))
        + ", r.reason, CASE WHEN r.attrs IS NULL THEN '' ELSE kaohe_attrs(r.attrs) END, "
        "CASE WHEN r.withdrawn_at IS NOT NULL THEN '已撤回' ELSE '有效' END, r.withdrawn_reason, r.created_by, "
        "r.created_at, r.source)")
NEGATIVES = "(r.count < 0 IS 1) + (r.amount < 0 IS 1) + (r.value < 0 IS 1)"  # each writes one ",-"
FROM = ("FROM records r NOT INDEXED LEFT JOIN temp.kaohe_clause_cells t ON t.ind = r.indicator AND t.clause = r.clause "
        "WHERE r.id >= ? AND r.id < ? AND r.scheme = ? AND r.period IN ({keys})")


def prepare(conn: sqlite3.Connection, clause_texts: dict[tuple[str, str], str]) -> None:
    """The functions and the clause cells (exact, with their special bytes) the lines use."""
    conn.create_function("kaohe_attrs", 1, lambda text: format_attrs(json.loads(text)), deterministic=True)
    conn.create_function("kaohe_cell", 1, number_cell, deterministic=True)
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS kaohe_clause_cells (ind TEXT, clause TEXT, cell TEXT, extra INT, "
                 "PRIMARY KEY (ind, clause))")
    conn.execute("DELETE FROM temp.kaohe_clause_cells")
    rows = []
    for (ind, clause), text in clause_texts.items():
        cell = exact_cell(text)
        rows.append((ind, clause, cell, specials(cell.encode())))
    conn.executemany("INSERT INTO temp.kaohe_clause_cells VALUES (?, ?, ?, ?)", rows)


def write(conn: sqlite3.Connection, fh, scheme_id: str, keys: list[str], encoding: str,
          exact: Callable[[list[int]], list[bytes]], progress: Callable[[int], None] | None = None) -> int:
    """Write the records of ``scheme_id`` in periods ``keys`` to the binary file ``fh``, in id
    order; ``exact(ids)`` gives the exact path's encoded lines of those records. Returns the count."""
    where = FROM.format(keys=",".join("?" * len(keys)))
    chunk_sql = ("SELECT group_concat(line, ''), count(*), sum(extra) "
                 f"FROM (SELECT {LINE} AS line, t.extra AS extra {where} ORDER BY r.id)")
    negatives_sql = f"SELECT sum({NEGATIVES}) {where}"
    lines_sql = f"SELECT r.id, {LINE}, ifnull(t.extra, 0) + {NEGATIVES} {where} ORDER BY r.id"
    first, last = conn.execute("SELECT min(id), max(id) FROM records "
                               f"WHERE scheme = ? AND period IN ({','.join('?' * len(keys))})",
                               [scheme_id, *keys]).fetchone()
    if first is None:
        return 0
    n = 0
    factory = conn.text_factory

    def exact_lines(ids: list[int]) -> list[bytes]:
        conn.text_factory = factory  # the exact path reads text as text
        try:
            return exact(ids)
        finally:
            conn.text_factory = bytes

    conn.text_factory = bytes  # the lines go to the file as SQLite made them
    mapped = conn.execute("PRAGMA mmap_size").fetchone()[0]
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")  # pages read in place, not copied (~10% of the time)
    try:
        for start in range(first, last + 1, CHUNK_IDS):
            args = [start, start + CHUNK_IDS, scheme_id, *keys]
            text, count, extra = conn.execute(chunk_sql, args).fetchone()
            if not count:
                continue
            expected = SEPARATORS * count + (extra or 0)
            found = specials(text)
            if found != expected and found != expected + (conn.execute(negatives_sql, args).fetchone()[0] or 0):
                text = _line_by_line(conn.execute(lines_sql, args).fetchall(), exact_lines)
            fh.write(text if encoding == "utf-8" else text.decode("utf-8").encode(encoding))
            n += count
            if progress:
                progress(n)
    finally:
        conn.text_factory = factory
        conn.execute(f"PRAGMA mmap_size = {int(mapped)}")
    return n


def _line_by_line(rows: list[tuple[int, bytes, int]], exact: Callable[[list[int]], list[bytes]]) -> bytes:
    """A chunk with something to quote or guard: its plain lines as SQLite made them, the others
    from the exact path."""
    odd = [rid for rid, line, extra in rows if specials(line) != SEPARATORS + extra]
    fixed = dict(zip(odd, exact(odd), strict=False))
    return b"".join(fixed.get(rid, line) for rid, line, _ in rows)
