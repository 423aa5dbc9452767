"""Seed 002's two lists of who assesses what, with real OS logins: 附件1 (考核扎口分工表) names the
section that collects each unit's sheet; 附件2 names, for each content, the 考核责任科室 that
assesses it for every unit (信息管理: 办公室; 工作纪律: 人教科、党委办; 普法综治: 政策法规科).
A section records an indicator only where 附件2 makes it responsible; where 附件2 names nobody
(重点指标扣分), the unit's 扎口科室 of 附件1 does. Needs root (test accounts)."""

from __future__ import annotations

import sqlite3

from conftest import ASSESSOR, NEEDS_ROOT, NOBODY, UNIT, ensure_account
from conftest import run_as as run

BD = "bureau-departments"
OFFICE_SECTION = "kaohe_bgs"  # a login for 办公室
pytestmark = NEEDS_ROOT


def record(db, unit: str, indicator: str, clause: str, user: str, **extra):
    args = ["record", BD, "--period", "2018", "--unit", unit, "--indicator", indicator, "--clause", clause,
            "--reason", "检查发现", "--date", "2018-03-01"]
    for key, value in extra.items():
        args += [f"--{key}", str(value)]
    return run(db, *args, user=user)


def test_assessing_rights_follow_both_attachments(office):
    ensure_account(OFFICE_SECTION)
    assert run(office, "schemes").returncode == 0
    for login, section in ((ASSESSOR, "公用事业科"), (OFFICE_SECTION, "办公室"), (NOBODY, "法规科")):
        assert run(office, "grant", login, "--role", "assessor", "--scheme", BD, "--section", section).returncode == 0

    # 附件2 3、信息管理 → 办公室, for every unit: 市政处 is 公用事业科's to collect (附件1), not to assess here
    done = record(office, "市政处", "信息管理", "oa", OFFICE_SECTION)
    assert done.returncode == 0, done.stderr  # before: refused, 办公室 assessed no unit
    refused = record(office, "市政处", "信息管理", "oa", ASSESSOR)
    assert refused.returncode == 2  # before: accepted
    assert refused.stderr.strip() == (f"kaohe: {ASSESSOR}（assessor，方案 {BD}，科室 公用事业科）无权录入记录："
                                      "市政处 基础管理/信息管理（考核责任科室：办公室）")
    # 6、工作纪律 → 人教科、党委办: not 办公室
    assert "（考核责任科室：人教科、党委办）" in record(office, "市政处", "工作纪律", "absent", OFFICE_SECTION).stderr
    # 7、普法综治 → 政策法规科, which 附件2 also writes 法规科 (10、工作效率)
    assert record(office, "房管处", "普法综治", "no-activity-ledger", NOBODY).returncode == 0
    # 重点指标扣分: 附件2 names nobody → the unit's 扎口科室 (附件1: 市政处 → 公用事业科)
    assert record(office, "市政处", "重点指标扣分", "key-indicator", ASSESSOR, amount=1).returncode == 0
    assert "（扎口科室：公用事业科）" in record(office, "市政处", "重点指标扣分", "key-indicator", OFFICE_SECTION,
                                                amount=1).stderr
    with sqlite3.connect(office) as conn:
        rows = conn.execute("SELECT id, unit, indicator FROM records ORDER BY id").fetchall()
    assert [r[1:] for r in rows] == [("市政处", "基础管理/信息管理"), ("房管处", "基础管理/普法综治"),
                                     ("市政处", "重点指标扣分")]
    # withdrawing follows the same rights: 公用事业科 may not withdraw 办公室's 信息管理 record, 办公室 may
    assert "无权撤回记录" in run(office, "withdraw", BD, str(rows[0][0]), "--reason", "x", user=ASSESSOR).stderr
    assert run(office, "withdraw", BD, str(rows[0][0]), "--reason", "录错", user=OFFICE_SECTION).returncode == 0


def test_bonus_applications_follow_roles(office):
    assert run(office, "schemes").returncode == 0
    assert run(office, "grant", UNIT, "--role", "unit", "--scheme", BD, "--unit", "党委办").returncode == 0
    granted = run(office, "grant", ASSESSOR, "--role", "assessor", "--scheme", BD, "--section", "公用事业科")
    assert granted.returncode == 0

    def apply(unit, user):
        return run(office, "bonus", "apply", "--period", "2018", "--unit", unit, "--project", "省级表彰",
                   "--certificate", "证书1", user=user)
    # 附件6: the unit applies (申报单位（印章）) — for itself only (before: anyone, for any unit)
    assert apply("党委办", UNIT).returncode == 0
    refused = apply("人教科", UNIT)
    assert refused.returncode == 2 and "无权申报附加分：人教科" in refused.stderr
    # 局分管领导意见、最终赋分: an administrator's decision, not an assessing section's
    refused = run(office, "bonus", "approve", "1", "--points", "2", "--opinion", "同意", user=ASSESSOR)
    assert refused.returncode == 2 and "无权审批附加分" in refused.stderr
    assert "无权审批附加分" in run(office, "bonus", "reject", "1", "--opinion", "否", user=UNIT).stderr
    with sqlite3.connect(office) as conn:
        assert conn.execute("SELECT count(*) FROM records").fetchone()[0] == 0
        assert conn.execute("SELECT state FROM bureau_bonus_applications").fetchall() == [("pending",)]
    # root administers
    assert run(office, "bonus", "approve", "1", "--points", "2", "--opinion", "同意").returncode == 0
