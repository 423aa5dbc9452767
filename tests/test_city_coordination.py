"""Scheme ``city-coordination`` (seed 001) through the real CLI: the towns' quarterly 66/30/4
score and its year (quarter average × 50% + annual review × 50%), the departments' 5 : 3 : 2,
the weighted closure rate, the last-place flags, and the case-record seam.

Expected scores are worked out by hand; the arithmetic is in the comments. A town with no record
for a quarter scores 0.66 × 业务考核 + 4 (返工: nothing deducted) = 0.66 × B + 4; 平台建设, 按期结案率,
the two rates and 社会评价 are missing inputs (未录入: 0, flagged, the result provisional) until entered.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from conftest import Kaohe

SCHEME = "city-coordination"
ROOT = Path(__file__).resolve().parents[1]
TOWNS = ["示例镇甲", "示例镇乙", "示例镇丙", "示例镇丁", "示例开发区", "示例街道甲", "示例街道乙", "示例街道丙"]
DEPARTMENTS = ["住建局", "城管局", "交通运输局", "水利局", "卫生局", "环保局", "旅游局", "行政服务中心", "供销社",
               "工商分局", "规划分局", "交巡警大队"]
A, B = "示例镇丙", "示例街道乙"  # A last in Q1, Q3 and Q4; B in Q2, Q3 and Q4 (Q3, Q4: tied with A)

# 业务考核 (out of 100) per quarter, in TOWNS order
BUSINESS = {
    1: [90, 85, 60, 80, 82, 88, 75, 70],  # A (60) last
    2: [90, 85, 80, 80, 82, 88, 55, 70],  # B (55) last
    3: [90, 85, 50, 80, 82, 88, 50, 70],  # A and B tie for last (50)
    4: [90, 85, 52, 80, 82, 88, 52, 70],  # A and B tie for last again (52)
}

# unit, indicator, clause, count, amount, value, period, reason
LEDGER = [
    (unit, "业务考核", "", "", "", BUSINESS[q][i], f"2018Q{q}", f"{q}季度业务考核")
    for q in BUSINESS for i, unit in enumerate(TOWNS)
] + [
    # 示例镇甲, 2018Q1: every part of 数字城管考评
    ("示例镇甲", "平台建设", "", "", "", 3, "2018Q1", "平台运行良好"),
    ("示例镇甲", "按期结案率", "on_time", 14, "", "", "2018Q1", "按时结案14件"),
    ("示例镇甲", "按期结案率", "extended", 3, "", "", "2018Q1", "延期结案3件"),
    ("示例镇甲", "按期结案率", "overdue", 2, "", "", "2018Q1", "超时结案2件"),
    ("示例镇甲", "按期结案率", "due", 20, "", "", "2018Q1", "应结案20件（1件未结）"),
    ("示例镇甲", "回访满意率", "", "", "", 90, "2018Q1", "回访满意率90%"),
    ("示例镇甲", "一次完成率", "", "", "", 80, "2018Q1", "一次完成率80%"),
    ("示例镇甲", "返工", "rework", 3, "", "", "2018Q1", "返工3件"),
    ("示例镇甲", "工作主动性加分", "", "", 0.5, "", "2018Q1", "主动协调解决菜场周边占道"),
    ("示例镇甲", "社会评价", "", "", "", 85, "2018Q1", "公众监督员评价85分"),
    # 2018Q2: no case was due
    ("示例镇甲", "按期结案率", "due", 0, "", "", "2018Q2", "本季度无应结案件"),
    # 2018Q3: no due count entered → due = the cases closed
    ("示例镇甲", "按期结案率", "on_time", 10, "", "", "2018Q3", "按时结案10件"),
    # 2018Q4
    ("示例镇甲", "按期结案率", "on_time", 8, "", "", "2018Q4", "按时结案8件"),
    ("示例镇甲", "按期结案率", "extended", 2, "", "", "2018Q4", "延期结案2件"),
    ("示例镇甲", "按期结案率", "overdue", 5, "", "", "2018Q4", "超时结案5件"),
    ("示例镇甲", "按期结案率", "due", 16, "", "", "2018Q4", "应结案16件（1件未结）"),
    ("示例镇甲", "年度综合考评", "", "", "", 90, "2018", "年终综合考评90分"),
    # 城管局 (a department): 数字城管绩效 each quarter, then the year's letter and tasks
    ("城管局", "按期结案率", "on_time", 18, "", "", "2018Q1", "按时结案18件"),
    ("城管局", "按期结案率", "extended", 1, "", "", "2018Q1", "延期结案1件"),
    ("城管局", "按期结案率", "overdue", 1, "", "", "2018Q1", "超时结案1件"),
    ("城管局", "按期结案率", "due", 20, "", "", "2018Q1", "应结案20件"),
    ("城管局", "回访满意率", "", "", "", 95, "2018Q1", "回访满意率95%"),
    ("城管局", "一次完成率", "", "", "", 90, "2018Q1", "一次完成率90%"),
    ("城管局", "返工", "rework", 2, "", "", "2018Q1", "返工2件"),
    ("城管局", "工作主动性加分", "", "", 1, "", "2018Q1", "主动承揽热点问题"),
    ("城管局", "回访满意率", "", "", "", 100, "2018Q2", "回访满意率100%"),
    ("城管局", "一次完成率", "", "", "", 100, "2018Q2", "一次完成率100%"),
    ("城管局", "按期结案率", "on_time", 5, "", "", "2018Q4", "按时结案5件"),
    ("城管局", "按期结案率", "due", 10, "", "", "2018Q4", "应结案10件"),
    ("城管局", "回访满意率", "", "", "", 80, "2018Q4", "回访满意率80%"),
    ("城管局", "一次完成率", "", "", "", 60, "2018Q4", "一次完成率60%"),
    ("城管局", "目标责任书", "not-done", "", 1.6, "", "2018", "4、坚持民意引领未按要求完成"),
    ("城管局", "目标责任书", "not-done", "", 1.5, "", "2018", "16、社会监督促成效未按要求完成"),
    ("城管局", "目标责任书", "special", "", 1.5, "", "2018", "19、以纪律管队伍：因机构调整推迟，经认定"),
    ("城管局", "交办任务", "not-done", "", 5, "", "2018", "城管委交办：背街小巷整治未按期完成"),
]


def write_ledger(path: Path, rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["单位", "指标", "条款", "次数", "分值", "数值", "期间", "事由"])
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def k(tmp_path_factory) -> Kaohe:
    folder = tmp_path_factory.mktemp("city_coordination")
    kaohe = Kaohe(folder / "kaohe.db")
    kaohe.run("import", SCHEME, str(write_ledger(folder / "ledger.csv", LEDGER)))
    return kaohe


@pytest.fixture(scope="module")
def results(k) -> dict[str, dict[str, dict]]:
    return {p: k.score(SCHEME, p) for p in ("2018Q1", "2018Q2", "2018Q3", "2018Q4", "2018")}


# -- the scheme as written ----------------------------------------------------------------------
def test_rules_tree_follows_the_document(k):
    out = k.run("rules", SCHEME).stdout
    for text in (
        "类别：镇（区）、街道",
        "类别：区职能部门（单位）",
        "业务考核  66分  〈value〉  按季度",
        "1.业务考核,占总分的66%",
        "数字城管考评  30分  〈sum〉  按季度",
        "社会评价  4分  〈value〉  按季度",
        "权重比为1:0.6:0.3",
        "[on_time] 按时结案数  〔权重1〕",
        "[extended] 延期结案数  〔权重0.6〕",
        "[overdue] 超时结案数  〔权重0.3〕",
        "季度考核平均得分  50分  〈quarter_mean〉  按年",
        "年度考核总得分=季度考核平均得分×50%+年度综合考评得分×50%",
        "权重比为5:3:2",
        "数字城管绩效  100分  〈sum〉  按季度",
        "目标责任书  30分  〈target_items〉  按年",
        "交办任务  20分  〈target_items〉  按年",
        "后果：通报批评、取消年度综合评优资格",
        "对于季度考核排名末位累计两次的地区,给予通报批评并取消年度综合评优资格",
        "后果：约谈相关负责人",
        "对连续排名末位超过三次(含三次)的约谈相关负责人",
    ):
        assert text in out, text
    tree = k.json("rules", SCHEME)
    trees = {t["category"]: t["indicators"] for t in tree["trees"]}
    towns, departments = trees["镇（区）、街道"], trees["区职能部门（单位）"]
    assert [(n["name"], n["points"], n["cadence"]) for n in towns] == [
        ("业务考核", 66, "quarter"), ("数字城管考评", 30, "quarter"), ("社会评价", 4, "quarter"),
        ("季度考核平均得分", 50, "year"), ("年度综合考评", 50, "year")]
    # the split of the 30 digital points is this scheme's parameter: 3 + 12 + 6 + 5 + 4 = 30 (+ bonus)
    assert [(c["name"], c["points"]) for c in towns[1]["children"]] == [
        ("平台建设", 3),
        ("按期结案率", 12),
        ("回访满意率", 6),
        ("一次完成率", 5),
        ("返工", 4),
        ("工作主动性加分", None),
    ]
    # 5 : 3 : 2 of 100 = 50 : 30 : 20 for the year; the digital part scored per quarter out of 100
    assert [(n["name"], n["points"], n["cadence"]) for n in departments] == [
        ("数字城管绩效", 100, "quarter"), ("数字城管绩效季度平均", 50, "year"), ("目标责任书", 30, "year"),
        ("交办任务", 20, "year")]
    assert towns[1]["children"][1]["params"]["weights"] == {"on_time": 1.0, "extended": 0.6, "overdue": 0.3}


def test_lint_passes(k):
    out = k.run("lint", SCHEME).stdout
    assert out.strip().splitlines() == ["通过：city-coordination"]


def test_units_are_the_twelve_departments_and_labelled_samples(k):
    units = k.json("units", SCHEME)
    departments = [u["name"] for u in units if u["category"] == "区职能部门（单位）"]
    towns = [u["name"] for u in units if u["category"] == "镇（区）、街道"]
    assert departments == DEPARTMENTS and towns == TOWNS
    assert all(t.startswith("示例") for t in towns)
    # "区城管局" (the document's 对区住建局、城管局…) is the same unit
    proc = k.run("ledger", SCHEME, "--period", "2018", "--unit", "区城管局", "--json")
    assert {r["unit"] for r in json.loads(proc.stdout)} == {"城管局"}


# -- towns: quarter parts ------------------------------------------------------------------------
def test_weighted_closure_rate_and_the_quarter_total(results):
    jia = results["2018Q1"]["示例镇甲"]
    # 按期结案率 = 12 × (14×1 + 3×0.6 + 2×0.3) ÷ 20 = 12 × 16.4 ÷ 20 = 9.84
    # 数字城管考评 = 3 (平台) + 9.84 + 6×90% (5.4) + 5×80% (4) + (4 − 3×0.2 = 3.4) + 0.5 (bonus) = 26.14
    # total = 66×90% (59.4) + 26.14 + 4×85% (3.4) = 88.94
    assert jia["indicators"] == {"业务考核": 59.4, "数字城管考评": 26.14, "社会评价": 3.4}
    assert jia["total"] == 88.94 and jia["rank"] == 1


def test_closure_rate_with_nothing_due_or_no_due_count(results):
    # Q2: due 0 → the document does not say what a quarter without cases scores: 0 and a flag
    # (never the old silent full 12): 59.4 + 0 + 4 (返工) = 63.4
    assert results["2018Q2"]["示例镇甲"]["total"] == 63.4
    assert "按期结案率：应结案数为0，文件未规定如何计分" in results["2018Q2"]["示例镇甲"]["flags"]
    # Q3: due not entered → due = the 10 cases closed → 100% → 12: 59.4 + 12 + 4 = 75.4
    assert results["2018Q3"]["示例镇甲"]["total"] == 75.4
    # Q4: 12 × (8 + 2×0.6 + 5×0.3) ÷ 16 = 12 × 10.7 ÷ 16 = 8.025 → 59.4 + 8.025 + 4 = 71.425
    assert results["2018Q4"]["示例镇甲"]["indicators"]["数字城管考评"] == 12.025
    assert results["2018Q4"]["示例镇甲"]["total"] == 71.425


def test_quarters_aggregate_into_the_year(results):
    jia = results["2018"]["示例镇甲"]
    # quarter mean = (88.94 + 63.4 + 75.4 + 71.425) ÷ 4 = 299.165 ÷ 4 = 74.79125; × 50% = 37.395625
    # annual review 90 ÷ 100 × 50 = 45 → 82.395625
    assert jia["indicators"] == {"季度考核平均得分": pytest.approx(37.395625), "年度综合考评": 45}
    assert jia["total"] == pytest.approx(82.395625)
    a = results["2018"][A]
    # (0.66×60 + 4) + (0.66×80 + 4) + (0.66×50 + 4) + (0.66×52 + 4) = 43.6 + 56.8 + 37 + 38.32 = 175.72
    # mean 43.93 × 50% = 21.965; no annual review → missing (0, flagged)
    assert a["indicators"] == {"季度考核平均得分": pytest.approx(21.965), "年度综合考评": 0}
    assert "未录入：年度综合考评 2018" in a["flags"]
    # the year names its quarters' gaps too (issue 14: annual results hid them)
    assert "未录入：数字城管考评/回访满意率 2018Q4" in a["flags"]


# -- consequences ----------------------------------------------------------------------------------
def flags_of(result: dict) -> list[str]:
    return [f for f in result["flags"] if f.startswith(("通报批评", "约谈"))]


def test_last_place_flags_including_a_tie(results):
    q1, q2, q3, q4 = (results[f"2018Q{q}"] for q in range(1, 5))
    assert q1[A]["total"] == 43.6 and q1[A]["rank"] == 8  # 0.66 × 60 + 4
    assert q2[B]["rank"] == 8
    # Q3: A and B tie at 0.66×50 + 4 = 37 and share the last rank (7 of 8): both are last
    assert q3[A]["total"] == q3[B]["total"] == 37 and q3[A]["rank"] == q3[B]["rank"] == 7
    # after Q1 and Q2 nobody has been last twice
    assert all(flags_of(r) == [] for r in [*q1.values(), *q2.values()])
    # after Q3: A last in Q1 and Q3, B in Q2 and Q3 → both 通报批评 (cumulative); no run of 3 yet
    assert flags_of(q3[A]) == ["通报批评、取消年度综合评优资格（末位：2018Q1、2018Q3）"]
    assert flags_of(q3[B]) == ["通报批评、取消年度综合评优资格（末位：2018Q2、2018Q3）"]
    # after Q4 (A and B tied last again): B last in Q2, Q3, Q4 → three in a row → 约谈;
    # A last three times too, but Q1, Q3, Q4 is not three in a row → no 约谈
    assert q4[A]["rank"] == q4[B]["rank"] == 7
    assert flags_of(q4[B]) == ["通报批评、取消年度综合评优资格（末位：2018Q2、2018Q3、2018Q4）",
                               "约谈相关负责人（末位：2018Q2、2018Q3、2018Q4）"]
    assert flags_of(q4[A]) == ["通报批评、取消年度综合评优资格（末位：2018Q1、2018Q3、2018Q4）"]
    assert flags_of(results["2018"][B]) == flags_of(q4[B])
    others = [u for u in TOWNS if u not in (A, B)]
    assert all(flags_of(results[p][u]) == [] for p in results for u in others)
    # the document ties the flags to 地区 (towns/streets): departments ranked last get none
    assert all(flags_of(results[p][d]) == [] for p in results for d in DEPARTMENTS)


def test_unentered_quarters_are_not_last_places(kaohe):
    # A fresh ledger: one town entered in Q1 only; Q2–Q4 everyone ties (nothing entered): no last place
    kaohe.run("import", SCHEME, str(write_ledger(kaohe.db.parent / "q1.csv", [
        (unit, "业务考核", "", "", "", 90 if unit != A else 60, "2018Q1", "一季度业务考核") for unit in TOWNS])))
    year = kaohe.score(SCHEME, "2018")
    assert all(flags_of(r) == [] for r in year.values())


# -- departments: 5 : 3 : 2 -------------------------------------------------------------------------
def test_department_quarter_and_year(results):
    q = [results[f"2018Q{i}"]["城管局"]["total"] for i in range(1, 5)]
    # Q1: 50 × (18 + 0.6 + 0.3) ÷ 20 = 47.25; 20×95% = 19; 15×90% = 13.5; 15 − 2×0.5 = 14; +1 bonus → 94.75
    # Q2: closure counts not entered → missing, 0; 20 + 15 + 15 → 50
    # Q3: nothing entered → 0 (closure) + 0 + 0 + 15 (返工) = 15
    # Q4: 50 × 5 ÷ 10 = 25; 20×80% = 16; 15×60% = 9; 15 → 65
    assert q == [94.75, 50, 15, 65]
    assert "未录入：数字城管绩效/按期结案率 2018Q2" in results["2018Q2"]["城管局"]["flags"]
    year = results["2018"]["城管局"]
    # 数字城管绩效 (94.75 + 50 + 15 + 65) ÷ 4 = 56.1875 × 50% = 28.09375
    # 目标责任书 30 − 1.6 (item 4) − 1.5 (item 16) = 26.9 (item 19: special circumstances, not deducted)
    # 交办任务 20 − 5 = 15 → 28.09375 + 26.9 + 15 = 69.99375
    assert year["indicators"] == {"数字城管绩效季度平均": pytest.approx(28.09375), "目标责任书": 26.9, "交办任务": 15}
    assert year["total"] == pytest.approx(69.99375)
    # the year names the quarters' gaps (Q3: every input; Q2: the closure counts)
    assert {"未录入：数字城管绩效/按期结案率 2018Q2", "未录入：数字城管绩效/回访满意率 2018Q3"} <= set(year["flags"])
    # a department with nothing entered: 0.5 × 15 (返工 only, each quarter) + 30 + 20 = 57.5, flagged
    assert results["2018"]["住建局"]["total"] == 57.5
    assert any(f.startswith("未录入：") for f in results["2018"]["住建局"]["flags"])
    assert results["2018"]["城管局"]["rank"] == 1


# -- the seam for platform case records --------------------------------------------------------------
def load_cases_module():
    name = "kaohe_test_city_cases"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "plugins" / "city_coordination" / "cases.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


CASES = [
    # on time, satisfied, never failed a check
    {"case_id": "C1", "unit": "示例镇乙", "reported": "2018-02-01", "deadline": "2018-02-10", "closed": "2018-02-08",
     "extensions": "0", "failed_checks": "0", "satisfaction": "满意"},
    # closed on its (extended) deadline after 1 extension → 延期; failed one check → 返工; not satisfied
    {"case_id": "C2", "unit": "示例镇乙", "reported": "2018-02-20", "deadline": "2018-03-05", "closed": "2018-03-05",
     "extensions": "1", "failed_checks": "1", "satisfaction": "不满意"},
    # closed after its deadline → 超时; failed twice → one 返工 case; no valid follow-up
    {"案件号": "C3", "单位": "示例镇乙", "上报时间": "2018-03-01", "处置期限": "2018-03-20", "结案时间": "2018-03-25",
     "延期次数": "0", "核查未通过次数": "2", "回访结果": ""},
    # still open: counts as due only
    {"case_id": "C4", "unit": "示例镇乙", "reported": "2018-03-10", "deadline": "2018-03-31", "closed": "",
     "extensions": "0", "failed_checks": "0", "satisfaction": ""},
    # due in Q2
    {"case_id": "C5", "unit": "示例镇乙", "reported": "2018-03-28", "deadline": "2018-04-02", "closed": "2018-04-01",
     "extensions": "0", "failed_checks": "0", "satisfaction": "基本满意"},
]


def test_case_rows_become_quarter_counts():
    cases = load_cases_module()
    counts = cases.quarter_counts(CASES)
    q1, q2 = counts[("示例镇乙", "2018Q1")], counts[("示例镇乙", "2018Q2")]
    assert (q1.due, q1.on_time, q1.extended, q1.overdue, q1.closed) == (4, 1, 1, 1, 3)
    assert (q1.rework, q1.first_time, q1.visited, q1.satisfied) == (2, 1, 2, 1)
    assert q1.satisfaction_rate == 50.0 and q1.first_time_rate == 33.33  # 1 ÷ 2; 1 ÷ 3
    assert (q2.due, q2.on_time, q2.satisfaction_rate, q2.first_time_rate, q2.rework) == (1, 1, 100.0, 100.0, 0)
    assert set(counts) == {("示例镇乙", "2018Q1"), ("示例镇乙", "2018Q2")}


def test_case_counts_feed_the_ledger(kaohe):
    cases = load_cases_module()
    rows = cases.ledger_rows(cases.quarter_counts(CASES).values())
    path = write_ledger(
        kaohe.db.parent / "cases.csv",
        [
            (
                r["unit"],
                r["indicator"],
                r.get("clause") or "",
                r.get("count", ""),
                "",
                r.get("value", ""),
                r["period"],
                r["reason"],
            )
            for r in rows
        ],
    )
    kaohe.run("import", SCHEME, str(path))
    yi = kaohe.json("explain", SCHEME, "--period", "2018Q1", "--unit", "示例镇乙")["explanation"]
    digital = {c["name"]: c["points"] for c in yi[1]["children"]}
    # 按期结案率 12 × (1 + 0.6 + 0.3) ÷ 4 = 5.7; 回访满意率 6 × 50% = 3; 一次完成率 5 × 33.33% = 1.6665;
    # 返工 4 − 2 × 0.2 = 3.6; 平台建设 not scored = 0
    assert digital == {"平台建设": 0, "按期结案率": 5.7, "回访满意率": 3, "一次完成率": 1.6665, "返工": 3.6,
                       "工作主动性加分": 0}


# -- demo ledger -----------------------------------------------------------------------------------
def test_demo_ledger_has_rankings_and_a_last_place_story(kaohe):
    kaohe.run("demo", SCHEME)  # what it loads is checked by the figures below, worked by hand
    q1 = kaohe.score(SCHEME, "2018Q1")
    towns = [r for r in q1.values() if r["category"] == "镇（区）、街道"]
    assert len(towns) == 8 and max(towns, key=lambda r: r["rank"])["unit"] == "示例街道丙"
    year = kaohe.score(SCHEME, "2018")
    assert [f[:2] for f in flags_of(year["示例镇丁"])] == ["通报", "约谈"]
    assert all(flags_of(r) == [] for u, r in year.items() if u != "示例镇丁")
    assert year["城管局"]["indicators"]["目标责任书"] == 26.8  # demo items 4 and 12 of seed 003, 1.6 each
