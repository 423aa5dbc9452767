"""Real platform case-file layouts (PLATFORM-LAYOUTS.md) import through shipped profiles with the
right counts; nothing in a file is dropped without a word. Rows are written here; the headers are
the platforms' own. Expected scores are worked by hand (fixture-cases: 结案率 10 × (按时×1 + 延期×0.6
+ 超时×0.3) ÷ 应结案; 处置核查 6 − 0.1 per red light, per extension after a case's first, per failed
check)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

SZCG_HEADER = ("上报时间,任务号,大类名称,小类名称,问题来源,问题描述,当前阶段名称,处置部门,捆绑处置截止时间,结案时间,"
               "所属片区,问题类型,地址描述,所属街道,所属社区,监督员,处置截止时间,X坐标,Y坐标,延期理由,处置意见,"
               "单元网格,延期次数,所属区域")
GRID_HEADER = ["案件号", "问题来源", "问题类型", "大类名称", "街道", "上报时间", "当前阶段", "延期类型", "案件标识",
               "处置截止时间", "处置结束时间", "强结限制", "案件类型", "结案时间", "首次派遣时间", "受理开始时间",
               "案件阶段名称", "受理时间", "立案时间", "强制结案时间"]
DISPATCH_HEADER = "工单编号,工单标题,工单内容,推送时间,承办单位,问题分类,问题点位"
BOARD_HEADER = ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "答复意见", "答复时间"]


def szcg_row(**cells) -> str:
    row = dict.fromkeys(SZCG_HEADER.split(","), "")
    row.update(
        {
            "大类名称": "市容环境",
            "小类名称": "暴露垃圾",
            "问题描述": "路边堆放垃圾，有异味",
            "地址描述": "解放路12号",
            "所属街道": "某街道",
            "X坐标": "511234.5",
            "Y坐标": "3876543.2",
        }
    )
    row.update(cells)
    return ",".join(f'"{v}"' if "," in v else v for v in row.values())


SZCG_ROWS = [
    # 甲 (处置部门), Q1 2018, times as the platform wrote them:
    szcg_row(任务号="S1", 上报时间="2018/1/5 9:32:09", 处置截止时间="2018/1/10", 结案时间="2018/1/8 10:00",
             当前阶段名称="结案", 处置部门="甲街道", 延期次数="0"),  # on time
    szcg_row(任务号="S2", 上报时间="2018.01.06 09:00", 处置截止时间="2018-01-09", 结案时间="2018-01-09 10:00",
             当前阶段名称="结案", 处置部门="甲街道"),  # a date-only deadline ends that day: on time
    szcg_row(任务号="S3", 上报时间="2018-01-07 08:00:00", 处置截止时间="2018-01-08 17:00:00",
             当前阶段名称="作废", 处置部门="甲街道"),  # void: counted nowhere (else: a red light)
    szcg_row(任务号="S4", 上报时间="2018年2月1日 9时30分", 处置截止时间="2018年2月3日 17时0分",
             结案时间="2018年2月4日 9时0分", 当前阶段名称="结案", 处置部门="甲街道"),  # late: red light
    szcg_row(任务号="S5", 上报时间="43136.375", 处置截止时间="2018-02-10 17:00:00",
             结案时间="02/08/2018 03:00:00 PM", 当前阶段名称="结案", 处置部门="甲街道", 延期次数="1",
             延期理由="需协调产权单位"),  # Excel serial (2018-02-05 09:00), US form: extended, first extension free
    # 乙: still open past its deadline at the end of the quarter: red light
    szcg_row(任务号="S6", 上报时间="20180301090000", 处置截止时间="2018-03-05 17:00", 当前阶段名称="处置",
             处置部门="乙街道"),
]


def test_szcg_24_column_export(k, tmp_path):
    path = tmp_path / "数字城管导出.csv"
    path.write_text(SZCG_HEADER + "\n" + "\n".join(SZCG_ROWS) + "\n", encoding="utf-8")
    proc = k.run("import", "fixture-cases", path)
    assert "已导入6个案件" in proc.stdout
    assert "导入配置：szcg-24" in proc.stderr
    # every column not used is named: the ones the profile leaves unused, 捆绑处置截止时间 among them
    unused = proc.stderr.split("未使用的列：")[1].splitlines()[0].split("、")
    assert set(unused) == {
        "大类名称",
        "小类名称",
        "问题描述",
        "所属片区",
        "问题类型",
        "地址描述",
        "所属街道",
        "所属社区",
        "监督员",
        "X坐标",
        "Y坐标",
        "延期理由",
        "处置意见",
        "单元网格",
        "所属区域",
        "捆绑处置截止时间",
    }
    q1 = k.score("fixture-cases", "2018Q1")
    # 甲: due 4 (S3 void), on time 2 (S1, S2), extended 1 (S5), overdue 1 (S4):
    #     结案率 10 × (2 + 0.6 + 0.3) ÷ 4 = 7.25; 处置核查 6 − 0.1 (S4 red light) = 5.9
    assert q1["甲街道"]["indicators"] == {"结案率": 7.25, "处置核查": 5.9}
    # 乙: due 1, none on time → 0; S6 open past its deadline → 6 − 0.1 = 5.9
    assert q1["乙街道"]["indicators"] == {"结案率": 0, "处置核查": 5.9}
    void = k.json("cases", "fixture-cases", "--period", "2018Q1", "--counted", "void")
    assert [(c["case_id"], c["status"]) for c in void] == [("S3", "void")]
    red = k.json("cases", "fixture-cases", "--period", "2018Q1", "--counted", "red_light")
    assert [c["case_id"] for c in red] == ["S6", "S4"]  # 乙 sorts before 甲; S3 (void) is not one


def test_szcg_streets_by_map(k, tmp_path):
    # the same export scored for streets: 所属街道 mapped over the profile's 处置部门
    path = tmp_path / "streets.csv"
    rows = [szcg_row(任务号="T1", 上报时间="2018-01-05 09:00:00", 处置截止时间="2018-01-06 17:00:00",
                     结案时间="2018-01-06 10:00:00", 当前阶段名称="结案", 处置部门="城管局", 所属街道="丙街道")]
    path.write_text(SZCG_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    proc = k.run("import", "fixture-cases", path, "--map", "所属街道=unit")
    assert "处置部门" in proc.stderr.split("未使用的列：")[1].splitlines()[0]
    assert [c["unit"] for c in k.json("cases", "fixture-cases", "--period", "2018Q1")] == ["丙街道"]


def grid_workbook(
    path: Path, rows: list[list], title: str | None = "某区网格化服务管理中心 案件明细（导出时间：2018-07-01）"
):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(GRID_HEADER))
    sheet.append(GRID_HEADER)
    for row in rows:
        sheet.append([row.get(h) for h in GRID_HEADER])
    book.save(path)


def grid(**cells) -> dict:
    return {"问题来源": "网格员上报", "问题类型": "部件", "大类名称": "市容环境", "案件类型": "一般", **cells}


GRID_ROWS = [
    # 乙: reported in Q1, filed (立案) in Q2: a Q2 case; closed before its deadline → on time
    grid(
        案件号="G1",
        街道="乙街道",
        上报时间=dt.datetime(2018, 3, 31, 20, 0),
        立案时间=dt.datetime(2018, 4, 2, 9, 0),
        处置截止时间=dt.datetime(2018, 4, 5, 17, 0),
        结案时间=dt.datetime(2018, 4, 4, 10, 0),
        当前阶段="[结案]",
    ),
    grid(
        案件号="G2",
        街道="乙街道",
        上报时间=dt.datetime(2018, 4, 3, 8, 0),
        立案时间=dt.datetime(2018, 4, 3, 9, 0),
        处置截止时间=dt.datetime(2018, 4, 4, 17, 0),
        当前阶段="[作废]",
        案件阶段名称="作废",
    ),  # void
    # force-closed after its deadline, no 结案时间: closed at 2018-04-20 10:00 → overdue, a red light
    grid(
        案件号="G3",
        街道="乙街道",
        上报时间=dt.datetime(2018, 4, 10, 8, 0),
        立案时间=dt.datetime(2018, 4, 10, 9, 0),
        处置截止时间=dt.datetime(2018, 4, 12, 17, 0),
        强制结案时间=dt.datetime(2018, 4, 20, 10, 0),
        当前阶段="[强制结案]",
    ),
    # 甲: a deadline cell holding a date only ends that day: closed 18:00 that day is on time
    grid(
        案件号="G4",
        街道="甲街道",
        上报时间=dt.datetime(2018, 4, 11, 8, 0),
        立案时间=dt.datetime(2018, 4, 11, 9, 0),
        处置截止时间=dt.date(2018, 4, 15),
        结案时间=dt.datetime(2018, 4, 15, 18, 0),
        当前阶段="[结案]",
    ),
]


def test_grid_center_export_below_a_title_row(k, tmp_path):
    path = tmp_path / "网格中心.xlsx"
    grid_workbook(path, GRID_ROWS)
    proc = k.run("import", "fixture-cases", path)
    assert "已导入4个案件" in proc.stdout and "导入配置：grid-20" in proc.stderr
    q2 = k.score("fixture-cases", "2018Q2")
    # 乙: due 2 (G1, G3; G2 void), on time 1, overdue 1 → 10 × (1 + 0.3) ÷ 2 = 6.5; red light G3 → 5.9
    assert q2["乙街道"]["indicators"] == {"结案率": 6.5, "处置核查": 5.9}
    assert q2["甲街道"]["indicators"] == {"结案率": 10, "处置核查": 6}  # G4 on time
    # G1 belongs to its 立案 quarter: Q1 has no case of 乙
    assert [c["case_id"] for c in k.json("cases", "fixture-cases", "--period", "2018Q1")] == []
    g3 = k.json("cases", "fixture-cases", "--period", "2018Q2", "--unit", "乙街道", "--status", "overdue")
    assert [(c["case_id"], c["closed_at"], c["platform_status"]) for c in g3] == [
        ("G3", "2018-04-20 10:00:00", "force_closed")
    ]


def test_dispatch_export_without_deadline_is_not_scored_on_closure(k, tmp_path):
    path = tmp_path / "12345.csv"
    path.write_text(
        DISPATCH_HEADER + "\n"
        "GD2018010001,噪音扰民,夜间施工噪音,2018-01-05 09:32:09,甲街道,环境保护,解放路\n"
        'GD2018010002,道路破损,"路面坑洼,影响通行",2018/1/6 10:00,甲街道,市政设施,建设路\n'
        "GD2018010003,占道经营,早市占道,2018-01-07T08:15:00+08:00,乙街道,城市管理,人民路\n",
        encoding="utf-8",
    )
    proc = k.run("import", "fixture-cases", path)
    assert "已导入3个案件" in proc.stdout and "导入配置：12345-dispatch" in proc.stderr
    assert "文件没有处置时限列" in proc.stderr and "结案率" in proc.stderr
    q1 = k.score("fixture-cases", "2018Q1")
    # no closure rate made of cases that cannot be on time or late (it was 0/… for 甲 before): the
    # figures are not fed, and the result says why
    assert any("结案率未由案件计分：2件" in f for f in q1["甲街道"]["flags"])
    assert any("处置核查未由案件计分" in f for f in q1["甲街道"]["flags"])
    assert not any("未由案件计分" in f for f in q1["丙街道"]["flags"])
    assert [c["case_id"] for c in k.json("cases", "fixture-cases", "--period", "2018Q1", "--counted", "untimed")] == [
        "GD2018010003", "GD2018010001", "GD2018010002"]


def test_message_board_needs_its_unit_column(k, tmp_path):
    import openpyxl

    def board(path: Path, extra: list[str]):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(BOARD_HEADER + extra)
        sheet.append([188006, "A000102948", "请加快小区周边道路修缮", dt.datetime(2018, 2, 1, 10, 9, 38),
                      "小区门前道路破损多年", "网友您好，已转交相关部门处理", dt.datetime(2018, 2, 9, 15, 0)] +
                     ["乙街道"] * len(extra))
        book.save(path)

    path = tmp_path / "留言板.xlsx"
    board(path, [])
    proc = k.run("import", "fixture-cases", path, ok=False)
    # the case file's own error, every accepted name for the missing field, one line
    line = proc.stderr.strip().splitlines()[-1]
    assert "案件文件缺少列：责任单位（可用列名：unit、责任单位、单位、处置单位、主责单位、处置部门、承办单位" in line
    assert "--map" in line and "missing unit/单位, indicator" not in proc.stderr
    board(path, ["承办单位"])
    proc = k.run("import", "fixture-cases", path)
    assert "已导入1个案件" in proc.stdout and "导入配置：message-board" in proc.stderr
    case, = k.json("cases", "fixture-cases", "--period", "2018Q1")
    assert (case["case_id"], case["reported_at"], case["closed_at"]) == (
        "188006",
        "2018-02-01 10:09:38",
        "2018-02-09 15:00:00",
    )


def test_unknown_headers_are_named_and_mapped_with_map(k, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("案件编号,责任单位,上报时间,要求完成时间,结案时间,satisfied\n"
                    "M1,甲街道,2018-01-05 09:00:00,2018-01-06 17:00:00,2018-01-06 10:00:00,非常满意\n"
                    "M2,甲街道,2018-01-05 09:00:00,2018-01-06 17:00:00,2018-01-07 10:00:00,未回访\n", encoding="utf-8")
    plain = k.run("import", "fixture-cases", path)
    assert "未使用的列：要求完成时间、satisfied" in plain.stderr and "文件没有处置时限列" in plain.stderr
    mapped = k.run("import", "fixture-cases", path, "--map", "要求完成时间=deadline", "--map", "satisfied=satisfaction")
    assert "已导入0个案件；更新2个，未变0个" in mapped.stdout  # the same cases, now with deadlines
    assert "未使用的列" not in mapped.stderr
    # M1 on time, M2 late → 10 × (1 + 0.3) ÷ 2 = 6.5; 处置核查 6 − 0.1 (M2) = 5.9
    assert k.score("fixture-cases", "2018Q1")["甲街道"]["indicators"] == {"结案率": 6.5, "处置核查": 5.9}
    visited = k.json("cases", "fixture-cases", "--period", "2018Q1", "--counted", "visited")
    assert [(c["case_id"], c["satisfied"]) for c in visited] == [("M1", 1)]  # 未回访 is no visit
    bad = k.run("import", "fixture-cases", path, "--map", "无此列=deadline", ok=False)
    assert "--map 无此列=deadline：文件中没有列“无此列”" in bad.stderr


def test_bad_values_refused_by_row(k, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "案件编号,责任单位,上报时间,处置时限,结案时间,回访满意度\n"
        "B1,甲街道,2018-01-05 09:00:00,2018-01-06 17:00:00,2018-01-04 10:00:00,满意\n"  # closed before reported
        "B2,甲街道,2011-03-05 09:00:00,2011-03-06 17:00:00,,\n"  # outside the scheme's 2018
        "B3,甲街道,2018-01-05 09:00:00,2018-01-06 17:00:00,2018-01-06 10:00:00,还行\n"  # unknown answer
        "B4,乙街道,2018-01-05 09:00:00,2018-01-06 17:00:00,2018-01-06 10:00:00,联系不上\n",
        encoding="utf-8",
    )
    proc = k.run("import", "fixture-cases", path, ok=False)
    assert "第2行：结案时间：2018-01-04 10:00:00 早于上报时间 2018-01-05 09:00:00" in proc.stderr
    assert "第3行：上报时间：2011-03-05 09:00:00 不在本方案的任何考核期间内" in proc.stderr
    assert "第4行：回访满意度：“还行”不是已知的回访结果" in proc.stderr
    assert "未导入任何案件" in proc.stderr
    skipped = k.run("import", "fixture-cases", path, "--skip-invalid")
    assert "已导入1个案件；3行无效已跳过" in skipped.stdout
    rejects = (tmp_path / "bad.rejected.csv").read_text(encoding="utf-8-sig")
    assert "B2" in rejects and "不在本方案的任何考核期间内" in rejects and "B4" not in rejects


def test_a_later_export_updates_cases_by_id(k, tmp_path):
    first = tmp_path / "week1.csv"
    first.write_text("案件编号,责任单位,上报时间,处置时限,结案时间,延期次数\n"
                     "U1,甲街道,2018-01-05 09:00:00,2018-01-20 17:00:00,,0\n"
                     "U2,甲街道,2018-01-06 09:00:00,2018-01-20 17:00:00,,0\n", encoding="utf-8")
    later = tmp_path / "week3.csv"
    later.write_text("案件编号,责任单位,上报时间,处置时限,结案时间,延期次数\n"
                     "U1,甲街道,2018-01-05 09:00:00,2018-01-25 17:00:00,2018-01-24 10:00:00,1\n"
                     "U2,甲街道,2018-01-06 09:00:00,2018-01-20 17:00:00,,0\n", encoding="utf-8")
    k.run("import", "fixture-cases", first)
    # both open past their deadlines at the quarter's end: 结案率 0, 处置核查 6 − 0.2
    assert k.score("fixture-cases", "2018Q1")["甲街道"]["indicators"] == {"结案率": 0, "处置核查": 5.8}
    assert "已导入0个案件；更新1个，未变1个" in k.run("import", "fixture-cases", later).stdout
    # U1 closed in time after one extension: 10 × 0.6 ÷ 2 = 3; U2 still a red light: 5.9
    assert k.score("fixture-cases", "2018Q1")["甲街道"]["indicators"] == {"结案率": 3, "处置核查": 5.9}
    db = sqlite3.connect(k.db)
    old, new = db.execute("SELECT old, new FROM audit WHERE action = 'update-case'").fetchone()
    assert json.loads(old) == {"case_id": "U1", "deadline": "2018-01-20 17:00:00", "closed_at": None, "extensions": 0}
    assert json.loads(new)["closed_at"] == "2018-01-24 10:00:00"
    imports = k.json("cases", "fixture-cases", "--imports")
    assert [(i["id"], i["cases"], i["updated"]) for i in imports] == [(1, 2, 0), (2, 0, 1)]
    assert [c["case_id"] for c in k.json("cases", "fixture-cases", "--import", "2")] == ["U1"]
    refused = k.run("withdraw-import", "fixture-cases", "2", "--reason", "错导", ok=False)
    assert "更新了之前导入的1个案件，不能撤回" in refused.stderr
    # once the quarter is signed off, a later export may not move its cases
    k.run("close", "fixture-cases", "--period", "2018Q1", "--reason", "一季度已签发")
    closing = tmp_path / "week5.csv"
    closing.write_text(
        later.read_text(encoding="utf-8").replace(
            "U2,甲街道,2018-01-06 09:00:00,2018-01-20 17:00:00,,0",
            "U2,甲街道,2018-01-06 09:00:00,2018-01-20 17:00:00,2018-02-01 09:00:00,0",
        ),
        encoding="utf-8",
    )
    proc = k.run("import", "fixture-cases", closing, ok=False)
    assert "第3行：上报时间：2018-01-06 09:00:00 落在已签发关闭的 2018Q1 内" in proc.stderr
    assert k.score("fixture-cases", "2018Q1")["甲街道"]["indicators"] == {"结案率": 3, "处置核查": 5.9}


def test_withdrawing_an_import(k, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("案件编号,责任单位,上报时间,处置时限,结案时间\n"
                    "W1,乙街道,2018-01-05 09:00:00,2018-01-06 17:00:00,2018-01-07 10:00:00\n", encoding="utf-8")
    k.run("import", "fixture-cases", path)
    assert k.score("fixture-cases", "2018Q1")["乙街道"]["indicators"] == {
        "结案率": 3,
        "处置核查": 5.9,
    }  # late: 10 × 0.3
    assert (
        "已撤回导入 1：1个案件" in k.run("withdraw-import", "fixture-cases", "1", "--reason", "导错方案").stdout
    )
    after = k.score("fixture-cases", "2018Q1")["乙街道"]  # as before any import: no platform data, 未录入
    assert after["indicators"] == {"结案率": 0, "处置核查": 6} and "未录入：结案率 2018Q1" in after["flags"]
    db = sqlite3.connect(k.db)
    assert db.execute("SELECT reason FROM audit WHERE action = 'withdraw-case-import'").fetchone() == ("导错方案",)


def test_xls_with_a_two_row_merged_header(k, tmp_path):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("案件")
    sheet.write_merge(0, 0, 0, 5, "2018年第一季度案件统计表")
    sheet.write_merge(1, 2, 0, 0, "案件编号")  # merged down over the two header rows
    sheet.write_merge(1, 2, 1, 1, "责任单位")
    sheet.write_merge(1, 1, 2, 4, "时间")  # a group over three columns
    for j, name in enumerate(["上报时间", "处置时限", "结案时间"], start=2):
        sheet.write(2, j, name)
    sheet.write_merge(1, 2, 5, 5, "延期次数")
    rows = [["X1", "甲街道", "2018-01-05 09:00", "2018-01-06 17:00", "2018-01-06 10:00", 0],
            ["X2", "甲街道", "2018-01-05 09:00", "2018-01-06 17:00", "2018-01-08 10:00", 0]]
    for i, row in enumerate(rows, start=3):
        for j, value in enumerate(row):
            sheet.write(i, j, value)
    path = tmp_path / "案件.xls"
    book.save(str(path))
    assert "已导入2个案件" in k.run("import", "fixture-cases", path).stdout
    # X1 on time, X2 late → 10 × 1.3 ÷ 2 = 6.5; one red light → 5.9
    assert k.score("fixture-cases", "2018Q1")["甲街道"]["indicators"] == {"结案率": 6.5, "处置核查": 5.9}


def test_xlsx_formula_without_a_computed_value_is_refused(k, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["案件编号", "责任单位", "上报时间", "处置时限", "结案时间", "延期次数"])
    sheet.append(["F1", "甲街道", "2018-01-05 09:00", "2018-01-06 17:00", "2018-01-06 10:00", "=1+1"])
    path = tmp_path / "f.xlsx"
    book.save(path)  # openpyxl stores the formula, never its value
    proc = k.run("import", "fixture-cases", path, ok=False)
    assert "第2行，「F」列：公式（=1+1）没有计算结果" in proc.stderr
    assert "Traceback" not in proc.stderr
