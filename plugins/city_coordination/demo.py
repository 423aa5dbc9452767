"""A plausible 2018 demo ledger (``kaohe demo`` labels every record 【演示】).

Figures are invented but shaped like the real ones: quarterly 业务考核 and 社会评价 scores out of 100,
case statistics for the weighted closure rate, the two rates, rework, an initiative bonus; the
annual review; and, for the departments, responsibility-letter items taken from seed 003's task
list (plugins/targets) and assigned tasks. The 业务考核 figures are chosen so that the quarterly
rankings have a story: 示例街道丙 is last in Q1, 示例镇丁 in Q2, Q3 and Q4 (→ 通报批评 after Q3,
约谈 after Q4).
"""

from __future__ import annotations

from pathlib import Path

YEAR = 2018
TOWNS = ["示例镇甲", "示例镇乙", "示例镇丙", "示例镇丁", "示例开发区", "示例街道甲", "示例街道乙", "示例街道丙"]
DEPARTMENTS = ["住建局", "城管局", "交通运输局", "水利局", "卫生局", "环保局", "旅游局", "行政服务中心", "供销社",
               "工商分局", "规划分局", "交巡警大队"]

# 业务考核 by quarter (out of 100), one list per quarter in TOWNS order
BUSINESS = {
    1: [91, 89, 87, 85, 86, 90, 88, 76],
    2: [92, 88, 88, 78, 87, 91, 86, 85],
    3: [90, 90, 86, 79, 88, 89, 87, 84],
    4: [93, 89, 87, 77, 86, 92, 88, 86],
}
ANNUAL_REVIEW = [92, 89, 88, 80, 87, 91, 88, 85]


def _row(unit, indicator, period, reason, clause=None, *, count=None, amount=None, value=None, attrs=None):
    return {"unit": unit, "indicator": indicator, "clause": clause, "count": count, "amount": amount,
            "value": value, "period": period, "reason": reason, "attrs": attrs}


def _cases(unit: str, i: int, q: int, per_case: bool) -> list[dict]:
    """One quarter's platform statistics for one unit (deterministic, varied)."""
    period = f"{YEAR}Q{q}"
    due = 36 + 3 * i + 2 * q if per_case else 18 + 2 * i + q
    overdue = (i + q) % 3
    extended = 2 + i % 2
    still_open = (i + q) % 2
    on_time = due - overdue - extended - still_open
    satisfaction, first_time = 88 + (3 * i + 2 * q) % 11, 84 + (5 * i + q) % 13
    rows = [
        _row(unit, "按期结案率", period, f"数字城管平台{q}季度统计：按时结案{on_time}件", "on_time", count=on_time),
        _row(unit, "按期结案率", period, f"数字城管平台{q}季度统计：延期结案{extended}件", "extended", count=extended),
        _row(unit, "按期结案率", period, f"数字城管平台{q}季度统计：超时结案{overdue}件", "overdue", count=overdue),
        _row(unit, "按期结案率", period, f"数字城管平台{q}季度统计：应结案{due}件（未结{still_open}件）", "due",
             count=due),
        _row(unit, "回访满意率", period, f"数字城管平台{q}季度统计：回访满意率{satisfaction}%", value=satisfaction),
        _row(unit, "一次完成率", period, f"数字城管平台{q}季度统计：一次完成率{first_time}%", value=first_time),
    ]
    rework = (i + 2 * q) % 4
    if rework:
        rows.append(_row(unit, "返工", period, f"数字城管平台{q}季度统计：返工案件{rework}件", "rework", count=rework))
    return rows


def _towns() -> list[dict]:
    rows = []
    for q in range(1, 5):
        period = f"{YEAR}Q{q}"
        for i, unit in enumerate(TOWNS):
            rows.append(_row(unit, "业务考核", period, f"{q}季度督查中队检查及整改通知单落实情况评分",
                             value=BUSINESS[q][i]))
            rows.append(_row(unit, "社会评价", period, f"{q}季度市容公众监督员评价", value=80 + (7 * i + 3 * q) % 15))
            rows.append(_row(unit, "平台建设", period, f"{q}季度数字化城市管理指挥平台运行评分",
                             value=3 if (i + q) % 4 else 2.5))
            rows += _cases(unit, i, q, per_case=True)
    rows.append(_row("示例镇甲", "数字城管考评/工作主动性加分", f"{YEAR}Q3", "主动协调解决农贸市场周边占道经营顽疾",
                     amount=0.5))
    for i, unit in enumerate(TOWNS):
        rows.append(_row(unit, "年度综合考评", str(YEAR), "年终综合考评（含上、下半年现场检查考核）",
                         value=ANNUAL_REVIEW[i]))
    return rows


def _targets_module():
    import importlib.util
    import sys

    from kaohe_tui.api import bundled

    name = "kaohe_plugin_targets"
    if name in sys.modules:
        return sys.modules[name]
    path = Path(bundled("plugins")) / "targets" / "__init__.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _departments() -> list[dict]:
    rows = []
    for q in range(1, 5):
        for i, unit in enumerate(DEPARTMENTS):
            rows += _cases(unit, i, q, per_case=False)
    rows.append(_row("城管局", "数字城管绩效/工作主动性加分", f"{YEAR}Q3", "主动承揽老旧小区违章搭建协调整治",
                     amount=1))
    # 目标责任书: the demo list is seed 003's 19 tasks (武进区城管局2015年工作要点), default points
    targets = _targets_module()
    items = {item.number: item for item in targets.work_points()}
    year = str(YEAR)
    rows.append(targets.not_completed(items[4], "城管局", "目标责任书", year, "城东大型垃圾转运站年内未建成"))
    rows.append(targets.not_completed(items[12], "城管局", "目标责任书", year, "36个商业综合体店招店牌改造完成28个"))
    rows.append(targets.not_completed(items[10], "住建局", "目标责任书", year, "示范社区创建未通过验收"))
    special = targets.not_completed(items[7], "环保局", "目标责任书", year, "监控平台联网因上级系统升级推迟")
    rows.append(special | {"clause": "special"})
    rows.append(_row("交通运输局", "交办任务", year, "城管委交办：公交站台周边乱停车整治未按期完成", "not-done",
                     amount=5, attrs={"item": "公交站台周边乱停车整治"}))
    rows.append(_row("水利局", "交办任务", year, "城管委交办：河道沿岸垃圾清理验收不合格", "not-done", amount=4,
                     attrs={"item": "河道沿岸垃圾清理"}))
    return rows


def records() -> list[dict]:
    return _towns() + _departments()
