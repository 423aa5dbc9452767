"""Issue 14: honest results — a missing input is never a silent 0 or full mark, `kaohe status`
shows what is left, sample units leave the ranks once real units exist, a second figure replaces
the first only when said so. Expected figures are worked by hand from the documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kaohe_tui.cli import main

CC, BD = "city-coordination", "bureau-departments"


@pytest.fixture
def k(tmp_path, capsys):
    db = tmp_path / "k.db"

    def run(*args, ok=True):
        code = main(["--db", str(db), *map(str, args)])
        out, err = capsys.readouterr()
        assert (code == 0) == ok, f"kaohe {' '.join(map(str, args))} → {code}: {err}{out}"
        return out if ok else err

    run.json = lambda *args: json.loads(run(*args, "--json"))
    run.score = lambda scheme, period: {r["unit"]: r for r in run.json("score", scheme, "--period", period)}
    run.dir = tmp_path
    return run


def record(k, scheme, unit, indicator, period, reason="x", **figure):
    args = ["record", scheme, "--period", period, "--unit", unit, "--indicator", indicator, "--reason", reason]
    for key, value in figure.items():
        args += [f"--{key}", value]
    return k(*args)


# -- 1. entered vs missing ---------------------------------------------------------------------
def test_empty_bureau_year_names_every_missing_month(k):
    year = k.score(BD, "2018")
    # before: every unit 93 or 99 with flags [] (12 unentered months scored as 12 months below
    # quota). Now no month is known to be short: nothing deducted (100), and the flag names the months.
    for unit, r in year.items():
        assert "未录入：基础管理/信息宣传/信息报送 2018 1—12月" in r["flags"], unit
        assert r["total"] == 100, unit
    text = k("score", BD, "--period", "2018")
    assert "【暂定】尚有未录入数据" in text


def test_half_entered_months_are_judged_and_the_rest_named(k):
    # 党委办's standard (附件4) is 1 a month: Jan–Jun entered, March 0 → March short (−1),
    # July–December named as missing: 信息宣传 7 − 1 = 6; total 100 − 1 = 99
    for month in range(1, 7):
        record(k, BD, "党委办", "信息报送", f"2018-{month:02d}", clause="adopted", value=0 if month == 3 else 1)
    r = k.score(BD, "2018")["党委办"]
    assert r["total"] == 99
    assert "未录入：基础管理/信息宣传/信息报送 2018 7—12月" in r["flags"]


def test_empty_city_coordination_flags_every_rate(k):
    q1 = k.score(CC, "2018Q1")
    dept = q1["城管局"]
    # before: 82.5 a year / 65 a quarter with flags [] (closure "按规定记12分", rates 0/6 silently)
    for path in ("数字城管绩效/按期结案率", "数字城管绩效/回访满意率", "数字城管绩效/一次完成率"):
        assert f"未录入：{path} 2018Q1" in dept["flags"]
    # only 返工 (a deduction nobody incurred) scores: 15
    assert dept["total"] == 15
    explained = k.json("explain", CC, "--period", "2018Q1", "--unit", "城管局")
    rate = explained["explanation"][0]["children"][1]
    assert rate["name"] == "回访满意率" and rate["missing"] == [{"indicator": "数字城管绩效/回访满意率", "period": "2018Q1", "months": []}]
    assert "方案未规定缺省值，暂计0分" in rate["lines"][0]["text"]
    # the year names the quarters' gaps (they were hidden before)
    assert "未录入：数字城管绩效/回访满意率 2018Q4" in k.score(CC, "2018")["城管局"]["flags"]


def test_street_linkage_blank_statistics_are_flagged_with_the_stated_default(k):
    r = k.score("street-linkage", "2012")["示例街道丁"]
    # 采集数, 确认率, 办结率: missing, flagged (before: 0 with no flag)
    for path in ("采集数统计", "确认率统计", "办结率统计"):
        assert f"未录入：社区巡管基础信息情况统计/{path} 2012" in r["flags"]
    # 信息上报: the scheme file states the document's default (无信息上报为0分): 0, said so, still flagged
    assert "未录入：机制规范化建设/宣传培训/信息上报 2012" in r["flags"]
    tree = k.json("explain", "street-linkage", "--period", "2012", "--unit", "示例街道丁")["explanation"]
    node = tree[0]["children"][1]["children"][0]
    assert node["points"] == 0 and "按方案缺省值计0分（文件：无信息上报为0分）" in node["lines"][0]["text"]


# -- 2. kaohe status ---------------------------------------------------------------------------------
def test_status_shows_entered_missing_and_months(k):
    record(k, CC, "城管局", "回访满意率", "2018Q1", value=95)
    status = k.json("status", CC, "--period", "2018Q1")
    cells = {(c["unit"], c["indicator"]): c for c in status["cells"]}
    assert cells[("城管局", "数字城管绩效/回访满意率")]["state"] == "entered"
    assert cells[("城管局", "数字城管绩效/一次完成率")]["state"] == "missing"
    assert cells[("城管局", "数字城管绩效/返工")]["state"] == "none"  # a deduction nobody incurred
    assert status["complete"] is False
    for month in range(1, 7):
        record(k, BD, "党委办", "信息报送", f"2018-{month:02d}", clause="adopted", value=1)
    bd = k.json("status", BD, "--period", "2018")
    cell = next(c for c in bd["cells"] if c["unit"] == "党委办" and c["indicator"].endswith("信息报送"))
    assert cell["state"] == "missing" and cell["months"] == [7, 8, 9, 10, 11, 12] and cell["records"] == 6
    text = k("status", BD, "--period", "2018")
    assert "未录入" in text and "7—12月" in text


def test_exports_carry_the_provisional_mark(k):
    import openpyxl

    out = k.dir / "r.xlsx"
    k("export", CC, "--period", "2018Q1", "--format", "xlsx", "-o", out)
    assert "【暂定】" in openpyxl.load_workbook(out).active["A1"].value
    k("export", CC, "--period", "2018Q1", "--format", "json", "-o", k.dir / "r.json")
    assert json.loads((k.dir / "r.json").read_text(encoding="utf-8"))["provisional"] is True


# -- 3. sample units -----------------------------------------------------------------------------------
def test_samples_leave_ranks_and_consequences_once_real_towns_exist(k):
    towns = k.dir / "towns.csv"
    towns.write_text("单位,类别\n真镇甲,镇（区）、街道\n真镇乙,镇（区）、街道\n", encoding="utf-8")
    k("import", CC, towns, "--kind", "units")
    for quarter in ("2018Q1", "2018Q2"):
        record(k, CC, "真镇甲", "业务考核", quarter, value=90)
        record(k, CC, "真镇乙", "业务考核", quarter, value=60)
    q2 = k.score(CC, "2018Q2")
    # 真镇甲 0.66×90 + 4 (返工) = 63.4 > 真镇乙 0.66×60 + 4 = 43.6; the 8 示例 towns (4 each) take no rank
    assert (q2["真镇甲"]["rank"], q2["真镇乙"]["rank"]) == (1, 2)
    samples = [r for u, r in q2.items() if u.startswith("示例")]
    assert len(samples) == 8 and all(r["rank"] is None for r in samples)
    assert all("示例单位，本类别已有正式单位，不参加排名" in r["flags"] for r in samples)
    # last twice (Q1, Q2): the real last town gets 通报批评; no sample does
    assert "通报批评、取消年度综合评优资格（末位：2018Q1、2018Q2）" in q2["真镇乙"]["flags"]
    assert not any(f.startswith("通报批评") for r in samples for f in r["flags"])
    # departments (all real) are ranked as before
    assert q2["城管局"]["rank"] == 1


def test_retire_keeps_records_and_leaves_ranks(k):
    rid = record(k, CC, "城管局", "回访满意率", "2018Q1", value=95)
    assert "城管局 已退出排名" in k("units", CC, "--retire", "区城管局", "--reason", "机构改革")
    r = k.score(CC, "2018Q1")["城管局"]
    # still scored from its records (20 × 95% = 19, + 15 返工), but no rank
    assert r["rank"] is None and r["total"] == 34 and any(f.startswith("已退出排名") for f in r["flags"])
    assert [x["unit"] for x in k.json("ledger", CC, "--period", "2018Q1")] == ["城管局"]
    assert "单位：城管局 已于" in k("units", CC, "--retire", "城管局", ok=False)
    assert any(h["action"] == "retire-unit" for h in k.json("history"))
    assert rid


# -- 4. one figure per input -----------------------------------------------------------------------------
def test_second_figure_needs_supersede_and_both_are_explained(k):
    first = int(record(k, CC, "城管局", "回访满意率", "2018Q1", value=90).split("#")[1])
    err = k("record", CC, "--period", "2018Q1", "--unit", "城管局", "--indicator", "回访满意率", "--value", "80",
            "--reason", "复核", ok=False)
    assert "--supersede" in err and f"#{first}" in err
    assert "没有可替换" in k("record", CC, "--period", "2018Q1", "--unit", "城管局", "--indicator", "一次完成率",
                           "--value", "80", "--reason", "x", "--supersede", ok=False)
    second = int(k("record", CC, "--period", "2018Q1", "--unit", "城管局", "--indicator", "回访满意率", "--value", "80",
                   "--reason", "复核", "--supersede").split("#")[1])
    explained = k.json("explain", CC, "--period", "2018Q1", "--unit", "城管局")
    rate = explained["explanation"][0]["children"][1]
    # the newer figure counts: 20 × 80 ÷ 100 = 16; the older one is shown as replaced
    assert rate["points"] == 16
    assert any(f"记录#{first}的数值90已被记录#{second}替代" in line["text"] for line in rate["lines"])


# -- 5. every value means something ---------------------------------------------------------------------
SL, DC = "street-linkage", "district-categories"


@pytest.mark.parametrize("scheme,period,unit,indicator,extra,message", [
    # a figure the rule does not read (before: accepted and ignored)
    (BD, "2018", "党委办", "工作纪律", ["--clause", "attendance-ledger-late", "--amount", "3"], "不使用 --amount"),
    (DC, "2017", "民政局", "通报", ["--clause", "media", "--value", "5"], "不使用 --value"),
    # negative and fractional items, a rate above 100
    (BD, "2018-01", "党委办", "信息报送", ["--clause", "adopted", "--value", "-3"], "为负数"),
    (BD, "2018-01", "党委办", "信息报送", ["--clause", "adopted", "--value", "2.5"], "不是整数"),
    (SL, "2012", "示例街道甲", "信息上报", ["--value", "-5"], "为负数"),
    (SL, "2012", "示例街道甲", "确认率统计", ["--value", "150"], "不是0—100之间的百分数"),
    # an item worth more than its indicator (目标责任书 30)
    (CC, "2018", "城管局", "目标责任书", ["--clause", "not-done", "--amount", "31"], "超过目标责任书的分值30分"),
    # a quarterly indicator recorded for the year (counted in no quarter)
    (CC, "2018", "示例镇甲", "业务考核", ["--value", "90"], "业务考核按季度计分"),
    # a category-2 indicator on a category-3 unit: the right reason
    (DC, "2017", "区委办", "通报", ["--clause", "media"], "是二类的指标，本单位属三类"),
])
def test_meaningless_values_are_refused(k, scheme, period, unit, indicator, extra, message):
    err = k("record", scheme, "--period", period, "--unit", unit, "--indicator", indicator, "--reason", "x", *extra,
            ok=False)
    assert message in err and len(err.strip().splitlines()) == 1
    assert k.json("ledger", scheme, "--period", period[:4]) == []


def test_more_cases_closed_than_due_is_flagged_not_full(k):
    record(k, CC, "城管局", "按期结案率", "2018Q1", clause="on_time", count=60)
    record(k, CC, "城管局", "按期结案率", "2018Q1", clause="due", count=50)
    node = k.json("explain", CC, "--period", "2018Q1", "--unit", "城管局")["explanation"][0]["children"][0]
    # 60 on time of 50 due is not 120% (before: full 50): 0 and a flag until corrected
    assert node["points"] == 0 and node["flags"] == ["按期结案率：结案数60多于应结案数50"]


# -- 6. scheme defects, each from the document's words ------------------------------------------------------
def test_oa_deduction_doubles_only_when_the_client_is_not_installed(k):
    # 附件5: "违反上述行为的按照附件2相关规定进行扣分，未安装客户端的，双倍扣分"; 附件2 信息管理:
    # "流程不及时回复影响工作的有一例扣0.5分" → installed: 0.5; not installed: 2 × 0.5 = 1
    def oa(value):
        return record(k, BD, "党委办", "信息管理", "2018", clause="oa", date="2018-03-01", attr=f"未安装客户端={value}")
    oa("否")
    assert k.score(BD, "2018")["党委办"]["total"] == 99.5  # 100 − 0.5 (before: 99, "否" doubled it)
    oa("1")
    assert k.score(BD, "2018")["党委办"]["total"] == 98.5  # 99.5 − 1
    assert "不是是/否" in k("record", BD, "--period", "2018", "--unit", "党委办", "--indicator", "信息管理",
                         "--clause", "oa", "--attr", "未安装客户端=可能", "--reason", "x", ok=False)


def test_archive_late_is_deducted_once(k):
    # 附件2 13、档案归集 (2分): "不按时移交的扣1分，扣完为止" — the year's state, deducted once:
    # recorded twice → 2 − 1 = 1 (before: 2 − 1 − 1 = 0)
    record(k, BD, "党委办", "档案归集", "2018", clause="archive-late", date="2018-06-30", reason="上半年未按时移交")
    record(k, BD, "党委办", "档案归集", "2018", clause="archive-late", date="2018-12-30", reason="下半年未按时移交")
    node = next(n for n in k.json("explain", BD, "--period", "2018", "--unit", "党委办")["explanation"][1]["children"]
                if n["name"] == "档案归集")
    assert node["points"] == 1


def test_street_linkage_explain_names_the_defined_points(k):
    # seed 004 table (1) is 65 points, but section 四 is cut off: 结案率 5 and the missing remainder
    # (2 + 3) are declared, not defined → the explanation says 65, of which 55 are defined
    out = k("explain", SL, "--period", "2012", "--unit", "示例街道丁")
    assert "满分65，其中已定义55分" in out.splitlines()[0]


def test_recurrences_become_one_notice_and_stay_visible(k):
    # seed 000 二类: "整改后，问题反复出现的（一个月内3次及以上）" is a notice; "被通报1次的，扣除年度
    # 分值0.5分" → 1 − 0.5 = 0.5
    def seen(day, **extra):
        return record(k, DC, "民政局", "通报", "2017", clause="recurrence-observed", date=f"2017-05-{day:02d}",
                      reason=f"5月{day}日复查：占道经营又出现", **extra)
    # without naming the problem three records never matched (each reason differs): now refused
    assert "需写明问题" in k("record", DC, "--period", "2017", "--unit", "民政局", "--indicator", "通报",
                          "--clause", "recurrence-observed", "--date", "2017-05-03", "--reason", "x", ok=False)
    ids = [int(seen(day, attr="问题=占道经营").split("#")[1]) for day in (3, 12, 20)]
    assert k.score(DC, "2017")["民政局"]["total"] == 0.5
    # the office also recorded the notice by hand, undated: the same notice, not a second one
    # (before: 2 notices → "被通报2次的，年度分值全部扣除" → 0)
    record(k, DC, "民政局", "通报", "2017", clause="recurrence", attr="问题=占道经营", reason="通报：占道经营反复出现")
    assert k.score(DC, "2017")["民政局"]["total"] == 0.5
    node = k.json("explain", DC, "--period", "2017", "--unit", "民政局")["explanation"][0]
    shown = {r for line in node["lines"] for r in line["records"]}
    assert set(ids) <= shown  # the three recurrences are in the explanation


# -- 2. the TUI view of the same status ----------------------------------------------------------------------
async def test_tui_results_mark_provisional_and_open_the_status_view(tmp_path, k):
    from kaohe_tui.tui.app import KaoheApp
    from kaohe_tui.tui.screens.status import StatusScreen

    record(k, CC, "城管局", "回访满意率", "2018Q1", value=95)
    app = KaoheApp(db_path=tmp_path / "k.db")
    async with app.run_test(size=(120, 36)) as pilot:
        async def settle():
            for _ in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause()

        await settle()
        table = app.screen.query_one("#schemes")
        ids = [str(table.get_row_at(i)[-1]) for i in range(table.row_count)]
        table.move_cursor(row=next(i for i, v in enumerate(ids) if CC in v))
        await pilot.press("enter")
        await settle()
        await pilot.press("3")
        await settle()
        assert "【暂定】" in str(app.screen.query_one("#results-status").render())
        await pilot.press("m")
        await settle()
        assert isinstance(app.screen, StatusScreen)
        rows = [[str(c) for c in app.screen.query_one("#status-table").get_row_at(i)]
                for i in range(app.screen.query_one("#status-table").row_count)]
        assert ["城管局", "数字城管绩效/一次完成率", "2018Q1", "未录入", "", "0"] in rows  # the year shows its quarters
        assert not any(r[:2] == ["城管局", "数字城管绩效/回访满意率"] for r in rows)  # entered: not listed
        await pilot.press("a")  # all cells, the entered ones too
        rows = [[str(c) for c in app.screen.query_one("#status-table").get_row_at(i)]
                for i in range(app.screen.query_one("#status-table").row_count)]
        assert any(r[:2] == ["城管局", "数字城管绩效/回访满意率"] and r[3] == "已录入" for r in rows)


def test_lint_reports_the_documents_own_anomalies(k):
    # seed 002 附件2 6、工作纪律: "严格执行“十个严禁”规定" but "违反“五个严禁”行为 … 有一起扣一分"
    out = k("lint", BD)
    assert "“十个严禁”" in out and "“五个严禁”" in out and "备注4" in out
    # seed 000: "（三）考核办法" breaks the 1./2. numbering; "wjqkpb＠163.com" has a full-width ＠
    out = k("lint", DC)
    assert "（三）考核办法" in out and "＠" in out
    assert "ok: city-coordination" == k("lint", CC).strip()  # nothing to say: nothing said


def test_case_rates_without_visits_stay_missing_and_the_office_figure_wins(k):
    head = "案件编号,责任单位,来源,上报时间,处置时限,结案时间,延期次数,核查未通过次数,回访满意度\n"
    cases = k.dir / "cases.csv"
    # 城管局 Q1: two cases closed on time, nobody visited → no satisfaction rate to compute
    cases.write_text(head + "C1,城管局,巡查,2018-01-05 09:00,2018-01-10 17:00,2018-01-08 10:00,0,0,\n"
                            "C2,城管局,巡查,2018-02-05 09:00,2018-02-10 17:00,2018-02-08 10:00,0,0,\n", encoding="utf-8")
    k("import", CC, cases)
    node = k.json("explain", CC, "--period", "2018Q1", "--unit", "城管局")["explanation"][0]["children"][1]
    # before: the platform's 0% (0 of 0 visits) scored 0/20 silently
    assert node["name"] == "回访满意率" and node["missing"] and node["points"] == 0
    # 一次完成率 from cases: 2 closed, none failed a check → 100% → 15
    assert k.json("explain", CC, "--period", "2018Q1", "--unit", "城管局")["explanation"][0]["children"][2]["points"] == 15
    record(k, CC, "城管局", "一次完成率", "2018Q1", value=80)
    rate = k.json("explain", CC, "--period", "2018Q1", "--unit", "城管局")["explanation"][0]["children"][2]
    # the scheme's default (params.prefer = "office"): 15 × 80 ÷ 100 = 12, the cases' 100 shown
    assert rate["points"] == 12 and any("另有案件统计100" in line["text"] for line in rate["lines"])


def test_each_category_gets_its_own_ranking_sheet_without_zero_point_columns(k):
    import openpyxl

    out = k.dir / "dc.xlsx"
    k("export", DC, "--period", "2017", "--format", "xlsx", "-o", out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["排名（二类）", "排名（三类）"]
    # seed 000: 二类 年度分值1 (通报), 三类 0.5 (年度达不到工作要求的…扣除0.1—0.5分); the 三类
    # requirements (报送问题建议, 参与公众考评, 城管志愿活动) carry no points of their own: no 0 columns
    assert [c.value for c in book["排名（二类）"][2]] == ["排名", "单位", "类别", "通报扣分", "总分", "标记"]
    assert [c.value for c in book["排名（三类）"][2]] == ["排名", "单位", "类别", "年度扣分", "总分", "标记"]


def test_district_columns_show_the_points_deducted(k):
    import csv

    import openpyxl

    # seed 000 二类: "被通报1次的，扣除年度分值0.5分" → 民政局 loses 0.5 of its 1; 三类: "从年度分值中扣除
    # 0.1—0.5分不等" → 区委办 loses 0.2 of its 0.5. Columns headed 扣分 show what was taken off
    # (before: 通报 0.5 / 年度扣分 0.3, the points left, under a heading that says deduction).
    record(k, DC, "民政局", "通报", "2017", clause="media", reason="被媒体曝光")
    record(k, DC, "区委办", "年度扣分", "2017", clause="shortfall", amount=0.2, reason="未达工作要求")
    out = k.dir / "dc.xlsx"
    k("export", DC, "--period", "2017", "--format", "xlsx", "-o", out)
    book = openpyxl.load_workbook(out)
    two = {row[1]: row for row in book["排名（二类）"].iter_rows(min_row=3, values_only=True)}
    three = {row[1]: row for row in book["排名（三类）"].iter_rows(min_row=3, values_only=True)}
    assert [c.value for c in book["排名（二类）"][2]][3:5] == ["通报扣分", "总分"]
    assert two["民政局"][3:5] == (0.5, 0.5)  # 1 − 0.5 = 0.5 left
    assert two["体育局"][3:5] == (0, 1)  # no notice: nothing deducted, 1 left
    assert [c.value for c in book["排名（三类）"][2]][3:5] == ["年度扣分", "总分"]
    assert three["区委办"][3:5] == (0.2, 0.3)  # 0.5 − 0.2 = 0.3 left
    csv_out = k.dir / "dc.csv"
    k("export", DC, "--period", "2017", "--format", "csv", "-o", csv_out)
    rows = {r["单位"]: r for r in csv.DictReader(csv_out.open(encoding="utf-8-sig"))}
    assert rows["民政局"]["通报扣分"] == "0.5" and rows["区委办"]["年度扣分"] == "0.2"
    text = k("score", DC, "--period", "2017")
    line = next(ln for ln in text.splitlines() if "区委办" in ln)
    assert [c.strip() for c in line.split("│")][4:6] == ["", "0.2"]  # 通报扣分 blank (三类), 年度扣分 0.2
    # the JSON contract keeps each indicator's points (what is left)
    assert k.score(DC, "2017")["区委办"]["indicators"]["年度扣分"] == 0.3


def test_import_brings_no_second_figure_unless_told(k):
    # 回访满意率 is one figure per unit and quarter (seed 001: 得分 = 20 × 满意率): 90 is recorded,
    # a ledger file brings 80 for the same input
    first = int(record(k, CC, "城管局", "回访满意率", "2018Q1", value=90).split("#")[1])
    head = "单位,指标,数值,期间,事由\n"
    book = k.dir / "second.csv"
    book.write_text(head + "住建局,回访满意率,70,2018Q1,一季度回访\n城管局,回访满意率,80,2018Q1,复核\n", encoding="utf-8")
    err = k("import", CC, book, ok=False)
    # before: imported silently, the 90 lost from the explanation
    assert f"{book}: 第3行 数值：城管局 的 数字城管绩效/回访满意率 2018Q1 已有数值90（记录#{first}）" in err
    assert "--supersede" in err
    assert k.score(CC, "2018Q1")["住建局"]["indicators"]["数字城管绩效"] == k.score(CC, "2018Q1")["住建局"]["indicators"]["数字城管绩效"]
    assert len(k.json("ledger", CC, "--period", "2018Q1")) == 1  # nothing written: one transaction
    # the same input twice in one file is a second figure too
    twice = k.dir / "twice.csv"
    twice.write_text(head + "住建局,回访满意率,70,2018Q1,一\n住建局,回访满意率,75,2018Q1,二\n", encoding="utf-8")
    assert f"{twice}: 第3行 数值：住建局 的 数字城管绩效/回访满意率 2018Q1 已有数值70（第2行）" in k("import", CC, twice, ok=False)
    k("import", CC, book, "--supersede")
    rate = k.json("explain", CC, "--period", "2018Q1", "--unit", "城管局")["explanation"][0]["children"][1]
    second = max(r["id"] for r in k.json("ledger", CC, "--period", "2018Q1"))
    # the newer figure counts: 20 × 80 ÷ 100 = 16; the 90 stays visible as replaced
    assert rate["points"] == 16
    assert any(f"记录#{first}的数值90已被记录#{second}替代" in line["text"] for line in rate["lines"])


async def test_tui_asks_before_a_second_figure_replaces_the_first(tmp_path, k):
    from kaohe_tui.tui.app import KaoheApp
    from kaohe_tui.tui.screens.confirm import Confirm
    from tests.test_tui import settle

    first = int(record(k, CC, "城管局", "回访满意率", "2018Q1", value=90).split("#")[1])
    app = KaoheApp(db_path=tmp_path / "k.db")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#schemes")
        ids = [str(table.get_row_at(i)[-1]) for i in range(table.row_count)]
        table.move_cursor(row=next(i for i, v in enumerate(ids) if CC in v))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("2", "a")
        await settle(pilot)
        form = app.screen

        async def save_80():
            form.query_one("#f-unit").value = "城管局"
            await pilot.pause()
            form.query_one("#f-period").value = "2018Q1"
            form.query_one("#f-indicator").value = "数字城管绩效/回访满意率"
            await pilot.pause()
            form.query_one("#f-kind").value = "value"
            form.query_one("#f-figure").value = "80"
            form.query_one("#f-reason").value = "复核"
            await settle(pilot, 0.25)
            await pilot.press("ctrl+s")
            await settle(pilot)

        await save_80()
        # before: the form showed the CLI's "请加 --supersede", which a TUI user cannot add
        assert isinstance(app.screen, Confirm)
        question = str(app.screen.query_one("#confirm-question").render())
        assert f"已有数值90（记录#{first}）" in question and "替换" in question
        await pilot.press("escape")  # no: nothing written, the form stays
        await settle(pilot)
        assert app.screen is form
        assert app.store.db.execute("SELECT count(*) FROM records").fetchone()[0] == 1
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is not form
    # the newer figure counts: 20 × 80 ÷ 100 = 16; the 90 stays in the explanation as replaced
    rate = k.json("explain", CC, "--period", "2018Q1", "--unit", "城管局")["explanation"][0]["children"][1]
    assert rate["points"] == 16 and any(f"记录#{first}的数值90已被" in line["text"] for line in rate["lines"])
