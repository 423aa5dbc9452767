"""Issue 15: the second year. An office starts 2019 for each scheme from its last year, with its
own units and its own parameters, kept in the database; the document's year stays as signed.
Everything through the real ``kaohe`` command."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import node, write_csv


def explain(kaohe, scheme: str, period: str, unit: str) -> dict:
    return kaohe.json("explain", scheme, "--period", period, "--unit", unit)


def test_office_starts_2019_for_every_scheme_and_the_signed_year_stays(kaohe, tmp_path):
    # -- the document's years, recorded and signed ------------------------------------------------
    kaohe.record("bureau-departments", period="2018-03", unit="党办", indicator="工作纪律", clause="late-early",
                 count=2, reason="2018年3月迟到两次")
    kaohe.record("street-linkage", period="2012", unit=kaohe.json("units", "street-linkage")[0]["name"],
                 indicator="采集数统计", clause="actual", value=1000, reason="2012年实际采集数")
    kaohe.record(
        "city-coordination",
        period="2018Q1",
        unit="示例镇甲",
        indicator="按期结案率",
        clause="on_time",
        count=8,
        reason="一季度按时结案",
    )
    kaohe.record("district-categories", period="2017", unit=three_class_unit(kaohe), indicator="年度扣分",
                 clause="shortfall", amount=0.2, reason="2017年度志愿活动不足")
    signed_years = {"bureau-departments": "2018", "street-linkage": "2012", "city-coordination": "2018",
                    "district-categories": "2017"}
    before = {s: kaohe.json("score", s, "--period", y) for s, y in signed_years.items()}
    for scheme, year in signed_years.items():
        kaohe.run("close", scheme, "--period", year, "--reason", f"{year}年度结果已签字")

    # -- 2019: a new year for each scheme, carried from its last year --------------------------------
    for scheme in signed_years:
        out = kaohe.run("scheme", "new-year", scheme, "2019").stdout
        assert f"已开始 {scheme} 2019年（沿用{signed_years[scheme]}年）" in out
    years = {r["id"]: [(y["year"], y["kind"]) for y in r["years"]] for r in kaohe.json("schemes")}
    assert years["bureau-departments"] == [(2018, "document"), (2019, "office")]
    assert years["street-linkage"] == [(2012, "document"), (2019, "office")]
    assert "2019（办公室）" in kaohe.run("schemes").stdout

    # bureau-departments: 党委办 is renamed 党群工作部 (its old names stay aliases); 迟到早退 costs 1
    kaohe.run(
        "import",
        "bureau-departments",
        write_csv(tmp_path / "bd.csv", "单位,考核扎口科室,曾用名\n党群工作部,人教科,党委办"),
        "--kind",
        "units",
        "--period",
        "2019",
    )
    kaohe.run("scheme", "set", "bureau-departments", "--year", "2019", "基础管理/工作纪律.clauses.late-early.per=1",
              "--reason", "2019年局务会：迟到早退每次扣1分")
    kaohe.record("bureau-departments", period="2019-03", unit="党办", indicator="工作纪律", clause="late-early",
                 count=2, reason="2019年3月迟到两次")
    bd = explain(kaohe, "bureau-departments", "2019", "党群工作部")
    assert node(bd["explanation"], "基础管理/工作纪律")["points"] == 8  # 10 − 2 × 1 (the document: 2 × 0.5)

    # street-linkage: the district's real towns replace the 13 samples; the district figure is the office's
    kaohe.run("import", "street-linkage", write_csv(tmp_path / "sl.csv", "单位,实有工作站\n七宝镇,12\n莘庄镇,18"),
              "--kind", "units", "--period", "2019")
    assert [u["name"] for u in kaohe.json("units", "street-linkage", "--year", "2019")] == ["七宝镇", "莘庄镇"]
    kaohe.run("scheme", "set", "street-linkage", "--year", "2019",
              "社区巡管基础信息情况统计/采集数统计.params.district_total=60000", "--reason", "2018年全区新增采集总数")
    kaohe.record("street-linkage", period="2019", unit="七宝镇", indicator="采集数统计", clause="actual", value=2000,
                 reason="2019年实际采集数")
    sl = explain(kaohe, "street-linkage", "2019", "七宝镇")
    # expected = 60000 ÷ 324 × 12 = 2222.2…; 9 × 2000 ÷ 2222.2… = 9 × 2000 × 324 ÷ 720000 = 8.1
    # (with the document's 48600: expected 1800, 2000 ≥ 1800 → the full 9)
    assert node(sl["explanation"], "社区巡管基础信息情况统计/采集数统计")["points"] == 8.1

    # city-coordination: real towns replace the sample towns (the 12 departments stay); extended cases weigh 0.5
    kaohe.run(
        "import",
        "city-coordination",
        write_csv(tmp_path / "cc.csv", "单位,类别\n横泾街道,镇（区）、街道\n越溪街道,镇街"),
        "--kind",
        "units",
        "--period",
        "2019",
    )
    cc_units = kaohe.json("units", "city-coordination", "--year", "2019")
    assert [u["name"] for u in cc_units if u["category"] == "镇（区）、街道"] == ["横泾街道", "越溪街道"]
    assert len(cc_units) == 14
    kaohe.run("scheme", "set", "city-coordination", "--year", "2019",
              "数字城管考评/按期结案率.params.weights.extended=0.5", "--reason", "2019年区数字城管考评办法")
    for clause, count in (("on_time", 8), ("extended", 2), ("due", 10)):
        kaohe.record("city-coordination", period="2019Q1", unit="横泾街道", indicator="按期结案率", clause=clause,
                     count=count, reason="一季度结案统计")
    cc = explain(kaohe, "city-coordination", "2019Q1", "横泾街道")
    assert node(cc["explanation"], "数字城管考评/按期结案率")["points"] == 10.8  # 12 × (8 + 2 × 0.5) ÷ 10

    # district-categories: a new 三类 unit; the 三类 annual value is 0.6 (its parts changed with it)
    kaohe.run("import", "district-categories", write_csv(tmp_path / "dc.csv", "单位,类别\n区数据局,三类"),
              "--kind", "units", "--period", "2019")
    kaohe.run("scheme", "set", "district-categories", "--year", "2019", "[三类].value=0.6", "[三类].total=0.6",
              "[三类]年度扣分.points=0.6", "--reason", "2019年三类年度分值调为0.6分")
    kaohe.record("district-categories", period="2019", unit="区数据局", indicator="年度扣分", clause="shortfall",
                 amount=0.3, reason="2019年度志愿活动不足")
    dc = {r["unit"]: r for r in kaohe.json("score", "district-categories", "--period", "2019")}
    assert dc["区数据局"]["indicators"]["年度扣分"] == 0.3  # 0.6 − 0.3

    # -- exports of 2019 hold the 2019 figures -------------------------------------------------------
    for scheme in signed_years:
        out = tmp_path / f"{scheme}-2019.json"
        kaohe.run("export", scheme, "--period", "2019", "--format", "json", "-o", out)
        assert out.exists()
    exported = json.loads((tmp_path / "district-categories-2019.json").read_text(encoding="utf-8"))
    assert "区数据局" in json.dumps(exported, ensure_ascii=False)

    # -- the signed years are exactly as signed ------------------------------------------------------
    after = {s: kaohe.json("score", s, "--period", y) for s, y in signed_years.items()}
    assert after == before
    # and `kaohe rules` says what changed for 2019, old → new
    rules = kaohe.run("rules", "bureau-departments").stdout
    assert "2019年调整（第1版）：基础管理/工作纪律.clauses.late-early.per：0.5 → 1" in rules


def three_class_unit(kaohe) -> str:
    return next(u["name"] for u in kaohe.json("units", "district-categories") if u["category"] == "三类")


# -- the pieces, in-process (same CLI, faster) ---------------------------------------------------------
def audit_rows(db_path: Path, action: str) -> list[dict]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute("SELECT * FROM audit WHERE action = ? ORDER BY id", [action])]
    conn.close()
    return rows


def test_a_change_that_breaks_a_declared_total_is_refused_and_nothing_is_written(cli, db_path):
    cli("scheme", "new-year", "bureau-departments", "2019")
    err = cli(
        "scheme",
        "set",
        "bureau-departments",
        "--year",
        "2019",
        "基础管理/工作纪律.points=12",
        "--reason",
        "加重纪律",
        ok=False,
    ).err
    assert err.strip() == ("kaohe: 检查未通过：错误：bureau-departments 基础管理：下级合计72分，本项70分；"
                           "未作任何修改——请把各项和它们的合计一起修改")
    assert audit_rows(db_path, "scheme-set") == []
    # the parts and their total together: 工作纪律 12, 工作效率 8 → 基础管理 still 70
    out = cli("scheme", "set", "bureau-departments", "--year", "2019", "基础管理/工作纪律.points=12",
              "基础管理/工作效率.points=8", "--reason", "2019年局务会：纪律加重").out
    assert "2019年已调整：基础管理/工作纪律.points：10 → 12" in out
    assert "2019年已调整：基础管理/工作效率.points：10 → 8" in out
    (row,) = audit_rows(db_path, "scheme-set")
    assert json.loads(row["old"]) == {"year": 2019, "基础管理/工作纪律.points": 10, "基础管理/工作效率.points": 10}
    assert json.loads(row["new"]) == {"year": 2019, "version": 1, "基础管理/工作纪律.points": 12,
                                      "基础管理/工作效率.points": 8}
    assert row["reason"] == "2019年局务会：纪律加重"
    tree = cli.json("rules", "bureau-departments", "--year", "2019")
    basics = next(n for n in tree["trees"][0]["indicators"] if n["name"] == "基础管理")
    assert {c["name"]: c["points"] for c in basics["children"]}["工作纪律"] == 12
    # the built-in scheme (the document's year) is untouched
    document = cli.json("rules", "bureau-departments")
    basics = next(n for n in document["trees"][0]["indicators"] if n["name"] == "基础管理")
    assert {c["name"]: c["points"] for c in basics["children"]}["工作纪律"] == 10


@pytest.mark.parametrize("pair, message", [
    ("基础管理/工作纪律.points=NaN", "基础管理/工作纪律.points：“NaN”不是有限的数"),
    ("基础管理/工作纪律.points=Infinity", "“Infinity”不是有限的数"),
    ("基础管理/工作纪律.points=十", "“十”不是数字"),
    ("基础管理/工作纪律.clauses.late-early.per=-1", "负值会改变规则的含义"),
    ("基础管理/工作纪律.clauses.no-such.per=1", "不是 bureau-departments 的参数"),
    ("基础管理/工作纪律.rule=sum", "不是 bureau-departments 的参数"),
    ("unit[办公室].信息报送标准=3", "文件年份的单位按文件，不能调整"),
    ("工作纪律", "请写成 参数=值"),
])
def test_bad_parameter_changes_say_which_key_and_why(cli, db_path, pair, message):
    err = cli("scheme", "set", "bureau-departments", "--year", "2018", pair, "--reason", "试", ok=False).err
    assert message in err and err.count("\n") == 1
    assert audit_rows(db_path, "scheme-set") == []


def test_a_year_must_be_started_before_it_is_used(cli):
    err = cli("scheme", "set", "bureau-departments", "--year", "2020", "total=100", "--reason", "x", ok=False).err
    assert (
        "年份：bureau-departments 没有2020年（已有：2018）；先开始这一年：kaohe scheme new-year bureau-departments 2020"
        in err
    )
    err = cli("record", "bureau-departments", "--period", "2020-01", "--unit", "党办", "--indicator", "工作纪律",
              "--clause", "absent", "--reason", "x", ok=False).err
    assert "2020-01" in err and "kaohe scheme new-year bureau-departments 2020" in err
    assert "2018年是文件本身的年份" in cli("scheme", "new-year", "bureau-departments", "2018", ok=False).err
    assert "在2017年之前没有可沿用的年份" in cli("scheme", "new-year", "bureau-departments", "2017", ok=False).err
    cli("scheme", "new-year", "bureau-departments", "2019")
    assert "2019年已经开始" in cli("scheme", "new-year", "bureau-departments", "2019", ok=False).err


def test_a_new_year_carries_last_years_changes_units_and_aliases(cli):
    cli("scheme", "new-year", "bureau-departments", "2019")
    cli("scheme", "set", "bureau-departments", "--year", "2019", "unit[办公室].信息报送标准=3",
        "基础管理/工作纪律.clauses.absent.per=2", "--reason", "2019年标准")
    out = cli("scheme", "new-year", "bureau-departments", "2020").out
    assert "已开始 bureau-departments 2020年（沿用2019年）：19个单位，2个调整过的参数" in out
    params = {p["key"]: p for p in cli.json("scheme", "params", "bureau-departments", "--year", "2020", "--changed")}
    assert params["基础管理/工作纪律.clauses.absent.per"]["value"] == 2
    assert params["基础管理/工作纪律.clauses.absent.per"]["document"] == 1
    units = {u["name"]: u for u in cli.json("units", "bureau-departments", "--year", "2020")}
    assert units["办公室"]["attrs"]["信息报送标准"] == "3"
    assert "党办" in units["党委办"]["aliases"]  # the document's alias travels with the unit
    assert units["党委办"]["assessed_by"] == "人教科"
    # the document's year keeps the document's standard
    units_2018 = {u["name"]: u for u in cli.json("units", "bureau-departments")}
    assert units_2018["办公室"]["attrs"]["信息报送标准"] != "3"


def test_a_closed_period_keeps_the_parameters_it_was_signed_under(cli, db_path):
    from kaohe_tui.scheme_years import version_info
    from kaohe_tui.store import Store

    cli("scheme", "new-year", "bureau-departments", "2019")
    for month in ("2019-02", "2019-05"):
        cli("record", "bureau-departments", "--period", month, "--unit", "党办", "--indicator", "工作纪律",
            "--clause", "absent", "--reason", "旷工一次")

    def discipline(period: str) -> float:
        result = cli.json("explain", "bureau-departments", "--period", period, "--unit", "党委办")
        return node(result["explanation"], "基础管理/工作纪律")["points"]

    assert discipline("2019Q1") == 9  # 10 − 1
    cli("close", "bureau-departments", "--period", "2019Q1", "--reason", "一季度结果签字")
    out = cli("scheme", "set", "bureau-departments", "--year", "2019", "基础管理/工作纪律.clauses.absent.per=3",
              "--reason", "二季度起旷工每次扣3分").out
    assert "已签发关闭的 2019Q1 仍按签发时的版本计分" in out
    assert discipline("2019Q1") == 9  # signed under version 0: still 10 − 1
    assert discipline("2019Q2") == 7  # version 1: 10 − 3
    cli("reopen", "bureau-departments", "--period", "2019Q1", "--reason", "更正")
    assert discipline("2019Q1") == 7  # reopened: the version now in force
    cli("close", "bureau-departments", "--period", "2019Q1", "--reason", "重新签字")
    cli(
        "scheme",
        "set",
        "bureau-departments",
        "--year",
        "2019",
        "基础管理/工作纪律.clauses.absent.per=4",
        "--reason",
        "再调",
    )
    assert discipline("2019Q1") == 7  # signed again under version 1
    # what the sign-off snapshot records with it
    info = version_info(Store(db_path), "bureau-departments", "2019Q1")
    assert info == {"scheme": "bureau-departments", "year": 2019, "kind": "office", "version": 1,
                    "parameters": {"基础管理/工作纪律.clauses.absent.per": 3.0}}


def test_a_renamed_unit_keeps_its_old_names_but_not_within_a_year_it_has_records(cli, tmp_path):
    cli("scheme", "new-year", "bureau-departments", "2019")
    cli("record", "bureau-departments", "--period", "2019-01", "--unit", "党办", "--indicator", "工作纪律",
        "--clause", "absent", "--reason", "旷工一次")
    rename = write_csv(tmp_path / "rename.csv", "单位,考核扎口科室,曾用名\n党群工作部,人教科,党委办")
    err = cli("import", "bureau-departments", rename, "--kind", "units", "--period", "2019", ok=False).err
    assert "党委办 2019年已有1条记录；改名或合并从下一年起生效" in err
    assert "党委办" in {u["name"] for u in cli.json("units", "bureau-departments", "--year", "2019")}
    cli("scheme", "new-year", "bureau-departments", "2020")
    out = cli("import", "bureau-departments", rename, "--kind", "units", "--period", "2020").out
    assert "单位：新增1个，更新0个，改名或合并1个" in out
    units = {u["name"]: u for u in cli.json("units", "bureau-departments", "--year", "2020")}
    assert "党委办" not in units and units["党群工作部"]["aliases"] == ["党委办", "党办"]
    assert len(units) == 19


def test_target_lists_seed_003_is_city_management_bureaus_list_and_offices_import_their_own(cli, tmp_path, db_path):
    listed = cli.json("scheme", "targets", "city-coordination", "--unit", "城管局")
    assert [r["number"] for r in listed] == list(range(1, 20))
    assert round(sum(r["points"] for r in listed), 6) == 30  # 15 × 1.6 + 4 × 1.5
    assert listed[6]["task"] == "整合数字执法平台" and listed[6]["indicator"] == "目标责任书"
    cli("scheme", "new-year", "city-coordination", "2019")
    assert len(cli.json("scheme", "targets", "city-coordination", "--year", "2019", "--unit", "城管局")) == 19
    # an office's own list for 住建局 in 2019: the header says what it is (--kind auto finds it)
    short = write_csv(tmp_path / "short.csv", "单位,序号,任务,分值\n住建局,1,老旧小区改造,20\n住建局,2,海绵城市建设,8")
    err = cli("import", "city-coordination", short, "--period", "2019", ok=False).err
    assert "住建局 目标责任书：各项合计28分，该指标30分" in err and "未导入任何内容" in err
    bad = write_csv(tmp_path / "bad.csv", "单位,序号,任务,分值\n住房局,1,老旧小区改造,30\n住建局,2,海绵城市建设,NaN")
    err = cli("import", "city-coordination", bad, "--period", "2019", "--kind", "targets", ok=False).err
    assert "bad.csv：第2行：单位" in err and "住房局" in err
    assert "bad.csv：第3行：分值：“NaN”须为不小于0的数" in err
    good = write_csv(
        tmp_path / "good.csv", "单位,序号,主题,任务,分值\n住建局,1,民生,老旧小区改造,20\n住建局,2,生态,海绵城市建设,10"
    )
    assert "目标责任书：2019年1个单位共2项" in cli("import", "city-coordination", good, "--period", "2019").out
    own = cli.json("scheme", "targets", "city-coordination", "--year", "2019", "--unit", "住建局")
    assert [(r["number"], r["task"], r["points"]) for r in own] == [(1, "老旧小区改造", 20), (2, "海绵城市建设", 10)]
    assert cli.json("scheme", "targets", "city-coordination", "--year", "2018", "--unit", "住建局") == []
    assert len(audit_rows(db_path, "import-targets")) == 1


def test_a_run_of_last_places_crosses_into_the_new_year_and_follows_a_renamed_unit(cli, tmp_path):
    cli("demo", "city-coordination")  # 2018: 示例镇丁 last in Q2, Q3 and Q4 (see plugins/city_coordination/demo.py)
    cli("scheme", "new-year", "city-coordination", "2019")
    towns = ["示例镇甲", "示例镇乙", "示例镇丙", "示例开发区", "示例街道甲", "示例街道乙", "示例街道丙"]
    listing = "单位,类别,曾用名\n" + "".join(f"{t},镇街,\n" for t in towns) + "丁镇,镇街,示例镇丁"
    cli(
        "import", "city-coordination", write_csv(tmp_path / "towns.csv", listing), "--kind", "units", "--period", "2019"
    )
    for i, town in enumerate([*towns, "丁镇"]):
        cli("record", "city-coordination", "--period", "2019Q1", "--unit", town, "--indicator", "业务考核",
            "--value", 90 - i, "--reason", "一季度业务考核")  # 丁镇 last with 83
    q1 = {r["unit"]: r for r in cli.json("score", "city-coordination", "--period", "2019Q1")}
    # 2018Q2, 2018Q3, 2018Q4 and 2019Q1 in a row: four ≥ three → 约谈; the count of 2019 alone is one
    assert "约谈相关负责人（末位：2018Q2、2018Q3、2018Q4、2019Q1）" in q1["丁镇"]["flags"]
    assert not any(f.startswith("通报批评") for f in q1["丁镇"]["flags"])
    # 示例街道丙 was last in 2018Q1 only, and is not last now: nothing
    assert not any(f.startswith("约谈") for f in q1["示例街道丙"]["flags"])


def test_a_ledger_file_of_an_office_year_is_checked_against_that_year(cli, tmp_path):
    cli("scheme", "new-year", "bureau-departments", "2019")
    cli(
        "import",
        "bureau-departments",
        write_csv(tmp_path / "u.csv", "单位,考核扎口科室,曾用名\n党群工作部,人教科,党委办"),
        "--kind",
        "units",
        "--period",
        "2019",
    )
    rows = write_csv(
        tmp_path / "ledger.csv",
        "单位,指标,条款,次数,期间,事由\n党群工作部,工作纪律,absent,1,2019-04,旷工一次\n"
        "党办,工作纪律,absent,1,2019-05,旷工一次",
    )
    assert "已导入2条记录" in cli("import", "bureau-departments", rows).out
    assert {r["unit"] for r in cli.json("ledger", "bureau-departments", "--period", "2019")} == {"党群工作部"}
    mixed = write_csv(tmp_path / "mixed.csv", "单位,指标,条款,次数,期间,事由\n党委办,工作纪律,absent,1,2018-04,旷工\n"
                                              "党群工作部,工作纪律,absent,1,2019-04,旷工")
    err = cli("import", "bureau-departments", mixed, ok=False).err
    assert "mixed.csv：第3行" in err and "2019-04" in err and "未导入任何记录" in err
