"""Exporting the ledger (each record with its clause and what the clause costs) and the audit log,
in the same formats as results. Rows stream from SQLite, so a 10^6-row ledger never sits in
memory whole."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kaohe_tui.errors import KaoheError
from kaohe_tui.io.ledger_import import format_attrs
from kaohe_tui.io.tabular import FORMULA_START, safe_cell
from kaohe_tui.messages import t
from kaohe_tui.periods import Period
from kaohe_tui.report import clause_line
from kaohe_tui.scheme import Scheme, walk
from kaohe_tui.store import Store

LEDGER_HEADER = ["记录号", "期间", "日期", "单位", "指标", "条款", "条款内容及计分", "次数", "分值", "数值", "事由",
                 "附加", "状态", "撤回事由", "录入人", "录入时间", "来源"]
AUDIT_HEADER = ["序号", "时间", "用户", "操作", "方案", "单位", "记录号", "原值", "新值", "事由"]


def _clause_texts(scheme: Scheme) -> dict[tuple[str, str], str]:
    texts = {}
    for _, tree in scheme.trees():
        for path, node in walk(tree):
            for clause in node.clauses:
                texts[(path, clause.id)] = clause_line(clause)
    return texts


@dataclass
class Table:
    """A plugin's printable list: ``rows(store, scheme, period)`` gives rows under ``header``."""

    kind: str  # the --what name
    title: str  # the sheet's name
    header: list[str]
    rows: Callable[[Store, Scheme, Period], Iterator[list]]


def plugin_tables(scheme: Scheme) -> dict[str, Table]:
    from kaohe_tui import plugins

    return {table.kind: table for found in plugins.call("kaohe_export_tables", scheme=scheme) if found
            for table in found}


def kinds(scheme: Scheme) -> list[str]:
    """What ``kaohe export --what`` can write for ``scheme``."""
    return ["results", "ledger", "audit", *plugin_tables(scheme)]


def ledger_rows(store: Store, scheme: Scheme, period: Period) -> Iterator[list]:
    texts = _clause_texts(scheme)
    keys = [str(p) for p in period.sub_periods()]
    sql = ("SELECT id, period, date, unit, indicator, clause, count, amount, value, reason, attrs, withdrawn_at, "
           f"withdrawn_reason, created_by, created_at, source FROM records WHERE scheme = ? "
           f"AND period IN ({','.join('?' * len(keys))}) ORDER BY id")
    loads = json.loads
    for (rid, per, date, unit, ind, clause, count, amount, value, reason, attrs, withdrawn_at, withdrawn_reason,
         created_by, created_at, source) in store.db.execute(sql, [scheme.id, *keys]):
        yield [rid, per, date, unit, ind, clause, texts.get((ind, clause), ""), count, amount, value, reason,
               format_attrs(loads(attrs)) if attrs else "", "已撤回" if withdrawn_at else "有效", withdrawn_reason,
               created_by, created_at, source]


def _guarded(column: str) -> str:
    """``safe_cell`` in SQL: text Excel/WPS would run as a formula gets a leading apostrophe."""
    starts = ", ".join(f"char({ord(c)})" for c in FORMULA_START)
    return (f"CASE WHEN typeof({column}) = 'text' AND substr({column}, 1, 1) IN ({starts}) "
            f"THEN char(39) || {column} ELSE {column} END")


def ledger_cursor(store: Store, scheme: Scheme, period: Period, ids: list[int] | None = None) -> sqlite3.Cursor:
    """The ledger's rows with the cells ``ledger_rows`` makes, made by SQLite itself (only the
    records ``ids``, when given): what the csv writer writes is the CSV export's definition
    (``ledger_csv`` writes the same bytes faster)."""
    conn = store.db.conn
    conn.create_function("kaohe_attrs", 1, lambda text: format_attrs(json.loads(text)), deterministic=True)
    # the clause texts as a keyed temporary table: looked up per row inside SQLite
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS kaohe_clause_texts (ind TEXT, clause TEXT, text TEXT, "
                 "PRIMARY KEY (ind, clause))")
    conn.execute("DELETE FROM temp.kaohe_clause_texts")
    conn.executemany("INSERT INTO temp.kaohe_clause_texts VALUES (?, ?, ?)",
                     [(ind, clause, text) for (ind, clause), text in _clause_texts(scheme).items()])
    keys = [str(p) for p in period.sub_periods()]
    g = _guarded
    columns = [g("r.period"), g("r.date"), g("r.unit"), g("r.indicator"), g("r.clause"), g("coalesce(t.text, '')"),
               "r.count", "r.amount", "r.value", g("r.reason"),
               g("CASE WHEN r.attrs IS NULL THEN '' ELSE kaohe_attrs(r.attrs) END"),
               "CASE WHEN r.withdrawn_at IS NOT NULL THEN '已撤回' ELSE '有效' END",
               g("r.withdrawn_reason"), g("r.created_by"), g("r.created_at"), g("r.source")]
    # a straight scan in id order: no sort, and a period's export is most of the table anyway
    sql = (f"SELECT r.id, {', '.join(columns)} FROM records r NOT INDEXED LEFT JOIN temp.kaohe_clause_texts t "
           "ON t.ind = r.indicator AND t.clause = r.clause "
           f"WHERE r.scheme = ? AND r.period IN ({','.join('?' * len(keys))})"
           + (" AND r.id IN (SELECT value FROM json_each(?))" if ids is not None else "") + " ORDER BY r.id")
    return conn.execute(sql, [scheme.id, *keys] + ([json.dumps(ids)] if ids is not None else []))


def write_ledger_csv(store: Store, scheme: Scheme, period: Period, path: Path, fmt: str,
                     progress: Callable[[int], None] | None = None) -> int:
    """The ledger as CSV (``csv``: UTF-8 with a BOM, ``csv-gbk``), SQLite writing the lines."""
    from kaohe_tui.io import ledger_csv

    encoding = "utf-8" if fmt == "csv" else "gbk"
    ledger_csv.prepare(store.db.conn, _clause_texts(scheme))

    def exact(ids: list[int]) -> list[bytes]:
        buf = io.StringIO()
        writer, lines = csv.writer(buf), []
        for row in ledger_cursor(store, scheme, period, ids):
            writer.writerow(row)
            lines.append(buf.getvalue().encode("utf-8"))
            buf.seek(0)
            buf.truncate()
        return lines

    with open(path, "wb") as fh:
        head = io.StringIO()
        csv.writer(head).writerow(LEDGER_HEADER)
        fh.write(("\ufeff" if fmt == "csv" else "").encode("utf-8") + head.getvalue().encode(encoding))
        return ledger_csv.write(store.db.conn, fh, scheme.id, [str(p) for p in period.sub_periods()], encoding,
                                exact, progress)


def audit_rows(store: Store, scheme: Scheme | None = None) -> Iterator[list]:
    sql = "SELECT * FROM audit" + (" WHERE scheme = ?" if scheme else "") + " ORDER BY id"
    for r in store.db.query(sql, [scheme.id] if scheme else []):
        yield [r["id"], r["at"], r["user"], r["action"], r["scheme"], r["unit"], r["record_id"], r["old"], r["new"],
               r["reason"]]


def write_rows(fmt: str, header: list[str], rows: Iterator[list], path: Path, title: str,
               progress: Callable[[int], None] | None = None) -> int:
    n = 0
    if fmt in ("csv", "csv-gbk"):
        encoding = "utf-8-sig" if fmt == "csv" else "gbk"
        with open(path, "w", encoding=encoding, newline="", errors="strict") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            for n, row in enumerate(rows, start=1):
                writer.writerow([safe_cell(v) if v.__class__ is str else v for v in row])
                if progress and n % 50_000 == 0:
                    progress(n)
    elif fmt == "json":
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("[\n")
            for n, row in enumerate(rows, start=1):
                fh.write(("," if n > 1 else "")
                         + json.dumps(dict(zip(header, row, strict=False)), ensure_ascii=False) + "\n")
            fh.write("]\n")
    elif fmt == "xlsx":
        import openpyxl

        from kaohe_tui.io.exporters import a4

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet(title[:31])
        a4(sheet)
        sheet.append(header)
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
        book.save(path)
    else:
        raise KaoheError(t("export_format", fmt=fmt, known="csv、csv-gbk、json、xlsx"))
    return n


def export_table(kind: str, store: Store, scheme: Scheme, period: Period, fmt: str, path: Path,
                 progress: Callable[[int], None] | None = None, force: bool = False) -> int:
    """Write the ledger or the audit log to ``path`` (whole or not at all); returns the row count.
    An existing file is replaced only with ``force``, the database never."""
    from kaohe_tui.io.safe_files import check_target, protected_paths, writing

    path = Path(path)
    extra = plugin_tables(scheme)
    if kind not in ("ledger", "audit", *extra):
        raise KaoheError(t("export_what", kind=kind, scheme=scheme.id, known="、".join(kinds(scheme))))
    protect = protected_paths(store.path)
    check_target(path, force=force, protect=protect)
    if kind == "ledger":
        header, title = LEDGER_HEADER, f"台账{period}"
        rows = ledger_rows(store, scheme, period)
    elif kind == "audit":
        header, rows, title = AUDIT_HEADER, audit_rows(store, scheme), "审计日志"
    else:
        table = extra[kind]
        header, rows, title = table.header, table.rows(store, scheme, period), table.title
    try:
        with writing(path, force=force, protect=protect) as slot:
            if kind == "ledger" and fmt in ("csv", "csv-gbk"):
                n = write_ledger_csv(store, scheme, period, slot.path, fmt, progress)
            else:
                n = write_rows(fmt, header, rows, slot.path, title, progress)
    except UnicodeEncodeError as exc:
        raise KaoheError(t("export_not_encodable", path=path, text=exc.object[exc.start:exc.end], encoding="GBK",
                                   instead="csv")) from None
    return n
