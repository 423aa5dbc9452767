"""The built-in plugins act on the office's own years (``kaohe scheme new-year``): their commands
check the period, resolve units and score with the scheme as it stands for the period they act on
(``kaohe_tui.api.scheme_for_period``), not the document's year. Through the real ``kaohe``.

Seed 002 (bureau-departments), 附件2 信息管理 5分: 流程不及时回复影响工作的有一例扣0.5分 (附件5:
会议类通知 3 working hours, 48 hours unsigned = no OA client, deducted twice)."""

from __future__ import annotations

import csv
import sqlite3

from conftest import node, write_csv

BD, DC = "bureau-departments", "district-categories"
NOT_A_PERIOD = ("期间：2020 不是本方案的考核期间（2018）；"
                "新的一年用 `kaohe scheme new-year bureau-departments 2020` 开始")


def start_2019(kaohe) -> None:
    """2019 for bureau-departments: an OA breach costs 1 point (the document: 0.5), and 党委办 is
    renamed 党群工作部 (its old name an alias) — a unit the document's year does not know."""
    kaohe.run("scheme", "new-year", BD, "2019", "--reason", "2019年度")
    kaohe.run("scheme", "set", BD, "--year", "2019", "基础管理/信息管理.clauses.oa.per=1", "--reason", "局务会")
    units = write_csv(kaohe.db.parent / "units.csv", "单位,考核扎口科室,曾用名\n党群工作部,人教科,党委办")
    kaohe.run("import", BD, units, "--kind", "units", "--period", "2019")


def info_management(kaohe, period: str, unit: str) -> float:
    tree = kaohe.json("explain", BD, "--period", period, "--unit", unit)["explanation"]
    return node(tree, "基础管理/信息管理")["points"]


def test_oa_signing_in_an_office_year_uses_that_years_points(kaohe):
    start_2019(kaohe)

    def oa(period: str, *args: str) -> str:
        return kaohe.run("oa-signing", "--period", period, "--unit", "办公室", *args).stdout

    # 2019: a meeting notice signed after 5 working hours: 5 > 3 → late → 1 × 1 = −1
    assert "逾期签收" in oa("2019", "--kind", "meeting", "--hours", "5", "--date", "2019-03-05", "--reason", "会议通知")
    # 2019: a document unsigned after 50 clock hours: 50 > 48 → no client → 1 × 1 × 2 = −2
    assert "未安装客户端" in oa("2019", "--kind", "other", "--hours", "30", "--clock-hours", "50",
                               "--date", "2019-04-02", "--reason", "文件未签收")
    # 信息管理 2019: 5 − 1 − 2 = 2
    assert info_management(kaohe, "2019", "办公室") == 2
    scored = {r["unit"]: r for r in kaohe.json("score", BD, "--period", "2019")}
    assert scored["办公室"]["indicators"]["基础管理"] == 67  # 70 − 1 − 2
    # the same late signing in 2018 keeps the document's 0.5: 5 − 0.5 = 4.5
    oa("2018", "--kind", "meeting", "--hours", "5", "--date", "2018-03-05", "--reason", "会议通知")
    assert info_management(kaohe, "2018", "办公室") == 4.5
    # a year the scheme does not have is refused as before, nothing written
    proc = kaohe.run("oa-signing", "--period", "2020", "--unit", "办公室", "--kind", "meeting", "--hours", "5",
                     "--reason", "x", ok=False)
    assert NOT_A_PERIOD in proc.stderr
    with sqlite3.connect(kaohe.db) as conn:
        assert conn.execute("SELECT count(*) FROM records").fetchone()[0] == 3


def test_bonus_apply_and_approve_in_an_office_year(kaohe):
    start_2019(kaohe)
    # 党群工作部 exists only in 2019's unit list
    out = kaohe.run("bonus", "apply", "--period", "2019", "--unit", "党群工作部", "--project", "省级文明单位",
                    "--certificate", "苏文明〔2019〕1号").stdout
    number = out.split("#")[-1].split("（")[0]
    assert kaohe.run("bonus", "approve", number, "--points", "2", "--opinion", "同意").returncode == 0
    # 特别附加分 2019: the final points, 2
    tree = kaohe.json("explain", BD, "--period", "2019", "--unit", "党群工作部")["explanation"]
    assert node(tree, "特别附加分")["points"] == 2
    listed = kaohe.json("bonus", "list", "--period", "2019")
    assert [(r["unit"], r["state"], r["points"]) for r in listed] == [("党群工作部", "approved", 2)]
    # 2018 knows no 党群工作部 by that name… but 党委办 is 2018's own unit
    proc = kaohe.run("bonus", "apply", "--period", "2020", "--unit", "办公室", "--project", "p",
                     "--certificate", "c", ok=False)
    assert NOT_A_PERIOD in proc.stderr


def test_self_score_in_an_office_year(kaohe):
    start_2019(kaohe)
    out = kaohe.run("self-score", "--period", "2019", "--unit", "党群工作部", "--indicator", "信息管理",
                    "--points", "4", "--reason", "OA逾期一次").stdout
    assert "党群工作部" in out
    with sqlite3.connect(kaohe.db) as conn:
        assert conn.execute("SELECT period, unit, indicator, points FROM bureau_self_scores").fetchall() \
            == [("2019", "党群工作部", "基础管理/信息管理", 4.0)]
    proc = kaohe.run("self-score", "--period", "2020", "--unit", "办公室", "--indicator", "信息管理",
                     "--points", "4", "--reason", "x", ok=False)
    assert NOT_A_PERIOD in proc.stderr


def test_the_score_sheet_export_of_an_office_year(kaohe, tmp_path):
    from python_calamine import CalamineWorkbook

    start_2019(kaohe)
    kaohe.run("oa-signing", "--period", "2019", "--unit", "党群工作部", "--kind", "meeting", "--hours", "5",
              "--date", "2019-03-05", "--reason", "会议通知")
    kaohe.run("self-score", "--period", "2019", "--unit", "党群工作部", "--indicator", "信息管理",
              "--points", "4.5", "--reason", "自认逾期半分")
    out = tmp_path / "bd-2019.xlsx"
    kaohe.run("export", BD, "--period", "2019", "--format", "xlsx", "-o", str(out))
    book = CalamineWorkbook.from_path(str(out))
    rows = book.get_sheet_by_name("党群工作部").to_python()
    info = next(r for r in rows if "信息管理" in [str(c) for c in r])
    # 标准分值 5, 自评分 4.5, 考评分 5 − 1 × 1 = 4
    assert [float(info[2]), float(info[3]), float(info[5])] == [5, 4.5, 4]


def test_district_roster_import_and_list_of_an_office_year(kaohe, tmp_path):
    kaohe.run("scheme", "new-year", DC, "2019", "--reason", "2019年度")
    kaohe.run("import", DC, write_csv(tmp_path / "dc.csv", "单位,类别,挂钩社区\n区数据局,三类,新安社区"),
              "--kind", "units", "--period", "2019")
    # 区数据局 is a unit of 2019 only: its form of 2019 arrived 2019-04-01, before 04-05, stamped
    roster = write_csv(tmp_path / "roster.csv", "单位,角色,姓名,职务,手机,报送日期,盖章\n"
                       "区数据局,分管领导,张三,副局长,13800000000,2019-04-01,是\n"
                       "区数据局,联络员,李四,科员,13900000000,2019-04-01,是")
    assert "名单：已导入2人，报送表2份" in kaohe.run("import", DC, str(roster)).stdout
    out = tmp_path / "roster-2019.csv"
    kaohe.run("export", DC, "--period", "2019", "--what", "roster", "--format", "csv", "-o", str(out))
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    mine = next(r for r in rows if r and r[0] == "区数据局")
    assert mine[1:5] == ["三类", "新安社区", "", "齐全"]
    communities = tmp_path / "communities-2019.csv"
    kaohe.run("export", DC, "--period", "2019", "--what", "communities", "--format", "csv", "-o", str(communities))
    assert any(r[1:3] == ["区数据局", "新安社区"] for r in csv.reader(communities.open(encoding="utf-8-sig")) if r)
