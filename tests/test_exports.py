"""The xlsx a leader signs: the ranking sheet plus, for bureau-departments, one 附件3 sheet per unit."""

from __future__ import annotations

import openpyxl

from conftest import Kaohe


def test_bureau_xlsx_has_attachment3_sheet_per_unit(kaohe: Kaohe, tmp_path):
    kaohe.record("bureau-departments", period="2018-03", unit="党办", indicator="工作纪律", clause="late-early",
                 count=2, reason="3月考勤抽查迟到2人次")
    out = tmp_path / "2018.xlsx"
    kaohe.run("export", "bureau-departments", "--period", "2018", "--format", "xlsx", "-o", str(out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "排名" and len(book.sheetnames) == 1 + 19  # the ranking + 19 units
    sheet = book["党委办"]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    header_at = next(i for i, row in enumerate(cells) if row[:3] == ["考核类别", "考核内容", "标准分值"])
    assert cells[header_at] == [
        "考核类别",
        "考核内容",
        "标准分值",
        "自评分",
        "加（扣）分原因",
        "考评分",
        "加（扣）分原因",
        "考核责任科室负责人签字",
    ]  # 附件3: 加（扣）分原因 under both scores
    rows = {row[1]: row for row in cells[header_at + 1:] if row[1]}
    # 工作纪律 10 − 2 × 0.5 = 9, a number (not text), with the clause as its reason
    assert rows["工作纪律"][2] == 10 and rows["工作纪律"][5] == 9 and isinstance(rows["工作纪律"][5], (int, float))
    assert "出现迟到早退的有一例扣0.5分" in rows["工作纪律"][6]
    closing = {row[0]: row for row in cells[header_at + 1:] if row[0] in ("现场考核分小计", "合计分")}
    assert closing["现场考核分小计"][2] == 100
    assert any("考核扎口科室负责人签字" in (row[0] or "") for row in cells)
    assert "考核扎口科室：人教科" in cells[1][0]
    assert int(sheet.page_setup.paperSize) == 9  # A4
