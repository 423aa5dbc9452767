"""附件3 score sheets as printable worksheets of the xlsx export."""

from __future__ import annotations

from kaohe_tui.api import UnitSheet

from .sheet import COLUMNS, score_sheet


def unit_sheets(store, scheme, period_label: str, results) -> list[UnitSheet]:
    period = period_label.split("（")[0]
    sheets = []
    for result in results:
        sheet = score_sheet(store, scheme, period, result.unit, result=result)
        rows = [[r.category, r.content, r.standard, r.self_score, r.self_reason, r.assessed, r.assessed_reason]
                for r in sheet.rows]
        sheets.append(UnitSheet(
            name=result.unit,
            title=[f"{period}年局目标管理考核计分表" if period.isdigit() else f"局目标管理考核计分表（{period}）",
                   f"被考核科室：{result.unit}    考核扎口科室：{sheet.assessed_by or ''}    排名：{result.rank_label}"
                   + (f"    {period_label[len(period):]}" if period_label != period else ""),
                   "被考核科室负责人签字："],
            header=COLUMNS + ["考核责任科室负责人签字"],
            rows=[row + [""] for row in rows],
            signatures=["考核扎口科室负责人签字：                     被考科室分管领导签字："],
            highlight=[i for i, r in enumerate(sheet.rows) if r.gap],
        ))
    return sheets
