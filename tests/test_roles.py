"""Roles through the CLI, as real OS logins: each refused outside its rights, with a clear
message and nothing written. Needs root (to create the test accounts); skipped otherwise."""

from __future__ import annotations

import os
import sqlite3

from conftest import ASSESSOR, NEEDS_ROOT, NOBODY, UNIT, count_rows, record_as, run_as

pytestmark = NEEDS_ROOT


def test_roles_refused_outside_their_rights(office):
    assert run_as(office, "schemes").returncode == 0  # root creates the database: root administers it
    assert oct(office.stat().st_mode & 0o777) == "0o660"  # the office group may open it
    assert (
        run_as(
            office, "grant", ASSESSOR, "--role", "assessor", "--scheme", "fixture", "--section", "公用事业科"
        ).returncode
        == 0
    )
    assert run_as(office, "grant", UNIT, "--role", "unit", "--scheme", "fixture", "--unit", "党委办").returncode == 0

    # 公用事业科 assesses 侨办（侨联） only
    assert record_as(office, "侨办(侨联)", user=ASSESSOR).returncode == 0
    refused = record_as(office, "党委办", user=ASSESSOR)
    assert refused.returncode == 2
    assert refused.stderr.strip() == (f"kaohe: {ASSESSOR}（assessor，方案 fixture，科室 公用事业科）无权录入记录："
                                      "党委办（扎口科室：人教科）")
    # a login without a role may change nothing
    nobody = record_as(office, "侨办(侨联)", user=NOBODY)
    assert nobody.returncode == 2 and f"{NOBODY} 在 {office} 中没有角色；请管理员授予" in nobody.stderr
    # a unit may enter its own self-scores only, not ledger records
    assert "无权录入记录：党委办" in record_as(office, "党委办", user=UNIT).stderr
    # only an administrator closes periods or grants roles
    assert (
        "无权签发关闭" in run_as(office, "close", "fixture", "--period", "2018", "--reason", "x", user=ASSESSOR).stderr
    )
    assert "无权授予角色" in run_as(office, "grant", NOBODY, "--role", "administrator", user=ASSESSOR).stderr
    assert count_rows(office) == 1


def test_closed_period_frozen_until_an_administrator_reopens(office):
    assert record_as(office, "党委办").returncode == 0
    assert run_as(office, "close", "fixture", "--period", "2018", "--reason", "年度考核结果已签发").returncode == 0
    refused = record_as(office, "党委办")
    assert "期间：2018 已签发关闭" in refused.stderr and refused.returncode == 2
    withdraw = run_as(office, "withdraw", "fixture", "1", "--reason", "x")
    assert "已签发关闭" in withdraw.stderr
    exported = office.parent / "r.json"
    assert (
        run_as(office, "export", "fixture", "--period", "2018", "--format", "json", "-o", str(exported)).returncode == 0
    )
    assert '"closed": true' in exported.read_text(encoding="utf-8")
    assert run_as(office, "reopen", "fixture", "--period", "2018", "--reason", "复核更正").returncode == 0
    assert record_as(office, "财审科").returncode == 0
    history = run_as(office, "history", "--json").stdout
    assert "年度考核结果已签发" in history and "复核更正" in history and "reopen-period" in history


def test_unit_enters_only_its_own_self_scores(office):
    assert (
        run_as(office, "grant", UNIT, "--role", "unit", "--scheme", "bureau-departments", "--unit", "党委办").returncode
        == 0
    )
    assert run_as(office, "grant", ASSESSOR, "--role", "assessor", "--scheme", "bureau-departments",
               "--section", "公用事业科").returncode == 0

    def self_score(unit: str, user: str):
        return run_as(
            office,
            "self-score",
            "--period",
            "2018",
            "--unit",
            unit,
            "--indicator",
            "工作纪律",
            "--points",
            "9",
            "--reason",
            "迟到2次",
            user=user,
        )

    mine = self_score("党办", UNIT)  # its alias
    assert mine.returncode == 0, mine.stderr
    other = self_score("人教科", UNIT)
    assert (
        other.returncode == 2
        and f"{UNIT}（unit，方案 bureau-departments，单位 党委办）无权录入自评分：人教科" in other.stderr
    )
    # an assessing section records deductions; it does not write the unit's self-score
    assert "无权录入自评分：市政处" in self_score("市政处", ASSESSOR).stderr
    assert record_as(office, "党委办", user=UNIT).returncode == 2


def test_case_and_unit_imports_need_more_than_a_section(office):
    """Platform cases move every unit's scores, and the unit list decides who is assessed at all:
    an assessor limited to one section may import neither; a scheme-wide assessor may import
    cases; only an administrator replaces units."""
    assert run_as(office, "schemes").returncode == 0
    assert (
        run_as(
            office, "grant", ASSESSOR, "--role", "assessor", "--scheme", "fixture-cases", "--section", "公用事业科"
        ).returncode
        == 0
    )
    assert run_as(office, "grant", UNIT, "--role", "assessor", "--scheme", "fixture-cases").returncode == 0
    cases = office.parent / "cases.csv"  # in the office folder: the test accounts may read it
    cases.write_text("案件编号,责任单位,来源,上报时间,处置时限,结案时间,延期次数,核查未通过次数,回访满意度\n"
                     "A1,甲街道,巡查,2018-01-03 09:00:00,2018-01-05 17:00:00,2018-01-04 10:00:00,0,0,满意\n",
                     encoding="utf-8")
    units = office.parent / "units.csv"
    units.write_text("单位,类别\n丁街道,街道\n", encoding="utf-8")
    for path in (cases, units):
        os.chmod(path, 0o644)

    refused = run_as(office, "import", "fixture-cases", str(cases), user=ASSESSOR)
    assert refused.returncode == 2
    assert (
        refused.stderr.strip() == f"kaohe: {ASSESSOR}（assessor，方案 fixture-cases，科室 公用事业科）无权导入"
    )
    refused_units = run_as(office, "import", "fixture-cases", str(units), "--kind", "units", user=UNIT)
    assert refused_units.returncode == 2 and "无权导入单位" in refused_units.stderr
    with sqlite3.connect(office) as conn:
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM units WHERE name = '丁街道'").fetchone()[0] == 0

    done = run_as(office, "import", "fixture-cases", str(cases), user=UNIT)  # scheme-wide assessor
    assert done.returncode == 0, done.stderr
    assert run_as(office, "import", "fixture-cases", str(units), "--kind", "units").returncode == 0  # root administers
    with sqlite3.connect(office) as conn:
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM units WHERE name = '丁街道'").fetchone()[0] == 1
