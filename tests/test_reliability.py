"""Nothing lost: concurrent writers, and imports killed part-way (SIGKILL)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import CORE_PLUGIN, Kaohe, count_rows, kill_inside_the_write
from kaohe_tui.crashpoint import ENV as PAUSE

FIXTURES = Path(__file__).parent / "fixtures"
ENV = {**os.environ, "KAOHE_NO_ENTRY_POINTS": "1"}


def kaohe_cmd(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "kaohe_tui", "--db", str(db), "--plugins-dir", str(FIXTURES / "core_plugin"), *args]


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def test_concurrent_writers_lose_nothing(db_path, tmp_path):
    """Four processes start on a brand-new file at once (racing to create and seed it), then
    each imports a file and records one by one; every record arrives, nobody sees 'locked'."""
    writers = 4
    per_writer = 5
    files = []
    for w in range(writers):
        path = tmp_path / f"w{w}.csv"
        lines = [f"党委办,工作纪律,late,1,2018,写入者{w}第{i}条" for i in range(200)]
        path.write_text("单位,指标,条款,次数,期间,事由\n" + "\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    script = " && ".join(
        ["{cmd_import}"] + [f"{{cmd_record}} --reason '逐条{i}'" for i in range(per_writer)])
    procs = []
    for w in range(writers):
        cmd_import = " ".join(map(str, kaohe_cmd(db_path, "import", "fixture", str(files[w]))))
        cmd_record = " ".join(map(str, kaohe_cmd(db_path, "record", "fixture", "--period", "2018", "--unit", "财审科",
                                                 "--indicator", "环境卫生", "--clause", "dirty")))
        procs.append(
            subprocess.Popen(
                script.format(cmd_import=cmd_import, cmd_record=cmd_record + f" --date 2018-0{w + 1}-01"),
                shell=True,
                env=ENV,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        assert "locked" not in err and "busy" not in err
    # reasons differ per writer and per record, so no import row is a duplicate of another
    assert count_rows(db_path) == writers * (200 + per_writer)
    assert count_rows(db_path, "SELECT count(*) FROM schemes WHERE id = 'fixture'") == 1
    assert count_rows(db_path, "SELECT count(*) FROM units WHERE scheme = 'fixture'") == 3
    assert integrity(db_path) == "ok"


def test_import_killed_leaves_nothing_half_written(db_path, tmp_path):
    rows = 3_000
    path = tmp_path / "big.csv"
    path.write_text("单位,指标,条款,次数,期间,事由\n"
                    + "\n".join(f"财审科,工作纪律,late,1,2018,第{i}条" for i in range(rows)) + "\n", encoding="utf-8")
    Kaohe(db_path, [CORE_PLUGIN]).run("record", "fixture", "--period", "2018", "--unit", "党委办",
                                      "--indicator", "环境卫生", "--clause", "dirty", "--reason", "先有的一条")
    marker = tmp_path / "in-transaction"
    proc = subprocess.Popen(kaohe_cmd(db_path, "import", "fixture", str(path)), env={**ENV, PAUSE: str(marker)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # killed with every row (and the import's audit line) written inside the open transaction
    assert kill_inside_the_write(proc, marker, rows) >= rows
    assert integrity(db_path) == "ok"
    assert count_rows(db_path) == 1  # the interrupted import is entirely absent
    assert count_rows(db_path, "SELECT count(*) FROM audit WHERE action = 'import'") == 0
    done = subprocess.run(kaohe_cmd(db_path, "import", "fixture", str(path)), env=ENV, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert count_rows(db_path) == 1 + rows
