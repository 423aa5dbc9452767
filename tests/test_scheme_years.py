"""Issue 15: the second year. An office starts 2019 for each scheme from its last year, with its
own units and its own parameters, kept in the database; the document's year stays as signed.
Everything through the real ``kaohe`` command."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text.strip() + "\n", encoding="utf-8")
    return path


def node(tree: list[dict], path: str) -> dict:
    for item in tree:
        if item["path"] == path:
            return item
        found = node(item["children"], path) if item["children"] else None
        if found:
            return found
    return {}


def explain(kaohe, scheme: str, period: str, unit: str) -> dict:
    return kaohe.json("explain", scheme, "--period", period, "--unit", unit)


def test_office_starts_2019_for_every_scheme_and_the_signed_year_stays(kaohe, tmp_path):
    # -- the document's years, recorded and signed ------------------------------------------------
    kaohe.record("bureau-departments", period="2018-03", unit="党办", indicator="工作纪律", clause="late-early",
                 count=2, reason="2018年3月迟到两次")
    kaohe.record("street-linkage", period="2012", unit=kaohe.json("units", "street-linkage")[0]["name"],
                 indicator="采集数统计", clause="actual", value=1000, reason="2012年实际采集数")
    kaohe.record("city-coordination", period="2018Q1", unit="示例镇甲", indicator="按期结案率", clause="on_time", count=8,
                 reason="一季度按时结案")
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
        assert f"started {scheme} 2019 from {signed_years[scheme]}" in out
    years = {r["id"]: [(y["year"], y["kind"]) for y in r["years"]] for r in kaohe.json("schemes")}
    assert years["bureau-departments"] == [(2018, "document"), (2019, "office")]
    assert years["street-linkage"] == [(2012, "document"), (2019, "office")]
    assert "2019（办公室）" in kaohe.run("schemes").stdout

    # bureau-departments: 党委办 is renamed 党群工作部 (its old names stay aliases); 迟到早退 costs 1
    kaohe.run("import", "bureau-departments", write_csv(tmp_path / "bd.csv", "单位,考核扎口科室,曾用名\n党群工作部,人教科,党委办"),
              "--kind", "units", "--period", "2019")
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
    kaohe.run("import", "city-coordination", write_csv(tmp_path / "cc.csv", "单位,类别\n横泾街道,镇（区）、街道\n越溪街道,镇街"),
              "--kind", "units", "--period", "2019")
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
    assert "changed for 2019 (v1): 基础管理/工作纪律.clauses.late-early.per: 0.5 → 1" in rules


def three_class_unit(kaohe) -> str:
    return next(u["name"] for u in kaohe.json("units", "district-categories") if u["category"] == "三类")
