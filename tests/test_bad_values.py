"""Bad values stop at the door: a NaN or infinite parameter never loads, a name with an invisible
format character is the name without it, every numeric field gives one line for any input, and
a full disk or a backup of another page size is named for what it is."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import count_rows
from kaohe_tui.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def kaohe_cli(db_path):
    from conftest import Kaohe

    return Kaohe(db_path)


def kaohe(db: Path, *args: str) -> int:
    return main(["--db", str(db), *map(str, args)])


@pytest.mark.parametrize("raw", ["①", "²", "3²", "٣", "1e20", "9999999999999999999999", "1_000", "１e400", "0x1f"])
@pytest.mark.parametrize("flag", ["--count", "--amount"])
def test_any_number_on_the_command_line_gets_one_line(db_path, capsys, raw, flag):
    assert kaohe(db_path, "schemes") == 0
    capsys.readouterr()
    clause = "late-early" if flag == "--count" else "wechat"  # an amount the assessor chooses, 0–5
    indicator = "工作纪律" if flag == "--count" else "信息管理"
    code = kaohe(db_path, "record", "bureau-departments", "--period", "2018-03", "--unit", "党办", "--indicator",
                 indicator, "--clause", clause, flag, raw, "--reason", "检查")
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and "内部错误" not in err
    assert f"{'次数' if flag == '--count' else '分值'}：“{raw}”" in err
    assert count_rows(db_path) == 0


def test_full_width_digits_are_digits(db_path):
    assert kaohe(db_path, "record", "bureau-departments", "--period", "2018-03", "--unit", "党办", "--indicator",
                 "工作纪律", "--clause", "late-early", "--count", "２", "--reason", "检查") == 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count FROM records").fetchone()[0] == 2


@pytest.mark.parametrize("raw", ["①", "²", "1e20", "٣"])
def test_case_file_counts_get_one_line_per_row(db_path, tmp_path, capsys, raw):
    cases = tmp_path / "cases.csv"
    cases.write_text("案件编号,责任单位,来源,上报时间,处置时限,结案时间,延期次数,核查未通过次数,回访满意度\n"
                     f"A1,甲街道,巡查,2018-01-03 09:00:00,2018-01-05 17:00:00,2018-01-04 10:00:00,{raw},0,满意\n",
                     encoding="utf-8")
    code = kaohe(db_path, "--plugins-dir", FIXTURES / "core_plugin", "import", "fixture-cases", cases)
    err = capsys.readouterr().err
    assert code == 2 and "内部错误" not in err
    assert f"第2行：延期次数：“{raw}”" in err


def test_format_characters_do_not_make_a_twin_unit(db_path, tmp_path):
    """党委办 with a zero-width space looks the same on paper: it is the same unit."""
    units = tmp_path / "units.csv"
    units.write_text("单位,类别\n党委办\u200b,\n\u2060新单位\u200d,\n", encoding="utf-8")
    assert kaohe(db_path, "import", "bureau-departments", units, "--kind", "units") == 0
    with sqlite3.connect(db_path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM units WHERE scheme = 'bureau-departments'")]
    assert names.count("党委办") == 1 and "新单位" in names
    assert not any("\u200b" in n or "\u200d" in n or "\u2060" in n for n in names)
    assert (
        kaohe(
            db_path,
            "record",
            "bureau-departments",
            "--period",
            "2018-03",
            "--unit",
            "党\u200b委办",
            "--indicator",
            "工作纪律",
            "--clause",
            "late-early",
            "--count",
            "1",
            "--reason",
            "检查",
        )
        == 0
    )
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT unit FROM records").fetchone()[0] == "党委办"


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
@pytest.mark.parametrize("where", ["per", "points", "params"])
def test_nan_or_infinite_parameter_refused_when_the_scheme_loads(tmp_path, capsys, value, where):
    folder = tmp_path / "plugins"
    shutil.copytree(FIXTURES / "core_plugin", folder)
    toml = folder / "fixture.toml"
    text = toml.read_text(encoding="utf-8")
    if where == "per":
        text = text.replace("per = 0.5 },\n  { id = \"absent\"", f"per = {value} }},\n  {{ id = \"absent\"")
    elif where == "points":
        text = text.replace("name = \"环境卫生\"\npoints = 2", f"name = \"环境卫生\"\npoints = {value}")
    else:
        text = text.replace(
            'name = "环境卫生"\npoints = 2', f'name = "环境卫生"\npoints = 2\nparams = {{ cap = {value} }}'
        )
    assert value in text
    toml.write_text(text, encoding="utf-8")
    code = kaohe(tmp_path / "k.db", "--plugins-dir", folder, "score", "fixture", "--period", "2018", "--json")
    captured = capsys.readouterr()
    assert code == 2 and "NaN" not in captured.out and "Infinity" not in captured.out
    assert "方案“fixture”未加载" in captured.err
    # --json: the table's cells wrap at the terminal's width, the failure's words do not
    assert kaohe(tmp_path / "k.db", "--plugins-dir", folder, "plugins", "--json") == 0
    reported = " ".join(f["error"] for f in json.loads(capsys.readouterr().out)["failed"])
    assert "fixture.toml：" in reported and "：不是有限的数（nan、inf 不能作参数）" in reported


def test_disk_full_is_named_not_a_rollback_error(db_path, tmp_path, capsys):
    """SQLite gives up a transaction itself when the disk is full; the user hears that the disk
    is full (``max_page_count`` makes the file full at its present size)."""
    from kaohe_tui import catalog
    from kaohe_tui.errors import KaoheError
    from kaohe_tui.io.ledger_import import import_ledger
    from kaohe_tui.store import Store
    from kaohe_tui.units import ensure_registered

    store = Store(db_path)
    ensure_registered(store)
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "单位,指标,条款,次数,期间,事由\n"
        + "".join(f"党办,工作纪律,late-early,1,2018-03,第{i}次迟到，{'很长的说明' * 40}\n" for i in range(3000)),
        encoding="utf-8",
    )
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(KaoheError) as caught:
        import_ledger(store, catalog.get("bureau-departments"), rows)
    assert "disk is full" in str(caught.value) and "rollback" not in str(caught.value)
    assert store.db.execute("SELECT count(*) FROM records").fetchone()[0] == 0
    store.close()


def test_backup_of_another_page_size_restores(db_path, tmp_path, kaohe_cli):
    kaohe_cli.record("bureau-departments", period="2018-03", unit="党办", indicator="工作纪律", clause="late-early",
                     count=1, reason="检查")
    backup = tmp_path / "b.db"
    kaohe_cli.run("backup", backup)
    big = tmp_path / "b8k.db"  # the same backup, rewritten with 8 KiB pages (as another tool might)
    conn = sqlite3.connect(backup)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA page_size = 8192")
    conn.execute(f"VACUUM INTO '{big}'")
    conn.close()
    with sqlite3.connect(big) as check:
        assert check.execute("PRAGMA page_size").fetchone()[0] == 8192
    kaohe_cli.record("bureau-departments", period="2018-03", unit="党办", indicator="工作纪律", clause="late-early",
                     count=2, reason="检查")
    kaohe_cli.run("restore", big)  # a process of its own, as a user runs it (fails on a non-zero exit)
    assert count_rows(db_path) == 1
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_page_size_restore_names_the_other_session(db_path, tmp_path, kaohe_cli):
    kaohe_cli.run("backup", tmp_path / "b.db")
    conn = sqlite3.connect(tmp_path / "b.db")
    conn.execute("PRAGMA page_size = 8192")
    conn.execute(f"VACUUM INTO '{tmp_path / 'b8k.db'}'")
    conn.close()
    colleague = sqlite3.connect(db_path)  # a colleague's TUI has the database open
    colleague.execute("SELECT count(*) FROM records").fetchone()
    refused = kaohe_cli.run("restore", tmp_path / "b8k.db", ok=False)
    assert refused.returncode == 2 and "请关闭该库上其他所有 kaohe 会话" in refused.stderr
    colleague.close()
