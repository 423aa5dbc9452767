"""``kaohe verify`` without scoring again (issue 18): a snapshot pins every unit-month's cases
(a fingerprint of all their columns, computed by a helper process) and the scheme version it was
scored under; verify names each unit-month whose cases changed with the ``sqlite3`` shell, even
an edit that moves no count and no figure, and scores again only when something differs, for a
snapshot signed before the pins, or with ``--full``.

Cases (fixture-cases, 2018Q1): C1 甲街道 January, closed in time; C2 乙街道 February, one
extension (the first is free: 处置核查 loses nothing), closed in time; C3 乙街道 February,
still open and not yet late.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import zlib
from pathlib import Path

import pytest

from kaohe_tui import case_fingerprint, native, scoring

needs_sqlite3 = pytest.mark.skipif(not shutil.which("sqlite3"), reason="the sqlite3 shell is not installed")
needs_native = pytest.mark.skipif(
    native.library(Path(native.__file__).with_name("kaoherows.c")) is None,
    reason="no C compiler or SQLite headers: verify scores again instead",
)

HEADER = "case_id,unit,source,reported_at,deadline,closed_at,extensions,failed_checks,satisfaction\n"
CASES = (
    "C1,甲街道,巡查,2018-01-03 09:00:00,2018-01-10 17:00:00,2018-01-05 10:00:00,0,0,满意\n"
    "C2,乙街道,巡查,2018-02-03 09:00:00,2018-02-10 17:00:00,2018-02-05 10:00:00,1,0,满意\n"
    "C3,乙街道,热线,2018-02-20 09:00:00,2018-04-30 17:00:00,,0,0,\n"
)


def shell(db: Path, *statements: str) -> None:
    """What a group member can do: open the file in the sqlite3 shell, past kaohe."""
    subprocess.run(["sqlite3", str(db), ";\n".join(statements) + ";"], check=True, capture_output=True, text=True)


@pytest.fixture
def q1_closed(k, tmp_path):
    k.run("schemes")
    csv = tmp_path / "cases.csv"
    csv.write_text(HEADER + CASES, encoding="utf-8")
    k.run("import", "fixture-cases", str(csv))
    k.run("close", "fixture-cases", "--period", "2018Q1", "--reason", "签发")
    return k


def never_scored(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("scored again")

    monkeypatch.setattr(scoring.Scorer, "_score_uncached", refuse)


@needs_native
def test_an_untouched_year_is_verified_without_scoring_again(q1_closed, monkeypatch):
    never_scored(monkeypatch)
    out = q1_closed.run("verify", "fixture-cases").stdout
    assert "通过：fixture-cases 2018Q1：3件案件与签发时一致" in out
    assert "通过：fixture-cases 2018Q1：记录、案件、方案版本、插件数据与程序版本均与签发时一致，无须重新计分" in out
    assert "通过：fixture-cases 2018Q1：与签发时一致（0条记录）" in out


@needs_native
def test_full_scores_again(q1_closed, monkeypatch):
    never_scored(monkeypatch)
    with pytest.raises(AssertionError, match="scored again"):
        q1_closed.run("verify", "fixture-cases", "--full")


@needs_sqlite3
@needs_native
@pytest.mark.parametrize(
    "statement, named",
    [
        # closed a day later, still in time: no count and no figure moves, the case row did
        ("UPDATE cases SET closed_at = '2018-01-06 10:00:00' WHERE case_id = 'C1'", ["甲街道 2018-01"]),
        ("UPDATE cases SET source = '热线' WHERE case_id = 'C2'", ["乙街道 2018-02"]),
        ("UPDATE cases SET unit = '甲街道' WHERE case_id = 'C3'", ["甲街道 2018-02", "乙街道 2018-02"]),
        ("DELETE FROM cases WHERE case_id = 'C3'", ["乙街道 2018-02"]),
        (
            "INSERT INTO cases (scheme, case_id, unit, reported_at, deadline) "
            "VALUES ('fixture-cases', 'C4', '丙街道', '2018-03-01 09:00:00', '2018-03-09 17:00:00')",
            ["丙街道 2018-03"],
        ),
    ],
)
def test_verify_names_the_unit_month_of_a_case_row_edited_with_the_shell(q1_closed, statement, named):
    k = q1_closed
    shell(k.db, "DROP TRIGGER cases_closed_update", "DROP TRIGGER cases_closed_delete", statement)
    out = k.run("verify", "fixture-cases", ok=False).stdout
    for unit_month in named:
        assert f"fixture-cases 2018Q1：{unit_month} 上报的案件在签发后被改动、增加或删除" in out, out
    assert "无须重新计分" not in out


@needs_sqlite3
@needs_native
def test_rewriting_the_pinned_inputs_is_named(q1_closed):
    k = q1_closed
    with sqlite3.connect(k.db) as conn:
        inputs = json.loads(conn.execute("SELECT inputs FROM signoffs WHERE period = '2018Q1'").fetchone()[0])
    inputs["cases"]["months"] = []  # as if the quarter had had no case
    shell(k.db, "DROP TRIGGER signoffs_no_edit",
          "UPDATE signoffs SET inputs = '" + json.dumps(inputs, ensure_ascii=False) + "' WHERE period = '2018Q1'")
    out = k.run("verify", "fixture-cases", ok=False).stdout
    assert "fixture-cases 2018Q1：签发快照所存的输入已被改动（摘要不符）" in out


@needs_sqlite3
def test_a_snapshot_signed_before_the_pins_is_still_verified_by_scoring_again(k, tmp_path, monkeypatch):
    """A snapshot as an older kaohe signed it (no case pins, no inputs digest in the payload):
    verify scores again, says yes when nothing changed and still names an edit through the counts."""
    from kaohe_tui import signing

    k.run("schemes")
    csv = tmp_path / "cases.csv"
    csv.write_text(HEADER + CASES, encoding="utf-8")
    k.run("import", "fixture-cases", str(csv))
    monkeypatch.setenv("KAOHE_NO_NATIVE", "1")  # no helper: no case pins
    older = signing.canonical
    without_pin = lambda data: older({x: v for x, v in data.items() if x != "inputs_digest"})  # noqa: E731
    monkeypatch.setattr(signing, "canonical", without_pin)
    k.run("close", "fixture-cases", "--period", "2018Q1", "--reason", "签发")
    monkeypatch.undo()
    with sqlite3.connect(k.db) as conn:
        inputs, blob = conn.execute("SELECT inputs, results FROM signoffs").fetchone()
    assert "cases" not in json.loads(inputs) and "inputs_digest" not in json.loads(zlib.decompress(blob))
    out = k.run("verify", "fixture-cases").stdout
    assert "通过：fixture-cases 2018Q1：与签发时一致（0条记录）" in out and "无须重新计分" not in out
    shell(k.db, "DROP TRIGGER cases_closed_delete", "DELETE FROM cases WHERE case_id = 'C1'")
    out = k.run("verify", "fixture-cases", ok=False).stdout
    assert "fixture-cases 2018Q1：2018-01 上报的案件与其计数不再相符" in out


@needs_native
def test_fingerprints_of_unit_months_do_not_depend_on_row_order(tmp_path):
    """The same rows inserted in another order, or scanned in two halves by two helpers and
    added up, give the same unit-month figures; one value changed in one row changes only its
    unit-month's fingerprint."""
    rows = [("s", f"C{i}", "甲" if i % 2 else "乙", f"2018-0{1 + i % 3}-05 09:00:00", i % 3, None) for i in range(30)]

    def figures(order, db, split=False):
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE cases (scheme, case_id, unit, reported_at, extensions, failed_checks)")
            conn.executemany("INSERT INTO cases VALUES (?, ?, ?, ?, ?, ?)", order)
        columns = ["case_id", "unit", "reported_at", "extensions", "failed_checks"]
        job = case_fingerprint.job("s", "2018-01-01", "2018-04-01", columns)
        with sqlite3.connect(db) as conn:
            scan = case_fingerprint.start(db, [job], conn if split else None)
            assert scan is not None and len(scan.procs) == (2 if split else 1)  # C0 … C29: split at C2
            return case_fingerprint.collect(scan)[0]

    forward, backward = figures(rows, tmp_path / "a.db"), figures(rows[::-1], tmp_path / "b.db")
    assert forward == backward == figures(rows, tmp_path / "halves.db", split=True)
    # month 01 is i % 3 == 0, 甲 the odd i: i = 3, 9, 15, 21, 27 → 5 cases, extensions i % 3 = 0
    assert ["甲", "2018-01", 5, 0, 0] in [r[:5] for r in forward]
    changed = [*rows[:3], (*rows[3][:4], 7, None), *rows[4:]]  # C3 (甲, 2018-01): 0 → 7 extensions
    other = figures(changed, tmp_path / "c.db")
    assert [r[:2] for r, s in zip(forward, other, strict=True) if r != s] == [["甲", "2018-01"]]


def test_a_years_cases_with_repeats_are_read_in_one_pass_and_give_the_same_entries(q1_closed, monkeypatch):
    """Closing (or scoring) a period that holds every repeat case of the scheme reads the table in
    one pass instead of a lookup per case through the partial index: the same entries either way
    (C2, 乙街道: one extension)."""
    from kaohe_tui import cases, catalog, plugins
    from kaohe_tui.periods import Period
    from kaohe_tui.store import Store

    plugins.load_plugins([str(p) for p in q1_closed.plugins_dirs])
    store, scheme, year = Store(q1_closed.db), catalog.get("fixture-cases"), Period.parse("2018")
    units = {"甲街道": "街道", "乙街道": "街道", "丙街道": "街道"}
    assert cases._repeats_plan(store, scheme.id, *cases._bounds(year)) == "NOT INDEXED"
    assert cases._repeats_plan(store, scheme.id, *cases._bounds(Period.parse("2018-03"))) == "INDEXED BY cases_repeats"
    scanned = cases.per_case_entries(store, scheme, year, units)
    monkeypatch.setattr(cases, "_repeats_plan", lambda *args: "INDEXED BY cases_repeats")
    assert cases.per_case_entries(store, scheme, year, units) == scanned
    assert [(e.id, e.unit, e.count) for e in scanned] == [("case:C2", "乙街道", 1)]


# -- the recount (case_classes): a void case is no difference, a closing time edited is one ---------
HEADER_ZH = "案件编号,责任单位,来源,上报时间,处置时限,结案时间,延期次数,核查未通过次数,回访满意度,案件状态\n"


def test_verify_recounts_cases_as_the_figures_count_them(k, tmp_path):
    k.run("schemes")
    csv = tmp_path / "cases.csv"
    csv.write_text(
        HEADER_ZH + "C1,甲街道,巡查,2018-01-03 09:00:00,2018-01-10 17:00:00,2018-01-05 10:00:00,0,0,满意,结案\n"
        "C2,甲街道,巡查,2018-01-04 09:00:00,2018-01-10 17:00:00,,0,0,,作废\n",  # void: counted nowhere
        encoding="utf-8",
    )
    k.run("import", "fixture-cases", str(csv))
    k.run("close", "fixture-cases", "--period", "2018Q1", "--reason", "签发")
    assert k.run("verify", "fixture-cases").returncode == 0
    with sqlite3.connect(k.db) as conn:  # past kaohe: C1 closed after its deadline instead (same count of cases)
        conn.execute("DROP TRIGGER cases_closed_update")
        conn.execute("UPDATE cases SET closed_at = '2018-01-12 10:00:00' WHERE case_id = 'C1'")
    out = k.run("verify", "fixture-cases", ok=False).stdout
    assert "fixture-cases 2018Q1：2018-01 上报的案件与其计数不再相符" in out
