"""Roles through the CLI, as real OS logins: each refused outside its rights, with a clear
message and nothing written. Needs root (to create the test accounts); skipped otherwise."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
GROUP = "kaohe_office"
ASSESSOR, NOBODY, UNIT = "kaohe_gyk", "kaohe_nobody", "kaohe_dwb"

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("useradd"),
                                reason="creating test OS accounts needs root")


def ensure_account(name: str) -> None:
    try:
        grp.getgrnam(GROUP)
    except KeyError:
        subprocess.run(["groupadd", GROUP], check=True)
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--no-create-home", "-G", GROUP, name], check=True)


@pytest.fixture
def office(tmp_path):
    for name in (ASSESSOR, NOBODY, UNIT):
        ensure_account(name)
    folder = Path(tempfile.mkdtemp(prefix="kaohe-office-", dir="/tmp"))
    os.chmod(folder, 0o770)
    os.chown(folder, -1, grp.getgrnam(GROUP).gr_gid)
    yield folder / "office.db"
    shutil.rmtree(folder, ignore_errors=True)


# The interpreter lives under /root here, which other accounts cannot enter: the child starts as
# root, imports what kaohe needs, then becomes the test account for good (uid, gid, groups)
# before kaohe runs — so kaohe sees a real, different OS login.
AS_USER = """
import os, sys
import kaohe_tui.cli, kaohe_tui.commands, kaohe_tui.scoring, kaohe_tui.report, kaohe_tui.ledger, kaohe_tui.roles
import kaohe_tui.io.exporters, kaohe_tui.io.ledger_import, kaohe_tui.audit, kaohe_tui.lint, rich.console
import kaohe_tui.cases, kaohe_tui.case_import, kaohe_tui.bulk_cases, kaohe_tui.io.units_import, kaohe_tui.units, subprocess, difflib
import json, sqlite3, csv, encodings.gbk, encodings.gb18030, encodings.utf_8_sig, dataclasses
uid, gid, office_gid = (int(x) for x in sys.argv[1:4])
os.setgroups([office_gid]); os.setgid(gid); os.setuid(uid)
sys.exit(kaohe_tui.cli.main(sys.argv[4:]))
"""


def run(db: Path, *args: str, user: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "KAOHE_NO_ENTRY_POINTS": "1", "KAOHE_GROUP": GROUP, "HOME": "/tmp"}
    kaohe_args = ["--db", str(db), "--plugins-dir", str(FIXTURES / "core_plugin"), *args]
    if user is None:
        cmd = [sys.executable, "-m", "kaohe_tui", *kaohe_args]
    else:
        account = pwd.getpwnam(user)
        cmd = [sys.executable, "-c", AS_USER, str(account.pw_uid), str(account.pw_gid), str(grp.getgrnam(GROUP).gr_gid),
               *kaohe_args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)


def record(db: Path, unit: str, user: str | None = None) -> subprocess.CompletedProcess:
    return run(db, "record", "fixture", "--period", "2018", "--unit", unit, "--indicator", "环境卫生",
               "--clause", "dirty", "--reason", "检查", user=user)


def records(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM records").fetchone()[0]


def test_roles_refused_outside_their_rights(office):
    assert run(office, "schemes").returncode == 0  # root creates the database: root administers it
    assert oct(office.stat().st_mode & 0o777) == "0o660"  # the office group may open it
    assert run(office, "grant", ASSESSOR, "--role", "assessor", "--scheme", "fixture", "--section", "公用事业科").returncode == 0
    assert run(office, "grant", UNIT, "--role", "unit", "--scheme", "fixture", "--unit", "党委办").returncode == 0

    # 公用事业科 assesses 侨办（侨联） only
    assert record(office, "侨办(侨联)", user=ASSESSOR).returncode == 0
    refused = record(office, "党委办", user=ASSESSOR)
    assert refused.returncode == 2
    assert refused.stderr.strip() == (f"kaohe: {ASSESSOR} (assessor scheme fixture section 公用事业科) may not record "
                                      "for 党委办 (assessed by 人教科)")
    # a login without a role may change nothing
    nobody = record(office, "侨办(侨联)", user=NOBODY)
    assert nobody.returncode == 2 and f"{NOBODY} has no role" in nobody.stderr
    # a unit may enter its own self-scores only, not ledger records
    assert "may not record for 党委办" in record(office, "党委办", user=UNIT).stderr
    # only an administrator closes periods or grants roles
    assert "may not close" in run(office, "close", "fixture", "--period", "2018", "--reason", "x", user=ASSESSOR).stderr
    assert "may not grant" in run(office, "grant", NOBODY, "--role", "administrator", user=ASSESSOR).stderr
    assert records(office) == 1


def test_closed_period_frozen_until_an_administrator_reopens(office):
    assert record(office, "党委办").returncode == 0
    assert run(office, "close", "fixture", "--period", "2018", "--reason", "年度考核结果已签发").returncode == 0
    refused = record(office, "党委办")
    assert "期间：2018 已签发关闭" in refused.stderr and refused.returncode == 2
    withdraw = run(office, "withdraw", "fixture", "1", "--reason", "x")
    assert "已签发关闭" in withdraw.stderr
    exported = office.parent / "r.json"
    assert run(office, "export", "fixture", "--period", "2018", "--format", "json", "-o", str(exported)).returncode == 0
    assert '"closed": true' in exported.read_text(encoding="utf-8")
    assert run(office, "reopen", "fixture", "--period", "2018", "--reason", "复核更正").returncode == 0
    assert record(office, "财审科").returncode == 0
    history = run(office, "history", "--json").stdout
    assert "年度考核结果已签发" in history and "复核更正" in history and "reopen-period" in history


def test_unit_enters_only_its_own_self_scores(office):
    assert run(office, "grant", UNIT, "--role", "unit", "--scheme", "bureau-departments", "--unit", "党委办").returncode == 0
    assert run(office, "grant", ASSESSOR, "--role", "assessor", "--scheme", "bureau-departments",
               "--section", "公用事业科").returncode == 0

    def self_score(unit: str, user: str):
        return run(office, "self-score", "--period", "2018", "--unit", unit, "--indicator", "工作纪律", "--points", "9",
                   "--reason", "迟到2次", user=user)

    mine = self_score("党办", UNIT)  # its alias
    assert mine.returncode == 0, mine.stderr
    other = self_score("人教科", UNIT)
    assert other.returncode == 2 and f"{UNIT} (unit scheme bureau-departments unit 党委办) may not self-score for 人教科" in other.stderr
    # an assessing section records deductions; it does not write the unit's self-score
    assert "may not self-score for 市政处" in self_score("市政处", ASSESSOR).stderr
    assert record(office, "党委办", user=UNIT).returncode == 2


def test_case_and_unit_imports_need_more_than_a_section(office):
    """Platform cases move every unit's scores, and the unit list decides who is assessed at all:
    an assessor limited to one section may import neither; a scheme-wide assessor may import
    cases; only an administrator replaces units."""
    assert run(office, "schemes").returncode == 0
    assert run(office, "grant", ASSESSOR, "--role", "assessor", "--scheme", "fixture-cases", "--section", "公用事业科").returncode == 0
    assert run(office, "grant", UNIT, "--role", "assessor", "--scheme", "fixture-cases").returncode == 0
    cases = office.parent / "cases.csv"  # in the office folder: the test accounts may read it
    cases.write_text("案件编号,责任单位,来源,上报时间,处置时限,结案时间,延期次数,核查未通过次数,回访满意度\n"
                     "A1,甲街道,巡查,2018-01-03 09:00:00,2018-01-05 17:00:00,2018-01-04 10:00:00,0,0,满意\n",
                     encoding="utf-8")
    units = office.parent / "units.csv"
    units.write_text("单位,类别\n丁街道,街道\n", encoding="utf-8")
    for path in (cases, units):
        os.chmod(path, 0o644)

    refused = run(office, "import", "fixture-cases", str(cases), user=ASSESSOR)
    assert refused.returncode == 2
    assert refused.stderr.strip() == f"kaohe: {ASSESSOR} (assessor scheme fixture-cases section 公用事业科) may not import"
    refused_units = run(office, "import", "fixture-cases", str(units), "--kind", "units", user=UNIT)
    assert refused_units.returncode == 2 and "may not import-units" in refused_units.stderr
    with sqlite3.connect(office) as conn:
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM units WHERE name = '丁街道'").fetchone()[0] == 0

    done = run(office, "import", "fixture-cases", str(cases), user=UNIT)  # scheme-wide assessor
    assert done.returncode == 0, done.stderr
    assert run(office, "import", "fixture-cases", str(units), "--kind", "units").returncode == 0  # root administers
    with sqlite3.connect(office) as conn:
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM units WHERE name = '丁街道'").fetchone()[0] == 1
