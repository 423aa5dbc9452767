"""Platform cases feed closure-rate and per-case rules; last-place consequences; unit lists."""

from __future__ import annotations

from conftest import Q1_CASES, cases_file, needs_native_time


def test_cases_feed_closure_rate_and_case_deductions(k, tmp_path):
    assert "已导入14个案件" in k.run("import", "fixture-cases", str(cases_file(tmp_path, Q1_CASES))).stdout
    q1 = k.score("fixture-cases", "2018Q1")
    # 甲: 结案率 (8×1 + 1×0.6 + 1×0.3) ÷ 10 = 89% → 10 × 0.89 = 8.9
    #     处置核查 6 − 0.1×1 (red light A10) − 0.1×1 (A9's 2nd extension) − 0.1×2 (A10 failed twice) = 5.6
    assert q1["甲街道"]["indicators"] == {"结案率": 8.9, "处置核查": 5.6}
    assert q1["甲街道"]["total"] == 14.5
    # 乙: 2 of 4 closed on time → 50% → 5; two open past deadline → 6 − 0.2 = 5.8
    assert q1["乙街道"]["indicators"] == {"结案率": 5, "处置核查": 5.8}
    # 丙: no case due → full marks on both (nothing fell short)
    assert q1["丙街道"]["total"] == 16
    assert [q1[u]["rank"] for u in ("丙街道", "甲街道", "乙街道")] == [1, 2, 3]
    explain = k.run("explain", "fixture-cases", "--period", "2018Q1", "--unit", "甲街道").stdout
    assert "案件A9：延期2次" in explain and "（0+0.1）" in explain  # the first extension of A9 is free
    assert "数字城管案件统计：按时结案8件" in explain and "结案率 = (8×1 + 1×0.6 + 1×0.3) ÷ 10 = 89%" in explain
    # Q2 has no cases: the Q1 cases do not leak into it; no platform data for Q2 at all is a
    # missing input (flagged, 0), not 0 cases: 0 + 6 (处置核查: nothing deducted) = 6
    q2 = k.score("fixture-cases", "2018Q2")["乙街道"]
    assert q2["total"] == 6 and "未录入：结案率 2018Q2" in q2["flags"]


def test_bad_case_rows_all_or_nothing(k, tmp_path):
    lines = Q1_CASES[:2] + ["X1,不存在街道,巡查,2018-01-01,2018-01-02,,0,0,", "X2,甲街道,巡查,昨天,,,0,0,",
                            "X3,甲街道,巡查,2018-01-01,,,-1,0,", "A1,甲街道,巡查,2018-01-01,,,0,0,"]
    proc = k.run("import", "fixture-cases", str(cases_file(tmp_path, lines)), ok=False)
    assert "第4行：责任单位：“不存在街道”不是本方案的单位" in proc.stderr
    assert "第5行：上报时间：“昨天”不是日期时间" in proc.stderr
    assert "第6行：延期次数：“-1”须为不小于0的整数" in proc.stderr
    assert "未导入任何案件" in proc.stderr
    # nothing kept: no platform data for Q1, so 结案率 is missing (0, flagged) + 处置核查 6 = 6
    assert k.score("fixture-cases", "2018Q1")["甲街道"]["total"] == 6
    dup = k.run("import", "fixture-cases", str(cases_file(tmp_path, Q1_CASES[:1] + Q1_CASES[:1])), ok=False)
    assert "第3行：案件编号：案件 A1 在文件前面已出现" in dup.stderr
    k.run("import", "fixture-cases", str(cases_file(tmp_path, Q1_CASES[:3])))
    again = k.run("import", "fixture-cases", str(cases_file(tmp_path, Q1_CASES[2:4])))
    assert "已导入1个案件；未变1个" in again.stdout  # a later export repeats A3: not doubled


def test_gbk_case_file(k, tmp_path):
    k.run("import", "fixture-cases", str(cases_file(tmp_path, Q1_CASES, encoding="gbk")))
    assert k.score("fixture-cases", "2018Q1")["甲街道"]["total"] == 14.5


def test_last_place_consequences(k, tmp_path):
    def deduct(unit, period, n):
        k.record(
            "fixture-cases", period=period, unit=unit, indicator="处置核查", clause="red-light", count=n, reason="红灯"
        )

    deduct("乙街道", "2018Q1", 5)  # Q1: 乙 last (16 − 0.5)
    deduct("乙街道", "2018Q2", 5)  # Q2: 乙 last again
    deduct("甲街道", "2018Q3", 3)  # Q3: 甲 and 乙 tie for last (both 15.7)
    deduct("乙街道", "2018Q3", 3)
    def flags(r):  # the consequences (no case was imported: 结案率 is 未录入 for everyone)
        return [f for f in r["flags"] if not f.startswith("未录入：")]

    q1 = k.score("fixture-cases", "2018Q1")
    assert flags(q1["乙街道"]) == []  # once is not yet a consequence
    q2 = k.score("fixture-cases", "2018Q2")
    assert flags(q2["乙街道"]) == ["季度排名末位累计两次：通报批评，取消年度综合评优资格（末位：2018Q1、2018Q2）"]
    q3 = k.score("fixture-cases", "2018Q3")
    assert q3["甲街道"]["rank"] == q3["乙街道"]["rank"] == 2  # a tie for last: both last
    assert "连续三次排名末位：约谈相关负责人（末位：2018Q1、2018Q2、2018Q3）" in flags(q3["乙街道"])
    assert flags(q3["甲街道"]) == []  # last once only
    assert flags(q3["丙街道"]) == []


def test_import_units_adds_and_updates(k, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("单位,类别,别名,实有工作站\n丁街道,街道,丁,12\n甲街道,,,9\n", encoding="utf-8")
    assert "单位：新增1个，更新1个" in k.run("import", "fixture-cases", str(path), "--kind", "units").stdout
    units = {u["name"]: u for u in k.json("units", "fixture-cases")}
    assert units["丁街道"]["attrs"] == {"实有工作站": "12"} and units["丁街道"]["aliases"] == ["丁"]
    assert units["甲街道"]["category"] == "街道" and units["甲街道"]["attrs"] == {"实有工作站": "9"}
    k.record("fixture-cases", period="2018Q1", unit="丁", indicator="处置核查", clause="red-light", reason="x")
    bad = tmp_path / "bad.csv"
    bad.write_text("单位,类别\n戊街道,乡镇\n", encoding="utf-8")
    proc = k.run("import", "fixture-cases", str(bad), "--kind", "units", ok=False)
    assert "第2行：类别：“乡镇”不是 fixture-cases 的类别（街道、部门）" in proc.stderr
    assert "戊街道" not in {u["name"] for u in k.json("units", "fixture-cases")}


def test_city_coordination_digital_part_from_cases(kaohe, tmp_path):
    lines = [
        "Q1,示例镇甲,12319,2018-01-05 09:00,2018-01-08 17:00,2018-01-07 10:00,0,0,满意",
        "Q2,示例镇甲,12319,2018-01-06 09:00,2018-01-09 17:00,2018-01-08 10:00,0,0,满意",
        "Q3,示例镇甲,巡查,2018-02-06 09:00,2018-02-09 17:00,2018-02-08 10:00,0,0,满意",
        "Q4,示例镇甲,巡查,2018-03-06 09:00,2018-03-09 17:00,2018-03-12 10:00,0,0,不满意",  # closed late
    ]
    kaohe.run("import", "city-coordination", str(cases_file(tmp_path, lines)))
    q1 = kaohe.score("city-coordination", "2018Q1")["示例镇甲"]
    # 按期结案率 12 × (3×1 + 0×0.6 + 1×0.3) ÷ 4 = 12 × 0.825 = 9.9
    # 回访满意率 6 × 75 ÷ 100 = 4.5 (3 of 4 visited satisfied); 一次完成率 5 × 100% = 5; 返工 4 (none)
    # 平台建设 not yet assessed: 0 → 数字城管考评 = 0 + 9.9 + 4.5 + 5 + 4 = 23.4
    assert q1["indicators"]["数字城管考评"] == 23.4


def test_the_cases_behind_each_count_are_listed(k, tmp_path):
    k.run("import", "fixture-cases", str(cases_file(tmp_path, Q1_CASES)))
    listed = k.json("cases", "fixture-cases", "--period", "2018Q1")
    by_unit: dict[str, dict[str, list[str]]] = {}
    for case in listed:
        by_unit.setdefault(case["unit"], {}).setdefault(case["status"], []).append(case["case_id"])
    # 甲: A1–A8 closed in time without extension, A9 in time after two extensions, A10 late
    assert by_unit["甲街道"] == {"on_time": [f"A{i}" for i in range(1, 9)], "extended": ["A9"], "overdue": ["A10"]}
    # 乙: B1, B2 in time; B3 and B4 still open with deadlines (03-10, 03-12) before the quarter ends
    assert by_unit["乙街道"] == {"on_time": ["B1", "B2"], "open_late": ["B3", "B4"]}
    # in March alone B4's deadline is still inside the month too: open past it at the end of March
    assert [c["case_id"] for c in k.json("cases", "fixture-cases", "--period", "2018-03", "--unit", "乙街道",
                                         "--status", "open_late")] == ["B3", "B4"]
    # the cases a figure counted: 甲's failed checks are A10's; the red lights are A10 (closed late)
    # and B3, B4 (open past their deadlines), listed by unit (乙 sorts before 甲) then report time
    assert [c["case_id"] for c in k.json("cases", "fixture-cases", "--period", "2018Q1", "--unit", "甲街道",
                                         "--counted", "failed_checks")] == ["A10"]
    assert [c["case_id"] for c in k.json("cases", "fixture-cases", "--period", "2018Q1",
                                         "--counted", "red_light")] == ["B3", "B4", "A10"]
    bad = k.run("cases", "fixture-cases", "--period", "2018Q1", "--counted", "nonsense", ok=False)
    assert "--counted nonsense：应为以下之一：due、on_time、extended、overdue、red_light" in bad.stderr
    text = k.run("cases", "fixture-cases", "--period", "2018Q1", "--unit", "甲街道").stdout
    assert "10件（按时结案8，延期结案1，超时结案（红灯）1）" in text
    explain = k.run("explain", "fixture-cases", "--period", "2018Q1", "--unit", "甲街道").stdout
    assert "kaohe cases fixture-cases --period 2018Q1 --unit 甲街道" in explain


def test_a_long_case_list_is_summed_up_per_unit_in_the_terminal(k, tmp_path):
    # 2,100 cases of 乙街道 in January, every one closed on time: more than a terminal table lists
    lines = [f"N{i:05d},乙街道,巡查,2018-01-05 09:00:00,2018-01-09 17:00:00,2018-01-06 10:00:00,0,0,"
             for i in range(2100)] + Q1_CASES[:1]
    k.run("import", "fixture-cases", str(cases_file(tmp_path, lines)))
    text = k.run("cases", "fixture-cases", "--period", "2018Q1").stdout
    assert "2101件（按时结案2101）" in text
    assert "乙街道 │ 2100" in text and "甲街道 │ 1 " in text  # one row per unit: its count per class
    assert "表格只列2000件以内：用 --unit、--status 缩小范围，或 --json 取全部" in text
    assert len(k.json("cases", "fixture-cases", "--period", "2018Q1")) == 2101  # --json lists them all


def test_the_user_is_told_when_a_file_is_read_row_by_row(k, tmp_path):
    # a time written in Chinese: correct, but only the careful path reads it
    slow = k.run("import", "fixture-cases", str(cases_file(tmp_path, [
        "S1,甲街道,巡查,2018年1月3日 9时00分,2018-01-05 17:00:00,2018-01-04 10:00:00,0,0,满意"])))
    assert "逐行读取" in slow.stderr and "时间以数字写出" in slow.stderr
    assert "已导入1个案件" in slow.stdout


@needs_native_time
def test_platform_time_forms_go_the_fast_path(k, tmp_path):
    fast = k.run("import", "fixture-cases", str(cases_file(tmp_path, [
        "F1,甲街道,巡查,2018/1/3 9:00,2018-01-05T17:00:00,2018-01-04 10:00:00.5,0,0,满意"])))
    assert "已导入1个案件" in fast.stdout and "逐行读取" not in fast.stderr
