"""Restoring a backup replaces every figure in the office: only an administrator may, and the
restored database says so (an audit line naming the backup and its SHA-256). An older database,
from before roles, is administered by the owner of its file — not by whoever opens it first.
Real OS logins; needs root."""

from __future__ import annotations

import grp
import hashlib
import json
import os
import pwd
from pathlib import Path

from conftest import ASSESSOR, GROUP, NEEDS_ROOT, NOBODY, UNIT, count_rows, ensure_account, record_as, run_as

pytestmark = NEEDS_ROOT


def count(db: Path, table: str) -> int:
    return count_rows(db, f"SELECT count(*) FROM {table}")


def test_only_an_administrator_restores_and_the_restore_is_audited(office):
    assert record_as(office, "党委办").returncode == 0
    backup = office.parent / "monday.db"
    assert run_as(office, "backup", str(backup)).returncode == 0
    os.chmod(backup, 0o644)  # the assessor can read it: only the role stops them
    assert (
        run_as(office, "grant", ASSESSOR, "--role", "assessor", "--scheme", "fixture", "--section", "人教科").returncode
        == 0
    )
    assert record_as(office, "财审科").returncode == 0
    audit_before = count(office, "audit")

    refused = run_as(office, "restore", str(backup), user=ASSESSOR)
    assert refused.returncode == 2, refused.stderr
    assert refused.stderr.strip().startswith(f"kaohe: {ASSESSOR}（assessor") and "无权恢复数据库" in refused.stderr
    assert count(office, "records") == 2 and count(office, "audit") == audit_before
    assert run_as(office, "restore", str(backup), user=NOBODY).returncode == 2  # no role at all
    assert count(office, "records") == 2

    done = run_as(office, "restore", str(backup), "--reason", "周一备份：误导入后恢复")
    assert done.returncode == 0, done.stderr
    assert count(office, "records") == 1
    digest = hashlib.sha256(backup.read_bytes()).hexdigest()
    lines = [r for r in json.loads(run_as(office, "history", "--json").stdout) if r["action"] == "restore"]
    assert len(lines) == 1  # written into the restored database: it survives the restore
    assert lines[0]["user"] == "root" and lines[0]["reason"] == "周一备份：误导入后恢复"
    assert json.loads(lines[0]["new"]) == {"backup": str(backup), "sha256": digest}


def test_older_database_is_administered_by_its_file_owner(office):
    """Made before roles existed (migrations up to m003), owned by UNIT's login; NOBODY, a member
    of the office group, opens it first."""
    from sqlite_utils import Database

    from kaohe_tui.migrations import core

    ensure_account(UNIT)
    db = Database(office)
    core().apply(db, stop_before="m003_roles")
    db.conn.close()
    os.chown(office, pwd.getpwnam(UNIT).pw_uid, grp.getgrnam(GROUP).gr_gid)
    os.chmod(office, 0o660)

    first = run_as(office, "schemes", user=NOBODY)
    assert first.returncode == 0, first.stderr
    roles = json.loads(run_as(office, "roles", "--json", user=NOBODY).stdout)
    assert [(r["login"], r["role"]) for r in roles] == [(UNIT, "administrator")]
    refused = run_as(office, "grant", NOBODY, "--role", "administrator", user=NOBODY)
    assert refused.returncode == 2 and "没有角色；请管理员授予" in refused.stderr
