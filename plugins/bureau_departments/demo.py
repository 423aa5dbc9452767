"""A plausible 2018 for the demo: monthly information counts for every unit (a few months short),
a spread of deductions, a zeroing, an OA breach doubled for a missing client, a target item not
completed and one excused, a key-indicator deduction and an approved bonus."""

from __future__ import annotations

from kaohe_tui.api import Scheme, declared_units, parse_standard

YEAR = "2018"
INFO = "信息报送"
STANDARD = "信息报送标准"

# Months a unit with a monthly standard fell short: unit → {month: items adopted}.
SHORT_MONTHS = {"市政处": {3: 3, 8: 2}, "开发办": {11: 1}, "审图中心": {12: 0}}
# Units with an annual minimum: the months they had items adopted by the district portal.
ANNUAL_ITEMS = {
    "财审科": {3: 1, 6: 1, 9: 1, 12: 1},  # 4 + a feature in June (1 + extra 2) = 7 ≥ 5
    "防震管理科": {2: 1, 4: 1, 7: 1, 10: 2},  # 5 ≥ 5
    "城建档案馆": {1: 1, 3: 2, 5: 1, 8: 2, 11: 2},  # 8 < 10: −1
    "墙散中心": {4: 1, 6: 1, 9: 2},  # 4 + a city-portal feature in October (1 + extra 5) = 10 ≥ 5
}
FEATURES = [  # (unit, clause, month, what)
    ("财审科", "district-feature", 6, "“财政资金监管”政策解读被区政府门户网站录用"),
    ("墙散中心", "city-feature", 10, "新型墙材推广在线访谈被市政府门户网站录用"),
    ("建管中心", "province-feature", 5, "“建筑工地扬尘治理”热点专访被省政府门户网站录用"),
]

DEDUCTIONS = [  # (unit, indicator, clause, figures, date, reason)
    ("房管处", "工作纪律", "late-early", {"count": 3}, "2018-04-16", "考勤抽查：3人次迟到"),
    ("燃管站", "资产管理", "asset-loss", {}, "2018-07-05", "笔记本电脑保管不善丢失"),
    ("燃管站", "资产管理", "asset-adjust-late", {"count": 1}, "2018-09-30", "资产动态调整逾期"),
    ("审图中心", "信息管理", "oa", {"count": 1, "attrs": {"未安装客户端": "1"}}, "2018-05-22",
     "会议通知48小时未签收，视为未安装OA客户端（双倍）"),
    ("建工科", "信息管理", "oa", {"count": 1}, "2018-06-12", "会议通知5个工作小时后才签收，影响会议安排"),
    ("开发办", "学习教育", "no-notes", {}, "2018-12-10", "年终检查：无科室学习笔记"),
    ("办公室", "环境卫生", "untidy", {"count": 2}, "2018-10-18", "两次卫生检查不到位"),
    ("墙散中心", "环境卫生", "untidy", {"count": 5}, "2018-11-20", "五次卫生检查不到位（扣完为止）"),
    ("公用事业科", "舆情处置", "overdue-reply", {"count": 1}, "2018-08-03", "市长信箱件超期回复"),
    ("党委办", "工作效率", "task-late", {"count": 1}, "2018-03-28", "季度总结未按时报送"),
    ("招投标管理科（造价处）", "依法行政", "no-legality-review", {"count": 1}, "2018-09-14",
     "规范性文件未经合法性审查"),
    ("城建监察大队（政策法规科）", "普法综治", "late-activity-report", {"count": 1}, "2018-06-08",
     "法制宣传活动资料逾期上报"),
    ("防震管理科", "宣传计划", "publicity-plan", {"count": 1}, "2018-05-30", "防灾减灾日宣传计划未按时完成"),
    ("人教科", "政务信息", "gov-info", {"amount": 0.5}, "2018-12-20",
     "区委办约稿未在约稿时间内报送（按政务信息报送规定扣0.5分）"),
    ("城镇建设科", "年度目标任务", "not-completed", {"amount": 3}, "2018-12-25",
     "老旧小区改造项目未按期完工（3分）"),
    ("房产管理科", "年度目标任务", "special", {"amount": 2}, "2018-12-25",
     "征收项目因上级政策调整暂停（特殊情况，2分不扣）"),
    ("市政处", "重点指标扣分", "key-indicator", {"amount": 1}, "2018-12-28", "城市道路完好率重点指标未达标"),
    ("建管中心", "特别附加分", "final-points", {"amount": 2}, "2018-12-28",
     "附件6申报：获省优质工程奖，局分管领导同意赋2分"),
]


def demo_records(scheme: Scheme) -> list[dict]:
    rows: list[dict] = []
    units, _ = declared_units(scheme)
    for unit in units:
        standard = parse_standard(unit.attrs.get(STANDARD, ""))
        if standard and standard[0] == "month":
            short = SHORT_MONTHS.get(unit.name, {})
            for month in range(1, 13):  # a month with nothing adopted is entered as 0 (missing is not 0)
                got = short.get(month, int(standard[1]))
                rows.append(_info(unit.name, "adopted", month, value=got,
                                  reason=f"{month}月被区政府门户网站录用{got}条"))
        elif unit.name in ANNUAL_ITEMS:
            for month in range(1, 13):
                got = ANNUAL_ITEMS[unit.name].get(month, 0)
                rows.append(_info(unit.name, "adopted", month, value=got,
                                  reason=f"{month}月被区政府门户网站录用{got}条"))
    for unit, clause, month, what in FEATURES:
        rows.append(_info(unit, clause, month, count=1, reason=what))
    for unit, indicator, clause, figures, date, reason in DEDUCTIONS:
        rows.append({"unit": unit, "indicator": indicator, "clause": clause, "period": YEAR, "date": date,
                     "reason": reason, **figures})
    return rows


def _info(unit: str, clause: str, month: int, reason: str, **figure) -> dict:
    return {"unit": unit, "indicator": INFO, "clause": clause, "period": f"{YEAR}-{month:02d}", "reason": reason,
            **figure}
