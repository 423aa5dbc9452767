"""The bad-input corpus: each file gets its clear message (file, row, column, reason) and leaves
the database unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import count_rows

CORPUS = Path(__file__).parent / "corpus"
SCHEME = "district-categories"


@pytest.mark.parametrize(
    "name,message",
    [
        ("wrong_encoding.csv", "wrong_encoding.csv：不是 UTF-8 或 GBK 文本"),
        (
            "missing_columns.csv",
            "missing_columns.csv：缺少列 indicator/指标、reason/事由（表头：单位、分值）",
        ),
        ("empty.csv", "empty.csv：文件是空的"),
        ("header_only_blank.csv", "header_only_blank.csv：文件是空的"),
        (
            "unknown_unit.csv",
            "unknown_unit.csv：第3行，「单位」列：单位：“民正局”不是本方案的单位；是否指：民防局、民政局？",
        ),
        ("unknown_indicator.csv", "unknown_indicator.csv：第3行，「指标」列：指标：“通报批评”不是本方案的指标"),
        ("unknown_clause.csv", "unknown_clause.csv：第3行，「条款」列：条款：“press”不是「通报"),
        ("bad_count.csv", "bad_count.csv：第3行，「次数」列：次数：“-1”须为不小于0的整数"),
        ("amount_out_of_range.csv", "amount_out_of_range.csv：第3行，「分值」列：分值：0.8 超出条款「"),
        ("date_outside_period.csv", "date_outside_period.csv：第3行，「日期」列：日期：2017-05-02 不在期间 2017Q1"),
        ("duplicate.csv", "duplicate.csv：第3行：重复：同样的记录已在第2行"),
    ],
)
def test_corpus_file_refused_clearly(kaohe, name, message):
    kaohe.run("schemes")
    proc = kaohe.run("import", SCHEME, str(CORPUS / name), ok=False)
    assert proc.returncode == 2
    assert message in proc.stderr.replace(str(CORPUS) + "/", "")
    assert "Traceback" not in proc.stderr
    assert count_rows(kaohe.db) == 0


def test_both_bad_counts_reported(kaohe):
    proc = kaohe.run("import", SCHEME, str(CORPUS / "bad_count.csv"), ok=False)
    assert "第4行，「次数」列：次数：“1.5”须为不小于0的整数" in proc.stderr


def test_gbk_csv_as_excel_writes_it(kaohe):
    assert "已导入1条记录" in kaohe.run("import", SCHEME, str(CORPUS / "gbk_excel.csv")).stdout
    # one notice: 1 − 0.5 = 0.5
    assert kaohe.score(SCHEME, "2017")["民政局"]["total"] == 0.5


def test_hundred_megabyte_file(kaohe, tmp_path):
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("单位,指标,条款,次数,分值,数值,期间,日期,事由\n民政局,通报,media,1,,,2017,,")
        chunk = "很长的事由" * 20_000
        while fh.tell() < 100 * 1024 * 1024:
            fh.write(chunk)
        fh.write("\n")
    proc = kaohe.run("import", SCHEME, str(big), ok=False)
    assert "big.csv：第2行：单元格超过16 MB" in proc.stderr
    assert count_rows(kaohe.db) == 0
