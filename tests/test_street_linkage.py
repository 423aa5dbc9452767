"""Scheme ``street-linkage`` (seed 004, 附表一, 65 分, cut off in section 四) through the real CLI.

Expected scores are worked out by hand from the document's rules; the arithmetic is in the
comments. One ledger (period 2012) is imported once for the module and every test reads it.
"""

from __future__ import annotations

import csv
import json

import pytest

from conftest import Kaohe, node

SCHEME = "street-linkage"
YEAR = "2012"
UNITS = ["示例街道甲", "示例街道乙", "示例街道丙", "示例街道丁", "示例镇甲", "示例镇乙", "示例镇丙",
         "示例镇丁", "示例镇戊", "示例镇己", "示例镇庚", "示例镇辛", "示例镇壬"]
GRID_DUTY = "城市网格化管理/责任倒查"
INFO_DUTY = "社区巡管基础信息情况统计/责任倒查"

# unit, indicator, clause, count, amount, value, period, reason
LEDGER = [
    # 宣传培训/信息上报 — 信息综合录用数; ranks among units that reported (ties share the better rank):
    # 50 → 1; 40 ×5 → 2 (positions 2–6); 30 → 7; 20 ×2 → 8; 10 → 10; 5 → 11; 0 (reported) → 12.
    ("示例街道甲", "信息上报", "", "", "", 50, YEAR, "录用50条"),
    ("示例街道乙", "信息上报", "", "", "", 40, YEAR, "录用40条"),
    ("示例街道丙", "信息上报", "", "", "", 40, YEAR, "录用40条"),
    ("示例街道丁", "信息上报", "", "", "", 40, YEAR, "录用40条"),
    ("示例镇甲", "信息上报", "", "", "", 40, YEAR, "录用40条"),
    ("示例镇乙", "信息上报", "", "", "", 40, YEAR, "录用40条"),
    ("示例镇丙", "信息上报", "", "", "", 30, YEAR, "录用30条"),
    ("示例镇丁", "信息上报", "", "", "", 20, YEAR, "录用20条"),
    ("示例镇戊", "信息上报", "", "", "", 20, YEAR, "录用20条"),
    ("示例镇己", "信息上报", "", "", "", 10, YEAR, "录用10条"),
    ("示例镇庚", "信息上报", "", "", "", 3, YEAR, "录用3条（初报）"),
    ("示例镇庚", "信息上报", "", "", "", 5, YEAR, "录用5条（更正，以此为准）"),
    ("示例镇辛", "信息上报", "", "", "", 0, YEAR, "有动态上报，未被录用"),
    # 示例镇壬: nothing recorded → 无信息上报
    # 采集数统计 — expected = 48600 ÷ 324 × 实有工作站 = 150 × 实有工作站
    ("示例街道甲", "采集数统计", "actual", "", "", 3240, YEAR, "实际采集3240条"),
    ("示例街道乙", "采集数统计", "actual", "", "", 2970, YEAR, "实际采集2970条"),
    ("示例街道丁", "采集数统计", "expected", "", "", 0, YEAR, "新设街道，核定应采集数为0"),
    ("示例街道丁", "采集数统计", "actual", "", "", 500, YEAR, "实际采集500条"),
    ("示例镇甲", "采集数统计", "expected", "", "", 5000, YEAR, "核定应采集5000条"),
    ("示例镇甲", "采集数统计", "actual", "", "", 4000, YEAR, "实际采集4000条"),
    # 确认率统计 — the average of the recorded rates: (90 + 80 + 100 + 70) ÷ 4 = 85
    ("示例街道甲", "确认率统计", "", "", "", 90, YEAR, "确认率90%"),
    ("示例街道乙", "确认率统计", "", "", "", 80, YEAR, "确认率80%"),
    ("示例街道丙", "确认率统计", "", "", "", 100, YEAR, "确认率100%"),
    ("示例街道丁", "确认率统计", "", "", "", 70, YEAR, "确认率70%"),
    # 办结率统计 — average (95 + 85) ÷ 2 = 90
    ("示例街道甲", "办结率统计", "", "", "", 95, YEAR, "办结率95%"),
    ("示例镇甲", "办结率统计", "", "", "", 85, YEAR, "办结率85%"),
    # 处置核查 — 示例镇乙, one record per case
    ("示例镇乙", "处置核查", "extension", 1, "", "", "2012-03", "案件A延期1次"),
    ("示例镇乙", "处置核查", "extension", 3, "", "", "2012-05", "案件B延期3次"),
    ("示例镇乙", "处置核查", "failed-check", 1, "", "", "2012-06", "案件C核查未通过1次"),
    ("示例镇乙", "处置核查", "failed-check", 3, "", "", "2012-07", "案件D核查未通过3次"),
    ("示例镇乙", "处置核查", "red-light", 2, "", "", "2012-08", "超时（红灯）案件2件"),
    ("示例镇乙", "处置核查", "careless-check", "", "", "", "2012-09", "现场核查不及时"),
    # 巡查监督 — 示例镇丙: 85 missed cases × 0.1 = 8.5 > 8
    ("示例镇丙", "巡查监督", "missed-case", 85, "", "", YEAR, "全年应发现未发现案件85起"),
    # 责任倒查 (二 and 三) — 示例镇丁
    ("示例镇丁", INFO_DUTY, "complaint", 3, "", "", YEAR, "962000、区长信箱、市民巡访团各1起"),
    ("示例镇丁", INFO_DUTY, "notice-slip", "", "", "", YEAR, "《工作提示单》通报"),
    ("示例镇丁", INFO_DUTY, "media", 2, "", "", YEAR, "媒体曝光2起"),
    ("示例镇丁", GRID_DUTY, "media", "", "", "", YEAR, "电视曝光"),
    ("示例镇丁", GRID_DUTY, "leaders", "", "", "", YEAR, "区领导转办"),
    ("示例镇丁", GRID_DUTY, "hotline", 2, "", "", YEAR, "12319举报2起"),
    ("示例镇丁", GRID_DUTY, "written-notice", "", "", "", YEAR, "书面提示"),
    # 分层培训 — 示例镇戊: two levels untrained
    ("示例镇戊", "分层培训", "leaders", "", "", "", YEAR, "分管领导未培训"),
    ("示例镇戊", "分层培训", "assistants", "", "", "", YEAR, "协管员未培训"),
    # items without a scoring method: 不得分 / 酌情扣分
    ("示例镇己", "工作汇报制度", "unmet", "", "", "", YEAR, "全年未向街镇党委政府汇报"),
    ("示例镇己", "联勤巡管全覆盖", "partly", "", 1.2, "", YEAR, "农村地区未建立常态化网格联勤巡查机制"),
]


@pytest.fixture(scope="module")
def k(tmp_path_factory) -> Kaohe:
    folder = tmp_path_factory.mktemp("street_linkage")
    kaohe = Kaohe(folder / "kaohe.db")
    path = folder / "ledger.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["单位", "指标", "条款", "次数", "分值", "数值", "期间", "事由"])
        writer.writerows(LEDGER)
    kaohe.run("import", SCHEME, str(path), "--supersede")  # 示例镇庚's 信息上报 is corrected
    return kaohe


@pytest.fixture(scope="module")
def year(k) -> dict[str, dict]:
    return k.score(SCHEME, YEAR)


@pytest.fixture(scope="module")
def points(k, tmp_path_factory) -> dict[str, dict[str, float | None]]:
    """Every node's points for every unit, by path (one `kaohe export --format json`)."""
    out_file = tmp_path_factory.mktemp("export") / "results.json"
    k.run("export", SCHEME, "--period", YEAR, "--format", "json", "-o", str(out_file))
    out: dict[str, dict[str, float | None]] = {}

    def walk(unit, node):
        out[unit][node["path"]] = node["points"]
        for child in node["children"]:
            walk(unit, child)

    for result in json.loads(out_file.read_text(encoding="utf-8"))["results"]:
        out[result["unit"]] = {}
        for item in result["explanation"]:
            walk(result["unit"], item)
    return out


# -- the scheme as written ----------------------------------------------------------------------
def test_rules_tree_follows_the_document(k):
    out = k.run("rules", SCHEME).stdout
    for text in (
        "机制规范化建设  15分",
        "工作汇报制度  0.5分",
        "责任：联动办、街面巡管",
        "办法：查阅资料 随机抽查",
        "信息上报  1分  〈rank_bands〉",
        "第1-5名得0.8分,第6-10名得0.6分,第11-13名得0.4分",
        "[leaders] 经抽查任一层面对象未培训过的,扣0.25分（分管领导）  〔每次0.25分〕",
        "牵头联合执法  3分",
        "配合联合执法  1分",
        "责任：市政科、综治办",
        "采集数统计  9分  〈ratio_to_expected〉",
        "确认率统计  2分  〈relative_to_average〉",
        "[complaint] 应采集而未采集,被962000民生热线、区长信箱、党务信箱、市民巡访团、督导巡查等投诉举报的,每一起案件扣0.1分",  # noqa: E501 — the document's sentence
        "[extension] ②已申请延期的处置案件,以后每申请延期一次,每次扣0.1分  〔累进0/0.1〕",
        "[failed-check] ③负责处置的事(部)件案件,核查一次未通过扣0.1分,以后每核查一次未通过加扣0.1分  〔累进0.1〕",
        "[leaders] ②被市、区领导及各部门转办的,经查情况属实的,每起扣0.2分  〔每次0.2分〕",
        "结案率  5分  〈undefined〉",
        "原文缺失部分  3分  〈undefined〉",
        "〔方案补充〕",
    ):
        assert text in out, text
    tree = k.json("rules", SCHEME)
    assert tree["total"] == 65
    top = tree["trees"][0]["indicators"]
    # 一 15, 二 20, 三 20, 四 7 (= 62 in the document) + the 3 points the header adds
    assert [(n["name"], n["points"]) for n in top] == [
        ("机制规范化建设", 15), ("社区巡管基础信息情况统计", 20), ("城市网格化管理", 20),
        ("公众上报类案件查处", 7), ("原文缺失部分", 3)]
    assert [(c["name"], c["points"]) for c in top[0]["children"]] == [
        ("工作规范", 2), ("宣传培训", 2), ("联合执法", 4), ("全覆盖基层基础工作", 7)]
    assert [(c["name"], c["points"]) for c in top[1]["children"]] == [
        ("采集数统计", 9), ("确认率统计", 2), ("办结率统计", 2), ("责任倒查", 7)]
    assert [(c["name"], c["points"], c["responsible"]) for c in top[2]["children"]] == [
        ("巡查监督", 8, ["城管所"]), ("处置核查", 6, ["城管所"]), ("责任倒查", 6, ["城管所"])]
    coverage = top[0]["children"][3]["children"]
    assert [[(g["name"], g["points"]) for g in c["children"]] for c in coverage] == [
        [("社区巡管责任网格全覆盖", 1), ("便民服务与社区管理", 2)], [("联勤巡管网格划分", 1), ("联勤巡管全覆盖", 3)]]


def test_lint_reports_exactly_the_undefined_points(k):
    proc = k.run("lint", SCHEME)  # exit 0: undefined points are findings, not errors
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    # declared 65; defined 一15 + 二20 + 三20 = 55; undefined 结案率5 + 四's other 2 + the header's 3 = 10
    assert lines == [
        "未定义：street-linkage 公众上报类案件查处/结案率：声明5分，文件未规定怎样计分",
        "未定义：street-linkage 公众上报类案件查处/四项其余子项目（原文缺失）：声明2分，文件未规定怎样计分",
        "未定义：street-linkage 原文缺失部分：声明3分，文件未规定怎样计分",
        "未定义：street-linkage：声明65分，规定了55分：10分未规定",
        "通过：street-linkage",
    ]


def test_sample_units_are_labelled(k):
    units = k.json("units", SCHEME)
    assert [u["name"] for u in units] == UNITS  # 13, so the rank bands 1–13 make sense
    assert sum(int(u["attrs"]["实有工作站"]) for u in units) == 324  # = params.district_units
    scheme = next(s for s in k.json("schemes") if s["id"] == SCHEME)
    assert scheme["sample"] is True and scheme["periods"] == ["2012"] and scheme["units"] == 13


# -- rule shapes ----------------------------------------------------------------------------------
def test_rank_bands_with_ties(k, points):
    info = {u: points[u]["机制规范化建设/宣传培训/信息上报"] for u in UNITS}
    assert info == {
        "示例街道甲": 1.0,  # rank 1: base 0.2 + 0.8
        "示例街道乙": 1.0, "示例街道丙": 1.0, "示例街道丁": 1.0, "示例镇甲": 1.0,
        "示例镇乙": 1.0,  # 6th of the five tied at 40: shares rank 2 → 0.2 + 0.8, not 0.6
        "示例镇丙": 0.8,  # rank 7: 0.2 + 0.6
        "示例镇丁": 0.8, "示例镇戊": 0.8,  # tied at rank 8: 0.2 + 0.6
        "示例镇己": 0.8,  # rank 10: 0.2 + 0.6
        "示例镇庚": 0.6,  # newest figure 5 (not 3) → rank 11: 0.2 + 0.4
        "示例镇辛": 0.6,  # reported, nothing adopted → ranked 12th: 0.2 + 0.4
        "示例镇壬": 0.0,  # 无信息上报为0分
    }
    explain = k.run("explain", SCHEME, "--period", YEAR, "--unit", "示例镇乙").stdout
    assert "12个单位中排第2名（并列）" in explain  # 示例镇壬 is not ranked


def test_ratio_to_expected_including_zero_expected(k, points):
    got = {
        u: points[u]["社区巡管基础信息情况统计/采集数统计"]
        for u in ("示例街道甲", "示例街道乙", "示例街道丙", "示例街道丁", "示例镇甲")
    }
    assert got == {
        "示例街道甲": 8.1,  # expected 150 × 24 = 3600; 9 × 3240 ÷ 3600 = 8.1
        "示例街道乙": 9.0,  # expected 150 × 18 = 2700; 2970 is 110% → capped at 9
        "示例街道丙": 0.0,  # nothing collected (no record)
        "示例街道丁": 9.0,  # expected set to 0 → nothing was due → full marks (on_zero = "full")
        "示例镇甲": 7.2,  # expected overridden to 5000; 9 × 4000 ÷ 5000 = 7.2
    }
    explain = k.run("explain", SCHEME, "--period", YEAR, "--unit", "示例街道甲").stdout
    assert "应完成数 = 48600 ÷ 324 × 24（实有工作站）= 3600" in explain


def test_relative_to_average(points):
    confirm = {
        u: points[u]["社区巡管基础信息情况统计/确认率统计"]
        for u in ("示例街道甲", "示例街道乙", "示例街道丙", "示例街道丁", "示例镇乙")
    }
    assert confirm["示例街道甲"] == 2  # 2 × 90 ÷ 85 > 2 → capped
    assert confirm["示例街道乙"] == pytest.approx(2 * 80 / 85, abs=1e-6)  # 1.882353
    assert confirm["示例街道丙"] == 2  # 100 above the average
    assert confirm["示例街道丁"] == pytest.approx(2 * 70 / 85, abs=1e-6)  # 1.647059
    assert confirm["示例镇乙"] == 0  # no rate recorded
    assert points["示例镇甲"]["社区巡管基础信息情况统计/办结率统计"] == pytest.approx(2 * 85 / 90, abs=1e-6)  # 1.888889


def test_per_case_deductions_extensions_and_repeated_failed_checks(k, points):
    # 处置核查 6 − [extension 1×: 0] − [extension 3×: 0 + 0.1 + 0.1] − [failed 1×: 0.1]
    #   − [failed 3×: 0.1 + 0.1 + 0.1] − [2 red-light × 0.1] − [careless 0.1] = 6 − 0.9 = 5.1
    assert points["示例镇乙"]["城市网格化管理/处置核查"] == 5.1
    explain = k.run("explain", SCHEME, "--period", YEAR, "--unit", "示例镇乙").stdout
    assert "（0+0.1+0.1）" in explain  # the first extension is free
    assert "（0.1+0.1+0.1）" in explain  # every failed check costs 0.1 (linear reading)


def test_duty_deductions_training_and_floor(points):
    ding = points["示例镇丁"]
    assert ding[INFO_DUTY] == 6.2  # 7 − 3×0.1 (complaints) − 0.1 (提示单) − 2×0.2 (media) = 6.2
    assert ding[GRID_DUTY] == 5.3  # 6 − 0.2 (media) − 0.2 (leaders) − 2×0.1 (12319) − 0.1 (notice) = 5.3
    assert points["示例镇戊"]["机制规范化建设/宣传培训/分层培训"] == 0.5  # 1 − 2 levels × 0.25
    assert points["示例镇丙"]["城市网格化管理/巡查监督"] == 0  # 85 × 0.1 = 8.5 > 8: 扣完为止, not −0.5
    ji = points["示例镇己"]
    assert ji["机制规范化建设/工作规范/工作汇报制度"] == 0  # 未达到测评要求：不得分
    assert ji["机制规范化建设/全覆盖基层基础工作/街面联勤巡管/联勤巡管全覆盖"] == 1.8  # 3 − 1.2 (酌情)


def test_totals_leave_the_undefined_points_out(year):
    jia = year["示例街道甲"]
    # 一 15 (信息 1.0, nothing deducted) + 二 (8.1 + 2 + 2 + 7 = 19.1) + 三 20 = 54.1; 四 and the
    # missing 3 points are not defined, so not scored: `score --json` keeps its numbers (0, as in
    # the total) and the flags say the points are undefined
    assert jia["indicators"] == {"机制规范化建设": 15, "社区巡管基础信息情况统计": 19.1, "城市网格化管理": 20,
                                 "公众上报类案件查处": 0, "原文缺失部分": 0}
    assert "原文缺失部分未定义" in jia["flags"]
    assert jia["total"] == 54.1 and jia["rank"] == 1
    # 示例镇乙: 一 15 + 二 (0 + 0 + 0 + 7) + 三 (8 + 5.1 + 6) = 41.1
    assert year["示例镇乙"]["total"] == 41.1
    # 示例街道乙: 15 + (9 + 1.882353 + 0 + 7) + 20 = 52.882353 (rank 2)
    assert year["示例街道乙"]["total"] == pytest.approx(52.882353, abs=1e-6) and year["示例街道乙"]["rank"] == 2
    assert "结案率未定义" in jia["flags"]


def test_a_discretionary_deduction_outside_its_range_is_refused(k):
    proc = k.run("record", SCHEME, "--period", YEAR, "--unit", "示例镇己", "--indicator", "联勤巡管全覆盖",
                 "--clause", "partly", "--amount", "3.5", "--reason", "超出分值", ok=False)
    assert "（partly）的范围 0.1–3" in proc.stderr


# -- demo ledger ----------------------------------------------------------------------------------
def test_demo_ledger_gives_a_full_ranking(kaohe):
    kaohe.run("demo", SCHEME)
    # 处置核查 6 (plugins/street_linkage/demo.py; clauses in schemes/street-linkage.toml):
    # 示例镇庚: 3 red-light cases × 0.1 = 0.3, one case extended 3 times: steps [0, 0.1] → 0 + 0.1 + 0.1
    # = 0.2; 6 − 0.3 − 0.2 = 5.5. 示例镇丁: one case extended once → 0, one failing its check twice
    # → 0.1 + 0.1 = 0.2; 6 − 0.2 = 5.8
    for unit, points in (("示例镇庚", 5.5), ("示例镇丁", 5.8)):
        tree = kaohe.json("explain", SCHEME, "--period", YEAR, "--unit", unit)["explanation"]
        assert node(tree, "城市网格化管理/处置核查")["points"] == points, unit
    results = kaohe.json("score", SCHEME, "--period", YEAR)
    assert len(results) == 13 and sorted(r["rank"] for r in results) == list(range(1, 14))
    assert all(0 < r["total"] <= 55 for r in results)  # 55 = the defined points
    by_unit = {r["unit"]: r for r in results}
    assert by_unit["示例镇辛"]["rank"] == 13 and "基础台帐与绩效测评不得分" in by_unit["示例镇辛"]["flags"]
