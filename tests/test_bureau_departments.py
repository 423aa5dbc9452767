"""武进住建局2018年局目标管理考核 (scheme bureau-departments, seed 002) through the real CLI.

Expected scores are worked out by hand from 附件2/4/5 with the arithmetic in a comment. Most
tests read one shared year (``year``): every unit's monthly information counts plus one family
of clauses per unit, imported in one CSV, so each unit's total isolates one rule.
"""

from __future__ import annotations

import csv
import re
import sqlite3
import sys
from pathlib import Path

import pytest

from conftest import Kaohe

ID = "bureau-departments"

# 附件4, typed from the document (short names as printed): a number is items a month.
STANDARDS = {
    "党办": 1, "建设科": 1, "办公室": 1, "市政处": 4, "人教科": 1, "房管处": 4, "财务科": "全年不低于5条",
    "开发办": 2, "燃管站": 1, "防震科": "全年不低于5条", "建工科": 1, "档案馆": "全年不低于10条", "审图中心": 1,
    "城建监察大队（法规科）": 1, "招投标科": 1, "房产管理科": 1, "建管中心": 5, "墙散中心": "全年不低于5条",
    "公用事业科": 1,
}
# short_name_aliases.csv / data/README.md: the 附件4 short names and their 附件1 units.
ALIASES = {
    "党办": "党委办", "建设科": "城镇建设科", "财务科": "财审科", "防震科": "防震管理科", "档案馆": "城建档案馆",
    "招投标科": "招投标管理科（造价处）", "城建监察大队（法规科）": "城建监察大队（政策法规科）",
}
# 附件1 (and its note): assessed unit → 考核扎口科室.
ASSESSED_BY = {
    **dict.fromkeys(
        ["办公室", "党委办", "财审科", "城镇建设科", "房产管理科", "公用事业科", "建工科", "防震管理科"], "人教科"
    ),
    **dict.fromkeys(["市政处", "燃管站"], "公用事业科"),
    **dict.fromkeys(["房管处", "开发办"], "房产管理科"),
    **dict.fromkeys(
        ["建管中心", "城建监察大队（政策法规科）", "招投标管理科（造价处）", "审图中心", "城建档案馆", "墙散中心"],
        "建工科",
    ),
    "人教科": "党委办",
}
# 附件2: the 16 基础管理 indicators, their points, and how many deduction sentences each has.
# 信息宣传: 宣传计划 + 政务信息 (its monthly 信息报送 deduction is the quota rule's per_month).
BASIC = [("队伍建设", 2, 2), ("学习教育", 4, 7), ("信息管理", 5, 7), ("信息宣传", 7, 2), ("网站保障", 5, 2),
         ("工作纪律", 10, 14), ("普法综治", 2, 3), ("廉政建设", 5, 3), ("依法行政", 5, 4), ("工作效率", 10, 3),
         ("建议提案", 2, 2), ("舆情处置", 5, 5), ("档案归集", 2, 2), ("资产管理", 2, 2), ("环境卫生", 2, 1),
         ("公益活动", 2, 1)]

HEADER = ["单位", "指标", "条款", "次数", "分值", "数值", "期间", "日期", "事由"]


def row(unit, indicator, clause="", count="", amount="", value="", period="2018", date="", reason=""):
    return [
        unit,
        indicator,
        clause,
        count,
        amount,
        value,
        period,
        date,
        reason or f"{unit}{indicator}{clause}{period}{date}",
    ]


def info_rows() -> list[list]:
    """Every unit's 信息报送 for 2018: the standard each month, except the cases tested below."""
    short = {"市政处": {3: 3, 8: 2}, "建管中心": {m: 4 for m in range(1, 6)}, "公用事业科": {6: 0}}
    annual = {"财务科": {2: 1, 5: 1, 9: 1}, "墙散中心": {}, "防震科": {}, "档案馆": {m: 1 for m in range(1, 9)}}
    rows = []
    for unit, standard in STANDARDS.items():
        months = {m: annual[unit].get(m, 0) if isinstance(standard, str) else short.get(unit, {}).get(m, standard)
                  for m in range(1, 13)}
        for month, got in months.items():
            # every month is entered, a month with nothing adopted as an explicit 0 (a month
            # nobody entered is missing, not 0: issue 14)
            rows.append(row(unit, "信息报送", "adopted", value=got, period=f"2018-{month:02d}",
                            reason=f"{month}月被区政府门户网站录用{got}条"))
    rows += [
        row(
            "公用事业科",
            "信息报送",
            "district-feature",
            count=1,
            period="2018-06",
            reason="6月在线访谈被区政府门户网站录用",
        ),
        row("财务科", "信息报送", "district-feature", count=1, period="2018-11", reason="政策解读被区政府门户网站录用"),
        row("墙散中心", "信息报送", "city-feature", count=1, period="2018-07", reason="热点专访被市政府门户网站录用"),
        row("防震科", "信息报送", "province-feature", count=1, period="2018-04", reason="网页专题被省政府门户网站录用"),
    ]
    return rows


SCENARIO = [
    row("房管处", "工作纪律", "late-early", count=3, date="2018-04-16"),
    row("房管处", "工作纪律", "absent", date="2018-05-03"),
    row("燃管站", "环境卫生", "untidy", count=5, date="2018-09-10"),
    row("开发办", "资产管理", "asset-loss", date="2018-07-05"),
    row("开发办", "资产管理", "asset-adjust-late", count=1, date="2018-10-08"),
    row("审图中心", "学习教育", "no-notes", date="2018-12-10"),
    row("审图中心", "学习教育", "absent-training", count=1, date="2018-06-20"),
    row("建管中心", "宣传计划", "publicity-plan", count=3, date="2018-08-30"),
    row("建设科", "年度目标任务", "not-completed", amount=3, reason="老旧小区改造未按期完工（3分）"),
    row("建设科", "年度目标任务", "not-completed", amount=2, reason="城建档案数字化未完成（2分）"),
    row("建设科", "年度目标任务", "special", amount=5, reason="轨道交通配套工程因市级规划调整暂停（5分，特殊情况）"),
    row("办公室", "特别附加分", "final-points", amount=1.5, reason="获省档案工作先进集体，局分管领导同意赋1.5分"),
    row("公用事业科", "重点指标扣分", "key-indicator", amount=2, reason="燃气安全重点指标未达标"),
    row("招投标科", "依法行政", "dereliction", date="2018-03-15"),
    row("招投标科", "依法行政", "no-legality-review", count=2, date="2018-04-15"),
    row("城建监察大队（法规科）", "普法综治", "late-activity-report", count=1, date="2018-06-08"),
    row(
        "人教科",
        "政务信息",
        "gov-info",
        amount=1.5,
        date="2018-12-20",
        reason="区委办约稿逾期（按政务信息报送规定扣1.5分）",
    ),
]


class Year:
    def __init__(self, kaohe: Kaohe):
        self.kaohe = kaohe
        self._explain: dict[str, dict] = {}
        self.results = kaohe.json("score", ID, "--period", "2018")
        self.by_unit = {r["unit"]: r for r in self.results}

    def explain(self, unit: str) -> dict:
        if unit not in self._explain:
            self._explain[unit] = self.kaohe.json("explain", ID, "--period", "2018", "--unit", unit)
        return self._explain[unit]

    def points(self, unit: str, path: str) -> float:
        return find(self.explain(unit)["explanation"], path)["points"]


def find(nodes: list[dict], path: str) -> dict:
    for node in nodes:
        if node["path"] == path or node["path"].endswith("/" + path):
            return node
        try:
            return find(node["children"], path)
        except KeyError:
            pass
    raise KeyError(path)


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> Year:
    folder = tmp_path_factory.mktemp("bureau")
    kaohe = Kaohe(folder / "kaohe.db")
    ledger = folder / "ledger.csv"
    with ledger.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *info_rows(), *SCENARIO])
    kaohe.run("import", ID, str(ledger))
    kaohe.record(
        ID, period="2018", unit="党办", indicator="队伍建设", clause="disunity", reason="科室内部不团结影响工作"
    )
    # 附件5: one breach by someone with the client, one by someone without (48 h unsigned)
    kaohe.record(
        ID, period="2018", unit="建工科", indicator="信息管理", clause="oa", reason="会议通知5个工作小时后签收"
    )
    kaohe.record(ID, period="2018", unit="建工科", indicator="信息管理", clause="oa", attr="未安装客户端=1",
                 reason="文件48小时未签收，视为未安装客户端")
    return Year(kaohe)


# -- the scheme as the document writes it ---------------------------------------------------------
def test_rules_list_all_sixteen_indicators_summing_to_70(year):
    tree = year.kaohe.json("rules", ID)
    top = tree["trees"][0]["indicators"]
    assert [(n["name"], n["points"]) for n in top] == [
        ("年度目标任务", 30),
        ("基础管理", 70),
        ("重点指标扣分", 0),
        ("特别附加分", None),
    ]
    basic = top[1]["children"]
    assert [(n["name"], n["points"]) for n in basic] == [(name, points) for name, points, _ in BASIC]
    assert sum(n["points"] for n in basic) == 70  # 2+4+5+7+5+10+2+5+5+10+2+5+2+2+2+2
    for node, (name, _, sentences) in zip(basic, BASIC, strict=True):
        clauses = node["clauses"] + [
            c for child in node["children"] for c in child["clauses"] if "weight" not in c and c["id"] != "adopted"
        ]
        assert len(clauses) == sentences, name
    by_name = {n["name"]: n for n in basic}
    assert (by_name["队伍建设"]["responsible"], by_name["队伍建设"]["cooperating"]) == (["党委办"], ["人教科"])
    assert by_name["学习教育"]["responsible"] == ["党委办", "政策法规科"]
    assert (by_name["工作效率"]["responsible"], by_name["工作效率"]["cooperating"]) == (
        ["党委办", "办公室", "法规科"],
        ["各科室"],
    )
    assert (top[0]["responsible"], top[0]["cooperating"]) == (["人教科"], ["各科室"])
    assert top[3]["bonus"] is True and top[3]["rule"] == "bonus"

    text = year.kaohe.run("rules", ID).stdout
    for line in (
        "工作纪律  10分",
        "责任：党委办  配合：人教科",
        "[late-early] 出现迟到早退的有一例扣0.5分，扣完为止  〔每次0.5分〕",
        "[no-notes] 无科室学习笔记扣2分  〔2分，一次性〕",
        "[no-attendance-ledger] 无考勤管理台账资料的不得分  〔不得分〕",
        "〔每次0.5分，未安装客户端×2〕",
        "〔权重8〕",
    ):
        assert line in text


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node["children"])


def test_every_clause_is_verbatim_and_costs_what_its_sentence_says(year):
    tree = year.kaohe.json("rules", ID)
    seen = 0
    for node in _walk(tree["trees"][0]["indicators"]):
        for clause in node["clauses"]:
            seen += 1
            words = clause["text"]
            assert words in node["text"] + node["method"], (node["path"], clause["id"])  # copied, not paraphrased
            if node["rule"] == "per_occurrence" and "不得分" in words and "扣" not in words:
                assert clause.get("zero") is True, clause
            stated = re.search(r"扣(\d+(?:\.\d+)?|一)分", words)
            if stated:
                amount = 1.0 if stated.group(1) == "一" else float(stated.group(1))
                per_occurrence = re.search(r"每|有1次|有一|一次|一人次", words)
                key = "per" if per_occurrence else "points"
                assert clause.get(key) == amount, (node["path"], clause["id"], key)
    # 附件2's 60 基础管理 sentences + 附件4's 4 (录用, +2/+5/+8) + 目标任务 3 (未完成, 特殊情况, 逐项赋分考核:
    # the record that a list was assessed) + 重点指标扣分 1 + 特别附加分 1
    assert seen == 60 + 4 + 3 + 1 + 1


def test_lint_passes(kaohe):
    out = kaohe.run("lint", ID).stdout
    assert "通过：bureau-departments" in out and "error" not in out


def test_units_assessed_by_and_aliases(year):
    units = {u["name"]: u for u in year.kaohe.json("units", ID)}
    assert {name: u["assessed_by"] for name, u in units.items()} == ASSESSED_BY  # 19 units
    assert units["人教科"]["assessed_by"] == "党委办"  # 注：人教科由党委办负责考核
    for short, name in ALIASES.items():
        assert short in units[name]["aliases"]
        assert units[name]["attrs"]["信息报送标准"] == str(STANDARDS[short])
    assert units["财审科"]["attrs"]["政务信息全年最少条数"] == "6"


def test_import_by_short_names_lands_on_attachment1_units(year):
    ledger = year.kaohe.json("ledger", ID, "--period", "2018")
    units = {r["unit"] for r in ledger}
    assert units == set(ASSESSED_BY)  # every short name resolved; none left as written
    reasons = {r["reason"]: r["unit"] for r in ledger}
    assert reasons["科室内部不团结影响工作"] == "党委办"  # --unit 党办
    assert reasons["老旧小区改造未按期完工（3分）"] == "城镇建设科"  # 建设科


@pytest.mark.parametrize("short,name", sorted(ALIASES.items()))
def test_each_alias_names_its_unit_in_explain(year, short, name):
    assert year.kaohe.run("explain", ID, "--period", "2018", "--unit", short).stdout.startswith(name)


# -- clause families -----------------------------------------------------------------------------
def test_per_occurrence_deductions(year):
    # 房管处 工作纪律: 10 − 3×0.5 (迟到早退) − 1×1 (无故旷工) = 7.5
    assert year.points("房管处", "工作纪律") == 7.5
    assert year.by_unit["房管处"]["indicators"]["基础管理"] == 67.5  # 70 − 2.5
    # 党委办 (recorded as 党办) 队伍建设: 2 − 1 = 1
    assert year.points("党委办", "队伍建设") == 1


def test_floor_at_zero(year):
    # 燃管站 环境卫生: 2 − 5×0.5 = −0.5 → 0 (扣完为止), nothing spills into other indicators
    assert year.points("燃管站", "环境卫生") == 0
    assert year.by_unit["燃管站"]["indicators"]["基础管理"] == 68  # 70 − 2, not 70 − 2.5
    lines = find(year.explain("燃管站")["explanation"], "环境卫生")["lines"]
    assert any("扣完为止" in line["text"] and line["delta"] == 0.5 for line in lines)


def test_zeroing_trigger(year):
    # 开发办 资产管理: 资产缺失 → 不得分 (0); the 0.5 for the late adjustment is listed but not counted
    assert year.points("开发办", "资产管理") == 0
    assert year.by_unit["开发办"]["indicators"]["基础管理"] == 68  # 70 − 2
    assert "资产管理不得分" in year.by_unit["开发办"]["flags"]
    # 招投标管理科（造价处） 依法行政: 失职渎职 → 不得分, whatever else was recorded (2×1)
    assert year.points("招投标管理科（造价处）", "依法行政") == 0
    assert year.by_unit["招投标管理科（造价处）"]["total"] == 95  # 100 − 5


def test_fixed_one_off_deductions(year):
    # 审图中心 学习教育: 4 − 2 (无科室学习笔记，定额) − 1×1 (无故不参加培训) = 1
    assert year.points("审图中心", "学习教育") == 1
    # 城建监察大队（政策法规科） 普法综治: 2 − 0.5 (未及时上报活动资料) = 1.5
    assert year.points("城建监察大队（政策法规科）", "普法综治") == 1.5


def test_oa_deduction_doubled_without_client(year):
    # 建工科 信息管理: 5 − 0.5 (签收超时) − 2×0.5 (48小时未签收 = 未安装客户端，双倍) = 3.5
    assert year.points("建工科", "信息管理") == 3.5
    lines = find(year.explain("建工科")["explanation"], "信息管理")["lines"]
    assert sorted(line["delta"] for line in lines) == [-1, -0.5]


def test_monthly_quota(year):
    # 市政处 (每月4条): March 3 and August 2 are short → 信息宣传 7 − 2 = 5
    assert year.points("市政处", "信息报送") == 5
    assert year.points("市政处", "信息宣传") == 5
    # 公用事业科 (每月1条): June has only an 在线访谈, which counts as June's item → 7
    assert year.points("公用事业科", "信息宣传") == 7
    # 人教科: 政务信息 deducted 1.5 under the 政务信息报送规定 → 7 − 1.5 = 5.5
    assert year.points("人教科", "信息宣传") == 5.5


def test_annual_minimum_and_portal_extras(year):
    # 城建档案馆 (全年不低于10条): 8 items < 10 → 信息宣传 7 − 1 = 6
    assert year.points("城建档案馆", "信息宣传") == 6
    # 财审科 (全年不低于5条): 3 items + 区 feature (1 + extra 2) = 6 ≥ 5 → 7 (without the extra, 4 < 5)
    assert year.points("财审科", "信息宣传") == 7
    # 墙散中心 (≥5): 市 feature only: 1 + extra 5 = 6 ≥ 5 → 7
    assert year.points("墙散中心", "信息宣传") == 7
    # 防震管理科 (≥5): 省 feature only: 1 + extra 8 = 9 ≥ 5 → 7
    assert year.points("防震管理科", "信息宣传") == 7


def test_information_publicity_pools_its_parts_down_to_zero(year):
    # 建管中心 (每月5条): Jan–May 4 items → 5 months × 1; 宣传计划 3 × 1 → 7 − 5 − 3 = −1 → 0
    assert year.points("建管中心", "信息报送") == 2
    assert year.points("建管中心", "宣传计划") == 4
    assert year.points("建管中心", "信息宣传") == 0
    assert year.by_unit["建管中心"]["total"] == 93  # 100 − 7


def test_target_items_with_special_circumstances(year):
    # 城镇建设科 (recorded as 建设科): 30 − 3 − 2 = 25; the 5-point item under 特殊情况 is not deducted
    assert year.by_unit["城镇建设科"]["indicators"]["年度目标任务"] == 25
    lines = find(year.explain("城镇建设科")["explanation"], "年度目标任务")["lines"]
    assert [line["delta"] for line in lines] == [-3, -2, 0]


def test_bonus_takes_total_above_100(year):
    # 办公室: 100 + 1.5 = 101.5
    assert year.by_unit["办公室"]["indicators"]["特别附加分"] == 1.5
    assert year.by_unit["办公室"]["total"] == 101.5


def test_key_indicator_deduction_is_a_top_level_line(year):
    # 公用事业科: 30 + 70 − 2 (重点指标扣分) = 98
    assert year.by_unit["公用事业科"]["indicators"] == {
        "年度目标任务": 30,
        "基础管理": 70,
        "重点指标扣分": -2,
        "特别附加分": 0,
    }
    assert year.by_unit["公用事业科"]["total"] == 98


def test_ranks_with_ties(year):
    ranks = {r["unit"]: (r["total"], r["rank"]) for r in year.results}
    assert ranks == {
        "办公室": (101.5, 1),  # 100 + 1.5
        "财审科": (100, 2), "房产管理科": (100, 2), "防震管理科": (100, 2), "墙散中心": (100, 2),
        "城建监察大队（政策法规科）": (99.5, 6),  # −0.5 普法综治
        "党委办": (99, 7), "城建档案馆": (99, 7),  # −1 队伍建设; −1 信息报送
        "建工科": (98.5, 9), "人教科": (98.5, 9),  # −1.5 OA; −1.5 政务信息
        "公用事业科": (98, 11), "市政处": (98, 11), "燃管站": (98, 11), "开发办": (98, 11),
        "房管处": (97.5, 15),  # −2.5 工作纪律
        "审图中心": (97, 16),  # −3 学习教育
        "城镇建设科": (95, 17), "招投标管理科（造价处）": (95, 17),  # −5 目标任务; −5 依法行政
        "建管中心": (93, 19),  # −7 信息宣传
    }
    assert [r["rank"] for r in year.results] == sorted(r["rank"] for r in year.results)


# -- bad input is refused with the field named ----------------------------------------------------
@pytest.mark.parametrize("args,message", [
    (["--indicator", "信息宣传", "--count", "1"], "「信息宣传」由其下各项合成"),
    (["--indicator", "政务信息", "--clause", "gov-info", "--amount", "8"], "（gov-info）的范围 0–7"),
    (["--indicator", "年度目标任务", "--clause", "not-completed"], "分值：须写该项的分值"),
])
def test_bad_records_are_refused(year, args, message):
    proc = year.kaohe.run("record", ID, "--period", "2018", "--unit", "党办", "--reason", "x", *args, ok=False)
    assert message in proc.stderr


# -- 附件5 OA helper -------------------------------------------------------------------------------
def plugin():
    from kaohe_tui import plugins

    plugins.load_plugins()
    return sys.modules["kaohe_plugin_bureau_departments"]


@pytest.mark.parametrize("kind,hours,clock,expected", [
    ("meeting", 3, None, "on-time"),  # 会议类通知 3个工作小时内
    ("meeting", 3.5, None, "late"),
    ("other", 8, None, "on-time"),  # 其他类文件 8个工作小时内
    ("other", 8.5, None, "late"),
    ("other", 20, 48, "late"),  # signed at hour 48 exactly: still within 48 hours
    ("meeting", 20, 49, "not-installed"),  # 48小时内未签收 → 视为未安装客户端
])
def test_oa_signing_classification(kind, hours, clock, expected):
    assert plugin().classify_signing(kind, hours, clock_hours=clock) == expected


def test_oa_helper_record_is_doubled_by_the_cli(kaohe, tmp_path):
    bd = plugin()
    assert bd.oa_record("审图中心", "meeting", 2, period="2018", reason="r") is None
    row = bd.oa_record("审图中心", "other", 10, clock_hours=50, period="2018", reason="文件50小时未签收")
    assert row["attrs"] == {"未安装客户端": "1"} and row["clause"] == "oa"
    kaohe.record(ID, period=row["period"], unit=row["unit"], indicator=row["indicator"], clause=row["clause"],
                 count=row["count"], reason=row["reason"], attr=[f"{k}={v}" for k, v in row["attrs"].items()])
    explain = kaohe.json("explain", ID, "--period", "2018", "--unit", "审图中心")
    # 信息管理 5 − 2×0.5 = 4
    assert find(explain["explanation"], "信息管理")["points"] == 4


# -- 附件3 score sheet with self-scores -------------------------------------------------------------
def open_store(db: Path):
    from kaohe_tui import catalog
    from kaohe_tui.store import Store
    from kaohe_tui.units import ensure_registered

    store = Store(db)
    ensure_registered(store)
    return store, catalog.get(ID)


def test_score_sheet_with_self_scores_and_gap_flag(year):
    bd = plugin()
    store, scheme = open_store(year.kaohe.db)
    bd.set_self_score(store, scheme, "2018", "房管处", "年度目标任务", 30)
    bd.set_self_score(store, scheme, "2018", "房管处", "工作纪律", 9.5, reason="一人次迟到")
    bd.set_self_score(store, scheme, "2018", "房管处", "环境卫生", 2)
    sheet = bd.score_sheet(store, scheme, "2018", "房管处", gap_threshold=1.0)
    assert sheet.assessed_by == "房产管理科" and sheet.rank == 15
    labels = [(r.category, r.content) for r in sheet.rows]
    assert labels[0] == ("目标任务", "年度目标任务完成情况")
    assert [c for _, c in labels[1:17]] == [name for name, _, _ in BASIC]
    assert [c for c, _ in labels[17:]] == ["重点指标扣分", "现场考核分小计", "特别附加分", "合计分"]
    rows = {r.content or r.category: r for r in sheet.rows}
    assert (rows["年度目标任务完成情况"].standard, rows["年度目标任务完成情况"].assessed) == (30, 30)
    discipline = rows["工作纪律"]
    # self 9.5 vs assessed 7.5: a gap of 2 ≥ 1 is flagged; 环境卫生 2 vs 2 is not
    assert (discipline.standard, discipline.self_score, discipline.assessed, discipline.gap) == (10, 9.5, 7.5, True)
    assert discipline.self_reason == "一人次迟到" and "出现迟到早退的有一例扣0.5分" in discipline.assessed_reason
    assert rows["环境卫生"].gap is False and rows["年度目标任务完成情况"].gap is False
    assert [r.content or r.category for r in sheet.gaps] == [
        "工作纪律"
    ]  # totals stay empty until every row is self-scored
    assert rows["现场考核分小计"].assessed == 97.5 and rows["合计分"].assessed == 97.5  # 30 + 67.5 − 0; + 0
    assert rows["现场考核分小计"].self_score is None
    # the threshold is a parameter: at 3 points the 2-point gap is not flagged
    assert not bd.score_sheet(store, scheme, "2018", "房管处", gap_threshold=3).gaps
    listed = bd.list_self_scores(store, scheme, "2018", "房管处")
    assert [r["indicator"] for r in listed] == ["年度目标任务", "基础管理/工作纪律", "基础管理/环境卫生"]


def test_score_sheet_totals_and_key_deduction(year):
    bd = plugin()
    store, scheme = open_store(year.kaohe.db)
    for name, points, _ in [("年度目标任务", 30, 0), *BASIC]:
        bd.set_self_score(store, scheme, "2018", "公用事业科", name, points)
    sheet = bd.score_sheet(store, scheme, "2018", "公用事业科")
    rows = {r.content or r.category: r for r in sheet.rows}
    assert rows["重点指标扣分"].assessed == -2 and "燃气安全重点指标未达标" in rows["重点指标扣分"].assessed_reason
    # 小计: self 30 + 70 = 100 (no 重点指标 self-score); assessed 30 + 70 − 2 = 98 → gap 2, flagged
    assert (rows["现场考核分小计"].self_score, rows["现场考核分小计"].assessed, rows["现场考核分小计"].gap) == (
        100,
        98,
        True,
    )
    assert (rows["合计分"].self_score, rows["合计分"].assessed) == (100, 98)


def test_self_score_checks(year):
    from kaohe_tui.errors import KaoheError

    bd = plugin()
    store, scheme = open_store(year.kaohe.db)
    with pytest.raises(KaoheError, match="自评分：2.5 超出「基础管理/环境卫生」的范围 0–2"):
        bd.set_self_score(store, scheme, "2018", "党办", "环境卫生", 2.5, reason="x")
    with pytest.raises(KaoheError, match="原因：自评1.5分（满分2）须写明原因"):
        bd.set_self_score(store, scheme, "2018", "党办", "环境卫生", 1.5)
    with pytest.raises(KaoheError, match="指标：“信息报送”不是评分表（附件3）的一行："):
        bd.set_self_score(store, scheme, "2018", "党办", "信息报送", 7)
    # an alias works, and a replaced self-score is audited with its old value
    bd.set_self_score(store, scheme, "2018", "党办", "环境卫生", 1.5, reason="一次检查不到位")
    bd.set_self_score(store, scheme, "2018", "党办", "环境卫生", 2)
    audit = [r for r in store.db.query("SELECT * FROM audit WHERE action = 'self-score' AND unit = '党委办'")]
    assert len(audit) == 2 and '"points": 1.5' in audit[1]["old"]


# -- 附件6 bonus applications -----------------------------------------------------------------------
def test_bonus_application_approval_flow(kaohe):
    from kaohe_tui.errors import KaoheError

    bd = plugin()
    store, scheme = open_store(kaohe.db)
    first = bd.apply_bonus(store, scheme, "2018", "建管中心", "获省优质工程“扬子杯”", "苏建质〔2018〕XX号证书")
    second = bd.apply_bonus(store, scheme, "2018", "档案馆", "市级档案工作表彰", "市档案局证书")
    assert [a["state"] for a in bd.list_applications(store, scheme, "2018")] == ["pending", "pending"]
    record_id = bd.approve_bonus(store, scheme, first, 3, opinion="同意，赋3分")
    bd.reject_bonus(store, scheme, second, opinion="非本年度获奖，不予赋分")
    with pytest.raises(KaoheError, match="申报#[0-9]+已同意.*不能再审批"):
        bd.approve_bonus(store, scheme, first, 3, opinion="again")
    with pytest.raises(KaoheError, match="申报#[0-9]+已不同意.*不能再审批"):
        bd.approve_bonus(store, scheme, second, 1, opinion="改为同意")
    with pytest.raises(KaoheError, match="certificate：必填"):
        bd.apply_bonus(store, scheme, "2018", "建管中心", "无证书项目", "")
    states = {a["id"]: (a["state"], a["points"], a["record_id"]) for a in bd.list_applications(store, scheme)}
    assert states == {first: ("approved", 3, record_id), second: ("rejected", None, None)}
    store.close()

    scores = kaohe.score(ID, "2018")
    # This ledger has no 信息报送 records at all: twelve months missing, flagged, not deducted.
    # 建管中心 (每月5条): 30 + 70 + 3 (approved) = 103
    # 城建档案馆 (全年不低于10条, rejected): 30 + 70 + 0 = 100
    assert scores["建管中心"]["indicators"]["特别附加分"] == 3 and scores["建管中心"]["total"] == 103
    assert scores["城建档案馆"]["indicators"]["特别附加分"] == 0 and scores["城建档案馆"]["total"] == 100
    assert "未录入：基础管理/信息宣传/信息报送 2018 1—12月" in scores["建管中心"]["flags"]
    ledger = kaohe.json("ledger", ID, "--period", "2018", "--unit", "建管中心")
    assert [(r["id"], r["indicator"], r["amount"], r["source"]) for r in ledger] == [
        (record_id, "特别附加分", 3, "bonus-application")
    ]
    assert "局分管领导意见：同意，赋3分" in ledger[0]["reason"]
    actions = [r["action"] for r in kaohe.json("history", "--unit", "建管中心")]
    assert actions == ["bonus-apply", "record", "bonus-approve"]
    explain = kaohe.run("explain", ID, "--period", "2018", "--unit", "建管中心").stdout
    assert "+3  最终赋分" in explain and f"记录#{record_id}" in explain


def test_failed_approval_writes_nothing(kaohe):
    from kaohe_tui.errors import KaoheError

    bd = plugin()
    store, scheme = open_store(kaohe.db)
    app = bd.apply_bonus(store, scheme, "2018", "市政处", "项目", "证书")
    with pytest.raises(KaoheError, match="分值：同意的附加分须大于0"):
        bd.approve_bonus(store, scheme, app, 0, opinion="同意")
    store.db.execute("INSERT INTO periods (scheme, period, status) VALUES (?, '2018', 'closed')", [ID])
    with pytest.raises(KaoheError, match="已签发关闭"):
        bd.approve_bonus(store, scheme, app, 2, opinion="同意")
    assert bd.list_applications(store, scheme)[0]["state"] == "pending"
    store.close()
    with sqlite3.connect(kaohe.db) as conn:
        assert conn.execute("SELECT count(*) FROM records").fetchone()[0] == 0


# -- the demo year -------------------------------------------------------------------------------
def test_demo_year(kaohe):
    kaohe.run("demo", ID)
    scores = kaohe.score(ID, "2018")
    # 建管中心: all months met, a 省 feature, bonus 2 → 102 (above 100)
    assert scores["建管中心"]["total"] == 102
    # 燃管站: 资产管理 不得分 → 98
    assert scores["燃管站"]["total"] == 98 and "资产管理不得分" in scores["燃管站"]["flags"]
    # 审图中心: OA doubled 2×0.5 = 1; December reported nothing → 信息宣传 −1: 100 − 2 = 98
    assert scores["审图中心"]["total"] == 98
    # 城镇建设科: a 3-point target item not completed → 97; 房产管理科's excused item costs nothing → 100
    assert scores["城镇建设科"]["indicators"]["年度目标任务"] == 27 and scores["房产管理科"]["total"] == 100
    # 市政处: 2 months short (−2) and 重点指标扣分 −1 → 97
    assert scores["市政处"]["total"] == 97 and scores["市政处"]["indicators"]["重点指标扣分"] == -1
    assert all(r["reason"].startswith("【演示】") for r in kaohe.json("ledger", ID, "--period", "2018"))


# -- the unit sources (core: UnitSource.assessed_by / alias_of / describes) ------------------------
def test_describing_sources_add_aliases_and_attrs_and_report_strays(tmp_path):
    from kaohe_tui.scheme import Unit, UnitSource, describe_units

    (tmp_path / "aliases.csv").write_text("简称,单位\n党办,党委办\n宣传科,宣传部\n", encoding="utf-8")
    (tmp_path / "standards.csv").write_text("部门名称,考核标准\n党办,1\n信访科,2\n", encoding="utf-8")
    units = [Unit(name="党委办", assessed_by="人教科")]
    units, found = describe_units(units, UnitSource(file="aliases.csv", name="简称", alias_of="单位"), tmp_path)
    units, more = describe_units(units, UnitSource(file="standards.csv", name="部门名称", describes=True,
                                                   attrs={"信息报送标准": "考核标准"}), tmp_path)
    # the standard was found through the alias declared by the source before it
    assert units == [Unit(name="党委办", aliases=["党办"], assessed_by="人教科", attrs={"信息报送标准": "1"})]
    assert [(a.file, a.row, a.field) for a in found + more] == [
        ("aliases.csv", 2, "单位"),
        ("standards.csv", 2, "部门名称"),
    ]
    assert "宣传科 → 宣传部：不是本方案的单位；跳过此行" == found[0].message


def test_self_score_command_answers_in_chinese(kaohe):
    # the unit's name as entered (党办) comes back as the unit's own name, the points as entered
    done = kaohe.run("self-score", "--period", "2018", "--unit", "党办", "--indicator", "环境卫生", "--points", "1.5",
                     "--reason", "一次检查不到位")
    assert done.stdout == "已保存自评分：党委办 基础管理/环境卫生 1.5\n"
