"""Files kaohe writes (exports, rejects files, backups) are created exclusively under names nobody
can guess, then renamed into place: a symlink planted by another member of the office group is
never followed, the database and its -wal/-shm are never written over, an existing file is
replaced only with --force, and no command changes the mode of a file it did not create."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from kaohe_tui.cli import main

VICTIM_TEXT = "export PATH=/usr/bin  # the administrator's own file\n"


@pytest.fixture
def victim(tmp_path) -> Path:
    """A file of the administrator's that an attacker wants overwritten (their ~/.bashrc)."""
    home = tmp_path / "home"
    home.mkdir()
    path = home / ".bashrc"
    path.write_text(VICTIM_TEXT)
    os.chmod(path, 0o644)
    return path


def kaohe(db: Path, *args: str) -> int:
    return main(["--db", str(db), *map(str, args)])


def record(db: Path) -> None:
    assert kaohe(db, "record", "bureau-departments", "--period", "2018-03", "--unit", "党办", "--indicator", "工作纪律",
                 "--clause", "late-early", "--count", "2", "--reason", "3月考勤抽查迟到2人次") == 0


@pytest.mark.parametrize("fmt,name,planted", [
    ("xlsx", "r.xlsx", ".r.partial.xlsx"),    # the old temporary name of a results export
    ("csv", "r.csv", ".r.partial.csv"),
    ("json", "r.json", ".r.partial.json"),
])
def test_results_export_never_follows_a_planted_symlink(db_path, tmp_path, victim, fmt, name, planted):
    out_dir = tmp_path / "shared"
    out_dir.mkdir()
    (out_dir / planted).symlink_to(victim)
    assert (
        kaohe(db_path, "export", "bureau-departments", "--period", "2018", "--format", fmt, "-o", out_dir / name) == 0
    )
    assert victim.read_text() == VICTIM_TEXT and oct(victim.stat().st_mode & 0o777) == "0o644"
    written = out_dir / name
    assert written.is_file() and not written.is_symlink() and written.stat().st_size > 0
    assert sorted(p.name for p in out_dir.iterdir()) == sorted([name, planted])  # no temporary left behind


@pytest.mark.parametrize("what", ["ledger", "audit"])
def test_ledger_export_never_follows_a_planted_symlink(db_path, tmp_path, victim, what):
    record(db_path)
    (tmp_path / ".l.csv.partial").symlink_to(victim)  # the old temporary name of a ledger export
    assert kaohe(db_path, "export", "bureau-departments", "--period", "2018", "--what", what, "--format", "csv",
                 "-o", tmp_path / "l.csv") == 0
    assert victim.read_text() == VICTIM_TEXT
    assert "党委办" in (tmp_path / "l.csv").read_text(encoding="utf-8-sig") or what == "audit"


def test_symlink_at_the_target_is_refused_and_replaced_only_with_force(db_path, tmp_path, victim, capsys):
    link = tmp_path / "r.csv"
    link.symlink_to(victim)
    assert kaohe(db_path, "export", "bureau-departments", "--period", "2018", "--format", "csv", "-o", link) == 2
    assert "已存在" in capsys.readouterr().err and victim.read_text() == VICTIM_TEXT
    assert (
        kaohe(db_path, "export", "bureau-departments", "--period", "2018", "--format", "csv", "-o", link, "--force")
        == 0
    )
    assert victim.read_text() == VICTIM_TEXT  # the link was replaced, not followed
    assert not link.is_symlink() and "党委办" in link.read_text(encoding="utf-8-sig")


def test_existing_export_kept_without_force(db_path, tmp_path, capsys):
    out = tmp_path / "r.json"
    out.write_text("signed copy")
    os.chmod(out, 0o640)
    assert kaohe(db_path, "export", "bureau-departments", "--period", "2018", "--format", "json", "-o", out) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(out) in err and "--force" in err
    assert out.read_text() == "signed copy" and oct(out.stat().st_mode & 0o777) == "0o640"
    assert (
        kaohe(db_path, "export", "bureau-departments", "--period", "2018", "--format", "json", "-o", out, "--force")
        == 0
    )
    assert '"scheme": "bureau-departments"' in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
@pytest.mark.parametrize("what", ["results", "ledger"])
def test_export_never_over_the_database(db_path, capsys, suffix, what):
    record(db_path)
    target = Path(str(db_path) + suffix)
    if suffix:  # an open connection keeps -wal/-shm in place, as a colleague's TUI would
        keeper = sqlite3.connect(db_path)
        keeper.execute("SELECT count(*) FROM records").fetchone()
        assert target.exists()
    assert kaohe(db_path, "export", "bureau-departments", "--period", "2018", "--what", what, "--format", "csv",
                 "-o", target, "--force") == 2
    assert "数据库" in capsys.readouterr().err
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM records").fetchone()[0] == 1
    if suffix:
        keeper.close()


def test_backup_never_over_the_live_database_or_an_existing_file(db_path, tmp_path, capsys):
    record(db_path)
    mode = oct(db_path.stat().st_mode & 0o777)
    assert kaohe(db_path, "backup", db_path, "--force") == 2
    assert "数据库" in capsys.readouterr().err and oct(db_path.stat().st_mode & 0o777) == mode
    other = tmp_path / "notes.txt"
    other.write_text("mine")
    os.chmod(other, 0o644)
    assert kaohe(db_path, "backup", other) == 2
    assert "--force" in capsys.readouterr().err
    assert other.read_text() == "mine" and oct(other.stat().st_mode & 0o777) == "0o644"  # mode untouched
    assert kaohe(db_path, "backup", other, "--force") == 0
    with sqlite3.connect(other) as conn:
        assert conn.execute("SELECT count(*) FROM records").fetchone()[0] == 1
    assert oct(other.stat().st_mode & 0o777) == "0o600"  # a new, private file of our own


def test_backup_never_follows_a_symlink(db_path, tmp_path, victim):
    link = tmp_path / "b.db"
    link.symlink_to(victim)
    assert kaohe(db_path, "backup", link) == 2
    assert kaohe(db_path, "backup", link, "--force") == 0
    assert victim.read_text() == VICTIM_TEXT and not link.is_symlink()


def test_rejects_file_never_follows_a_symlink(db_path, tmp_path, victim, capsys):
    rows = tmp_path / "rows.csv"
    rows.write_text("单位,指标,条款,次数,期间,事由\n党办,工作纪律,late-early,1,2018-03,迟到\n"
                    "查无此单位,工作纪律,late-early,1,2018-03,迟到\n", encoding="utf-8")
    planted = tmp_path / "rows.rejected.csv"
    planted.symlink_to(victim)
    assert kaohe(db_path, "import", "bureau-departments", str(rows), "--skip-invalid") == 0
    out = capsys.readouterr().out
    assert victim.read_text() == VICTIM_TEXT
    written = [p for p in tmp_path.glob("rows.rejected*.csv") if not p.is_symlink()]
    assert len(written) == 1 and str(written[0]) in out
    assert "查无此单位" in written[0].read_text(encoding="utf-8-sig")


def test_existing_database_file_keeps_its_mode(db_path):
    """Opening (or backing up) a database someone else created changes nothing about its mode."""
    kaohe(db_path, "schemes")
    os.chmod(db_path, 0o640)
    assert kaohe(db_path, "backup", db_path.with_name("b.db")) == 0
    assert oct(db_path.stat().st_mode & 0o777) == "0o640"
