"""The C reader of case files (``kaohe_cases``, native/kaohetime.c) reads CSV as Python's csv
module reads it for the careful path: a byte order mark, CRLF line ends, quoted cells holding
commas, quotes and line breaks; and it takes every time form the careful path's files carry."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import load_core_scheme, needs_native_time, new_store
from kaohe_tui import bulk_cases
from kaohe_tui.case_import import bulk_path, careful_import

pytestmark = [pytest.mark.skipif(not bulk_cases.available(), reason="sqlean.py is not installed"), needs_native_time]

CASES = ("SELECT case_id, unit, source, reported_at, deadline, closed_at, extensions, failed_checks, satisfaction, "
         "satisfied, status, untimed FROM cases ORDER BY case_id")
STATS = "SELECT * FROM case_month_stats ORDER BY unit, month"


@pytest.fixture
def scheme():
    return load_core_scheme("fixture-cases")


def both_paths(scheme, tmp_path: Path, data: bytes) -> tuple[int | None, list, list]:
    """(what the bulk path took, the cases and counts it stored); the careful path must store the same."""
    path = tmp_path / "cases.csv"
    path.write_bytes(data)
    bulk, careful = new_store(tmp_path / "bulk.db", scheme), new_store(tmp_path / "careful.db", scheme)
    taken = bulk_path(bulk, scheme, path, None)
    careful_import(careful, scheme, path)
    stored = [store.db.execute(sql).fetchall() for store in (bulk, careful) for sql in (CASES, STATS)]
    assert stored[:2] == stored[2:]
    return taken, stored[0], stored[1]


def test_quoted_cells_crlf_and_a_byte_order_mark(scheme, tmp_path):
    header = "案件编号,问题描述,责任单位,来源,上报时间,处置时限,结案时间,延期次数,核查未通过次数,回访满意度\r\n"
    rows = [
        'C1,"路边, 垃圾\r\n未清运 ""暴露""",甲街道,"巡查",2018-01-03 09:00:00,2018-01-05 17:00:00,,0,0,满意\r\n',
        '"C2",,"甲街道办事处",,2018/1/4 9:05,2018-01-06,2018-01-05T10:00:00.250+08:00,"2",,""\r\n',
        "\r\n",  # a blank line, skipped
        "C3,描述,乙街道,12319,20180107093000,,,,1,不满意",  # no line end after the last row
    ]
    taken, cases, _ = both_paths(scheme, tmp_path, ("\ufeff" + header + "".join(rows)).encode("utf-8"))
    assert taken == 3  # the bulk path took the file (and stored what the careful path stores)
    # C2: slashes and single digits, a date-only deadline (the day's end), an ISO time with a
    # fraction and a zone (kept in China time, the fraction dropped), the alias stored as the unit
    assert cases[1] == ("C2", "甲街道", None, "2018-01-04 09:05:00", "2018-01-06 23:59:59", "2018-01-05 10:00:00",
                        2, 0, None, None, None, 0)
    assert cases[2][:4] == ("C3", "乙街道", "12319", "2018-01-07 09:30:00")


@pytest.mark.parametrize("row", [
    'C1,描述,甲街道,巡查,2018-01-03 09:00:00,,,0,0,满"意\n',  # a quote inside a cell not quoted
    'C1,"描述"x,甲街道,巡查,2018-01-03 09:00:00,,,0,0,满意\n',  # text after a closing quote
    "C1,描述,甲街道,巡查,2018年1月3日 9时,,,0,0,满意\n",  # a form only the careful path reads
])
def test_what_the_reader_leaves_to_the_careful_path(scheme, tmp_path, row):
    header = "案件编号,问题描述,责任单位,来源,上报时间,处置时限,结案时间,延期次数,核查未通过次数,回访满意度\n"
    path = tmp_path / "cases.csv"
    path.write_text(header + row, encoding="utf-8")
    store = new_store(tmp_path / "k.db", scheme)
    assert bulk_path(store, scheme, path, None) is None  # refused whole: nothing stored
    assert store.db.execute("SELECT count(*) FROM cases").fetchone() == (0,)


def test_a_later_export_naming_an_unchanged_case_twice_is_refused_and_named(scheme, tmp_path):
    """A later export keeps only its changed rows: a case id written twice, both rows as stored,
    is caught by the reader itself (no key of a table sees it) and named by the careful path."""
    from kaohe_tui.case_import import CaseImportRejected, import_cases

    header = "案件编号,责任单位,来源,上报时间,处置时限,结案时间,延期次数,核查未通过次数,回访满意度\n"
    rows = ["K1,甲街道,巡查,2018-01-05 09:00:00,2018-01-08 17:00:00,,0,0,",
            "K2,乙街道,巡查,2018-01-06 09:00:00,2018-01-09 17:00:00,2018-01-07 10:00:00,0,0,满意"]
    store = new_store(tmp_path / "k.db", scheme)
    first = tmp_path / "first.csv"
    first.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    assert bulk_path(store, scheme, first, None) == 2
    later = tmp_path / "later.csv"
    later.write_text(header + "\n".join([*rows, rows[1]]) + "\n", encoding="utf-8")
    assert bulk_path(store, scheme, later, None) is None
    with pytest.raises(CaseImportRejected) as caught:
        import_cases(store, scheme, later)
    assert any("第4行：案件编号：案件 K2 在文件前面已出现" in m for m in caught.value.report.rejected)
    assert store.db.execute("SELECT count(*) FROM case_imports").fetchone() == (1,)  # the first import only
