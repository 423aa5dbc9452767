"""Issue 15: who takes part in ranks is per year. An office year keeps its own retirements and
its own sample marks (``year_units``): retiring a unit in 2019 leaves 2018's signed results
exactly as signed, and 2019's samples beside real units take no rank."""

from __future__ import annotations

from test_scheme_years import cli, write_csv  # noqa: F401 — the in-process kaohe fixture

CC = "city-coordination"


def business(cli, period: str, unit: str, value: int) -> None:
    """业务考核 for a town, 回访满意率 for a department (each category has its own indicators)."""
    indicator = "回访满意率" if unit.endswith("局") else "业务考核"
    cli("record", CC, "--period", period, "--unit", unit, "--indicator", indicator, "--value", value,
        "--reason", "季度考核")


def test_retiring_a_unit_in_an_office_year_leaves_the_signed_year_and_samples_stay_out(cli, tmp_path):
    # 2018, the document's year: the office's first real town beside the eight sample towns; signed
    cli("import", CC, write_csv(tmp_path / "towns.csv", "单位,类别\n真镇甲,镇（区）、街道"), "--kind", "units")
    for unit, value in (("真镇甲", 90), ("示例镇甲", 80), ("示例镇乙", 70)):
        business(cli, "2018Q1", unit, value)
    cli("close", CC, "--period", "2018", "--reason", "2018年度结果已签字")
    signed = cli.json("score", CC, "--period", "2018Q1")

    # 2019: started from 2018 (the samples keep their mark), the office's own new department
    assert "2019" in cli("scheme", "new-year", CC, "2019").out
    cli("import", CC, write_csv(tmp_path / "dept.csv", "单位,类别\n数据局,区职能部门（单位）"),
        "--kind", "units", "--period", "2019")
    out = cli("units", CC, "--year", "2019", "--retire", "示例镇甲", "--reason", "2019年撤并").out
    assert "示例镇甲" in out
    # retiring twice in the same year is refused; in 2018 示例镇甲 was never retired
    assert "示例镇甲" in cli("units", CC, "--year", "2019", "--retire", "示例镇甲", ok=False).err
    # a unit that only 2019 has can retire too (the document's table does not know it)
    cli("units", CC, "--year", "2019", "--retire", "数据局", "--reason", "2019年并入")

    for unit, value in (("真镇甲", 60), ("示例镇甲", 95), ("示例镇乙", 99), ("数据局", 80), ("城管局", 70)):
        business(cli, "2019Q1", unit, value)
    q1 = {r["unit"]: r for r in cli.json("score", CC, "--period", "2019Q1")}
    # 真镇甲 is the only real, active town: rank 1 of the towns although both samples score higher
    assert q1["真镇甲"]["rank"] == 1
    assert q1["示例镇乙"]["rank"] is None and "示例单位，本类别已有正式单位，不参加排名" in q1["示例镇乙"]["flags"]
    assert q1["示例镇甲"]["rank"] is None and any(f.startswith("已退出排名") for f in q1["示例镇甲"]["flags"])
    assert q1["数据局"]["rank"] is None and any(f.startswith("已退出排名") for f in q1["数据局"]["flags"])
    # 城管局 20 × 70% = 14 + 15 (返工, no case) = 29 against 15 for the other departments: first
    assert q1["城管局"]["rank"] == 1 and q1["城管局"]["total"] == 29
    # a year carried from 2019 keeps 2019's retirements
    cli("scheme", "new-year", CC, "2020")
    business(cli, "2020Q1", "真镇甲", 50)
    q2020 = {r["unit"]: r for r in cli.json("score", CC, "--period", "2020Q1")}
    assert q2020["示例镇甲"]["rank"] is None and any(f.startswith("已退出排名") for f in q2020["示例镇甲"]["flags"])

    # 2018's signed results are exactly as signed: 示例镇甲 was not retired there
    assert cli.json("score", CC, "--period", "2018Q1") == signed
    assert not any(f.startswith("已退出排名") for r in signed for f in r["flags"])
