"""The ledger's CSV export, written by SQLite in whole lines (io/ledger_csv.py): byte for byte what
the csv writer writes over the exact path (``ledger_cursor``), and what Python's csv module reads
back is every cell as stored — quoted where it holds a comma, quote or line break, a formula
guarded with an apostrophe, numbers as Python writes them."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import load_core_scheme, new_store
from kaohe_tui.io import ledger_csv
from kaohe_tui.io.ledger_export import LEDGER_HEADER, _clause_texts, export_table, ledger_cursor
from kaohe_tui.periods import Period

GUARDED = ("=", "+", "-", "@", "\t", "\r")  # what Excel/WPS would run as a formula
HOSTILE = st.text(alphabet=st.sampled_from([",", '"', "\n", "\r", "=", "+", "-", "@", "\t", "'", " ", "a", "1",
                                            ".", "中", "文", "；", "，", "\x1f", "é"]), max_size=8)
# any text but NUL, which kaohe refuses on every way in (ledger.clean_text) and printf's %s ends at
ANY_CHARACTER = st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))
TEXT = st.none() | HOSTILE | st.text(ANY_CHARACTER, max_size=6)
NUMBER = (st.none() | st.integers(-10**18, 10**18) | st.floats(allow_nan=False)
          | st.sampled_from([0.0, -0.0, 0.1 + 0.2, 1e15, 1e-5, 1e-4, 123456789012345.0, 999999999999999.9, 59.0,
                             -2.5, 2.9, 1e300, float("inf")])
          | HOSTILE)
COLUMNS = ("period", "unit", "indicator", "clause", "count", "amount", "value", "date", "reason", "attrs", "source",
           "created_by", "created_at", "withdrawn_at", "withdrawn_reason")


@st.composite
def records(draw, clauses: list[tuple[str, str | None]]) -> list[dict]:
    out = []
    for _ in range(draw(st.integers(1, 12))):
        ind, clause = draw(st.sampled_from(clauses))
        row = {"period": draw(st.sampled_from(["2018", "2018Q1", "2018-03"])), "indicator": ind, "clause": clause}
        for column in ("unit", "date", "reason", "source", "created_by", "created_at", "withdrawn_reason"):
            row[column] = draw(TEXT)
        row["unit"] = row["unit"] or ""
        row["reason"] = row["reason"] or ""
        for column in ("count", "amount", "value"):
            row[column] = draw(NUMBER)
        attrs = draw(st.none() | st.dictionaries(HOSTILE, HOSTILE | st.integers(), max_size=2))
        row["attrs"] = json.dumps(attrs, ensure_ascii=False) if attrs is not None else None
        row["withdrawn_at"] = draw(st.sampled_from([None, "2018-05-01T00:00:00+00:00"]))
        out.append(row)
    return out


def _insert(db: Path, scheme_id: str, rows: list[dict]) -> None:
    with sqlite3.connect(db) as conn:
        marks = ", ".join("?" * len(COLUMNS))
        conn.executemany(f"INSERT INTO records (scheme, {', '.join(COLUMNS)}) VALUES (?, {marks})",
                         [[scheme_id, *(r[c] for c in COLUMNS)] for r in rows])
    conn.close()


def _exact_bytes(store, scheme, period, fmt: str = "csv") -> bytes:
    """The exact path: Python's csv writer over the cells SQLite makes (the export as it was)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(LEDGER_HEADER)
    writer.writerows(ledger_cursor(store, scheme, period))
    return ("\ufeff" if fmt == "csv" else "").encode() + buf.getvalue().encode("utf-8" if fmt == "csv" else "gbk")


def _guard(text: str | None) -> str:
    if text is None:
        return ""
    return "'" + text if text.startswith(GUARDED) else text


def _number(value) -> str:
    if value is None:
        return ""
    return repr(value) if isinstance(value, float) else str(value)


def _expected(rows_in_db: list[tuple], texts: dict) -> list[list[str]]:
    """Each record's cells as the export promises them, from the values SQLite stored."""
    out = []
    for (rid, period, unit, ind, clause, count, amount, value, date, reason, attrs, source, created_by, created_at,
         withdrawn_at, withdrawn_reason) in rows_in_db:
        shown_attrs = "; ".join(f"{k}={v}" for k, v in json.loads(attrs).items()) if attrs else ""
        out.append([str(rid), _guard(period), _guard(date), _guard(unit), _guard(ind), _guard(clause),
                    _guard(texts.get((ind, clause), "")), _number(count), _number(amount), _number(value),
                    _guard(reason), _guard(shown_attrs), "已撤回" if withdrawn_at else "有效", _guard(withdrawn_reason),
                    _guard(created_by), _guard(created_at), _guard(source)])
    return out


@pytest.fixture(scope="module")
def street(tmp_path_factory):
    """street-linkage: its clause texts hold ASCII commas (quoted cells inside every line)."""
    from kaohe_tui import catalog, plugins

    plugins.reset_for_tests()
    catalog.reset()
    plugins.load_plugins()
    return catalog.get("street-linkage")


@pytest.fixture(scope="module")
def street_db(street, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("template") / "k.db"
    new_store(db).close()
    return db


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), chunk=st.sampled_from([1, 3, 4096]))
def test_hostile_cells_are_written_as_the_csv_writer_writes_them(street, street_db, tmp_path_factory, monkeypatch,
                                                                 data, chunk):
    monkeypatch.setattr(ledger_csv, "CHUNK_IDS", chunk)  # small chunks: both the chunk and the line checks
    texts = _clause_texts(street)
    clauses = [*texts, (next(iter(texts))[0], None), ("不在方案中的指标", "x")]
    rows = data.draw(records(clauses))
    db = tmp_path_factory.mktemp("csv") / "k.db"
    shutil.copy(street_db, db)  # a migrated, registered database: a fresh one per example, made once
    store = new_store(db)
    try:
        _insert(db, street.id, rows)
        out = db.with_name("ledger.csv")
        period = Period.parse("2018")
        assert export_table("ledger", store, street, period, "csv", out) == len(rows)
        written = out.read_bytes()
        assert written == _exact_bytes(store, street, period)
        stored = store.db.conn.execute(f"SELECT id, {', '.join(COLUMNS)} FROM records ORDER BY id").fetchall()
    finally:
        store.close()
    back = list(csv.reader(io.StringIO(written.decode("utf-8-sig"), newline="")))
    assert back[0] == LEDGER_HEADER
    assert back[1:] == _expected(stored, texts)


NUMBERS = [0.0, -0.0, 0.1 + 0.2, 1 / 3, 1e15, 1e16, 1e-5, 1e-4, 0.00012, 123456789012345.0, 999999999999999.9, 59.0,
           -2.5, 2.9, 1e300, -1e-300, float("inf"), float("-inf"), 5e-324, 3, -7, 10**18]


@given(value=st.floats(allow_nan=False) | st.integers(-10**18, 10**18))
@example(value=0.1 + 0.2)
@settings(max_examples=300, deadline=None)
def test_a_number_is_written_as_python_writes_it(value):
    """SQLite writes a number itself only where ``%!.15g`` is Python's ``repr``; else Python does."""
    conn = sqlite3.connect(":memory:")
    conn.create_function("kaohe_cell", 1, ledger_csv.number_cell, deterministic=True)
    conn.execute("CREATE TABLE r (count INTEGER, amount REAL)")
    conn.execute("INSERT INTO r VALUES (?, ?)", [value, value])
    for column in ("count", "amount"):
        stored = conn.execute(f"SELECT {column} FROM r").fetchone()[0]
        got = conn.execute(f"SELECT printf('%s', {ledger_csv._number(column)}) FROM r").fetchone()[0]  # as in the line
        assert got == (repr(stored) if isinstance(stored, float) else str(stored)), (value, column)


@pytest.mark.parametrize("value", NUMBERS)
def test_numbers_at_the_edges(value):
    test_a_number_is_written_as_python_writes_it.hypothesis.inner_test(value=value)


def test_gbk_export_is_the_csv_writer_s_too(tmp_path):
    scheme = load_core_scheme("fixture")
    db = tmp_path / "k.db"
    store = new_store(db)
    base = {"period": "2018", "unit": "党委办", "indicator": "基础管理/工作纪律", "clause": "late", "count": 2,
            "amount": None, "value": None, "date": None, "attrs": None, "source": None, "created_by": "张三",
            "created_at": "2018-05-01", "withdrawn_at": None, "withdrawn_reason": None}
    _insert(db, "fixture", [{**base, "reason": r} for r in ["迟到,两次", '说"明"', "=1+1", "换\r\n行", "普通", "-3"]])
    out = tmp_path / "g.csv"
    period = Period.parse("2018")
    assert export_table("ledger", store, scheme, period, "csv-gbk", out) == 6
    assert out.read_bytes() == _exact_bytes(store, scheme, period, "csv-gbk")
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("gbk"), newline="")))
    assert [r[10] for r in rows[1:]] == ["迟到,两次", '说"明"', "'=1+1", "换\r\n行", "普通", "'-3"]
    store.close()


def test_a_hostile_record_through_the_cli_round_trips(k, tmp_path):
    reason = '=SUM(A1),甲 "乙"'  # a formula, a comma, quotes (a line break is refused on the way in)
    k.record("fixture", period="2018", unit="党办", indicator="工作纪律", clause="late", count=2, reason=reason)
    k.record("fixture", period="2018Q1", unit="财审科", indicator="特别附加分", amount="2.5", reason="@扣回")
    out = tmp_path / "ledger.csv"
    k.run("export", "fixture", "--period", "2018", "--what", "ledger", "--format", "csv", "-o", str(out))
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert [(r[5], r[6], r[7], r[8], r[10]) for r in rows[1:]] == [
        ("late", "[late] 出现迟到早退的有一例扣0.5分  〔每次0.5分〕", "2", "", "'" + reason),
        ("", "", "", "2.5", "'@扣回")]
